"""The ranking computed another way: through the ORM, as the ranking page did before it
read its rows in SQL (`applications.review.services.ranking_page`). The tests compare the
two; nothing in the product reads this."""

from django.db.models import Avg, Case, Count, Exists, F, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from applications.models import Review, ReviewCriterion
from applications.review import services as review


def reviews_counting_for(challenge, application=None):
    """The reviews of a file that count in `challenge`'s ranking, each with its `score` there.

    A review written for this challenge counts whole. One written for the file's other
    challenge (or attached to none) counts by its general criteria only, and only if its
    reviewer wrote none for this challenge: each reviewer keeps one voice. Without any
    criterion about the challenge in the grid, both scores are the same. A review that
    gives no score has a NULL `score`, which no aggregate (mean, count, spread) counts.
    """
    reviews = Review.objects.filter(application=application or OuterRef("pk"))
    about_challenge = ReviewCriterion.objects.filter(
        call_id=OuterRef("application__call_id"), about_challenge=True
    )
    written_here = Review.objects.filter(
        application_id=OuterRef("application_id"),
        reviewer_id=OuterRef("reviewer_id"),
        challenge=challenge,
    )
    return reviews.filter(Q(challenge=challenge) | ~Exists(written_here)).annotate(
        score=Case(
            When(Q(challenge=challenge) | ~Exists(about_challenge), then=F("weighted_score")),
            default=F("general_score"),
        )
    )


def ranking(*, challenge):
    """The challenge's candidates by the mean of their reviews' weighted scores, unreviewed last.

    Each review already weighs the grid's criteria; the mean gives each reviewer one voice.
    Criteria about a challenge count only in that challenge's ranking
    (`reviews_counting_for`). The spread (highest minus lowest) shows where reviewers
    disagree.
    """
    per_file = reviews_counting_for(challenge).order_by().values("application")
    score = "score"
    return (
        review._for_challenge(challenge)
        .annotate(
            mean_score=Subquery(per_file.annotate(mean=Avg(score)).values("mean")),
            review_count=Coalesce(
                Subquery(per_file.annotate(count=Count(score)).values("count")), 0
            ),
            score_spread=Subquery(
                per_file.annotate(spread=Max(score) - Min(score)).values("spread")
            ),
        )
        .order_by(F("mean_score").desc(nulls_last=True), "preference", "pk")
    )
