"""The whole call for applications, from the first application to a new EIG."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications import services
from applications.decisions import services as services_decisions
from applications.interviews import services as services_interviews
from applications.models import Application, Choice
from applications.review import services as services_review
from cohorts.models import TeamMember
from eig.models import Role, RoleGrant
from tests.applications.test_applying import complete, eligible_start
from tests.factories import UserFactory, call_for_applications

pytestmark = pytest.mark.django_db


def fresh(applications):
    """The applications as the database now has them, their call's new dates included."""
    return [Application.objects.select_related("call").get(pk=a.pk) for a in applications]


def test_a_call_runs_from_applications_to_a_new_eig(
    eager_celery, django_capture_on_commit_callbacks
):
    call = call_for_applications(challenges=2)
    challenge, other = call.challenges()
    staff = UserFactory(is_staff=True, is_superuser=True)
    candidates = [UserFactory() for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        applications = []
        for candidate in candidates:
            application = complete(eligible_start(call, candidate))
            applications.append(
                services.set_application_status(
                    application=application, to=Application.Status.SUBMITTED, by=None
                )
            )
    assert len([m for m in mail.outbox if "bien envoyée" in m.subject]) == 3

    # The deadline passes: pre-selection by staff.
    now = timezone.now()
    call.deadline = now - timedelta(hours=1)
    call.preselection_ends_at = now + timedelta(days=3)
    call.save()
    applications = fresh(applications)
    for application in applications:
        services_review.assign_reviewer(application=application, reviewer=staff, by=staff)
        scores = {c.pk: 4 for c in call.criteria.all()}
        services_review.submit_review(
            application=application, reviewer=staff, scores=scores, comment="Solide"
        )
    ranked = services_review.ranking_page(challenge=challenge, reviewer=staff, offset=0, limit=50)
    assert len(ranked) == 3
    for application in applications[:2]:
        services_review.shortlist(choice=application.choices.get(challenge=challenge), by=staff)
    services_review.reject_at_preselection(
        choice=applications[2].choices.get(challenge=challenge), by=staff
    )

    # Interviews on the interview days.
    tomorrow = timezone.localdate() + timedelta(days=1)
    call.preselection_ends_at = now - timedelta(minutes=1)
    call.interviews_start_on, call.interviews_end_on = tomorrow, tomorrow + timedelta(days=1)
    call.save()
    applications = fresh(applications)
    slots = services_interviews.create_slots(
        challenge=challenge, day=tomorrow, times=[time(10, 0), time(11, 0)], jury=[staff]
    )
    with django_capture_on_commit_callbacks(execute=True):
        for application, slot in zip(applications[:2], slots, strict=True):
            choice = application.choices.get(challenge=challenge)
            services_interviews.book(choice=choice, slot=slot, by=application.candidate)
    assert sum(1 for m in mail.outbox if any(a[0].endswith(".ics") for a in m.attachments)) == 2
    for slot in slots:
        slot.refresh_from_db()
        services_interviews.score_interview(
            slot=slot, member=staff, scores={c.pk: 4 for c in call.criteria.all()}
        )
        services_interviews.record_recommendation(
            slot=slot, recommendation="select", comment="", by=staff
        )

    # Decisions, told only at publication.
    chosen = applications[0].choices.get(challenge=challenge)
    waiting = applications[1].choices.get(challenge=challenge)
    before = len(mail.outbox)
    services_decisions.decide(choice=chosen, to=Choice.Status.SELECTED, by=staff)
    services_decisions.decide(choice=waiting, to=Choice.Status.WAITLISTED, by=staff)
    assert len(mail.outbox) == before
    assert (
        services.status_for_candidate(Application.objects.get(pk=applications[0].pk))
        == "en cours d'examen"
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Once the last interview is over (before, publishing needs an override).
        services_decisions.publish_results(call=call, by=staff, now=slots[-1].ends_at)
    told = {m.to[0] for m in mail.outbox[before:]}
    assert {c.email for c in candidates} <= told

    # The offer is accepted: a new EIG of the challenge's team.
    offer = Choice.objects.get(pk=chosen.pk).offer
    services_decisions.answer_offer(offer=offer, accept=True, by=candidates[0])
    member = TeamMember.objects.get(person__user=candidates[0])
    assert member.team.challenge == challenge
    assert RoleGrant.objects.filter(user=candidates[0], role=Role.EIG).exists()
    assert other not in [member.team.challenge]
