"""An upgrade keeps every row: the previous release's schema, populated by the scale seed
at factor 1, is migrated by this code, and nothing is lost on the way.

The previous release is the commit named in `.ci/previous-release` (the main that last
landed); each release moves it forward.
"""

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests import side_databases
from tests.conftest import postgresql_only

BASE_DIR = Path(settings.BASE_DIR)
PREVIOUS = (BASE_DIR / ".ci" / "previous-release").read_text().strip()
# The tables the programme cannot lose, counted before and after.
KEPT = [
    "eig_user",
    "eig_outboxmessage",
    "challenges_challenge",
    "applications_application",
    "applications_choice",
    "applications_review",
    "cohorts_team",
    "mentoring_weeklyupdate",
]


def _previous_release_tree(root):
    """The previous release's files, beside a link to shared/ as in a checkout."""
    repo = root / "repo"
    repo.mkdir()
    archive = root / "previous.tar"
    try:
        with archive.open("wb") as out:
            subprocess.run(
                ["git", "archive", PREVIOUS],
                cwd=BASE_DIR,
                stdout=out,
                check=True,
                stderr=subprocess.PIPE,
            )
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.skip(f"the previous release {PREVIOUS[:8]} is not in this clone: {error}")
    with tarfile.open(archive) as tar:
        tar.extractall(repo, filter="data")
    (root / "shared").symlink_to(BASE_DIR.parent / "shared")
    return repo


def _manage(tree, dbname, *args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eig.settings_test",
        "DATABASE_URL": side_databases.url_of(dbname),
        "MEDIA_ROOT": str(tree / "var" / "upgrade-media"),
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


@postgresql_only
def test_the_previous_release_populated_at_factor_one_migrates_without_losing_a_row(tmp_path):
    previous = _previous_release_tree(tmp_path)
    with side_databases.fresh_database(f"eig_upgrade_{uuid.uuid4().hex[:8]}") as dbname:
        _manage(previous, dbname, "migrate", "--noinput", "-v", "0")
        _manage(previous, dbname, "seed_scale", "--factor", "1", "-v", "0")
        before = side_databases.row_counts(dbname, KEPT)
        assert before["applications_application"] > 500  # a populated programme, not an empty one

        upgrade = _manage(BASE_DIR, dbname, "migrate", "--noinput", "-v", "2")
        # Each migration's duration, for docs/operations.md (read, never asserted: a busy
        # machine is slow, not wrong).
        print("\n".join(line for line in upgrade.stdout.splitlines() if " OK (" in line))

        assert side_databases.row_counts(dbname, KEPT) == before
        # Nothing left to apply: the code and the upgraded schema agree.
        _manage(BASE_DIR, dbname, "migrate", "--check")
