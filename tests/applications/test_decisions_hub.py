"""The decisions hub of a call: every challenge with the team its administration asked
for, its people, doubles and offers; each decision taken from it; publication confirmed."""

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.decisions import services as decisions
from applications.interviews import notifications as events
from applications.models import Choice, ChoiceTransition, InterviewSlot, Offer
from eig.models import OutboxMessage
from tests.applications.test_decisions import crowd, decided, published, team_of
from tests.applications.test_interviews import applicant, interview_call, logged_in, staff_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = Choice.Status


def interviewed(choice, *, ago=timedelta(hours=2)):
    """The choice's interview took place `ago` (a negative `ago`: it is still to come)."""
    return InterviewSlot.objects.create(
        challenge=choice.challenge, starts_at=timezone.now() - ago, choice=choice
    )


def hub(call):
    return reverse("applications:decisions_hub", args=[call.pk])


# --- Reaching it ------------------------------------------------------------------------


def test_staff_reach_the_decisions_hub_from_the_admin_and_from_their_space(client):
    call = interview_call()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(client, staff)
    changelist = client.get(reverse("admin:applications_callforapplications_changelist"))
    space = client.get(reverse("dashboard"))
    for page in (changelist, space):
        assert page.status_code == 200 and hub(call) in page.text
    team_page = client.get(
        reverse("applications:team_decisions", args=[call.challenges().first().pk])
    )
    assert hub(call) in team_page.text


def test_the_hub_is_for_staff_only(client):
    call = interview_call()
    candidate, [choice] = applicant(call, [call.challenges().first()])
    client = logged_in(client, candidate.candidate)
    assert client.get(hub(call)).status_code == 404
    assert (
        client.post(reverse("applications:hub_decide", args=[choice.pk, "selected"])).status_code
        == 404
    )


# --- What it shows ----------------------------------------------------------------------


def test_the_hub_shows_each_challenge_with_its_team_size_people_doubles_and_offers(client):
    call = interview_call()
    pair, trio = call.challenges().order_by("pk")
    pair.team_size, trio.team_size = 2, 3
    pair.save(update_fields=["team_size"])
    trio.save(update_fields=["team_size"])
    staff = staff_user()
    double, [double_pair, double_trio] = applicant(call, [pair, trio])
    decided(double_pair, Status.SELECTED, staff)
    decided(double_trio, Status.SELECTED, staff)
    waiting_app, [waiting] = applicant(call, [pair])
    decided(waiting, Status.WAITLISTED, staff)
    heard_app, [heard] = applicant(call, [trio])
    interviewed(heard)
    client = logged_in(client, staff)

    page = client.get(hub(call)).text

    assert pair.title in page and trio.title in page
    assert "équipe demandée : 2 EIG" in page and "équipe demandée : 3 EIG" in page
    for application in (double, waiting_app, heard_app):
        assert application.candidate.get_full_name() in page
    assert reverse("applications:resolve_double", args=[double.pk]) in page
    assert "a une place dans un autre défi" in page  # the double, seen from each side
    assert "passé" in page  # the interview held
    for choice in (double_pair, waiting, heard):
        assert reverse("applications:hub_decide", args=[choice.pk, "not_selected"]) in page

    decisions.resolve_double_selection(application=double, by=staff)
    published(call, staff)
    page = client.get(hub(call)).text
    assert "1 en attente de réponse" in page  # the double's offer, in the overview
    assert reverse("applications:resolve_double", args=[double.pk]) not in page


