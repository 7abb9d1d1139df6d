"""Interviews: slots for each challenge's jury, bookings, moves, scores, reminders, screens."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# applications/admin.py imports admin_interviews in the project; importing it here
# too registers it before the admin's URLs are first built.
from applications import services
from applications.decisions import services as decisions
from applications.interviews import admin as admin_interviews
from applications.interviews import notifications as events
from applications.interviews import services as interviews
from applications.interviews.services import SlotTaken
from applications.models import Application, Choice, InterviewScore, InterviewSlot, ReviewConflict
from challenges.models import JuryMember
from eig import reminders
from eig.models import OutboxMessage, Role, RoleGrant, User
from tests.applications.matrix_interviews import MATRIX_INTERVIEWS
from tests.conftest import postgresql_only
from tests.factories import (
    ChallengeMentorFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    call_for_applications,
    call_for_projects,
)

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


# --- A call whose interviews are laid out the way staff do it ------------------------------


def interview_call(now=None, challenges=2):
    """A call in pre-selection: its two interview days are nine and ten days away."""
    return call_for_applications(now=now, phase="preselection", challenges=challenges)


def applicant(call, challenges, *, candidate=None, profile=None, shortlist=True):
    """A complete application sent while the call was open, its choices shortlisted."""
    during = call.opens_at + timedelta(days=1)
    application = services.start_application(
        call=call,
        candidate=candidate or UserFactory(),
        studies_completed=True,
        is_civil_servant=False,
        now=during,
    )
    application.profile = profile or SkillFactory()
    application.years_of_experience = 5
    application.motivation = "Servir l'intérêt général avec les données."
    application.cv.save("cv.pdf", ContentFile(PDF), save=False)
    application.save()
    services.set_choices(
        application=application,
        choices=[(challenge, f"Pourquoi {challenge.title}") for challenge in challenges],
        now=during,
    )
    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=None, now=during
    )
    choices = list(application.choices.order_by("rank"))
    if shortlist:
        for choice in choices:
            services.set_choice_status(choice=choice, to=Choice.Status.SHORTLISTED, by=None)
    return application, [Choice.objects.get(pk=choice.pk) for choice in choices]


def staff_user():
    return UserFactory(is_staff=True)


def at(call, hour, minute=0, day=0):
    return reminders.paris_time(call.interviews_start_on + timedelta(days=day), time(hour, minute))


def slot_for(call, challenge, hour, minute=0, *, jury=None, day=0):
    [slot] = interviews.create_slots(
        challenge=challenge,
        day=call.interviews_start_on + timedelta(days=day),
        times=[time(hour, minute)],
        jury=jury or [staff_user()],
        video_link="https://visio.exemple.gouv.fr/eig",
    )
    return slot


def logged_in(client, user):
    """Logged in, with an authenticator: staff and jury members must use two factors."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Slots ------------------------------------------------------------------------------


def test_slots_open_on_the_interview_days_for_the_challenges_jury_only():
    call = interview_call()
    challenge, other = call.challenges().order_by("pk")
    staff = staff_user()
    alumni = UserFactory(roles=[Role.ALUMNI])
    mentor = UserFactory()
    ChallengeMentorFactory(challenge=challenge, person=PersonFactory(user=mentor))
    specialist = UserFactory()
    JuryMember.objects.create(
        call=call_for_projects(promotion=call.promotion),
        user=specialist,
        profile=JuryMember.Profile.DATA_SPECIALIST,
    )

    slots = interviews.create_slots(
        challenge=challenge,
        day=call.interviews_start_on,
        times=[time(9, 0), "10:00"],
        jury=[staff, alumni, mentor, specialist],
    )

    assert [s.starts_at for s in slots] == [at(call, 9), at(call, 10)]
    assert slots[0].starts_at.astimezone(PARIS).time() == time(9, 0)
    assert set(slots[0].jury.all()) == {staff, alumni, mentor, specialist}
    with pytest.raises(ValidationError, match="du .* au"):
        interviews.create_slots(
            challenge=challenge,
            day=call.interviews_end_on + timedelta(days=1),
            times=[time(9, 0)],
            jury=[staff],
        )
    # A mentor of another challenge, or a stranger, does not sit on this jury.
    with pytest.raises(ValidationError, match="ne peut pas siéger"):
        interviews.create_slots(
            challenge=other, day=call.interviews_start_on, times=[time(14)], jury=[mentor]
        )
    with pytest.raises(ValidationError, match="ne peut pas siéger"):
        interviews.create_slots(
            challenge=challenge,
            day=call.interviews_start_on,
            times=[time(14)],
            jury=[UserFactory()],
        )
    with pytest.raises(ValidationError, match="commence déjà"):
        interviews.create_slots(
            challenge=challenge, day=call.interviews_start_on, times=[time(9)], jury=[staff]
        )


