"""`seed_scale` lays the programme out at any factor, the same way for the same seed."""

import io
from dataclasses import fields
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from applications.models import Application, Choice, Review
from challenges.models import Challenge, JuryMember
from cohorts.models import TeamMember
from eig.models import OutboxMessage, User
from mentoring.models import WeeklyUpdate
from scale import seed as scale
from tests.conftest import HISTORY_DIR

pytestmark = pytest.mark.django_db

FACTOR = 0.05


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def history():
    call_command("import_eig_history", str(HISTORY_DIR), stdout=io.StringIO())


def test_the_programme_grows_in_proportion_to_its_factor():
    one, ten = scale.Plan.for_factor(1), scale.Plan.for_factor(10)
    # A call keeps at least six reviewers, whatever its size: the panel a review needs.
    proportional = [
        f.name for f in fields(scale.Plan) if f.name not in ("factor", "weeks", "reviewers")
    ]

    assert {name: getattr(ten, name) for name in proportional} == {
        name: 10 * getattr(one, name) for name in proportional
    }
    assert one.reviewers <= ten.reviewers and one.weeks == ten.weeks


def test_a_small_factor_still_lays_a_whole_programme_out():
    plan = scale.Plan.for_factor(FACTOR)

    assert plan.selected + plan.waitlisted + plan.not_selected <= plan.submitted_challenges
    assert 0 < plan.teams <= plan.eigs // 2 and plan.panels >= 1
    assert plan.current_applications > 0 and plan.previous_applications >= plan.eigs


def test_the_seed_writes_what_its_plan_says(history, media):
    report = scale.seed(factor=FACTOR, seed=1)
    plan = scale.Plan.for_factor(FACTOR)
    current = Challenge.objects.filter(promotion__code=scale.CURRENT_CODE)
    assert current.count() == plan.submitted_challenges
    assert current.filter(status=Challenge.Status.SELECTED).count() == plan.selected
    assert User.objects.filter(email__startswith="candidat").count() == plan.candidates
    assert Application.objects.count() == plan.applications
    assert Review.objects.count() == plan.reviews
    assert JuryMember.objects.count() == plan.jury_members
    assert TeamMember.objects.filter(
        team__challenge__promotion__code=scale.RUNNING_CODE
    ).count() == (plan.eigs)
    assert 0 < WeeklyUpdate.objects.count() <= plan.teams * plan.weeks
    assert OutboxMessage.objects.filter(idempotency_key__startswith="scale:").count() == plan.outbox
    submitted = Application.objects.filter(status=Application.Status.SUBMITTED)
    assert submitted.exists() and not submitted.filter(cv="").exists()
    assert all(
        (Path(media) / "private" / name).read_bytes().startswith(b"%PDF")
        for name in submitted.values_list("cv", flat=True)
    )
    # The call for applications is open: the rush submits into it.
    assert (
        Application.objects.filter(call__promotion__code=scale.CURRENT_CODE)
        .first()
        .call.accepts_applications()
    )
    assert report.counts["candidatures"] == plan.applications and report.seconds > 0


def _fingerprint():
    """What the seed wrote, without ids or dates that depend on the moment of the run."""
    return {
        "challenges": sorted(
            Challenge.objects.filter(promotion__code__startswith="echelle").values_list(
                "title", "status", "administration__name", "team_size"
            )
        ),
        "applications": sorted(
            Application.objects.values_list(
                "candidate__email", "call__promotion__code", "status", "years_of_experience"
            )
        ),
        "choices": sorted(
            Choice.objects.values_list(
                "application__candidate__email", "rank", "challenge__title", "status"
            )
        ),
        "reviews": sorted(
            Review.objects.values_list(
                "application__candidate__email", "reviewer__email", "weighted_score"
            )
        ),
        "updates": sorted(
            WeeklyUpdate.objects.values_list("team__challenge__title", "week", "spirit")
        ),
    }


def _seeded(seed):
    with transaction.atomic():
        scale.seed(factor=FACTOR, seed=seed)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


def test_the_same_seed_gives_the_same_programme_and_another_seed_another(history):
    first, again, other = _seeded(7), _seeded(7), _seeded(8)
    assert first == again
    assert first["applications"] and first["reviews"] and first["updates"]
    assert other != first


def test_the_command_reports_its_duration_and_does_not_seed_twice(history, capsys):
    call_command("seed_scale", "--factor", str(FACTOR), "--seed", "3")
    assert "durée" in capsys.readouterr().out
    call_command("seed_scale", "--factor", str(FACTOR), "--if-missing")
    assert "Rien à faire" in capsys.readouterr().out
    assert Application.objects.count() == scale.Plan.for_factor(FACTOR).applications
