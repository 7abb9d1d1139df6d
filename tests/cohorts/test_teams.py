"""The promotion's teams: its dates, one team per selected challenge, staff
adjusting a team, and the onboarding checklist of each EIG."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import Challenge, ChallengeMentor
from cohorts.models import OnboardingStep, Team, TeamMember

# cohorts/admin.py will import admin_promotion in the project; importing it here
# registers the promotion's admin before the admin's URLs are first built.
from cohorts.promotion import admin as admin_promotion  # noqa: F401
from cohorts.promotion import services as promotion
from cohorts.services import join_team
from eig.models import Role, RoleGrant
from tests.conftest import make_user
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def team_with(*, eigs=2, mentors=("operational", "strategic")):
    """A team of the promotion with `eigs` EIGs (with accounts) and its mentors."""
    team = TeamFactory(challenge=ChallengeFactory(status=Challenge.Status.SELECTED))
    for _n in range(eigs):
        join_team(person=PersonFactory(user=UserFactory(), profile="Développeuse"), team=team)
    for position, kind in enumerate(mentors):
        ChallengeMentor.objects.create(
            challenge=team.challenge,
            person=PersonFactory(user=UserFactory()),
            kind=kind,
            position=position,
        )
    return team


def eig_users(team):
    return [m.person.user for m in team.members.select_related("person__user")]


def mentor_user(team, kind="operational"):
    return ChallengeMentor.objects.get(challenge=team.challenge, kind=kind).person.user


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def staff():
    return UserFactory(is_staff=True)


# --- The promotion and its teams --------------------------------------------------------


def test_a_promotion_lasts_ten_months_from_september():
    assert promotion.promotion_dates(year=2026) == (date(2026, 9, 1), date(2027, 6, 30))
    # A promotion that starts later still lasts ten months.
    assert promotion.promotion_dates(year=2027, starts_on=date(2027, 10, 15)) == (
        date(2027, 10, 15),
        date(2028, 8, 14),
    )


def test_one_team_per_selected_challenge():
    eig5 = PromotionFactory()
    selected = ChallengeFactory.create_batch(2, promotion=eig5, status=Challenge.Status.SELECTED)
    completed = ChallengeFactory(promotion=eig5, status=Challenge.Status.COMPLETED)
    for status in (Challenge.Status.WAITLISTED, Challenge.Status.NOT_SELECTED, "draft"):
        ChallengeFactory(promotion=eig5, status=status)
    ChallengeFactory(status=Challenge.Status.SELECTED)  # another promotion's

    teams = promotion.form_teams(promotion=eig5)

    assert {team.challenge for team in teams} == {*selected, completed}
    assert promotion.form_teams(promotion=eig5) == teams  # twice changes nothing
    assert Team.objects.filter(challenge__promotion=eig5).count() == 3


def test_staff_adjust_a_team_and_a_size_other_than_two_or_three_is_only_a_warning():
    team = team_with(eigs=2)
    newcomers = [PersonFactory(user=UserFactory()), PersonFactory(user=UserFactory())]

    assert promotion.adjust_team(team=team, add=newcomers[:1], by=staff()) == []
    warnings = promotion.adjust_team(team=team, add=newcomers[1:], by=staff())
    assert warnings == [f"L'équipe « {team} » compte 4 EIG : une équipe en compte 2 ou 3."]
    assert team.members.count() == 4
    assert OnboardingStep.objects.filter(member__person=newcomers[1]).count() == 4
    assert RoleGrant.objects.filter(
        user=newcomers[1].user, role=Role.EIG, promotion=team.challenge.promotion
    ).exists()

    leaving = team.members.first().person
    promotion.adjust_team(team=team, remove=[leaving], by=staff())
    assert not TeamMember.objects.filter(person=leaving).exists()
    assert not RoleGrant.objects.filter(user=leaving.user, role=Role.EIG).exists()
    assert list(team.members.values_list("position", flat=True)) == [0, 1, 2]


def test_a_person_joins_one_team_of_a_promotion_and_only_staff_adjust():
    team = team_with(eigs=2)
    other = TeamFactory(
        challenge=ChallengeFactory(
            promotion=team.challenge.promotion, status=Challenge.Status.SELECTED
        )
    )
    already = team.members.first().person
    with pytest.raises(ValidationError, match="fait déjà partie"):
        promotion.adjust_team(team=other, add=[already], by=staff())
    with pytest.raises(PermissionDenied):
        promotion.adjust_team(team=other, add=[PersonFactory()], by=mentor_user(team))
    assert other.members.count() == 0


# --- Onboarding -------------------------------------------------------------------------


def test_an_eig_their_mentors_and_staff_tick_the_onboarding_but_nobody_else():
    team = team_with(eigs=2)
    first, second = eig_users(team)
    step = OnboardingStep.objects.get(member__person__user=first, item="contract")

    for allowed in (first, second, mentor_user(team), mentor_user(team, "strategic"), staff()):
        promotion.tick(step=step, by=allowed)
        step.refresh_from_db()
        assert step.done_at is not None and step.done_by == allowed
        promotion.tick(step=step, by=allowed, done=False)
        step.refresh_from_db()
        assert step.done_at is None and step.done_by is None

    stranger_eig = eig_users(team_with(eigs=1))[0]
    for refused in (UserFactory(), stranger_eig, make_user(Role.JURY_MEMBER)):
        with pytest.raises(PermissionDenied):
            promotion.tick(step=step, by=refused)
    step.refresh_from_db()
    assert step.done_at is None


def test_ticking_twice_keeps_who_ticked_first():
    team = team_with(eigs=1)
    (eig,) = eig_users(team)
    step = OnboardingStep.objects.get(member__person__user=eig, item="workstation")
    promotion.tick(step=step, by=eig)
    first_at = OnboardingStep.objects.get(pk=step.pk).done_at
    promotion.tick(step=step, by=mentor_user(team))
    step.refresh_from_db()
    assert (step.done_at, step.done_by) == (first_at, eig)


def test_the_team_page_shows_the_challenge_the_eigs_the_mentors_and_the_checklists(client):
    team = team_with(eigs=2)
    first, second = eig_users(team)
    login(client, second)
    page = client.get(reverse("cohorts:team_page", kwargs={"team_pk": team.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert team.challenge.title in html
    assert "Mentors opérationnels" in html and "Mentors stratégiques" in html
    for member in team.members.select_related("person"):
        assert member.person.full_name in html
    assert "Développeuse" in html
    # Checklists in the order of arrival: the contract first, the first meeting last.
    assert html.index("Contrat signé") < html.index("Première rencontre avec les mentors")

    # An EIG ticks a step of their teammate's arrival from the page.
    step = OnboardingStep.objects.get(member__person__user=first, item="data_access")
    response = client.post(
        reverse("cohorts:onboarding_tick", kwargs={"step_pk": step.pk}), {"done": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#eig-{step.member_id}")
    step.refresh_from_db()
    assert step.done_by == second
    tick_url = reverse("cohorts:onboarding_tick", kwargs={"step_pk": step.pk})
    assert client.post(tick_url, {"done": "peut-être"}).status_code == 400
    client.post(tick_url, {"done": "0"})
    step.refresh_from_db()
    assert step.done_at is None


def test_nobody_else_opens_the_team_page_or_ticks_it(client):
    team = team_with(eigs=1)
    step = OnboardingStep.objects.filter(member__team=team).first()
    login(client, eig_users(team_with(eigs=1))[0])
    assert client.get(reverse("cohorts:team_page", kwargs={"team_pk": team.pk})).status_code == 404
    url = reverse("cohorts:onboarding_tick", kwargs={"step_pk": step.pk})
    assert client.post(url, {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert step.done_at is None


def test_the_team_page_runs_the_same_queries_for_small_and_large_teams(client):
    counts = []
    for size in (2, 6):
        team = team_with(eigs=size, mentors=("operational", "strategic") * (size // 2))
        login(client, eig_users(team)[0])
        url = reverse("cohorts:team_page", kwargs={"team_pk": team.pk})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Who may open what ------------------------------------------------------------------


def test_an_accepted_offer_makes_the_candidate_an_eig_of_the_team():
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import Application, Choice, Offer
    from applications.signals import offer_accepted
    from cohorts.models import OnboardingStep, TeamMember
    from eig.models import Role, RoleGrant
    from tests.factories import UserFactory, call_for_applications

    call = call_for_applications()
    candidate = UserFactory(first_name="Ada", last_name="Lovelace")
    application = Application.objects.create(
        call=call, candidate=candidate, status=Application.Status.SUBMITTED
    )
    choice = Choice.objects.create(
        application=application,
        challenge=call.challenges().first(),
        rank=1,
        motivation="m",
        status="selected",
    )
    offer = Offer.objects.create(
        choice=choice, status=Offer.Status.ACCEPTED, respond_by=timezone.now() + timedelta(days=3)
    )
    offer_accepted.send(sender=Offer, offer=offer)
    member = TeamMember.objects.get(person__user=candidate)
    assert member.team.challenge == choice.challenge
    assert OnboardingStep.objects.filter(member=member).count() == 4
    assert RoleGrant.objects.filter(
        user=candidate, role=Role.EIG, promotion=call.promotion
    ).exists()
