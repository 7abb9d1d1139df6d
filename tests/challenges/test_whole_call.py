"""The whole call for projects, from the opening to the published results."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from challenges import services
from challenges.jury import services as jury
from challenges.models import Assessment, Challenge, JuryMember, PanelEvaluation
from eig.models import OutboxMessage
from tests.factories import (
    AdministrationFactory,
    DraftChallengeFactory,
    UserFactory,
    call_for_projects,
)

pytestmark = pytest.mark.django_db


def test_a_call_runs_from_drafts_to_published_results(
    eager_celery, django_capture_on_commit_callbacks
):
    call = call_for_projects()
    staff = UserFactory(is_staff=True)
    editors, challenges = [], []
    for n in range(5):
        editor = UserFactory()
        challenge = DraftChallengeFactory(
            call=call, administration=AdministrationFactory(), title=f"Défi {n}"
        )
        challenge.editors.add(editor)
        editors.append(editor)
        challenges.append(challenge)

    with django_capture_on_commit_callbacks(execute=True):
        for challenge, editor in zip(challenges, editors, strict=True):
            services.set_challenge_status(
                challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor
            )
    assert len(mail.outbox) == 5  # one confirmation each, with its summary
    assert "Résumé" in mail.outbox[0].body

    # The deadline passes; staff qualify and shortlist four.
    call.submission_deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    for challenge in challenges:
        for criterion in call.criteria.all():
            Assessment.objects.create(
                challenge=challenge, criterion=criterion, assessor=staff, score=4
            )
    for challenge in challenges[:4]:
        services.set_challenge_status(
            challenge=challenge, to=Challenge.Status.SHORTLISTED, by=staff
        )
    services.set_challenge_status(
        challenge=challenges[4],
        to=Challenge.Status.DECLINED,
        by=staff,
        reason="Périmètre trop large",
    )

    # Pre-selection ends; ten jury members, two panels, a timetable, convocations, open kits.
    call.preselection_ends_at = timezone.now() - timedelta(minutes=1)
    call.save()
    profiles = list(JuryMember.Profile)
    for n in range(10):
        JuryMember.objects.create(
            call=call, user=UserFactory(), profile=profiles[n % len(profiles)]
        )
    jury.compose_panels(call=call, panel_count=2)
    jury.assign_challenges(call=call)
    jury.lay_out_timetable(call=call)
    assert jury.timetable_conflicts(call=call) == []
    # The desk's readiness checks: each panel needs its lead and its room.
    for panel in call.panels.all():
        panel.lead = panel.members.first()
        panel.place = "Ministère, salle 101"
        panel.save()
    with django_capture_on_commit_callbacks(execute=True):
        jury.send_convocations(call=call, now=call.opens_at)
    convocations = [m for m in mail.outbox if "Convocation" in m.subject]
    assert len(convocations) == 4
    assert all(any(a[0].endswith(".ics") for a in m.attachments) for m in convocations)
    services.open_kits(call=call)

    # Members read and comment; each panel lead records the grid.
    for challenge in challenges[:4]:
        panel = challenge.audition.panel
        member = panel.members.first()
        jury.record_reading(member=member, challenge=challenge)
        jury.save_remark(member=member, challenge=challenge, text="Données riches, équipe motivée.")
        panel.lead = member
        panel.save()
        jury.record_panel_evaluation(
            member=member,
            challenge=challenge,
            scores={c.pk: 4 for c in call.criteria.all()},
            recommendation=PanelEvaluation.Recommendation.SELECT,
            comment="À retenir",
        )

    # Staff record the decisions; nothing is told before publication.
    before = len(mail.outbox)
    for challenge, target in zip(
        challenges[:4],
        [
            Challenge.Status.SELECTED,
            Challenge.Status.SELECTED,
            Challenge.Status.WAITLISTED,
            Challenge.Status.NOT_SELECTED,
        ],
        strict=True,
    ):
        services.set_challenge_status(challenge=challenge, to=target, by=staff)
    assert len(mail.outbox) == before
    assert (
        services.status_for_administration(Challenge.objects.get(pk=challenges[0].pk))
        == Challenge.Status.SHORTLISTED
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(call=call, by=staff)
    decisions = [m for m in mail.outbox if "Décision" in m.subject]
    assert sorted(m.to[0] for m in decisions) == sorted(e.email for e in editors[:4])
    assert OutboxMessage.objects.filter(event="challenges.decision_published").count() == 4


def test_the_public_sees_the_selected_challenges_once_published(client):
    call = call_for_projects(phase="deliberation")
    selected = DraftChallengeFactory(call=call, title="Défi retenu")
    waitlisted = DraftChallengeFactory(call=call, title="Défi en attente")
    Challenge.objects.filter(pk=selected.pk).update(status=Challenge.Status.SELECTED)
    Challenge.objects.filter(pk=waitlisted.pk).update(status=Challenge.Status.WAITLISTED)
    services.publish_results(call=call)
    listed = client.get(
        reverse("cohorts:promotion_detail", args=[call.promotion.code])
    ).content.decode()
    assert "Défi retenu" in listed and "Défi en attente" not in listed
