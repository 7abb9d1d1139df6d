"""Nobody uses the platform to send mail in its name: what a person's own requests send
to others is capped per day, and a request already pending is told once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.interviews import notifications as interview_events
from applications.interviews import services as interviews
from challenges import services as challenge_services
from challenges.models import AdministrationContact, ChallengeInvitation
from eig import limits
from eig.models import EmailRequest, OutboxMessage
from tests.applications.test_interviews import applicant, interview_call, slot_for, staff_user
from tests.challenges.test_administration_screens import drafted, logged_in
from tests.factories import AdministrationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def yesterday_for_everyone():
    """The next day comes: what was counted today was counted yesterday."""
    for request in EmailRequest.objects.all():
        request.at -= timedelta(days=1)
        request.save(update_fields=["at"])


# --- Co-editor invitations ----------------------------------------------------------------


def invite(client, challenge, email):
    return client.post(
        reverse("challenges:challenge_invite", kwargs={"pk": challenge.pk}),
        {"email": email},
        follow=True,
    )


def test_an_editor_invites_at_most_twenty_colleagues_a_day_and_is_told_why(client):
    limit = challenge_services.COEDITOR_INVITATIONS_PER_DAY
    challenge, editor = drafted()
    logged_in(client, editor)
    for number in range(limit):
        invite(client, challenge, f"collegue{number}@exemple.fr")
    response = invite(client, challenge, "un-de-trop@exemple.fr")

    assert "le maximum par jour" in response.content.decode()
    assert not ChallengeInvitation.objects.filter(email="un-de-trop@exemple.fr").exists()
    invited = OutboxMessage.objects.filter(event="challenges.coeditor_invited")
    assert invited.count() == limit

    yesterday_for_everyone()
    invite(client, challenge, "un-de-trop@exemple.fr")
    assert invited.count() == limit + 1


def test_inviting_the_same_colleague_again_sends_and_counts_nothing(client):
    challenge, editor = drafted()
    logged_in(client, editor)
    for _ in range(3):
        invite(client, challenge, "collegue@exemple.fr")
    assert OutboxMessage.objects.filter(event="challenges.coeditor_invited").count() == 1
    assert EmailRequest.objects.filter(user=editor).count() == 1


# --- Requests to join an administration ---------------------------------------------------


def test_a_person_asks_to_join_at_most_five_administrations_a_day(client):
    limit = challenge_services.JOIN_REQUESTS_PER_DAY
    newcomer = UserFactory()
    administrations = AdministrationFactory.create_batch(limit + 1)
    for administration in administrations:
        AdministrationContact.objects.create(
            administration=administration, user=UserFactory(), status="active"
        )
    logged_in(client, newcomer)
    for administration in administrations:
        response = client.post(
            reverse("challenges:my_administration"),
            {"action": "join", "join-administration": administration.pk},
            follow=True,
        )
    assert "le maximum par jour" in response.content.decode()
    assert AdministrationContact.objects.filter(user=newcomer).count() == limit
    assert OutboxMessage.objects.filter(event="challenges.join_requested").count() == limit


def test_asking_again_to_join_while_pending_tells_the_contacts_once():
    administration = AdministrationFactory()
    AdministrationContact.objects.create(
        administration=administration, user=UserFactory(), status="active"
    )
    newcomer = UserFactory()
    for _ in range(3):
        challenge_services.request_to_join(administration=administration, by=newcomer)
    assert OutboxMessage.objects.filter(event="challenges.join_requested").count() == 1
    assert EmailRequest.objects.filter(user=newcomer).count() == 1


# --- Interview move requests --------------------------------------------------------------


@pytest.fixture
def booked_candidate():
    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    slots = [slot_for(call, challenge, hour) for hour in (9, 10, 11, 14, 15)]
    interviews.book(choice=choice, slot=slots[0], by=application.candidate)
    return choice, slots


def move_requests_sent():
    return OutboxMessage.objects.filter(event=interview_events.INTERVIEW_MOVE_REQUESTED.code)


def test_a_pending_move_request_reaches_staff_once_whatever_is_posted_again(booked_candidate):
    choice, [slot, *_others] = booked_candidate
    staff_user(), staff_user()
    interviews.request_move(choice=choice, reason="Je passe un oral ce matin-là.")
    told = move_requests_sent().count()
    interviews.request_move(choice=choice, reason="Et j'ai aussi un train à prendre.")
    interviews.request_move(choice=choice, reason="Merci de me répondre !")

    assert told >= 2 and move_requests_sent().count() == told
    slot.refresh_from_db()
    assert slot.move_requested == "Merci de me répondre !"


def test_a_candidate_makes_at_most_three_move_requests_a_day(booked_candidate):
    choice, [_first, *elsewhere] = booked_candidate
    staff = staff_user()
    for slot in elsewhere[: interviews.MOVE_REQUESTS_PER_DAY]:
        interviews.request_move(choice=choice, reason="Empêchement")
        interviews.book(choice=choice, slot=slot, by=staff)  # staff move them: not pending
    told = move_requests_sent().count()

    with pytest.raises(ValidationError, match="le maximum par jour"):
        interviews.request_move(choice=choice, reason="Encore un empêchement")
    assert move_requests_sent().count() == told
    assert choice.interview.move_requested == ""


# --- The day --------------------------------------------------------------------------------


def test_the_daily_count_starts_again_at_midnight_in_paris():
    user = UserFactory()
    late_evening = datetime(2027, 1, 15, 23, 30, tzinfo=PARIS)
    after_midnight = datetime(2027, 1, 16, 0, 10, tzinfo=PARIS)

    def ask(now):
        limits.count_email_request(user=user, action="test", per_day=1, message="Trop", now=now)

    ask(late_evening)
    ask(after_midnight)  # 23:10 UTC on the 15th, but the 16th in Paris
    with pytest.raises(ValidationError, match="Trop"):
        ask(after_midnight + timedelta(hours=1))
