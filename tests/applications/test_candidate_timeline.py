"""The candidate's dashboard is the timeline of their application: where it stands in a
sentence, the current step, the interview (day, Paris time, link, calendar file, move
request) until the results, and after them only what still matters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from applications import services
from applications.decisions import services as decisions
from applications.interviews import services as interviews
from applications.models import Choice, InterviewSlot, Offer
from eig import calendars
from eig.models import OutboxMessage
from tests.applications.test_interviews import applicant, interview_call, slot_for, staff_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = Choice.Status
CANCELLED = "applications.interview_cancelled"


def dashboard(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("applications:candidate_dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page):
    """The page's words, without tags or repeated spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture
def call():
    return interview_call()


@pytest.fixture
def candidate():
    return UserFactory(first_name="Léa", last_name="Martin")


def booked(call, candidate, hour=10):
    challenge = call.challenges().order_by("pk").first()
    _application, [choice] = applicant(call, [challenge], candidate=candidate)
    slot = interviews.book(choice=choice, slot=slot_for(call, challenge, hour), by=candidate)
    return choice, slot


def test_the_dashboard_shows_the_interview_its_day_paris_time_link_calendar_and_move(
    client, call, candidate
):
    choice, slot = booked(call, candidate, hour=14)
    page = dashboard(client, candidate)
    words = text_of(page)
    assert "Votre dossier est retenu pour un entretien avec le jury." in words
    assert "Étape 3 sur 6" in words and 'aria-current="step"' in page
    day = date_format(calendars.local(slot.starts_at), "l j F Y")
    assert f"Le {day}, de 14:00 à 14:45 (heure de Paris)" in words
    assert slot.video_link in page
    ics_url = reverse("applications:candidate_interview_ics", kwargs={"rank": 1})
    assert ics_url in page
    assert f"{reverse('applications:my_interview')}#choix-{choice.pk}" in page

    response = client.get(ics_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert "METHOD:REQUEST" in ics and f"UID:interview-{slot.pk}@eig" in ics


def test_a_move_request_shows_on_the_dashboard_instead_of_the_button(client, call, candidate):
    choice, _slot = booked(call, candidate)
    interviews.request_move(choice=choice, reason="Un empêchement ce jour-là.")
    page = dashboard(client, candidate)
    assert "Votre demande de déplacement est transmise" in page
    assert f"{reverse('applications:my_interview')}#choix-{choice.pk}" not in page


def test_a_shortlisted_candidate_without_a_slot_is_asked_to_choose_one(client, call, candidate):
    challenge = call.challenges().order_by("pk").first()
    _application, [choice] = applicant(call, [challenge], candidate=candidate)
    page = dashboard(client, candidate)
    assert "Choisir mon créneau" in page
    assert (
        client.get(reverse("applications:candidate_interview_ics", kwargs={"rank": 1})).status_code
        == 404
    )


def test_before_publication_a_decision_looks_like_the_interview_step(client, call, candidate):
    choice, _slot = booked(call, candidate)
    decisions.decide(choice=choice, to=Status.NOT_SELECTED, by=staff_user())
    words = text_of(dashboard(client, candidate))
    assert "Étape 3 sur 6" in words and "retenu pour un entretien" in words
    assert "pas retenu" not in words


def test_publication_cancels_the_interviews_still_to_come_with_a_cancel_ics(
    client, call, candidate
):
    staff = staff_user()
    choice, slot = booked(call, candidate)
    other, held = booked(call, UserFactory(), hour=11)
    held.recommendation = "select"
    held.save()
    decisions.decide(choice=choice, to=Status.NOT_SELECTED, by=staff)
    decisions.decide(choice=other, to=Status.SELECTED, by=staff)

    # The interview of the person not selected is still to come: staff publish with the override.
    decisions.publish_results(call=call, by=staff, override=True)

    slot.refresh_from_db()
    assert slot.choice is None
    assert InterviewSlot.objects.get(pk=held.pk).choice_id == other.pk  # held: kept on record
    [email] = OutboxMessage.objects.filter(event=CANCELLED)
    assert email.recipient == candidate and email.body_text.startswith("Bonjour Léa Martin,")
    [attachment] = email.attachments
    assert "METHOD:CANCEL" in attachment["content"]
    assert f"UID:interview-{slot.pk}@eig" in attachment["content"]
    # Publishing twice cancels nothing more.
    decisions.publish_results(call=call, by=staff, override=True)
    assert OutboxMessage.objects.filter(event=CANCELLED).count() == 1

    page = dashboard(client, candidate)
    assert reverse("applications:candidate_interview_ics", kwargs={"rank": 1}) not in page
    assert "Votre entretien pour le défi" not in page
    assert (
        client.get(reverse("applications:candidate_interview_ics", kwargs={"rank": 1})).status_code
        == 404
    )
    assert (
        choice.challenge.title
        not in client.get(reverse("applications:my_interview")).content.decode()
    )


def test_statuses_read_as_sentences_and_a_shared_one_is_said_once(client, call, candidate):
    first, second = call.challenges().order_by("pk")
    _application, choices = applicant(call, [first, second], candidate=candidate, shortlist=False)
    staff = staff_user()
    for choice in choices:
        services.set_choice_status(choice=choice, to=Status.NOT_SHORTLISTED, by=staff)
    decisions.publish_results(call=call, by=staff)
    words = text_of(dashboard(client, candidate))
    assert words.count("n’a pas été retenue à la présélection") == 1
    assert "non retenue après présélection" not in words
    assert "Étape 4 sur 4" in words and "Réponse à l’offre" not in words
    assert "En cours" not in words  # the results ended the call for this application


def test_after_acceptance_the_offer_is_not_offered_again(client, call, candidate):
    staff = staff_user()
    first, second = call.challenges().order_by("pk")
    _application, [mine, elsewhere] = applicant(call, [first, second], candidate=candidate)
    decisions.decide(choice=mine, to=Status.SELECTED, by=staff)
    decisions.decide(choice=elsewhere, to=Status.WAITLISTED, by=staff, waitlist_position=1)
    decisions.publish_results(call=call, by=staff)
    offer = Offer.objects.get(choice=mine)
    page = dashboard(client, candidate)
    assert "Voir l’offre et y répondre" in page
    assert "Étape 5 sur 6" in text_of(page)

    decisions.answer_offer(offer=offer, accept=True, by=candidate)
    words = text_of(dashboard(client, candidate))
    assert "Voir l’offre et y répondre" not in words
    assert "Vous rejoignez la promotion" in words
    assert "Vous avez accepté cette place : vous rejoignez l’équipe." in words
    assert "Étape 6 sur 6" in words


def test_the_timeline_runs_the_same_queries_for_one_and_two_interviews(client, call):
    counts = []
    for interviews_booked in (1, 2):
        user = UserFactory()
        challenges = list(call.challenges().order_by("pk"))
        _application, choices = applicant(call, challenges, candidate=user)
        for hour, (challenge, choice) in enumerate(zip(challenges, choices, strict=True)):
            if hour < interviews_booked:
                slot = slot_for(call, challenge, 9 + 2 * hour + interviews_booked * 4)
                interviews.book(choice=choice, slot=slot, by=user)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("applications:candidate_dashboard")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