def test_a_candidate_of_the_call_never_sits_on_its_jury():
    call = interview_call()
    challenge, _other = call.challenges()
    candidate = UserFactory(roles=[Role.ALUMNI])
    applicant(call, [challenge], candidate=candidate)
    with pytest.raises(ValidationError, match="candidat"):
        interviews.create_slots(
            challenge=challenge, day=call.interviews_start_on, times=[time(9)], jury=[candidate]
        )


def test_no_jury_member_is_double_booked():
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    member = staff_user()
    slot_for(call, first, 10, jury=[member])

    with pytest.raises(ValidationError, match="deux jurys à la fois") as refused:
        interviews.create_slots(
            challenge=second,
            day=call.interviews_start_on,
            times=[time(10, 30)],
            jury=[member, staff_user()],
        )
    assert first.title in str(refused.value)
    assert not second.interview_slots.exists()
    # Back to back is fine, and so is another day.
    slot_for(call, second, 10, 45, jury=[member])
    slot_for(call, second, 10, 15, jury=[member], day=1)


def test_the_admin_refuses_a_jury_member_in_two_overlapping_slots():
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    member = staff_user()
    slot_for(call, first, 10, jury=[member])
    form = admin_interviews.InterviewSlotForm(
        data={
            "challenge": second.pk,
            "starts_at": at(call, 10, 20).strftime("%Y-%m-%d %H:%M"),
            "jury": [member.pk],
        }
    )
    assert not form.is_valid()
    assert "deux jurys" in str(form.errors["jury"])


# --- Invitations and bookings ------------------------------------------------------------


def test_the_invitation_carries_an_ics_file():
    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    candidate = application.candidate
    slot = slot_for(call, challenge, 10)

    invitation = interviews.invite(choice=choice)
    assert invitation.event == events.INTERVIEW_INVITATION.code
    assert invitation.to_email == candidate.email
    assert reverse("applications:my_interview") in invitation.body_text
    assert interviews.invite(choice=choice).pk == invitation.pk  # invited once

    interviews.book(choice=choice, slot=slot, by=candidate)

    row = OutboxMessage.objects.get(event=events.INTERVIEW_BOOKED.code)
    assert row.to_email == candidate.email and row.essential
    [attachment] = row.attachments
    assert attachment["mimetype"] == "text/calendar"
    assert attachment["filename"].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"interview-{slot.pk}@eig"
    assert event.decoded("DTSTART") == slot.starts_at
    assert event.decoded("DTEND") == slot.starts_at + timedelta(minutes=45)
    assert str(event["LOCATION"]) == slot.video_link
    assert challenge.title in str(event["SUMMARY"])
    assert challenge.title in row.subject
    assert "10:00" in row.body_text


def test_only_a_shortlisted_choice_is_invited_or_booked():
    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge], shortlist=False)
    slot = slot_for(call, challenge, 10)
    with pytest.raises(ValidationError):
        interviews.invite(choice=choice)
    with pytest.raises(ValidationError):
        interviews.book(choice=choice, slot=slot, by=application.candidate)
    assert not OutboxMessage.objects.filter(event__startswith="applications.interview").exists()


def test_a_candidate_books_only_their_own_choice_and_a_slot_of_its_challenge():
    call = interview_call()
    challenge, other = call.challenges().order_by("pk")
    application, [choice] = applicant(call, [challenge])
    with pytest.raises(PermissionDenied):
        interviews.book(choice=choice, slot=slot_for(call, challenge, 9), by=UserFactory())
    with pytest.raises(ValidationError, match="autre défi"):
        interviews.book(choice=choice, slot=slot_for(call, other, 9), by=application.candidate)


