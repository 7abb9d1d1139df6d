"""Rules between the steps of interviews: invitations go to people without a slot, a
selection waits for the interview, staff open slots in bulk."""

from datetime import timedelta

import pytest

from applications import notifications_interviews as events
from applications import services_interviews as interviews
from applications.rules_interviews import interview_held
from eig.models import OutboxMessage
from eig.permissions import may
from tests.applications.test_interviews import applicant, interview_call, slot_for, staff_user

pytestmark = pytest.mark.django_db


def invited():
    return set(
        OutboxMessage.objects.filter(event=events.INTERVIEW_INVITATION.code).values_list(
            "to_email", flat=True
        )
    )


def test_invitations_go_only_to_shortlisted_people_without_a_slot():
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    booked, [booked_choice] = applicant(call, [challenge])
    waiting, [_waiting_choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=booked_choice, slot=slot, by=booked.candidate)

    sent = interviews.invite_shortlisted(challenge=challenge)

    assert [row.to_email for row in sent] == [waiting.candidate.email]
    assert invited() == {waiting.candidate.email}


def test_a_person_with_a_slot_is_not_told_to_choose_one():
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    application, [choice] = applicant(call, [challenge])
    staff = staff_user()
    interviews.book(choice=choice, slot=slot_for(call, challenge, 10), by=staff)

    assert interviews.invite(choice=choice) is None
    assert invited() == set()


def test_an_interview_is_held_once_its_slot_is_over_or_the_jury_has_spoken():
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    application, [choice] = applicant(call, [challenge])
    assert not interviews.interview_held(choice)  # no slot

    member = staff_user()
    slot = slot_for(call, challenge, 10, jury=[member])
    interviews.book(choice=choice, slot=slot, by=application.candidate)
    assert not interviews.interview_held(choice)  # booked, still to come
    assert not interviews.interview_held(choice, now=slot.starts_at + timedelta(minutes=30))
    assert interviews.interview_held(choice, now=slot.ends_at)

    interviews.record_recommendation(slot=slot, recommendation="select", by=member)
    assert interviews.interview_held(choice)  # the jury recorded its recommendation


def test_selecting_before_the_interview_is_staffs_explicit_override():
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    application, [choice] = applicant(call, [challenge])
    staff = staff_user()

    assert interview_held(staff, choice) is False  # the predicate the decisions read
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=choice, slot=slot, by=staff)
    interviews.record_recommendation(slot=slot, recommendation="waitlist", by=slot.jury.get())
    assert interview_held(staff, choice) is True
    assert may(staff, "applications.select_without_interview", choice)
    assert not may(application.candidate, "applications.select_without_interview", choice)