def test_staff_resolve_a_double_selection_from_the_hub_by_preference(client):
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    staff = staff_user()
    application, [preferred, other] = applicant(call, [second, first])
    decided(preferred, Status.SELECTED, staff)
    decided(other, Status.SELECTED, staff)
    client = logged_in(client, staff)

    response = client.post(
        reverse("applications:resolve_double", args=[application.pk]),
        {"next": f"{hub(call)}#doubles"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{hub(call)}#doubles"
    assert Choice.objects.get(pk=preferred.pk).status == Status.SELECTED
    assert Choice.objects.get(pk=other.pk).status == Status.NOT_SELECTED


def hub_queries(client, staff, count):
    call = interview_call()
    for challenge in call.challenges().order_by("pk"):
        crowd(call, challenge, staff, count)
    client.get(hub(call))  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(hub(call))
    assert response.status_code == 200
    assert response.text.count('action="/entretiens/decisions/choix/') >= 2 * count
    return len(queries)


def test_the_hub_runs_the_same_queries_for_3_and_30_candidates_per_challenge(client):
    staff = staff_user()
    client = logged_in(client, staff)
    few, many = hub_queries(client, staff, 3), hub_queries(client, staff, 30)
    print(f"decisions hub: {few} queries with 3, {many} with 30 candidates per challenge")
    assert few == many, (few, many)


# --- Deciding from it -------------------------------------------------------------------


def test_a_selection_before_the_interview_needs_an_explicit_override_and_is_logged(client):
    call = interview_call()
    challenge = call.challenges().first()
    staff = staff_user()
    _application, [early] = applicant(call, [challenge])
    interviewed(early, ago=-timedelta(days=1))  # tomorrow
    _other, [heard] = applicant(call, [challenge])
    interviewed(heard)
    client = logged_in(client, staff)
    assert 'name="override"' in client.get(hub(call)).text

    refused = client.post(
        reverse("applications:hub_decide", args=[early.pk, "selected"]), follow=True
    )

    assert "pas encore passé son entretien" in refused.text
    assert Choice.objects.get(pk=early.pk).status == Status.SHORTLISTED
    client.post(reverse("applications:hub_decide", args=[heard.pk, "selected"]))
    assert Choice.objects.get(pk=heard.pk).status == Status.SELECTED
    assert ChoiceTransition.objects.filter(choice=heard).last().reason == ""

    response = client.post(
        reverse("applications:hub_decide", args=[early.pk, "selected"]),
        {"override": "on"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{hub(call)}#defi-{challenge.pk}"
    assert Choice.objects.get(pk=early.pk).status == Status.SELECTED
    logged = ChoiceTransition.objects.filter(choice=early).last()
    assert (logged.by, logged.reason) == (staff, decisions.SELECTED_BEFORE_INTERVIEW)


def test_staff_waitlist_at_a_rank_and_refuse_from_the_hub(client):
    call = interview_call()
    challenge = call.challenges().first()
    staff = staff_user()
    _application, [choice] = applicant(call, [challenge])
    client = logged_in(client, staff)
    client.post(
        reverse("applications:hub_decide", args=[choice.pk, "waitlisted"]), {"waitlist_position": 2}
    )
    choice.refresh_from_db()
    assert (choice.status, choice.waitlist_position) == (Status.WAITLISTED, 2)
    client.post(reverse("applications:hub_decide", args=[choice.pk, "not_selected"]))
    assert Choice.objects.get(pk=choice.pk).status == Status.NOT_SELECTED
    assert (
        client.post(reverse("applications:hub_decide", args=[choice.pk, "bof"])).status_code == 404
    )


# --- Publication, confirmed ----------------------------------------------------------------


def test_publication_shows_who_is_told_what_and_waits_for_confirmation(client):
    call = interview_call()
    challenge = call.challenges().first()
    staff = staff_user()
    chosen = team_of(call, challenge, staff, 2)
    refused, [no] = applicant(call, [challenge])
    decided(no, Status.NOT_SELECTED, staff)
    client = logged_in(client, staff)
    url = reverse("applications:publish_results", args=[call.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "chacune des 3 personnes" in page.text
    assert "2 personnes sélectionnées" in page.text and "1 personne non retenue" in page.text
    for email in [c.application.candidate.email for c in chosen] + [refused.candidate.email]:
        assert email in page.text
    assert not OutboxMessage.objects.filter(event=events.DECISION_PUBLISHED.code).exists()

    unconfirmed = client.post(url)
    assert "Cochez la case" in unconfirmed.text
    call.refresh_from_db()
    assert call.published_at is None

    response = client.post(url, {"confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == hub(call)
    call.refresh_from_db()
    assert call.published_at is not None
    assert OutboxMessage.objects.filter(event=events.DECISION_PUBLISHED.code).count() == 3


def test_publication_before_the_last_interview_needs_an_override_kept_in_the_history(client):
    call = interview_call()
    challenge = call.challenges().first()
    staff = staff_user()
    [chosen] = team_of(call, challenge, staff, 1)
    _late, [late] = applicant(call, [challenge])
    interviewed(late, ago=-timedelta(hours=3))
    client = logged_in(client, staff)
    url = reverse("applications:publish_results", args=[call.pk])
    assert 'name="override"' in client.get(url).text

    refused = client.post(url, {"confirm": "on"})

    assert "dernier entretien" in refused.text
    call.refresh_from_db()
    assert call.published_at is None
    with pytest.raises(decisions.ValidationError, match="dernier entretien"):
        decisions.publish_results(call=call, by=staff)

    client.post(url, {"confirm": "on", "override": "on"})

    call.refresh_from_db()
    assert call.published_at is not None
    record = call.history.order_by("-history_date").first()
    assert record.history_change_reason == decisions.PUBLISHED_BEFORE_LAST_INTERVIEW
    assert Offer.objects.filter(choice=chosen).exists()


def test_interviews_that_no_longer_matter_are_cancelled_at_publication_with_a_cancel_ics():
    call = interview_call()
    challenge = call.challenges().first()
    staff = staff_user()
    _kept, [selected] = applicant(call, [challenge])
    decided(selected, Status.SELECTED, staff)
    kept_slot = interviewed(selected)
    refused_app, [refused] = applicant(call, [challenge])
    decided(refused, Status.NOT_SELECTED, staff)
    future = interviewed(refused, ago=-timedelta(days=2))

    decisions.publish_results(call=call, by=staff, override=True)

    future.refresh_from_db()
    kept_slot.refresh_from_db()
    assert future.choice is None and kept_slot.choice == selected
    [email] = OutboxMessage.objects.filter(event=events.INTERVIEW_CANCELLED.code)
    assert email.to_email == refused_app.candidate.email
    [attachment] = email.attachments
    ics = icalendar.Calendar.from_ical(attachment["content"])
    assert str(ics["METHOD"]) == "CANCEL"


# --- The waiting list ----------------------------------------------------------------------


def declined_with_a_waiting_list(call, staff):
    """A full team of 2 whose first offer is declined; on the waiting list: someone holding a
    place elsewhere, then two people free to take it."""
    pair, other = call.challenges().order_by("pk")
    pair.team_size = 2
    pair.save(update_fields=["team_size"])
    first, _second = team_of(call, pair, staff, 2)
    busy, [busy_here, busy_there] = applicant(call, [pair, other])
    decided(busy_here, Status.WAITLISTED, staff, position=1)
    decided(busy_there, Status.SELECTED, staff)
    free = []
    for position in (2, 3):
        _application, [choice] = applicant(call, [pair])
        free.append(decided(choice, Status.WAITLISTED, staff, position=position))
    published(call, staff)
    offer = Offer.objects.get(choice=first)
    decisions.answer_offer(offer=offer, accept=False, by=first.application.candidate)
    return pair, busy_here, free


def test_the_waiting_list_shows_who_holds_a_place_elsewhere_and_skips_them(client):
    call = interview_call()
    staff = staff_user()
    pair, busy, free = declined_with_a_waiting_list(call, staff)
    assert [c.place_elsewhere for c in decisions.waiting_list(pair)] == [True, False, False]
    assert decisions.next_on_waitlist(pair) == free[0]
    client = logged_in(client, staff)
    for url in (hub(call), reverse("applications:team_decisions", args=[pair.pk])):
        page = client.get(url).text
        assert "a une place dans un autre défi" in page
        assert reverse("applications:hub_promote", args=[busy.pk]) not in page
        for choice in free:  # anyone free on the list may be offered the place
            assert reverse("applications:hub_promote", args=[choice.pk]) in page


def test_staff_offer_a_freed_place_to_anyone_on_the_waiting_list(client):
    call = interview_call()
    staff = staff_user()
    pair, busy, [_first_free, second_free] = declined_with_a_waiting_list(call, staff)
    client = logged_in(client, staff)
    url = reverse("applications:hub_promote", args=[second_free.pk])
    confirmation = client.get(url)
    assert second_free.application.candidate.email in confirmation.text
    assert not OutboxMessage.objects.filter(event=events.OFFER_MADE.code).exists()

    response = client.post(url, follow=True)

    assert "La place est offerte" in response.text
    assert Offer.objects.get(choice=second_free).status == Offer.Status.PENDING
    made = OutboxMessage.objects.get(event=events.OFFER_MADE.code)
    assert made.to_email == second_free.application.candidate.email
    # The team is complete again: nobody else is offered the place.
    refused = client.post(reverse("applications:hub_promote", args=[busy.pk]), follow=True)
    assert "complète" in refused.text


def test_after_a_decline_staff_get_the_waiting_list_never_that_nobody_can_take_the_place():
    call = interview_call()
    staff = staff_user()
    pair, busy, free = declined_with_a_waiting_list(call, staff)

    told = OutboxMessage.objects.get(event=events.OFFER_DECLINED.code, to_email=staff.email)

    assert "Personne ne peut reprendre" not in told.body_text
    assert f"1. {busy.application.candidate} — a déjà une place dans un autre défi" in (
        told.body_text
    )
    for choice in free:
        assert str(choice.application.candidate) in told.body_text
    assert f"{hub(call)}#defi-{pair.pk}" in told.body_text


# --- Answers, confirmed by email ---------------------------------------------------------


def test_an_acceptance_is_confirmed_by_email_to_the_person_and_to_staff():
    call = interview_call()
    staff = staff_user()
    challenge = call.challenges().first()
    chosen, _other = team_of(call, challenge, staff, 2)
    published(call, staff)
    candidate = chosen.application.candidate

    decisions.answer_offer(offer=Offer.objects.get(choice=chosen), accept=True, by=candidate)

    [mine] = OutboxMessage.objects.filter(event=events.OFFER_ANSWER_CONFIRMED.code)
    assert mine.to_email == candidate.email and "accepté" in mine.subject
    assert challenge.administration.name in mine.body_text
    [staffs] = OutboxMessage.objects.filter(event=events.OFFER_ACCEPTED.code)
    assert staffs.to_email == staff.email and str(candidate) in staffs.body_text
    assert "1 place(s) acceptée(s) sur 3" in staffs.body_text


def test_a_decline_is_confirmed_by_email_to_the_person_and_to_staff():
    call = interview_call()
    staff = staff_user()
    chosen, _other = team_of(call, call.challenges().first(), staff, 2)
    published(call, staff)
    candidate = chosen.application.candidate

    decisions.answer_offer(offer=Offer.objects.get(choice=chosen), accept=False, by=candidate)

    [mine] = OutboxMessage.objects.filter(event=events.OFFER_ANSWER_CONFIRMED.code)
    assert mine.to_email == candidate.email and "décliné" in mine.subject
    assert OutboxMessage.objects.filter(
        event=events.OFFER_DECLINED.code, to_email=staff.email
    ).exists()
    assert not OutboxMessage.objects.filter(event=events.OFFER_ACCEPTED.code).exists()
