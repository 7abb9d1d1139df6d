"""A public page's cache holds until a change to what it reads, on every node."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from eig import public_cache
from eig.models import Heartbeat, Skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.EIG_CACHE_SECONDS = 60
    caches["default"].clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_public_entry_is_kept_until_a_watched_model_changes(
    caching, django_capture_on_commit_callbacks
):
    public_cache.invalidated_by(Skill)
    compute, calls = counter()
    assert public_cache.cached("figures", compute) == 1
    assert public_cache.cached("figures", compute) == 1  # no timer: still the same
    with django_capture_on_commit_callbacks(execute=True):
        Skill.objects.create(key="geomatique-essai", label="Géomatique")
    assert public_cache.cached("figures", compute) == 2


def test_an_unwatched_change_keeps_the_entry(caching, django_capture_on_commit_callbacks):
    compute, calls = counter()
    public_cache.cached("figures", compute)
    with django_capture_on_commit_callbacks(execute=True):
        Heartbeat.record("beat")
    assert public_cache.cached("figures", compute) == 1


def test_a_rolled_back_change_keeps_the_entry(caching, django_capture_on_commit_callbacks):
    public_cache.invalidated_by(Skill)
    compute, calls = counter()
    public_cache.cached("figures", compute)
    with django_capture_on_commit_callbacks(execute=False):
        Skill.objects.create(key="essai-annule", label="Annulé")
    assert public_cache.cached("figures", compute) == 1


def test_with_caches_off_every_call_computes(settings):
    settings.EIG_CACHE_SECONDS = 0
    compute, calls = counter()
    public_cache.cached("figures", compute)
    public_cache.cached("figures", compute)
    assert len(calls) == 2


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the shared cache is Redis")
def test_a_change_made_through_another_node_is_seen_here_at_once(settings):
    """Two processes on one Redis cache: what the other node invalidates is gone here."""
    server = os.environ["REDIS_URL"].split("://", 1)[1].split("/", 1)[0]
    shared = f"redis://{server}/15"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": shared}
    }
    settings.EIG_CACHE_SECONDS = 60
    caches["default"].clear()
    compute, calls = counter()
    public_cache.cached("figures", compute)
    other_node = (
        "import django; django.setup()\nfrom eig import public_cache\npublic_cache._bump()\n"
    )
    subprocess.run(
        [sys.executable, "-c", other_node],
        check=True,
        timeout=120,
        cwd=Path(django_settings.BASE_DIR),
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "eig.settings_test", "CACHE_URL": shared},
    )
    assert public_cache.cached("figures", compute) == 2
    caches["default"].clear()
