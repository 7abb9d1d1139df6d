"""The rules of the call for projects, from the opening to the publication."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from challenges import services
from challenges.models import Challenge, ChallengeTransition, Phase
from challenges.services import DeadlinePassed
from eig import reminders
from eig.models import OutboxMessage
from tests.factories import DraftChallengeFactory, PromotionFactory, UserFactory, call_for_projects

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def drafted(call, **fields):
    editor = UserFactory()
    challenge = DraftChallengeFactory(call=call, **fields)
    challenge.editors.add(editor)
    return challenge, editor


def submitted(call, **fields):
    challenge, editor = drafted(call, **fields)
    return services.set_challenge_status(
        challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor
    ), editor


@pytest.mark.parametrize("phase", [p.value for p in Phase])
def test_the_phase_of_a_call_follows_from_its_dates(phase):
    assert call_for_projects(phase=phase).phase() == phase


def test_a_new_call_gets_the_programmes_selection_grid():
    call = call_for_projects()
    assert [c.weight for c in call.criteria.all()] == [3, 2, 2, 2, 1]
    assert call.criteria.first().name.startswith("Un besoin clair")


def test_an_incomplete_challenge_cannot_be_submitted_and_says_what_is_missing():
    challenge, editor = drafted(call_for_projects(), complete=False, open_commitment=False)
    with pytest.raises(ValidationError) as error:
        services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    message = " ".join(error.value.messages)
    assert "mentor stratégique" in message and "open source" in message
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_the_deadline_is_enforced_at_the_minute_across_a_daylight_saving_change():
    # Summer time starts in Paris on 29 March 2026 at 02:00; the deadline is noon that day.
    deadline = datetime(2026, 3, 29, 12, 0, tzinfo=PARIS)
    call = call_for_projects(now=deadline - timedelta(days=10))
    call.submission_deadline = deadline
    call.save()
    on_time, editor = drafted(call)
    late, late_editor = drafted(call)
    services.set_challenge_status(
        challenge=on_time,
        to=Challenge.Status.SUBMITTED,
        by=editor,
        now=deadline - timedelta(minutes=1),
    )
    with pytest.raises(DeadlinePassed):
        services.set_challenge_status(
            challenge=late, to=Challenge.Status.SUBMITTED, by=late_editor, now=deadline
        )
    assert deadline.astimezone(ZoneInfo("UTC")).hour == 10  # noon in Paris, summer time


def test_every_transition_is_logged_with_who_and_when():
    call = call_for_projects()
    challenge, editor = submitted(call)
    staff = UserFactory(is_staff=True)
    after_deadline = call.submission_deadline + timedelta(minutes=1)
    services.set_challenge_status(
        challenge=challenge, to=Challenge.Status.SHORTLISTED, by=staff, now=after_deadline
    )
    log = list(
        ChallengeTransition.objects.filter(challenge=challenge).values_list(
            "source", "target", "by"
        )
    )
    assert log == [("draft", "submitted", editor.pk), ("submitted", "shortlisted", staff.pk)]


def test_an_impossible_transition_is_refused_with_a_clear_message():
    challenge, editor = drafted(call_for_projects())
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        services.set_challenge_status(challenge=challenge, to=Challenge.Status.SELECTED, by=editor)


def test_submitting_twice_is_one_submission():
    call = call_for_projects()
    challenge, editor = submitted(call)
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    assert ChallengeTransition.objects.filter(challenge=challenge, target="submitted").count() == 1


def test_decisions_stay_hidden_from_administrations_until_publication():
    call = call_for_projects(phase="deliberation")
    challenge, _editor = drafted(call)
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.NOT_SELECTED)
    challenge.refresh_from_db()
    assert services.status_for_administration(challenge) == Challenge.Status.SHORTLISTED
    services.publish_results(call=call)
    call.refresh_from_db()
    challenge.call = call
    assert services.status_for_administration(challenge) == Challenge.Status.NOT_SELECTED


def test_selected_challenges_become_public_only_with_the_results(client):
    call = call_for_projects(phase="deliberation")
    challenge, _editor = drafted(call, title="Défi tenu secret")
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.SELECTED)
    assert "Défi tenu secret" not in client.get(reverse("cohorts:challenge_list")).content.decode()
    assert client.get(challenge.get_absolute_url()).status_code == 404
    services.publish_results(call=call)
    assert "Défi tenu secret" in client.get(reverse("cohorts:challenge_list")).content.decode()
    assert client.get(challenge.get_absolute_url()).status_code == 200


def test_publication_tells_each_administration_once(
    eager_celery, django_capture_on_commit_callbacks
):
    call = call_for_projects(phase="deliberation")
    challenge, editor = drafted(call)
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.SELECTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(call=call)
        services.publish_results(call=call)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Sélectionné" in mail.outbox[0].body or "sélectionné" in mail.outbox[0].body


def test_the_publication_date_publishes_by_itself():
    call = call_for_projects(phase="deliberation")
    assert services.publish_due_calls() == []
    published = services.publish_due_calls(now=call.publication_at)
    assert [c.pk for c in published] == [call.pk]


def test_drafts_are_reminded_seven_days_then_one_day_before_the_deadline_once_each():
    call = call_for_projects()
    drafted(call)
    submitted(call)  # a submitted challenge gets no reminder
    deadline = call.submission_deadline
    assert reminders.sweep(now=deadline - timedelta(days=8))[0] == 0
    assert reminders.sweep(now=deadline - timedelta(days=7))[0] == 1
    assert reminders.sweep(now=deadline - timedelta(days=6))[0] == 0
    assert reminders.sweep(now=deadline - timedelta(hours=23))[0] == 1
    assert reminders.sweep(now=deadline - timedelta(hours=1))[0] == 0
    events = OutboxMessage.objects.filter(event="challenges.deadline_reminder")
    assert sorted(e.idempotency_key.rsplit("|", 1)[1] for e in events) == ["j-1", "j-7"]


def test_withdrawing_a_challenge_cancels_its_pending_reminders():
    call = call_for_projects()
    challenge, editor = drafted(call)
    reminders.sweep(now=call.submission_deadline - timedelta(days=7))
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.WITHDRAWN, by=editor)
    reminder = OutboxMessage.objects.get(event="challenges.deadline_reminder")
    assert reminder.status in (OutboxMessage.Status.CANCELLED, OutboxMessage.Status.SENT)
    assert OutboxMessage.objects.filter(event="challenges.challenge_withdrawn").exists()


def test_a_call_is_kept_in_history_when_staff_extend_it():
    call = call_for_projects()
    call.submission_deadline += timedelta(days=3)
    call.save()
    assert call.history.count() == 2


def test_only_one_call_per_promotion():
    promotion = PromotionFactory()
    call_for_projects(promotion=promotion)
    with pytest.raises(Exception):  # noqa: B017 — the database refuses it
        call_for_projects(promotion=promotion)


def test_current_call_is_the_open_one():
    call_for_projects(phase="published")
    open_call = call_for_projects()
    assert services.current_call(timezone.now()) == open_call
