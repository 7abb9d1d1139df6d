"""The publication gate: a decision shows nowhere in public before its publication.

Every public page and download is read before and after staff record decisions of
every kind in calls whose results are not public yet (challenges selected, waitlisted,
declined or not selected; candidates shortlisted, selected, waitlisted or not selected;
an offer made): nothing a visitor can read may change.
"""

import re

import pytest
from django.urls import reverse

from applications import services as applications
from applications.models import Application, Choice, Offer
from challenges import services as challenges
from challenges.models import Administration, Challenge
from eig.models import Promotion, Skill
from tests.factories import (
    ChallengeFactory,
    ChallengeMentorFactory,
    DraftChallengeFactory,
    PromotionFactory,
    SkillFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    call_for_applications,
    call_for_projects,
)

pytestmark = pytest.mark.django_db

# What changes at each request whatever the data: the CSRF token, the CSP nonce.
PER_REQUEST = re.compile(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"')


def published_record():
    """A past promotion in the public record, and this year's calls still deliberating."""
    past = ChallengeFactory(promotion=PromotionFactory(code="3", name="EIG 3", year=2019))
    past.skills.add(SkillFactory())
    TeamMemberFactory(team=TeamFactory(challenge=past))
    ChallengeMentorFactory(challenge=past)
    this_year = PromotionFactory(code="5", name="EIG 5", year=2021)
    projects = call_for_projects(phase="deliberation", promotion=this_year)
    heard = []
    for _index in range(4):
        challenge = DraftChallengeFactory(call=projects, status=Challenge.Status.SHORTLISTED)
        challenge.skills.add(SkillFactory())
        ChallengeMentorFactory(challenge=challenge)
        heard.append(challenge)
    declined = DraftChallengeFactory(call=projects, status=Challenge.Status.SUBMITTED)
    hiring = call_for_applications(
        phase="interviews", promotion=PromotionFactory(code="4", name="EIG 4", year=2020)
    )
    candidates = []
    for challenge in hiring.challenges():
        for _index in range(3):
            application = Application.objects.create(
                call=hiring,
                candidate=UserFactory(),
                status=Application.Status.SUBMITTED,
                motivation="Servir l'intérêt général.",
            )
            choice = Choice.objects.create(
                application=application, challenge=challenge, rank=1, motivation="J'y crois."
            )
            applications.set_choice_status(choice=choice, to=Choice.Status.SHORTLISTED, by=None)
            candidates.append(choice)
    return heard, declined, candidates


def record_unpublished_decisions(heard, declined, candidates):
    staff = UserFactory(is_staff=True)
    outcomes = [
        Challenge.Status.SELECTED,
        Challenge.Status.SELECTED,
        Challenge.Status.WAITLISTED,
        Challenge.Status.NOT_SELECTED,
    ]
    for challenge, outcome in zip(heard, outcomes, strict=True):
        challenges.set_challenge_status(challenge=challenge, to=outcome, by=staff)
    challenges.set_challenge_status(challenge=declined, to=Challenge.Status.DECLINED, by=staff)
    decisions = [Choice.Status.SELECTED, Choice.Status.WAITLISTED, Choice.Status.NOT_SELECTED]
    for index, choice in enumerate(candidates):
        decision = decisions[index % 3]
        applications.set_choice_status(
            choice=choice,
            to=decision,
            by=staff,
            waitlist_position=1 if decision == Choice.Status.WAITLISTED else None,
        )
        if decision == Choice.Status.SELECTED:
            Offer.objects.create(choice=choice, respond_by=choice.application.call.deadline)


def public_urls():
    """Every public page and download, with every value of every filter of the list."""
    urls = [
        reverse("cohorts:home"),
        reverse("cohorts:promotion_list"),
        reverse("cohorts:challenge_list"),
        reverse("cohorts:impact"),
        reverse("cohorts:impact_csv"),
        reverse("cohorts:impact_json"),
        reverse("challenges:call_for_projects"),
        reverse("applications:apply_home"),
        reverse("faq"),
    ]
    for promotion in Promotion.objects.order_by("pk"):
        urls += [
            reverse("cohorts:promotion_detail", kwargs={"code": promotion.code}),
            reverse("cohorts:impact_promotion", kwargs={"code": promotion.code}),
            f"{reverse('cohorts:challenge_list')}?promotion={promotion.code}",
            f"{reverse('cohorts:challenge_list')}?year={promotion.year}",
        ]
    for administration in Administration.objects.order_by("pk"):
        urls.append(f"{reverse('cohorts:challenge_list')}?administration={administration.slug}")
    for skill in Skill.objects.order_by("pk"):
        urls.append(f"{reverse('cohorts:challenge_list')}?skill={skill.key}")
    for challenge in Challenge.objects.select_related("promotion").order_by("pk"):
        urls.append(
            reverse(
                "cohorts:challenge_detail",
                kwargs={"promotion": challenge.promotion.code, "slug": challenge.slug},
            )
        )
        urls.append(f"{reverse('cohorts:challenge_list')}?q={challenge.title}")
    return urls


def snapshot(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, PER_REQUEST.sub("", response.content.decode()))
    return pages


def test_no_public_page_or_download_changes_before_the_results_are_published(client):
    heard, declined, candidates = published_record()
    urls = public_urls()
    before = snapshot(client, urls)
    assert sum(status == 200 for status, _page in before.values()) > 20

    record_unpublished_decisions(heard, declined, candidates)

    after = snapshot(client, urls)
    changed = [url for url in urls if before[url] != after[url]]
    assert changed == []


def test_the_public_figures_count_only_published_selections(client):
    """Counted another way: the challenges whose call published them, or imported ones."""
    heard, declined, candidates = published_record()
    record_unpublished_decisions(heard, declined, candidates)
    public = [
        challenge
        for challenge in Challenge.objects.select_related("call")
        if challenge.status == Challenge.Status.COMPLETED
        or (
            challenge.status == Challenge.Status.SELECTED
            and (challenge.call is None or challenge.call.published_at is not None)
        )
    ]
    promotions = client.get(reverse("cohorts:promotion_list")).context["promotions"]
    assert sum(p.public_challenges for p in promotions) == len(public)
    options = (
        client.get(reverse("cohorts:challenge_list"))
        .context["filter"]
        .form.fields["administration"]
    )
    assert {a.pk for a in options.queryset} == {c.administration_id for c in public}