def test_no_candidate_is_double_booked():
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    application, [one, two] = applicant(call, [first, second])
    candidate = application.candidate
    interviews.book(choice=one, slot=slot_for(call, first, 10), by=candidate)
    clashing = slot_for(call, second, 10, 30)

    with pytest.raises(ValidationError, match="déjà un entretien de 10:00 à 10:45"):
        interviews.book(choice=two, slot=clashing, by=candidate)
    # Staff cannot either.
    with pytest.raises(ValidationError):
        interviews.book(choice=two, slot=clashing, by=staff_user())
    clashing.refresh_from_db()
    assert clashing.choice is None

    later = slot_for(call, second, 10, 45)
    interviews.book(choice=two, slot=later, by=candidate)
    assert InterviewSlot.objects.filter(choice__application=application).count() == 2


def test_a_slot_holds_one_candidate_when_two_book_one_after_the_other():
    call = interview_call()
    challenge, _other = call.challenges()
    first, [mine] = applicant(call, [challenge])
    second, [theirs] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=mine, slot=slot, by=first.candidate)
    with pytest.raises(SlotTaken, match="vient d'être réservé"):
        interviews.book(choice=theirs, slot=slot, by=second.candidate)
    slot.refresh_from_db()
    assert slot.choice == mine
    assert interviews.book(choice=mine, slot=slot, by=first.candidate) == slot  # twice is once
    assert OutboxMessage.objects.filter(event=events.INTERVIEW_BOOKED.code).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_slot_holds_one_candidate_even_when_two_book_at_once(eager_celery):
    call = interview_call()
    challenge, _other = call.challenges()
    applicants = [applicant(call, [challenge]) for _n in range(2)]
    slot = slot_for(call, challenge, 10)
    start = threading.Barrier(2)
    outcomes = {}

    def attempt(application, choice):
        try:
            start.wait()
            interviews.book(choice=choice, slot=slot, by=application.candidate)
            outcomes[choice.pk] = "booked"
        except SlotTaken:
            outcomes[choice.pk] = "taken"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(application, choice))
        for application, [choice] in applicants
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["booked", "taken"]
    slot.refresh_from_db()
    [winner] = [pk for pk, outcome in outcomes.items() if outcome == "booked"]
    assert slot.choice_id == winner
    assert InterviewSlot.objects.filter(choice__isnull=False).count() == 1
    assert len([m for m in mail.outbox if "entretien" in m.subject.lower()]) == 1


def test_a_candidate_asks_to_move_and_staff_move_them_to_another_slot():
    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    candidate = application.candidate
    booked = slot_for(call, challenge, 10)
    other = slot_for(call, challenge, 14)
    interviews.book(choice=choice, slot=booked, by=candidate)
    staff = [staff_user(), staff_user()]

    with pytest.raises(ValidationError, match="demandez"):
        interviews.book(choice=choice, slot=other, by=candidate)
    interviews.request_move(choice=choice, reason="Je passe un oral ce matin-là.")
    interviews.request_move(choice=choice, reason="Je passe un oral ce matin-là.")  # sent once

    booked.refresh_from_db()
    assert booked.move_requested == "Je passe un oral ce matin-là."
    asked = OutboxMessage.objects.filter(event=events.INTERVIEW_MOVE_REQUESTED.code)
    everyone_in_staff = set(User.objects.filter(is_staff=True).values_list("email", flat=True))
    assert len(everyone_in_staff) == 4  # the two new ones and the two slots' juries
    assert {m.to_email for m in asked} == everyone_in_staff and asked.count() == 4
    assert "oral" in asked.first().body_text

    interviews.book(choice=choice, slot=other, by=staff[0])

    booked.refresh_from_db()
    other.refresh_from_db()
    assert booked.choice is None and booked.move_requested == ""
    assert other.choice == choice
    confirmation = OutboxMessage.objects.filter(
        event=events.INTERVIEW_BOOKED.code, object_id=str(other.pk)
    ).get()
    new, cancelled = (icalendar.Calendar.from_ical(a["content"]) for a in confirmation.attachments)
    assert new["METHOD"] == "REQUEST" and cancelled["METHOD"] == "CANCEL"
    assert str(cancelled.walk("VEVENT")[0]["UID"]) == f"interview-{booked.pk}@eig"


