"""applications/decisions/services.py: every move of an offer goes through
`set_offer_status`, which logs who moved it, when and why."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.decisions import services as decisions
from applications.models import Choice, Offer, OfferTransition
from eig.models import Role, User
from tests.applications.test_decisions import decided, offers_of, published, team_of
from tests.applications.test_interviews import applicant, interview_call, staff_user

pytestmark = pytest.mark.django_db


def test_the_candidate_who_answers_an_offer_is_recorded_with_the_answer():
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    staff = staff_user()
    accepted, declined = offers_of(call, challenge, staff)

    decisions.answer_offer(offer=accepted, accept=True, by=accepted.choice.application.candidate)
    decisions.answer_offer(offer=declined, accept=False, by=declined.choice.application.candidate)

    log = OfferTransition.objects.order_by("pk").values_list("offer", "source", "target", "by")
    assert list(log) == [
        (accepted.pk, "pending", "accepted", accepted.choice.application.candidate_id),
        (declined.pk, "pending", "declined", declined.choice.application.candidate_id),
    ]


def test_an_answered_offer_cannot_be_answered_again_through_its_transition():
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    staff = staff_user()
    offer, _other = offers_of(call, challenge, staff)
    candidate = offer.choice.application.candidate
    decisions.answer_offer(offer=offer, accept=False, by=candidate)

    with pytest.raises(ValidationError):
        decisions.set_offer_status(offer=offer, to=Offer.Status.ACCEPTED, by=candidate)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert OfferTransition.objects.filter(offer=offer).count() == 1


def test_a_place_given_back_and_offered_again_is_logged_as_offered_again():
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    staff = staff_user()
    chosen = team_of(call, challenge, staff, 3)
    _application, [waiting] = applicant(call, [challenge])
    decided(waiting, Choice.Status.WAITLISTED, staff, position=1)
    published(call, staff)
    first = Offer.objects.get(choice=chosen[0])
    decisions.answer_offer(offer=first, accept=False, by=first.choice.application.candidate)

    offer = decisions.promote_from_waitlist(choice=waiting, by=staff)

    assert offer.status == Offer.Status.PENDING and offer.confirmed_by == staff
    assert not OfferTransition.objects.filter(offer=offer).exists()  # a new offer, not a move
    assert Choice.objects.get(pk=waiting.pk).transitions.last().by == staff


def test_a_declined_place_no_longer_holds_a_place_in_queries_and_on_loaded_rows():
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    staff = staff_user()
    kept, given_back = team_of(call, challenge, staff, 2)
    _application, [waiting] = applicant(call, [challenge])
    decided(waiting, Choice.Status.WAITLISTED, staff, position=1)
    published(call, staff)
    kept, given_back = (Offer.objects.get(choice=choice) for choice in (kept, given_back))
    decisions.answer_offer(
        offer=given_back, accept=False, by=given_back.choice.application.candidate
    )

    holding = set(Choice.objects.holding_a_place().values_list("pk", flat=True))
    loaded = Choice.objects.filter(challenge=challenge).select_related("offer")

    assert holding == {kept.choice_id}
    assert {c.pk for c in loaded if c.holds_a_place} == holding
    assert list(Choice.objects.waitlisted()) == [waiting]
    assert decisions.team(challenge).count() == 1


def test_staff_expire_overdue_offers_from_the_admin_and_the_move_is_logged(client_as):
    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    overdue, answered_in_time = offers_of(call, challenge, staff_user())
    Offer.objects.filter(pk=overdue.pk).update(respond_by=timezone.now() - timedelta(hours=1))
    client = client_as(Role.STAFF)
    staff = User.objects.get(email=f"{Role.STAFF}@exemple.gouv.fr")

    client.post(
        reverse("admin:applications_offer_changelist"),
        {"action": "expire_overdue", "_selected_action": [overdue.pk, answered_in_time.pk]},
    )

    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses == {overdue.pk: "expired", answered_in_time.pk: "pending"}
    assert list(OfferTransition.objects.values_list("offer", "target", "by", "reason")) == [
        (overdue.pk, "expired", staff.pk, "délai dépassé")
    ]
    page = client.get(reverse("admin:applications_offer_change", args=[overdue.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.text  # read-only: never changed by hand
