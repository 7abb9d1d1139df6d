"""Rules between the steps of interviews: invitations go to people without a slot, a
selection waits for the interview, staff open slots in bulk."""

from datetime import timedelta

import pytest
from django.urls import reverse

from applications.interviews import notifications as events
from applications.interviews import services as interviews
from applications.interviews.rules import interview_held
from applications.models import InterviewSlot
from eig import calendars
from eig.models import OutboxMessage
from eig.permissions import may
from tests.applications.test_interviews import (
    applicant,
    interview_call,
    logged_in,
    slot_for,
    staff_user,
)
from tests.factories import UserFactory

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


# --- Opening slots in bulk -------------------------------------------------------------


def admin_staff():
    return UserFactory(is_staff=True, is_superuser=True)


def bulk_url(challenge=None):
    url = reverse("admin:applications_interviewslot_bulk")
    return f"{url}?defi={challenge.pk}" if challenge else url


def test_staff_open_days_times_jury_in_one_go_from_the_slots_list(client):
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    staff, colleague = admin_staff(), staff_user()
    client = logged_in(client, staff)

    changelist = client.get(reverse("admin:applications_interviewslot_changelist"))
    assert bulk_url() in changelist.text
    calls = client.get(reverse("admin:applications_callforapplications_changelist"))
    assert bulk_url() in calls.text
    chooser = client.get(bulk_url())
    assert chooser.status_code == 200 and f"?defi={challenge.pk}" in chooser.text
    page = client.get(bulk_url(challenge))
    assert page.status_code == 200
    assert "09:00, 09:45" in page.text  # a day's usual times, ready to adjust

    days = [call.interviews_start_on, call.interviews_end_on]
    response = client.post(
        bulk_url(),
        {
            "defi": challenge.pk,
            "days": [day.isoformat() for day in days],
            "times": "9:00, 09h45 10:30",
            "jury": [staff.pk, colleague.pk],
            "video_link": "visio.exemple.gouv.fr/eig",
        },
    )

    assert response.status_code == 302
    slots = InterviewSlot.objects.filter(challenge=challenge).order_by("starts_at")
    assert [(calendars.local(s.starts_at).date(), calendars.hhmm(s.starts_at)) for s in slots] == [
        (day, hour) for day in days for hour in ("09:00", "09:45", "10:30")
    ]
    assert all({u.pk for u in slot.jury.all()} == {staff.pk, colleague.pk} for slot in slots)
    assert {slot.video_link for slot in slots} == {"https://visio.exemple.gouv.fr/eig"}


def test_a_bulk_opening_with_a_problem_opens_nothing_and_says_which_day(client):
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    staff = admin_staff()
    slot_for(call, challenge, 10, day=1, jury=[staff])  # already open the second day
    client = logged_in(client, staff)
    form = {
        "defi": challenge.pk,
        "days": [call.interviews_start_on.isoformat(), call.interviews_end_on.isoformat()],
        "times": "10:00",
        "jury": [staff.pk],
    }

    response = client.post(bulk_url(), form)

    assert response.status_code == 200
    second_day = call.interviews_end_on.strftime("%d/%m/%Y")
    assert f"{second_day} : Un créneau de ce défi commence déjà à 10:00." in response.text
    assert InterviewSlot.objects.filter(challenge=challenge).count() == 1
    # A double submit of a good form opens the slots once.
    form["times"] = "11:00"
    assert client.post(bulk_url(), form).status_code == 302
    assert client.post(bulk_url(), form).status_code == 200
    assert InterviewSlot.objects.filter(challenge=challenge).count() == 3


def test_bulk_times_are_read_or_refused_by_name(client):
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    staff = admin_staff()
    client = logged_in(client, staff)
    response = client.post(
        bulk_url(),
        {
            "defi": challenge.pk,
            "days": [call.interviews_start_on.isoformat()],
            "times": "09:00, midi, 25:00",
            "jury": [staff.pk],
        },
    )
    assert response.status_code == 200
    assert "Horaire non compris : midi, 25:00" in response.text
    assert not InterviewSlot.objects.exists()


def test_only_staff_open_slots_in_bulk(client):
    call = interview_call()
    challenge, _other = call.challenges().order_by("pk")
    mentor = UserFactory()
    response = logged_in(client, mentor).get(bulk_url(challenge))
    assert response.status_code == 302  # the admin sends them to log in as staff
