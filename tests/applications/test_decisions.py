"""Decisions, teams and offers: 2 or 3 EIGs per challenge, one challenge per person,
decisions told only at publication, offers answered before their deadline."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.decisions import services as decisions
from applications.interviews import notifications as events
from applications.interviews import services as interviews
from applications.interviews.views import weighted_interview_score
from applications.models import Choice, ChoiceTransition, InterviewScore, InterviewSlot, Offer
from applications.signals import offer_accepted
from eig import reminders
from eig.models import OutboxMessage
from tests.applications.test_interviews import (
    applicant,
    interview_call,
    logged_in,
    slot_for,
    staff_user,
)
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Choice.Status


def decided(choice, to, staff, position=None):
    return decisions.decide(choice=choice, to=to, by=staff, waitlist_position=position)


def team_of(call, challenge, staff, count, *, profiles=None):
    """`count` candidates of a challenge, selected; their choices."""
    chosen = []
    for n in range(count):
        profile = profiles[n] if profiles else None
        _application, [choice] = applicant(call, [challenge], profile=profile)
        chosen.append(decided(choice, Status.SELECTED, staff))
    return chosen


def published(call, staff):
    return decisions.publish_results(call=call, by=staff)


def outbox(event):
    return OutboxMessage.objects.filter(event=event.code)


# --- Decisions ---------------------------------------------------------------------------


def test_staff_decide_and_a_team_holds_three_at_most():
    call = interview_call()
    challenge, _other = call.challenges()
    staff = staff_user()
    team_of(call, challenge, staff, 3)
    _application, [fourth] = applicant(call, [challenge])

    with pytest.raises(ValidationError, match="déjà 3"):
        decided(fourth, Status.SELECTED, staff)
    with pytest.raises(PermissionDenied):
        decisions.decide(choice=fourth, to=Status.WAITLISTED, by=UserFactory())

    fourth = decided(fourth, Status.WAITLISTED, staff)
    assert (fourth.status, fourth.waitlist_position) == (Status.WAITLISTED, 1)
    transition = ChoiceTransition.objects.filter(choice=fourth).last()
    assert (transition.target, transition.by) == (Status.WAITLISTED, staff)


def asked_for(challenge, size):
    challenge.team_size = size
    challenge.save(update_fields=["team_size"])
    return challenge


def test_the_team_size_the_administration_asked_for_is_the_teams_target():
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    pair, trio = asked_for(first, 2), asked_for(second, 3)
    staff = staff_user()
    assert decisions.team_target(pair) == 2 and decisions.team_target(trio) == 3

    team_of(call, pair, staff, 2)
    assert all("incomplète" not in p for p in decisions.team_problems(pair))
    _application, [third] = applicant(call, [pair])
    with pytest.raises(ValidationError, match="déjà 2"):
        decided(third, Status.SELECTED, staff)

    # Two selected for a challenge that asked for three: the team is not complete yet.
    team_of(call, trio, staff, 2)
    assert any("incomplète" in p and "3 EIG" in p for p in decisions.team_problems(trio))
    team_of(call, trio, staff, 1)
    assert all("incomplète" not in p for p in decisions.team_problems(trio))


def test_a_freed_place_of_a_team_of_two_is_offered_within_its_size():
    call = interview_call()
    pair = asked_for(call.challenges().order_by("pk").first(), 2)
    staff = staff_user()
    first, _second = team_of(call, pair, staff, 2)
    waiting = [applicant(call, [pair])[1][0] for _n in range(2)]
    for choice in waiting:
        decided(choice, Status.WAITLISTED, staff)
    published(call, staff)
    with pytest.raises(ValidationError, match="complète"):
        decisions.promote_from_waitlist(choice=waiting[0], by=staff)
    offer = Offer.objects.get(choice=first)
    decisions.answer_offer(offer=offer, accept=False, by=first.application.candidate)

    decisions.promote_from_waitlist(choice=waiting[0], by=staff)

    with pytest.raises(ValidationError, match="complète"):
        decisions.promote_from_waitlist(choice=waiting[1], by=staff)


def test_the_waiting_list_keeps_its_order_when_staff_insert_someone():
    call = interview_call()
    challenge, _other = call.challenges()
    staff = staff_user()
    first, second, third = (applicant(call, [challenge])[1][0] for _n in range(3))
    decided(first, Status.WAITLISTED, staff)
    decided(second, Status.WAITLISTED, staff)
    decided(third, Status.WAITLISTED, staff, position=1)
    positions = {c.pk: c.waitlist_position for c in Choice.objects.filter(status=Status.WAITLISTED)}
    assert positions == {third.pk: 1, first.pk: 2, second.pk: 3}


def test_team_problems_warn_about_size_and_profiles():
    call = interview_call()
    challenge, _other = call.challenges()
    challenge.team_size = 2
    challenge.save(update_fields=["team_size"])
    staff = staff_user()
    data = SkillFactory(key="datascience", label="Data science")
    design = SkillFactory(key="design", label="Design")

    assert "Équipe incomplète : 0 sélectionné" in decisions.team_problems(challenge)[0]
    first, second = team_of(call, challenge, staff, 2, profiles=[data, data])
    [problem] = decisions.team_problems(challenge)
    assert "non complémentaires" in problem and "Data science" in problem

    decided(second, Status.NOT_SELECTED, staff)
    team_of(call, challenge, staff, 1, profiles=[design])
    assert decisions.team_problems(challenge) == []

    # More than three can come from the data (the admin, an import): it is said.
    _application, [extra] = applicant(call, [challenge])
    Choice.objects.filter(pk=second.pk).update(status=Status.SELECTED)
    Choice.objects.filter(pk=extra.pk).update(status=Status.SELECTED)
    assert any("une équipe de 2 EIG au plus" in p for p in decisions.team_problems(challenge))


def test_a_candidate_chosen_by_two_challenges_is_resolved_by_preference_with_staff_confirmation():
    call = interview_call()
    preferred, second = call.challenges().order_by("pk")
    staff = staff_user()
    application, [first_choice, second_choice] = applicant(call, [second, preferred])
    # The candidate ranked `second` first: that is the one they keep.
    decided(first_choice, Status.SELECTED, staff)
    decided(second_choice, Status.SELECTED, staff)
    _other, [single] = applicant(call, [preferred])
    decided(single, Status.SELECTED, staff)

    assert list(decisions.double_selections(call=call)) == [application]
    # Nothing moves until staff confirm.
    assert Choice.objects.get(pk=second_choice.pk).status == Status.SELECTED
    with pytest.raises(PermissionDenied):
        decisions.resolve_double_selection(application=application, by=application.candidate)

    kept = decisions.resolve_double_selection(application=application, by=staff)

    assert kept == first_choice and kept.challenge == second
    assert Choice.objects.get(pk=first_choice.pk).status == Status.SELECTED
    assert Choice.objects.get(pk=second_choice.pk).status == Status.NOT_SELECTED
    assert list(decisions.double_selections(call=call)) == []
    with pytest.raises(ValidationError):
        decisions.resolve_double_selection(application=application, by=staff)


def test_staff_resolve_a_double_selection_from_the_team_screen(client):
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    staff = staff_user()
    application, [mine, other] = applicant(call, [first, second])
    decided(mine, Status.SELECTED, staff)
    decided(other, Status.SELECTED, staff)
    client = logged_in(client, staff)
    page = client.get(reverse("applications:team_decisions", args=[second.pk]))
    assert reverse("applications:resolve_double", args=[application.pk]) in page.text

    response = client.post(
        reverse("applications:resolve_double", args=[application.pk]),
        {"next": reverse("applications:team_decisions", args=[second.pk])},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse(
        "applications:team_decisions", args=[second.pk]
    )
    assert Choice.objects.get(pk=other.pk).status == Status.NOT_SELECTED
    assert "premier choix" in response.text


# --- Publication -------------------------------------------------------------------------


def test_results_cannot_be_published_with_double_selections():
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    staff = staff_user()
    application, [one, two] = applicant(call, [first, second])
    decided(one, Status.SELECTED, staff)
    decided(two, Status.SELECTED, staff)

    with pytest.raises(ValidationError, match="deux défis") as refused:
        published(call, staff)

    assert str(application.candidate) in str(refused.value)
    call.refresh_from_db()
    assert call.published_at is None
    assert not Offer.objects.exists()
    assert not outbox(events.DECISION_PUBLISHED).exists()
    decisions.resolve_double_selection(application=application, by=staff)
    assert published(call, staff).published_at is not None


def test_decisions_are_emailed_only_at_publication():
    call = interview_call()
    challenge, other = call.challenges().order_by("pk")
    staff = staff_user()
    chosen = team_of(call, challenge, staff, 2)
    waiting_app, [waiting] = applicant(call, [challenge])
    decided(waiting, Status.WAITLISTED, staff)
    refused_app, [refused] = applicant(call, [challenge])
    decided(refused, Status.NOT_SELECTED, staff)
    undecided_app, [undecided] = applicant(call, [other])
    never_shortlisted, _choices = applicant(call, [other], shortlist=False)

    assert not outbox(events.DECISION_PUBLISHED).exists()
    assert not Offer.objects.exists()

    published(call, staff)

    call.refresh_from_db()
    assert call.published_at is not None
    rows = outbox(events.DECISION_PUBLISHED)
    assert rows.count() == 6  # one per submitted application
    by_email = {row.to_email: row for row in rows}
    for choice in chosen:
        row = by_email[choice.application.candidate.email]
        offer = Offer.objects.get(choice=choice)
        assert offer.respond_by == call.offer_response_deadline
        assert "sélectionné" in row.subject and challenge.title in row.subject
        assert reverse("applications:offer_answer", args=[offer.pk]) in row.body_text
    assert "liste d’attente" in by_email[waiting_app.candidate.email].body_text
    for application in (refused_app, undecided_app, never_shortlisted):
        assert "n’a pas retenu" in by_email[application.candidate.email].body_text
    # What had no decision is closed at publication.
    assert Choice.objects.get(pk=undecided.pk).status == Status.NOT_SELECTED
    assert set(never_shortlisted.choices.values_list("status", flat=True)) == {
        Status.NOT_SHORTLISTED
    }
    # Publishing again makes and sends nothing new; decisions no longer change.
    published(call, staff)
    assert outbox(events.DECISION_PUBLISHED).count() == 6
    assert Offer.objects.count() == 2
    with pytest.raises(ValidationError, match="publiés"):
        decided(waiting, Status.SELECTED, staff)


def test_results_publish_themselves_when_their_date_comes():
    call = interview_call()
    staff = staff_user()
    team_of(call, call.challenges().first(), staff, 2)
    before = call.publication_at - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="pas arrivée"):
        decisions.publish_results(call=call, now=before)
    assert decisions.publish_due_calls(before) == []
    assert decisions.publish_due_calls(call.publication_at) == [call]
    assert outbox(events.DECISION_PUBLISHED).count() == 2
    assert decisions.publish_due_calls(call.publication_at + timedelta(hours=1)) == []


# --- Offers ----------------------------------------------------------------------------------


def offers_of(call, challenge, staff, count=2):
    chosen = team_of(call, challenge, staff, count)
    published(call, staff)
    return [Offer.objects.get(choice=choice) for choice in chosen]


def test_an_accepted_offer_sends_offer_accepted():
    call = interview_call()
    challenge, other = call.challenges().order_by("pk")
    staff = staff_user()
    application, [mine, elsewhere] = applicant(call, [challenge, other])
    decided(mine, Status.SELECTED, staff)
    decided(elsewhere, Status.WAITLISTED, staff)
    team_of(call, challenge, staff, 1)
    published(call, staff)
    offer = Offer.objects.get(choice=mine)
    received = []

    def receiver(sender, offer, **kwargs):
        received.append((sender, offer))

    offer_accepted.connect(receiver)
    try:
        with pytest.raises(PermissionDenied):
            decisions.answer_offer(offer=offer, accept=True, by=staff)
        assert received == []
        decisions.answer_offer(offer=offer, accept=True, by=application.candidate)
    finally:
        offer_accepted.disconnect(receiver)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED and offer.answered_at is not None
    assert received == [(Offer, offer)]
    # A person joins one challenge: their other waiting list lets them go.
    assert Choice.objects.get(pk=elsewhere.pk).status == Status.NOT_SELECTED
    with pytest.raises(ValidationError, match="déjà répondu"):
        decisions.answer_offer(offer=offer, accept=False, by=application.candidate)


def test_a_declined_offer_proposes_the_next_on_the_waiting_list(client):
    call = interview_call()
    challenge, other = call.challenges().order_by("pk")
    staff = staff_user()
    chosen = team_of(call, challenge, staff, 3)
    # First on the list, but holding a place elsewhere: not proposed.
    busy, [busy_here, busy_there] = applicant(call, [challenge, other])
    decided(busy_here, Status.WAITLISTED, staff, position=1)
    decided(busy_there, Status.SELECTED, staff)
    next_app, [next_choice] = applicant(call, [challenge])
    decided(next_choice, Status.WAITLISTED, staff, position=2)
    _last, [last] = applicant(call, [challenge])
    decided(last, Status.WAITLISTED, staff, position=3)
    team_of(call, other, staff, 1)
    published(call, staff)
    declined = Offer.objects.get(choice=chosen[0])
    assert decisions.next_on_waitlist(challenge) == next_choice
    client = logged_in(client, staff)
    page = client.get(reverse("applications:team_decisions", args=[challenge.pk]))
    assert (
        reverse("applications:promote_waitlisted", args=[next_choice.pk]) not in page.text
    )  # team is full

    decisions.answer_offer(offer=declined, accept=False, by=declined.choice.application.candidate)

    declined.refresh_from_db()
    assert declined.status == Offer.Status.DECLINED
    assert decisions.team(challenge).count() == 2
    # Proposed to staff, never automatic.
    assert Choice.objects.get(pk=next_choice.pk).status == Status.WAITLISTED
    told = outbox(events.OFFER_DECLINED)
    assert told.filter(to_email=staff.email).exists()
    assert str(next_app.candidate) in told.first().body_text
    page = client.get(reverse("applications:team_decisions", args=[challenge.pk]))
    assert reverse("applications:promote_waitlisted", args=[next_choice.pk]) in page.text

    response = client.post(
        reverse("applications:promote_waitlisted", args=[next_choice.pk]), follow=True
    )

    assert "La place est offerte" in response.text
    promoted = Choice.objects.get(pk=next_choice.pk)
    assert (promoted.status, promoted.waitlist_position) == (Status.SELECTED, None)
    offer = Offer.objects.get(choice=promoted)
    assert offer.status == Offer.Status.PENDING and offer.confirmed_by == staff
    assert offer.respond_by >= timezone.now() + timedelta(days=6)
    made = outbox(events.OFFER_MADE).get()
    assert made.to_email == next_app.candidate.email
    assert reverse("applications:offer_answer", args=[offer.pk]) in made.body_text
    with pytest.raises(ValidationError, match="complète"):
        decisions.promote_from_waitlist(choice=last, by=staff)


def test_an_offer_cannot_be_answered_after_its_deadline(client):
    call = interview_call()
    staff = staff_user()
    offer, _other = offers_of(call, call.challenges().first(), staff)
    candidate = offer.choice.application.candidate

    with pytest.raises(decisions.OfferExpired, match="délai de réponse est passé"):
        decisions.answer_offer(offer=offer, accept=True, by=candidate, now=offer.respond_by)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING

    Offer.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    client = logged_in(client, candidate)
    url = reverse("applications:offer_answer", args=[offer.pk])
    page = client.get(url)
    assert page.status_code == 200 and "délai de réponse est passé" in page.text
    assert 'name="answer"' not in page.text
    response = client.post(url, {"answer": "accept", "confirm": "on"}, follow=True)
    assert "délai de réponse est passé" in response.text
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_the_candidate_answers_their_offer_on_its_page_and_nobody_else_sees_it(client):
    call = interview_call()
    staff = staff_user()
    offer, someone_elses = offers_of(call, call.challenges().first(), staff)
    candidate = offer.choice.application.candidate
    client = logged_in(client, candidate)
    url = reverse("applications:offer_answer", args=[offer.pk])
    page = client.get(url)
    assert page.status_code == 200 and offer.choice.challenge.title in page.text
    assert (
        client.get(reverse("applications:offer_answer", args=[someone_elses.pk])).status_code == 404
    )
    assert (
        client.post(reverse("applications:offer_answer", args=[someone_elses.pk])).status_code
        == 404
    )

    unconfirmed = client.post(url, {"answer": "accept"})
    assert "Cochez la case pour confirmer votre réponse." in unconfirmed.text
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING

    response = client.post(url, {"answer": "accept", "confirm": "on"}, follow=True)

    assert "Bienvenue" in response.text
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    mine = client.get(reverse("applications:my_interview"))
    assert url in mine.text


def test_unanswered_offers_are_reminded_two_days_before(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    reminders.register(*decisions.REMINDERS)
    call = interview_call()
    staff = staff_user()
    silent, answered = offers_of(call, call.challenges().first(), staff)
    decisions.answer_offer(
        offer=answered,
        accept=True,
        by=answered.choice.application.candidate,
        now=call.publication_at,
    )
    two_days_before = silent.respond_by - timedelta(days=2)

    assert reminders.sweep(now=two_days_before - timedelta(minutes=1))[0] == 0
    assert reminders.sweep(now=two_days_before)[0] == 1
    assert reminders.sweep(now=two_days_before + timedelta(days=1))[0] == 0
    [reminder] = outbox(events.OFFER_REMINDER)
    assert reminder.to_email == silent.choice.application.candidate.email
    assert reminder.object_id == str(silent.pk) and reminder.idempotency_key.endswith("|j-2")
    assert reminder.essential
    assert reverse("applications:offer_answer", args=[silent.pk]) in reminder.body_text
    assert reminders.sweep(now=silent.respond_by)[0] == 0


# --- The team screen --------------------------------------------------------------------------


def test_staff_decide_from_the_team_screen(client):
    call = interview_call()
    challenge, _other = call.challenges()
    staff = staff_user()
    _application, [choice] = applicant(call, [challenge])
    client = logged_in(client, staff)
    url = reverse("applications:team_decisions", args=[challenge.pk])
    assert "Équipe incomplète : 0 sélectionné" in client.get(url).text

    client.post(
        reverse("applications:choice_decide", args=[choice.pk, "waitlisted"]),
        {"waitlist_position": 4},
    )
    choice.refresh_from_db()
    assert (choice.status, choice.waitlist_position) == (Status.WAITLISTED, 4)
    client.post(reverse("applications:choice_decide", args=[choice.pk, "selected"]))
    choice.refresh_from_db()
    assert choice.status == Status.SELECTED
    assert (
        client.post(
            reverse("applications:choice_decide", args=[choice.pk, "peut-etre"])
        ).status_code
        == 404
    )
    assert not outbox(events.DECISION_PUBLISHED).exists()


def test_staff_give_a_candidate_a_slot_from_the_team_screen(client):
    call = interview_call()
    challenge, _other = call.challenges()
    staff = staff_user()
    _application, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 11)
    client = logged_in(client, staff)
    team_url = reverse("applications:team_decisions", args=[challenge.pk])
    response = client.post(
        reverse("applications:interview_book", args=[choice.pk]),
        {"slot": slot.pk, "next": team_url},
    )
    assert response.status_code == 302 and response["Location"] == team_url
    slot.refresh_from_db()
    assert slot.choice == choice


def crowd(call, challenge, staff, count):
    """`count` interviewed candidates, scored and recommended, some decided, one double selection."""
    other = call.challenges().exclude(pk=challenge.pk).first()
    criteria = list(call.criteria.all())
    jury = [staff_user(), staff_user()]
    start = reminders.paris_time(call.interviews_start_on, time(8, 0))
    for n in range(count):
        application, choices = applicant(
            call, [challenge, other] if n == 0 else [challenge], profile=SkillFactory()
        )
        slot = InterviewSlot.objects.create(
            challenge=challenge, starts_at=start + n * InterviewSlot.LENGTH, choice=choices[0]
        )
        slot.jury.add(*jury)
        slot.recommendation = "select"
        slot.save()
        InterviewScore.objects.bulk_create(
            InterviewScore(slot=slot, member=member, criterion=criterion, score=3 + n % 3)
            for member in jury
            for criterion in criteria
        )
        if n == 0:
            for choice in choices:
                decided(choice, Status.SELECTED, staff)
        elif n < 3:
            decided(choices[0], Status.WAITLISTED, staff)


def team_screen_queries(client, staff, count):
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    crowd(call, challenge, staff, count)
    slot_for(call, challenge, 18)  # a free slot to give
    url = reverse("applications:team_decisions", args=[challenge.pk])
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('action="/entretiens/choix/') >= count
    return len(queries)


def test_team_decisions_runs_the_same_queries_for_3_and_30_candidates(client):
    staff = staff_user()
    client = logged_in(client, staff)
    assert team_screen_queries(client, staff, 3) == team_screen_queries(client, staff, 30)


def test_team_decisions_annotates_the_weighted_interview_score(client):
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    staff = staff_user()
    application, [choice] = applicant(call, [challenge])
    slot = slot_for(call, challenge, 10)
    interviews.book(choice=choice, slot=slot, by=staff)
    heavy, *rest = call.criteria.order_by("-weight", "pk")
    member = slot.jury.first()
    interviews.score_interview(
        slot=slot, member=member, scores={heavy.pk: 5, **{c.pk: 1 for c in rest}}
    )
    view_choice = (
        Choice.objects.filter(pk=choice.pk).annotate(score=weighted_interview_score()).get()
    )
    weights = heavy.weight + sum(c.weight for c in rest)
    assert view_choice.score == pytest.approx(
        (5 * heavy.weight + sum(c.weight for c in rest)) / weights
    )