def test_a_move_needs_a_reason_and_a_booked_slot():
    call = interview_call()
    challenge, _other = call.challenges()
    _application, [choice] = applicant(call, [challenge])
    with pytest.raises(ValidationError, match="pas encore de créneau"):
        interviews.request_move(choice=choice, reason="Empêchement")
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=choice, slot=slot, by=staff_user())
    with pytest.raises(ValidationError, match="Expliquez"):
        interviews.request_move(choice=choice, reason="  ")


# --- The jury's work -----------------------------------------------------------------------


def booked_slot(call=None, *, jury=None):
    call = call or interview_call()
    challenge = call.challenges().order_by("pk").first()
    application, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 10, jury=jury or [staff_user(), staff_user()])
    interviews.book(choice=choice, slot=slot, by=application.candidate)
    slot.refresh_from_db()
    return slot


def test_only_the_jury_of_a_slot_scores_it(client):
    slot = booked_slot()
    member, _fellow = slot.jury.order_by("pk")
    criteria = list(slot.challenge.promotion.call_for_applications.criteria.all())
    scores = {criterion.pk: 4 for criterion in criteria}

    interviews.score_interview(slot=slot, member=member, scores=scores)
    interviews.score_interview(slot=slot, member=member, scores={**scores, criteria[0].pk: 2})
    assert InterviewScore.objects.filter(slot=slot, member=member).count() == len(criteria)
    assert InterviewScore.objects.get(slot=slot, criterion=criteria[0]).score == 2

    outsider = staff_user()
    with pytest.raises(PermissionDenied):
        interviews.score_interview(slot=slot, member=outsider, scores=scores)
    with pytest.raises(ValidationError, match="de 1 à 5"):
        interviews.score_interview(slot=slot, member=member, scores={**scores, criteria[1].pk: 6})
    with pytest.raises(ValidationError):
        interviews.score_interview(slot=slot, member=member, scores={criteria[0].pk: 3})

    # On screen: another jury's member does not know the slot exists.
    other = booked_slot(jury=[outsider])
    assert (
        logged_in(client, outsider)
        .get(reverse("applications:interview_scoring", args=[slot.pk]))
        .status_code
        == 404
    )
    assert client.get(reverse("applications:interview_scoring", args=[other.pk])).status_code == 200
    assert client.get(reverse("applications:interview_cv", args=[slot.pk])).status_code == 404


def test_a_member_with_a_declared_link_to_the_candidate_does_not_score():
    slot = booked_slot()
    member = slot.jury.first()
    ReviewConflict.objects.create(
        application=slot.choice.application, reviewer=member, reason="ancien collègue"
    )
    with pytest.raises(PermissionDenied):
        interviews.score_interview(
            slot=slot,
            member=member,
            scores={c.pk: 3 for c in slot.choice.application.call.criteria.all()},
        )


def test_a_jury_member_records_the_jurys_recommendation():
    slot = booked_slot()
    member = slot.jury.first()
    interviews.record_recommendation(
        slot=slot, recommendation="select", comment="Très convaincant.", by=member
    )
    slot.refresh_from_db()
    assert (slot.recommendation, slot.recommendation_comment) == ("select", "Très convaincant.")
    with pytest.raises(ValidationError):
        interviews.record_recommendation(slot=slot, recommendation="peut-être", by=member)
    with pytest.raises(PermissionDenied):
        interviews.record_recommendation(slot=slot, recommendation="reject", by=staff_user())


# --- Reminders ------------------------------------------------------------------------------


