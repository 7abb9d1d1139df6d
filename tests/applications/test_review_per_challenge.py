"""Reviews belong to (application, challenge): a criterion about the challenge ("fit with
the challenge") counts only in the ranking of the challenge the file was reviewed for."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Application, Review
from applications.review import services as review
from tests.applications import ranking_by_orm
from tests.applications.test_preselection import (
    assigned,
    logged_in,
    mentor_of,
    preselection_call,
    staff_member,
    submitted,
)

pytestmark = pytest.mark.django_db


def grid(call, *, fit, others):
    """Scores: `fit` for the criterion about the challenge, `others` for the rest."""
    return {c.pk: fit if c.about_challenge else others for c in call.criteria.all()}


def mean_in_ranking(challenge, application):
    rows = review.ranking_page(challenge=challenge, reviewer=staff_member(), offset=0, limit=50)
    row = next(row for row in rows if row.pk == application.pk)
    return row.mean_score, row.review_count


def test_the_default_grid_has_fit_with_the_challenge_as_a_challenge_criterion():
    call = preselection_call()
    assert [c.name for c in call.criteria.filter(about_challenge=True)] == ["Adéquation au défi"]


def test_a_mentors_fit_score_counts_only_in_their_challenges_ranking():
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    application = submitted(call, first, second)
    mentor = assigned(application, mentor_of(second))
    review.submit_review(
        application=application, reviewer=mentor, scores=grid(call, fit=5, others=1)
    )

    assert Review.objects.get().challenge == second
    # Second's ranking: (1×3 + 1×2 + 5×2 + 1×2 + 1×1) / 10.
    assert mean_in_ranking(second, application) == (Decimal("1.80"), 1)
    # First's ranking: the same review without "Adéquation au défi": (3 + 2 + 2 + 1) / 8.
    assert mean_in_ranking(first, application) == (Decimal("1.00"), 1)


def test_a_reviewer_who_scored_for_both_challenges_keeps_one_voice_in_each():
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    application = submitted(call, first, second)
    staff = assigned(application, staff_member())
    for challenge, fit in ((first, 5), (second, 1)):
        review.submit_review(
            application=application,
            reviewer=staff,
            scores=grid(call, fit=fit, others=3),
            challenge=challenge,
        )

    assert Review.objects.count() == 2
    # (3×3 + 3×2 + 5×2 + 3×2 + 3×1) / 10 and (3×3 + 3×2 + 1×2 + 3×2 + 3×1) / 10
    assert mean_in_ranking(first, application) == (Decimal("3.40"), 1)
    assert mean_in_ranking(second, application) == (Decimal("2.60"), 1)


def test_a_second_submit_for_the_same_challenge_updates_the_review():
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge)
    mentor = assigned(application, mentor_of(challenge))
    review.submit_review(
        application=application, reviewer=mentor, scores=grid(call, fit=1, others=1)
    )
    review.submit_review(
        application=application, reviewer=mentor, scores=grid(call, fit=5, others=5)
    )
    assert Review.objects.get().weighted_score == Decimal("5.00")


def test_a_mentor_cannot_score_a_file_for_a_challenge_they_do_not_mentor():
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    application = submitted(call, first, second)
    mentor = assigned(application, mentor_of(second))
    with pytest.raises(ValidationError):
        review.submit_review(
            application=application,
            reviewer=mentor,
            scores=grid(call, fit=5, others=5),
            challenge=first,
        )
    assert not Review.objects.exists()


def test_staff_choose_on_the_file_the_challenge_they_score_it_for(client):
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    application = submitted(call, first, second)
    staff = assigned(application, staff_member())
    client = logged_in(client, staff)
    url = reverse("applications:review_application", args=[application.pk])

    page = client.get(f"{url}?defi={second.pk}")
    assert "Vous évaluez ce dossier au titre du défi" in page.text
    assert second.title in page.text and f'href="?defi={first.pk}"' in page.text

    fields = page.context["review_form"].fields
    form = {name: 4 for name in fields if name != "comment"}
    response = client.post(url, {**form, "comment": "", "defi": second.pk})
    assert response.status_code == 302
    assert response.url == f"{url}?defi={second.pk}"
    assert Review.objects.get().challenge == second


def test_the_ranking_links_each_file_to_its_review_for_that_challenge(client):
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge)
    client = logged_in(client, staff_member())
    page = client.get(reverse("applications:review_ranking", args=[challenge.pk]))
    assert (
        f"{reverse('applications:review_application', args=[application.pk])}?defi={challenge.pk}"
        in page.text
    )


def test_existing_reviews_are_attached_to_the_reviewers_challenge_when_unambiguous():
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    both = submitted(call, first, second)
    only_first = submitted(call, first)
    mentor = mentor_of(second)
    staff = staff_member()
    old = {"weighted_score": Decimal("3.00"), "challenge": None}
    by_mentor = Review.objects.create(application=both, reviewer=mentor, **old)
    staff_on_both = Review.objects.create(application=both, reviewer=staff, **old)
    staff_on_one = Review.objects.create(application=only_first, reviewer=staff, **old)

    migration = importlib.import_module("applications.migrations.0006_review_per_challenge")
    migration.attach_reviews_to_challenges(apps, None)

    for row in (by_mentor, staff_on_both, staff_on_one):
        row.refresh_from_db()
    assert by_mentor.challenge == second  # the one chosen challenge they mentor
    assert staff_on_one.challenge == first  # the file's only choice
    assert staff_on_both.challenge is None  # two choices, no way to tell
    assert staff_on_both.general_score == Decimal("3.00")


def test_a_file_reviewed_for_one_challenge_still_waits_for_its_review_for_the_other():
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    application = submitted(call, first, second)
    staff = assigned(application, staff_member())
    review.submit_review(
        application=application,
        reviewer=staff,
        scores=grid(call, fit=4, others=4),
        challenge=second,
    )

    def mine(challenge):
        [row] = review.applications_for_review(challenge=challenge, user=staff)
        return row.reviewed_by_me

    assert (mine(first), mine(second)) == (False, True)
    counts = {
        c.pk: (c.reviewed_by_me, c.pending_for_me)
        for c in review.with_review_counts(call.challenges(), user=staff)
    }
    assert counts == {first.pk: (0, 1), second.pk: (1, 0)}


def test_a_ranking_page_is_the_rankings_rows_in_its_order_without_the_readers_conflicts():
    """The ranking page reads its rows in SQL (`ranking_page`): the same files, scores and
    order as the ranking computed through the ORM, page after page."""
    call = preselection_call()
    first, second = call.challenges().order_by("pk")
    reader, other = staff_member(), staff_member()
    mentor = mentor_of(second)
    applications = [submitted(call, first, second) for _ in range(5)]
    applications.append(submitted(call, second, first))  # first is their second choice
    for i, application in enumerate(applications[:4]):
        assigned(application, mentor)  # a fit score that counts in second's ranking only
        review.submit_review(
            application=application, reviewer=mentor, scores=grid(call, fit=5, others=1 + i % 3)
        )
        for challenge in (first, second)[: 1 + i % 2]:  # one voice per reviewer in each
            assigned(application, other)
            review.submit_review(
                application=application,
                reviewer=other,
                scores=grid(call, fit=1 + i, others=4 - i % 2),
                challenge=challenge,
            )
    conflicted = applications[2]
    conflicted.conflicts.create(reviewer=reader, reason="Un ancien collègue.")
    applications[4].status = Application.Status.WITHDRAWN
    applications[4].save(update_fields=["status"])

    for challenge in (first, second):
        expected = [
            (row.pk, row.choice_id, row.preference, row.choice_status)
            + (row.mean_score, row.review_count, row.score_spread, str(row.candidate))
            for row in ranking_by_orm.ranking(challenge=challenge)
            if row.pk != conflicted.pk
        ]
        for size in (2, 10):
            rows = [
                row
                for offset in range(0, len(expected), size)
                for row in review.ranking_page(
                    challenge=challenge, reviewer=reader, offset=offset, limit=size
                )
            ]
            assert [
                (row.pk, row.choice_id, row.preference, row.choice_status)
                + (row.mean_score, row.review_count, row.score_spread, str(row.candidate))
                for row in rows
            ] == expected
        assert len(expected) == 4 and any(row[4] is None for row in expected)
