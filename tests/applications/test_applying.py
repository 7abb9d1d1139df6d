"""Candidates apply to one or two selected challenges, before the deadline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from applications import services
from applications.models import Application
from applications.services import DeadlinePassed
from challenges.models import JuryMember
from tests.factories import SkillFactory, UserFactory, call_for_applications, call_for_projects

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def eligible_start(call, candidate=None, now=None):
    return services.start_application(
        call=call,
        candidate=candidate or UserFactory(),
        studies_completed=True,
        is_civil_servant=False,
        now=now,
    )


def complete(application, now=None):
    application.profile = SkillFactory()
    application.years_of_experience = 5
    application.motivation = "Servir l'intérêt général avec les données."
    application.cv.save("cv.pdf", ContentFile(PDF), save=False)
    application.save()
    challenges = list(application.call.challenges())
    services.set_choices(
        application=application,
        choices=[(challenges[0], "J'y crois."), (challenges[1], "Aussi.")],
        now=now,
    )
    return application


def test_a_person_still_studying_is_told_why_they_cannot_apply():
    call = call_for_applications()
    reasons = services.ineligibility_reasons(
        call=call, user=UserFactory(), studies_completed=False, is_civil_servant=True
    )
    assert any("terminé leurs études" in r for r in reasons)
    assert any("agents publics" in r for r in reasons)


def test_a_member_of_this_years_jury_cannot_apply():
    call = call_for_applications()
    projects = call_for_projects(promotion=call.promotion)
    juror = UserFactory()
    JuryMember.objects.create(call=projects, user=juror, profile=JuryMember.Profile.ALUMNI)
    with pytest.raises(ValidationError, match="jurys"):
        eligible_start(call, juror)


def test_starting_twice_gives_the_same_application():
    call = call_for_applications()
    candidate = UserFactory()
    assert eligible_start(call, candidate) == eligible_start(call, candidate)
    assert Application.objects.count() == 1


def test_one_or_two_different_challenges_of_the_call_only():
    call = call_for_applications(challenges=3)
    application = eligible_start(call)
    first, second, third = call.challenges()
    with pytest.raises(ValidationError):
        services.set_choices(application=application, choices=[])
    with pytest.raises(ValidationError):
        services.set_choices(
            application=application, choices=[(first, "a"), (second, "b"), (third, "c")]
        )
    with pytest.raises(ValidationError):
        services.set_choices(application=application, choices=[(first, "a"), (first, "b")])
    services.set_choices(application=application, choices=[(second, "préféré"), (first, "ensuite")])
    assert [(c.rank, c.challenge) for c in application.choices.all()] == [(1, second), (2, first)]


def test_submitting_needs_a_complete_file(eager_celery, django_capture_on_commit_callbacks):
    call = call_for_applications()
    application = eligible_start(call)
    with pytest.raises(ValidationError, match="CV"):
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=None
        )
    complete(application)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=None
        )
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=None
        )
    assert len(mail.outbox) == 1 and "bien envoyée" in mail.outbox[0].subject


def test_the_deadline_is_enforced_at_the_minute_in_paris_time():
    deadline = datetime(
        2026, 10, 25, 12, 0, tzinfo=ZoneInfo("Europe/Paris")
    )  # winter time starts that night
    call = call_for_applications(now=deadline - timedelta(days=5))
    call.deadline = deadline
    call.save()
    before = deadline - timedelta(days=1)
    application = complete(eligible_start(call, now=before), now=before)
    with pytest.raises(DeadlinePassed):
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=None, now=deadline
        )
    services.set_application_status(
        application=application,
        to=Application.Status.SUBMITTED,
        by=None,
        now=deadline - timedelta(minutes=1),
    )


def test_the_candidate_sees_under_review_until_results_are_public():
    call = call_for_applications()
    application = complete(eligible_start(call))
    application = services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=None
    )
    application.choices.update(status="selected")
    assert services.status_for_candidate(application) == "en cours d'examen"
    call.published_at = call.publication_at
    call.save()
    application.call = call
    # The same decision for both choices is said once.
    assert services.status_for_candidate(application) == "sélectionnée"