@pytest.fixture
def interview_rules(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    reminders.register(*interviews.REMINDERS, *decisions.REMINDERS)
    reminders.register(*interviews.REMINDERS, *decisions.REMINDERS)  # twice changes nothing
    assert len(reminders.RULES) == 2


def test_interview_reminder_goes_the_day_before_at_nine(interview_rules):
    # The interviews are on Monday 30 March 2026, the day after the change to summer time.
    call = interview_call(now=datetime(2026, 3, 21, 12, 0, tzinfo=PARIS))
    assert call.interviews_start_on.isoformat() == "2026-03-30"
    challenge, _other = call.challenges()
    booked_at = datetime(2026, 3, 22, 12, 0, tzinfo=PARIS)
    application, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 14)
    interviews.book(choice=choice, slot=slot, by=application.candidate, now=booked_at)
    slot_for(call, challenge, 15)  # nobody booked it: no reminder
    later, [tomorrow_after] = applicant(call, [challenge])
    interviews.book(
        choice=tomorrow_after,
        slot=slot_for(call, challenge, 9, day=1),
        by=later.candidate,
        now=booked_at,
    )

    assert reminders.sweep(now=datetime(2026, 3, 29, 8, 59, tzinfo=PARIS))[0] == 0
    assert reminders.sweep(now=datetime(2026, 3, 29, 9, 0, tzinfo=PARIS))[0] == 1
    assert datetime(2026, 3, 29, 9, 0, tzinfo=PARIS).astimezone(ZoneInfo("UTC")).hour == 7
    assert reminders.sweep(now=datetime(2026, 3, 29, 18, 0, tzinfo=PARIS))[0] == 0
    reminder = OutboxMessage.objects.get(event=events.INTERVIEW_REMINDER.code)
    assert reminder.to_email == application.candidate.email
    assert reminder.object_id == str(slot.pk) and reminder.idempotency_key.endswith("|eve")
    assert "14:00" in reminder.body_text and reminder.essential
    # The next day's interview is reminded on its own eve, once it has started no more.
    assert reminders.sweep(now=datetime(2026, 3, 30, 9, 0, tzinfo=PARIS))[0] == 1
    assert reminders.sweep(now=datetime(2026, 3, 31, 9, 1, tzinfo=PARIS))[0] == 0


def test_no_interview_reminder_once_it_has_started():
    call = interview_call(now=datetime(2026, 3, 21, 12, 0, tzinfo=PARIS))
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 9)
    interviews.book(
        choice=choice,
        slot=slot,
        by=application.candidate,
        now=datetime(2026, 3, 22, tzinfo=PARIS),
    )
    assert list(interviews.interviews_of_tomorrow(slot.starts_at + timedelta(minutes=1))) == []


# --- Screens ------------------------------------------------------------------------------


def test_the_candidate_picks_a_free_slot_on_their_page(client):
    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    free = slot_for(call, challenge, 10)
    page = logged_in(client, application.candidate).get(reverse("applications:my_interview"))
    assert page.status_code == 200
    assert challenge.title in page.text and f'value="{free.pk}"' in page.text

    response = client.post(
        reverse("applications:interview_book", args=[choice.pk]), {"slot": free.pk}, follow=True
    )

    free.refresh_from_db()
    assert free.choice == choice
    assert "Entretien réservé" in response.text
    assert "Demander un autre créneau" in response.text


@postgresql_only
def test_a_slot_numbered_past_a_thousand_is_booked_as_any_other(client):
    """Numbers are written the French way on the pages (1 617), identifiers never."""
    from django.db import connection

    call = interview_call()
    challenge, _other = call.challenges()
    application, [choice] = applicant(call, [challenge])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('applications_interviewslot', 'id'), 12344)"
        )
    assert slot_for(call, challenge, 10).pk == 12345
    page = logged_in(client, application.candidate).get(reverse("applications:my_interview"))
    assert 'value="12345"' in page.text and "12 345" not in page.text

    client.post(reverse("applications:interview_book", args=[choice.pk]), {"slot": "12345"})

    assert InterviewSlot.objects.get(pk=12345).choice == choice


def test_a_taken_slot_is_refused_with_a_clear_message_and_nothing_is_booked(client):
    call = interview_call()
    challenge, _other = call.challenges()
    first, [taken_by] = applicant(call, [challenge])
    second, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=taken_by, slot=slot, by=first.candidate)

    response = logged_in(client, second.candidate).post(
        reverse("applications:interview_book", args=[choice.pk]), {"slot": slot.pk}, follow=True
    )

    assert "vient d’être réservé" in response.text or "vient d&#x27;être réservé" in response.text
    slot.refresh_from_db()
    assert slot.choice == taken_by
    assert not InterviewSlot.objects.filter(choice=choice).exists()


def test_the_candidate_asks_to_move_on_their_page(client):
    slot = booked_slot()
    staff_user()
    choice = slot.choice
    response = logged_in(client, choice.application.candidate).post(
        reverse("applications:interview_move", args=[choice.pk]),
        {f"move-{choice.pk}-reason": "Un empêchement familial."},
        follow=True,
    )
    assert "transmise" in response.text
    slot.refresh_from_db()
    assert slot.move_requested == "Un empêchement familial."


