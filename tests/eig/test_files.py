"""Uploaded files live exactly as long as the row that points to them: whatever
deletes or replaces the row, the file goes when the change commits; a file whose
row never committed is swept after a grace period."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db import transaction
from django.utils import timezone

from applications import services
from applications.models import Application
from eig import files
from tests.conftest import make_user, postgresql_only
from tests.factories import ChallengeFactory, UserFactory, call_for_applications
from tests.workers import ROOT, _database_url

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Rollback(Exception):
    pass


def application_with_cv(candidate=None, call=None):
    application = services.start_application(
        call=call or call_for_applications(),
        candidate=candidate or UserFactory(),
        studies_completed=True,
        is_civil_servant=False,
    )
    application.cv.save("cv.pdf", ContentFile(PDF))
    return application


def stored(field_file):
    return field_file.storage.exists(field_file.name)


def test_deleting_an_account_deletes_its_cv(django_capture_on_commit_callbacks):
    application = application_with_cv()
    cv = application.cv
    with django_capture_on_commit_callbacks(execute=True):
        application.candidate.delete()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not stored(cv)


def test_deleting_applications_in_bulk_deletes_their_cvs(django_capture_on_commit_callbacks):
    call = call_for_applications()
    cvs = [application_with_cv(call=call).cv for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        Application.objects.filter(call=call).delete()
    assert not any(stored(cv) for cv in cvs)


def test_deleting_accounts_in_the_admin_deletes_their_cvs(rf, django_capture_on_commit_callbacks):
    """Through the admin's own deletion methods (one account, or a selection), so that
    the test does not depend on how staff sign in."""
    one, selected = application_with_cv(), application_with_cv()
    user_admin = admin_site._registry[type(one.candidate)]
    request = rf.post("/admin/")
    request.user = make_user("staff")
    with django_capture_on_commit_callbacks(execute=True):
        user_admin.delete_model(request, one.candidate)
        user_admin.delete_queryset(
            request, type(one.candidate).objects.filter(pk=selected.candidate_id)
        )
    assert not stored(one.cv) and not stored(selected.cv)


def test_a_file_another_row_still_points_to_stays(django_capture_on_commit_callbacks):
    application = application_with_cv()
    copy = application_with_cv()
    Application.objects.filter(pk=copy.pk).update(cv=application.cv.name)
    with django_capture_on_commit_callbacks(execute=True):
        application.delete()
    assert stored(application.cv)


def test_a_replaced_pitch_deck_is_deleted(django_capture_on_commit_callbacks):
    challenge = ChallengeFactory()
    uploaded = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            challenge.pitch_deck.save("deck.pdf", ContentFile(PDF))
        uploaded.append(challenge.pitch_deck.name)
    storage = challenge.pitch_deck.storage
    assert [storage.exists(name) for name in uploaded] == [False, False, True]


def test_a_replacement_that_rolls_back_keeps_the_old_file(django_capture_on_commit_callbacks):
    application = application_with_cv()
    cv_name = application.cv.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback):
        with transaction.atomic():
            application.cv = ""
            application.save(update_fields=["cv"])
            raise Rollback
    application.refresh_from_db()
    assert application.cv.name == cv_name and stored(application.cv)


def test_saving_other_fields_keeps_the_file(django_capture_on_commit_callbacks):
    application = application_with_cv()
    with django_capture_on_commit_callbacks(execute=True):
        application.motivation = "Autre texte"
        application.save()
        Application.objects.get(pk=application.pk).save(update_fields=["motivation"])
    assert stored(application.cv)


def test_a_cv_written_by_a_rolled_back_save_is_swept_after_the_grace_period():
    kept = application_with_cv()
    candidate, call = UserFactory(), call_for_applications()
    with pytest.raises(Rollback), transaction.atomic():
        orphan = application_with_cv(candidate=candidate, call=call)
        raise Rollback
    assert not Application.objects.filter(candidate=candidate).exists()
    assert stored(orphan.cv), "the rolled-back save left its file behind"

    every_model = apps.get_models()
    within_grace = timezone.now() + files.ORPHAN_GRACE - timedelta(minutes=5)
    assert orphan.cv.name not in files.sweep_orphan_files(
        all_models=every_model, grace=files.ORPHAN_GRACE, now=within_grace
    )
    assert stored(orphan.cv), "a file younger than the grace may still get its row"

    after_grace = timezone.now() + files.ORPHAN_GRACE + timedelta(minutes=5)
    deleted = files.sweep_orphan_files(
        all_models=every_model, grace=files.ORPHAN_GRACE, now=after_grace
    )
    assert orphan.cv.name in deleted and not stored(orphan.cv)
    assert kept.cv.name not in deleted and stored(kept.cv)


def test_files_follow_their_rows_on_a_storage_other_than_the_local_disk(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Object storage comes later: only the storage's API is used, shown here in memory."""
    monkeypatch.setattr(Application._meta.get_field("cv"), "storage", InMemoryStorage())
    kept, replaced = application_with_cv(), application_with_cv()
    old_name = replaced.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        replaced.cv.save("cv.pdf", ContentFile(PDF))
    with pytest.raises(Rollback), transaction.atomic():
        orphan = application_with_cv()
        raise Rollback
    storage = kept.cv.storage
    assert isinstance(storage, InMemoryStorage) and not storage.exists(old_name)

    after_grace = timezone.now() + files.ORPHAN_GRACE + timedelta(minutes=5)
    files.sweep_orphan_files(
        all_models=apps.get_models(), grace=files.ORPHAN_GRACE, now=after_grace
    )
    assert not storage.exists(orphan.cv.name)
    assert storage.exists(kept.cv.name) and storage.exists(replaced.cv.name)


def test_the_orphan_sweep_runs_with_the_beat(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "eig.tasks.sweep_orphan_files" in scheduled


# Saves a CV with its application in a transaction, then dies before the commit.
KILLED_WHILE_SAVING = """
import os, signal, django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db import transaction
from applications import services
from applications.models import CallForApplications
from eig.models import User

with transaction.atomic():
    application = services.start_application(
        call=CallForApplications.objects.get(pk={call}),
        candidate=User.objects.get(pk={candidate}),
        studies_completed=True,
        is_civil_servant=False,
    )
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 data"))
    print(application.cv.name, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@postgresql_only  # the killed process shares the database
@pytest.mark.django_db(transaction=True)
def test_a_cv_written_by_a_killed_process_is_swept_after_the_grace_period():
    call, candidate = call_for_applications(), UserFactory()
    script = KILLED_WHILE_SAVING.format(call=call.pk, candidate=candidate.pk)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eig.settings_test",
        "DATABASE_URL": _database_url(),
    }
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert killed.returncode == -9, killed.stderr
    name = killed.stdout.strip()
    storage = Application._meta.get_field("cv").storage
    assert storage.exists(name) and not Application.objects.filter(candidate=candidate).exists()

    after_grace = timezone.now() + files.ORPHAN_GRACE + timedelta(minutes=5)
    files.sweep_orphan_files(
        all_models=apps.get_models(), grace=files.ORPHAN_GRACE, now=after_grace
    )
    assert not storage.exists(name)