def test_another_candidate_cannot_book_for_someone_else(client):
    slot = booked_slot()
    intruder, _choices = applicant(slot.choice.application.call, [slot.challenge])
    response = logged_in(client, intruder.candidate).post(
        reverse("applications:interview_move", args=[slot.choice.pk]), {"reason": "x"}
    )
    assert response.status_code == 404


def test_the_jury_sees_its_interviews_and_the_candidates_file(client):
    slot = booked_slot()
    member = slot.jury.first()
    application = slot.choice.application
    client = logged_in(client, member)

    home = client.get(reverse("applications:interview_jury_home"))
    assert home.status_code == 200 and str(application.candidate) in home.text

    page = client.get(reverse("applications:interview_scoring", args=[slot.pk]))
    assert page.status_code == 200
    assert application.motivation in page.text.replace("&#x27;", "'")
    assert reverse("applications:interview_cv", args=[slot.pk]) in page.text
    cv = client.get(reverse("applications:interview_cv", args=[slot.pk]))
    assert cv.status_code == 200 and b"".join(cv.streaming_content).startswith(b"%PDF")
    assert cv["Content-Disposition"].startswith("attachment")

    criteria = application.call.criteria.all()
    response = client.post(
        reverse("applications:interview_scoring", args=[slot.pk]),
        {"form": "scores", **{f"score_{c.pk}": 5 for c in criteria}},
        follow=True,
    )
    assert "Vos notes sont enregistrées" in response.text
    assert InterviewScore.objects.filter(slot=slot, member=member).count() == criteria.count()
    response = client.post(
        reverse("applications:interview_scoring", args=[slot.pk]),
        {"form": "recommendation", "recommendation": "waitlist", "comment": "Solide."},
        follow=True,
    )
    slot.refresh_from_db()
    assert slot.recommendation == "waitlist"


def test_jury_home_runs_the_same_queries_for_few_and_many_interviews(client):
    counts = []
    for extra in (1, 6):
        member = staff_user()
        call = interview_call()
        challenge = call.challenges().first()
        for n in range(extra):
            application, [choice] = applicant(call, [challenge])
            slot = slot_for(call, challenge, 9 + n, jury=[member])
            interviews.book(choice=choice, slot=slot, by=application.candidate)
        client = logged_in(client, member)
        url = reverse("applications:interview_jury_home")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_interview_admin_is_registered():
    assert isinstance(admin.site._registry[InterviewSlot], admin_interviews.InterviewSlotAdmin)
    slot_admin = admin.site._registry[InterviewSlot]
    assert slot_admin.filter_horizontal == ["jury"] and slot_admin.list_select_related


# --- Who may open what ------------------------------------------------------------------


def test_every_interview_url_is_in_the_matrix():
    from applications.decisions import urls as urls_decisions
    from applications.interviews import urls as urls_interviews

    patterns = urls_interviews.urlpatterns + urls_decisions.urlpatterns
    names = {f"applications:{pattern.name}" for pattern in patterns}
    assert names == set(MATRIX_INTERVIEWS)


def test_a_role_grant_alone_does_not_open_the_jury_space(client):
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.ALUMNI)
    assert (
        logged_in(client, user).get(reverse("applications:interview_jury_home")).status_code == 403
    )


@pytest.mark.parametrize(
    "changelist",
    ["admin:applications_interviewslot_changelist", "admin:applications_offer_changelist"],
)
def test_interview_changelists_run_the_same_queries_for_few_and_many_rows(client_as, changelist):
    from applications.models import Offer

    client = client_as(Role.STAFF)
    counts = []
    for rows in (2, 12):
        call = interview_call()
        challenge = call.challenges().first()
        for n in range(rows):
            application, [choice] = applicant(call, [challenge])
            slot = slot_for(call, challenge, 8, 5 * n)
            interviews.book(choice=choice, slot=slot, by=application.candidate)
            services.set_choice_status(choice=choice, to=Choice.Status.SELECTED, by=None)
            Offer.objects.create(choice=choice, respond_by=call.offer_response_deadline)
        url = reverse(changelist)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], "\n".join(q["sql"][:200] for q in queries.captured_queries)


@pytest.mark.parametrize("model", ["interviewslot", "offer"])
def test_the_interview_admin_pages_open_for_staff(client_as, model):
    slot = booked_slot()
    from applications.models import Offer

    services.set_choice_status(choice=slot.choice, to=Choice.Status.SELECTED, by=None)
    offer = Offer.objects.create(
        choice=slot.choice, respond_by=slot.choice.application.call.offer_response_deadline
    )
    client = client_as(Role.STAFF)
    obj = slot if model == "interviewslot" else offer
    for url in (
        reverse(f"admin:applications_{model}_changelist"),
        reverse(f"admin:applications_{model}_add"),
        reverse(f"admin:applications_{model}_change", args=[obj.pk]),
    ):
        assert client.get(url).status_code == 200, url


# --- What a candidate is told before publication ------------------------------------------


@pytest.mark.parametrize("decision", Choice.DECISIONS)
def test_booking_answers_the_same_whether_a_decision_is_recorded_or_not(client, decision):
    """Before publication a decision is not told, not even by the booking's answer."""
    call = interview_call()
    challenge, _other = call.challenges()
    undecided, [waiting] = applicant(call, [challenge])
    decided, [choice] = applicant(call, [challenge])
    services.set_choice_status(choice=choice, to=decision, by=staff_user())
    answers = []
    for application, each, hour in ((undecided, waiting, 9), (decided, choice, 10)):
        slot = slot_for(call, challenge, hour)
        candidate_client = logged_in(client, application.candidate)
        page = candidate_client.get(reverse("applications:my_interview")).text
        response = candidate_client.post(
            reverse("applications:interview_book", args=[each.pk]), {"slot": slot.pk}, follow=True
        )
        slot.refresh_from_db()
        answers.append((f'value="{slot.pk}"' in page, response.status_code, slot.choice_id))
        assert "Entretien réservé" in response.text
    assert answers == [(True, 200, waiting.pk), (True, 200, choice.pk)]


# --- Who may sit on a jury: one rule, whatever the way in ---------------------------------


def test_a_candidate_to_the_challenge_is_refused_on_its_jury_whatever_seats_them():
    call = interview_call()
    challenge, _other = call.challenges()
    mentor = UserFactory(email="mentor.candidat@exemple.gouv.fr")
    ChallengeMentorFactory(challenge=challenge, person=PersonFactory(user=mentor))
    slot = slot_for(call, challenge, 9)
    assert mentor in interviews.eligible_jurors(challenge=challenge)

    applicant(call, [challenge], candidate=mentor)

    assert mentor not in interviews.eligible_jurors(challenge=challenge)
    with pytest.raises(ValidationError, match="candidat"), transaction.atomic():
        slot.jury.add(mentor)  # the admin's form, a script, an import: all end here
    with pytest.raises(ValidationError, match="candidat"), transaction.atomic():
        mentor.interview_slots.add(slot)
    assert not slot.jury.filter(pk=mentor.pk).exists()


def test_a_juror_in_conflict_with_the_slots_candidate_is_refused():
    slot = booked_slot()
    mentor = UserFactory()
    ChallengeMentorFactory(challenge=slot.challenge, person=PersonFactory(user=mentor))
    ReviewConflict.objects.create(
        application=slot.choice.application, reviewer=mentor, reason="Ancien collègue."
    )
    assert mentor not in interviews.eligible_jurors(challenge=slot.challenge, choice=slot.choice)
    with pytest.raises(ValidationError, match="lien"), transaction.atomic():
        slot.jury.add(mentor)


def test_the_admin_offers_and_accepts_only_eligible_jurors(rf):
    call = interview_call()
    challenge, _other = call.challenges()
    staff, stranger = staff_user(), UserFactory()
    candidate, _choices = applicant(call, [challenge])
    slot = slot_for(call, challenge, 9, jury=[staff])
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    slot_admin = admin.site._registry[InterviewSlot]

    form_class = slot_admin.get_form(request, slot, change=True)
    offered = set(form_class.base_fields["jury"].queryset)
    assert staff in offered
    assert candidate.candidate not in offered and stranger not in offered
    assert candidate.candidate not in set(slot_admin.get_form(request).base_fields["jury"].queryset)

    form = form_class(
        data={
            "challenge": challenge.pk,
            "starts_at_0": slot.starts_at.astimezone(PARIS).date().isoformat(),
            "starts_at_1": "09:00",
            "jury": [staff.pk, candidate.candidate.pk],
        },
        instance=slot,
    )
    assert not form.is_valid() and "jury" in form.errors
