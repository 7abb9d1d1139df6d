"""Pre-selection: programme staff and the mentors of each challenge read and score the files.

Staff give each submitted file to reviewers (staff, or a mentor of a challenge
the candidate chose). A reviewer scores the call's grid once (a second submit
updates it), reads the others' reviews only after their own, and may declare a
conflict of interest: the file then closes to them for good. Staff rank the
candidates of each challenge and shortlist them, through `set_choice_status`.

When the call asks for a blind first pass, names and contacts stay hidden from
everyone, staff included, until pre-selection ends.
"""

from datetime import time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    Application,
    CallForApplications,
    Choice,
    Phase,
    Review,
    ReviewAssignment,
    ReviewConflict,
    ReviewCriterion,
    ReviewScore,
)
from applications.review import notifications as events
from applications.services import set_choice_status
from challenges.models import Challenge, ChallengeMentor
from eig import calendars, reminders, sql
from eig.grids import checked_scores
from eig.models import Skill, User
from eig.permissions import may

# Reviewers keep their space a month after pre-selection: the interviews and the
# results follow within that month, and mentors sit on the interview juries.
REVIEW_SPACE_STAYS_OPEN = timedelta(days=30)
WEEKLY_REMINDER_AT = time(9, 0)
# A sweep that missed Monday 09:00 still sends the week's reminder until Tuesday 09:00.
WEEKLY_REMINDER_WINDOW = timedelta(days=1)
TWO_PLACES = Decimal("0.01")


class SubqueryCount(Subquery):
    """The number of rows of a correlated subquery, as an annotation (0 when none)."""

    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


# --- Phases: what the call's dates allow ----------------------------------------------


def is_under_review(call, now=None):
    """Reviewers may open their space from the call's opening until a month after pre-selection."""
    now = now or timezone.now()
    return call.opens_at <= now < call.preselection_ends_at + REVIEW_SPACE_STAYS_OPEN


def reviews_are_open(call, now=None):
    """Files are scored during pre-selection only: before the deadline a file may still change."""
    return call.phase(now) == Phase.PRESELECTION


def is_blind(call, now=None):
    """A blind first pass hides names and contacts until pre-selection ends."""
    now = now or timezone.now()
    return bool(call.blind_preselection and now < call.preselection_ends_at)


def reviewing_calls(now=None):
    now = now or timezone.now()
    return CallForApplications.objects.filter(
        opens_at__lte=now, preselection_ends_at__gt=now - REVIEW_SPACE_STAYS_OPEN
    )


def candidate_label(application, *, blind):
    """How reviewers name a candidate: a number during a blind first pass, else their name."""
    if blind:
        return _("Candidature n°%(pk)s") % {"pk": application.pk}
    return application.candidate.display_name


# --- Who reviews what ---------------------------------------------------------------


def is_mentor_of(user, challenge):
    return bool(
        user.is_authenticated
        and ChallengeMentor.objects.filter(challenge=challenge, person__user=user).exists()
    )


def mentors_a_chosen_challenge(user, application):
    return bool(
        user.is_authenticated
        and ChallengeMentor.objects.filter(
            person__user=user, challenge__applications__application=application
        ).exists()
    )


def mentors_a_challenge_under_review(user, now=None):
    return bool(
        user.is_authenticated
        and Challenge.objects.public(now)
        .filter(
            mentorships__person__user=user,
            promotion__call_for_applications__in=reviewing_calls(now),
        )
        .exists()
    )


def _reviewed_by(challenges, user):
    if may(user, "applications.review_every_challenge"):
        return challenges
    if not user.is_authenticated:
        return challenges.none()
    return challenges.filter(mentorships__person__user=user)


def reviewable_challenges(user, call):
    """Staff review every challenge of the call; a mentor, the challenges they mentor."""
    return _reviewed_by(call.challenges(), user)


def challenges_to_review(user, now=None):
    """The reviewable challenges of every call still under review, in one queryset."""
    challenges = Challenge.objects.public(now).filter(
        promotion__call_for_applications__in=reviewing_calls(now)
    )
    return _reviewed_by(challenges, user)


def has_conflict(user, application):
    return bool(
        user.is_authenticated
        and ReviewConflict.objects.filter(application=application, reviewer=user).exists()
    )


def is_assigned(user, application):
    return bool(
        user.is_authenticated
        and ReviewAssignment.objects.filter(application=application, reviewer=user).exists()
    )


def check_assignable(*, application, reviewer):
    """Why this person may not review this file, raised in words staff can act on."""
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Seule une candidature envoyée peut être relue."))
    if not reviewer.is_active:
        raise ValidationError(_("Ce compte est désactivé."))
    if reviewer.pk == application.candidate_id:
        raise ValidationError(_("Un candidat ou une candidate ne relit pas son propre dossier."))
    if not may(reviewer, "applications.be_given_file", application):
        raise ValidationError(
            _(
                "%(reviewer)s ne peut pas relire ce dossier : seuls l'équipe du programme et les "
                "mentors des défis choisis par le candidat ou la candidate le peuvent."
            )
            % {"reviewer": reviewer}
        )
    if has_conflict(reviewer, application):
        raise ValidationError(
            _("%(reviewer)s a déclaré un conflit d'intérêts avec ce dossier.")
            % {"reviewer": reviewer}
        )


def assign_reviewer(*, application, reviewer, by):
    """Staff give a file to a reviewer; giving it twice changes nothing."""
    if not may(by, "applications.assign_reviewers"):
        raise PermissionDenied(_("Seule l'équipe du programme attribue les dossiers."))
    check_assignable(application=application, reviewer=reviewer)
    assignment, _created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer
    )
    return assignment


@transaction.atomic
def declare_conflict(*, application, reviewer, reason):
    """The reviewer knows the candidate: the file closes to them, their review no longer counts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Précisez la nature de votre lien avec le candidat ou la candidate.")
        )
    conflict, _created = ReviewConflict.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"reason": reason}
    )
    ReviewAssignment.objects.filter(application=application, reviewer=reviewer).delete()
    Review.objects.filter(application=application, reviewer=reviewer).delete()
    return conflict


# --- Scoring ------------------------------------------------------------------------


def weighted_score(criteria, scores):
    """Σ(score × weight) / Σ weight, to two places (None without criteria)."""
    criteria = list(criteria)
    weights = sum(criterion.weight for criterion in criteria)
    if not weights:
        return None
    total = sum(scores[criterion.pk] * criterion.weight for criterion in criteria)
    return (Decimal(total) / Decimal(weights)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def general_score(criteria, scores):
    """The weighted score without the criteria about the challenge: what counts in the
    ranking of the file's other challenge."""
    return weighted_score([c for c in criteria if not c.about_challenge], scores)


def has_challenge_criteria(call):
    return call.criteria.filter(about_challenge=True).exists()


def challenges_to_score(*, application, reviewer):
    """The file's chosen challenges a reviewer scores it for, by the candidate's preference:
    every one for staff, the ones they mentor for a mentor."""
    chosen = Challenge.objects.filter(applications__application=application).order_by(
        "applications__rank"
    )
    return _reviewed_by(chosen, reviewer)


def review_challenge(*, application, reviewer, challenge=None):
    """The challenge a review is for: the one given, else the first the reviewer may
    score the file for (the screens always give one)."""
    allowed = list(challenges_to_score(application=application, reviewer=reviewer))
    if challenge is None:
        return allowed[0] if allowed else None
    if challenge not in allowed:
        raise ValidationError(
            _("Vous n'évaluez pas ce dossier au titre du défi « %(challenge)s ».")
            % {"challenge": challenge.title}
        )
    return challenge


def own_review(*, application, reviewer, challenge):
    """The reviewer's review for this challenge; without criteria about the challenge,
    their one review of the file, whichever challenge it was written for."""
    reviews = Review.objects.filter(application=application, reviewer=reviewer)
    if has_challenge_criteria(application.call):
        reviews = reviews.filter(challenge=challenge)
    return reviews.prefetch_related("scores").order_by("pk").first()


def submit_review(*, application, reviewer, scores, comment="", challenge=None, now=None):
    """A reviewer's scores on a file for one of its challenges: one review per reviewer
    and challenge, a second submit updates it. Without criteria about the challenge, one
    review per reviewer and file."""
    now = now or timezone.now()
    if not is_assigned(reviewer, application) or has_conflict(reviewer, application):
        raise PermissionDenied(_("Ce dossier ne vous est pas attribué."))
    if not reviews_are_open(application.call, now):
        raise ValidationError(_("Les évaluations sont ouvertes pendant la présélection seulement."))
    challenge = review_challenge(application=application, reviewer=reviewer, challenge=challenge)
    criteria = list(application.call.criteria.all())
    scores = checked_scores(criteria, scores)
    values = {
        "comment": comment or "",
        "weighted_score": weighted_score(criteria, scores),
        "general_score": general_score(criteria, scores),
        "submitted_at": now,
    }
    with transaction.atomic():
        existing = own_review(application=application, reviewer=reviewer, challenge=challenge)
        if existing is None:
            review, _created = Review.objects.update_or_create(
                application=application, reviewer=reviewer, challenge=challenge, defaults=values
            )
        else:
            review = existing
            for field, value in values.items():
                setattr(review, field, value)
            review.save(update_fields=list(values))
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=criterion_id, score=score)
            for criterion_id, score in scores.items()
        )
    return review


def visible_reviews(*, application, reviewer):
    """The reviews a reviewer may read: all of them once theirs is in (staff: always)."""
    reviews = (
        Review.objects.filter(application=application)
        .select_related("reviewer", "challenge")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    )
    if has_conflict(reviewer, application):
        return reviews.none()
    if (
        may(reviewer, "applications.read_every_review")
        or reviews.filter(reviewer=reviewer).exists()
    ):
        return reviews
    return reviews.none()


# --- Lists and the ranking, computed in the database ---------------------------------


def _for_challenge(challenge):
    """The submitted applications that chose this challenge, with that choice alongside.

    The choice's columns come from the same join as the filter: one row per application.
    """
    return (
        Application.objects.submitted()
        .filter(choices__challenge=challenge)
        .select_related("candidate", "profile", "call")
        .annotate(
            choice_id=F("choices__pk"),
            preference=F("choices__rank"),
            choice_status=F("choices__status"),
        )
    )


def _written_for(challenge):
    """A review that is one for `challenge`: written for it, or any review when the
    grid has no criterion about the challenge (then one review serves every choice)."""
    about_challenge = ReviewCriterion.objects.filter(
        call_id=OuterRef("application__call_id"), about_challenge=True
    )
    return Q(challenge=challenge) | ~Exists(about_challenge)


def applications_for_review(*, challenge, user):
    """The list a reviewer reads for a challenge: their own part marked, conflicts left out."""
    mine = {"application": OuterRef("pk"), "reviewer": user.pk}
    reviews = Review.objects.filter(application=OuterRef("pk"))
    return (
        _for_challenge(challenge)
        .filter(~Exists(ReviewConflict.objects.filter(**mine)))
        .annotate(
            review_count=SubqueryCount(reviews),
            has_reviews=Exists(reviews),
            reviewed_by_me=Exists(Review.objects.filter(_written_for(challenge), **mine)),
            assigned_to_me=Exists(ReviewAssignment.objects.filter(**mine)),
        )
        .order_by("pk")
    )


# The ranking in SQL (`eig.sql`): staff page through it during the whole preselection,
# and the ORM took longer to build and compile its three aggregates than PostgreSQL to
# answer them. The tests compute it again through the ORM and compare.
#
# The reviews of a file that count in a challenge's ranking, each with its score there:
# a review written for this challenge counts whole. One written for the file's other
# challenge (or attached to none) counts by its general criteria only, and only if its
# reviewer wrote none for this challenge: each reviewer keeps one voice. Without any
# criterion about the challenge in the grid, both scores are the same. A review that
# gives no score has a NULL score, which no aggregate (mean, count, spread) counts.
_RANKED = (
    sql.Part(Application, "application", only=("candidate_id", "profile_id")),
    sql.Part(User, "candidate", only=("first_name", "last_name", "email")),
    sql.Part(Skill, "profile", only=("label",)),
)
# The choice's id, rank and status, then the mean, count and spread of the reviews.
_RANKED_VALUES = (
    models.IntegerField(),
    models.IntegerField(),
    models.CharField(),
    models.DecimalField(),
    models.IntegerField(),
    models.DecimalField(),
)
_COUNTING_REVIEWS = """
    FROM applications_review review
    WHERE review.application_id = application.id
        AND (review.challenge_id = %(challenge)s OR NOT EXISTS (
            SELECT 1 FROM applications_review own
            WHERE own.application_id = review.application_id
                AND own.reviewer_id = review.reviewer_id AND own.challenge_id = %(challenge)s
        ))
"""
_SCORE = """
    CASE WHEN review.challenge_id = %(challenge)s OR NOT EXISTS (
        SELECT 1 FROM applications_reviewcriterion criterion
        WHERE criterion.call_id = application.call_id AND criterion.about_challenge
    ) THEN review.weighted_score ELSE review.general_score END
"""
_RANKING_PAGE_SQL = f"""
    SELECT {sql.columns(*_RANKED)},
        choice.id, choice.rank, choice.status,
        (SELECT AVG({_SCORE}) {_COUNTING_REVIEWS}) AS mean_score,
        (SELECT COUNT({_SCORE}) {_COUNTING_REVIEWS}) AS review_count,
        (SELECT MAX({_SCORE}) - MIN({_SCORE}) {_COUNTING_REVIEWS}) AS score_spread
    FROM applications_application application
    JOIN applications_choice choice ON choice.application_id = application.id
    JOIN eig_user candidate ON candidate.id = application.candidate_id
    LEFT JOIN eig_skill profile ON profile.id = application.profile_id
    WHERE choice.challenge_id = %(challenge)s
        AND application.status NOT IN ('{Application.Status.DRAFT}', '{Application.Status.WITHDRAWN}')
        AND NOT EXISTS (
            SELECT 1 FROM applications_reviewconflict conflict
            WHERE conflict.application_id = application.id AND conflict.reviewer_id = %(reviewer)s
        )
    ORDER BY mean_score DESC NULLS LAST, choice.rank, application.id
    LIMIT %(limit)s OFFSET %(offset)s
"""


def ranking_page(*, challenge, reviewer, offset, limit):
    """The challenge's candidates by the mean of their reviews' weighted scores, unreviewed
    last, as `reviewer` reads them (their conflicts left out): rows `offset` to
    `offset + limit`.

    Each row is a file with its candidate's name and its profile, its choice (`choice_id`,
    `preference`, `choice_status`) and the reviews that count (`mean_score`,
    `review_count`, `score_spread`: the spread, highest minus lowest, shows where
    reviewers disagree). Each review already weighs the grid's criteria; the mean gives
    each reviewer one voice; criteria about a challenge count only in its ranking.
    """
    params = {
        "challenge": challenge.pk,
        "reviewer": reviewer.pk,
        "offset": offset,
        "limit": limit,
    }
    rows = []
    found = sql.read(_RANKING_PAGE_SQL, params, *_RANKED, values=_RANKED_VALUES)
    for application, candidate, profile, *choice, mean, count, spread in found:
        sql.joined(application, "candidate", candidate)
        sql.joined(application, "profile", profile)
        application.choice_id, application.preference, application.choice_status = choice
        application.mean_score, application.review_count = mean, count
        application.score_spread = spread
        rows.append(application)
    return rows


def ranking_size(challenge, *, reviewer):
    """(candidates the ranking lists for `reviewer`, those shortlisted), their conflicts
    left out: one plain count of choices, without the ranking's aggregates."""
    conflicted = ReviewConflict.objects.filter(
        application=OuterRef("application"), reviewer=reviewer
    )
    counts = (
        Choice.objects.filter(challenge=challenge, application__status=Application.Status.SUBMITTED)
        .filter(~Exists(conflicted))
        .aggregate(
            listed=Count("pk"), shortlisted=Count("pk", filter=Q(status=Choice.Status.SHORTLISTED))
        )
    )
    return counts["listed"], counts["shortlisted"]


def with_review_counts(challenges, *, user):
    """Per challenge: submitted applications, those I reviewed, those still waiting for me."""
    choices = Choice.objects.filter(
        challenge=OuterRef("pk"), application__status=Application.Status.SUBMITTED
    )
    mine = {"application": OuterRef("application"), "reviewer": user.pk}
    reviewed = Exists(Review.objects.filter(_written_for(OuterRef("challenge")), **mine))
    pending = choices.filter(
        Exists(ReviewAssignment.objects.filter(**mine)),
        ~Exists(ReviewConflict.objects.filter(**mine)),
        ~reviewed,
    )
    return challenges.annotate(
        application_count=SubqueryCount(choices),
        reviewed_by_me=SubqueryCount(choices.filter(reviewed)),
        pending_for_me=SubqueryCount(pending),
    )


# --- Decisions: through the choice's lifecycle ----------------------------------------


def _decide(*, choice, by, to):
    if not may(by, "applications.decide_preselection", choice):
        if has_conflict(by, choice.application):
            raise PermissionDenied(_("Vous avez déclaré un conflit d'intérêts avec ce dossier."))
        raise PermissionDenied(_("Seule l'équipe du programme décide de la présélection."))
    return set_choice_status(choice=choice, to=to, by=by)


def shortlist(*, choice, by):
    return _decide(choice=choice, by=by, to=Choice.Status.SHORTLISTED)


def reject_at_preselection(*, choice, by):
    return _decide(choice=choice, by=by, to=Choice.Status.NOT_SHORTLISTED)


def rejection_can_be_undone(choice, call):
    """A pre-selection rejection stays open to staff until the results are published:
    until then the candidate has not been told."""
    return choice.status == Choice.Status.NOT_SHORTLISTED and call.published_at is None


def undo_preselection_rejection(*, choice, by, reason=""):
    """Staff take back a rejection at pre-selection: the choice is under review again,
    logged with who, when and why. Refused once the results are published."""
    choice = Choice.objects.select_related("application__call").get(pk=choice.pk)
    if not may(by, "applications.decide_preselection", choice):
        raise PermissionDenied(_("Seule l'équipe du programme décide de la présélection."))
    if choice.status != Choice.Status.NOT_SHORTLISTED:
        raise ValidationError(_("Ce choix n'est pas refusé en présélection : rien à annuler."))
    if choice.application.call.published_at is not None:
        raise ValidationError(
            _("Les résultats sont publiés : le refus en présélection ne s'annule plus.")
        )
    reason = (reason or "").strip() or _("Refus en présélection annulé.")
    return set_choice_status(choice=choice, to=Choice.Status.PENDING, by=by, reason=reason)


# --- The weekly reminder ------------------------------------------------------------


def _paris_date(moment):
    return calendars.local(moment).date()


def reviewers_with_pending_files(now):
    """Every Monday at 09:00 Paris during pre-selection: each reviewer with files still to score."""
    today = _paris_date(now)
    monday = today - timedelta(days=today.weekday())
    send_at = reminders.paris_time(monday, WEEKLY_REMINDER_AT)
    if not reminders.is_due(send_at, now, within=WEEKLY_REMINDER_WINDOW):
        return
    calls = CallForApplications.objects.filter(
        deadline__lte=send_at, preselection_ends_at__gt=send_at
    ).select_related("promotion")
    calls = {call.pk: call for call in calls}
    if not calls:
        return
    done = {"application": OuterRef("application"), "reviewer": OuterRef("reviewer")}
    pending = (
        ReviewAssignment.objects.filter(
            application__call__in=calls,
            application__status=Application.Status.SUBMITTED,
            reviewer__is_active=True,
        )
        .filter(
            ~Exists(Review.objects.filter(**done)), ~Exists(ReviewConflict.objects.filter(**done))
        )
        .values("application__call", "reviewer")
        .annotate(count=Count("pk"))
        .order_by("application__call", "reviewer")
    )
    rows = list(pending)
    reviewers = User.objects.in_bulk({row["reviewer"] for row in rows})
    year, week, _weekday = monday.isocalendar()
    for row in rows:
        reviewer, call = reviewers[row["reviewer"]], calls[row["application__call"]]
        yield reminders.Due(
            recipient=reviewer,
            obj=call,
            occasion=f"{year}-W{week:02d}",
            context={"call": call, "pending": row["count"]},
        )


REMINDERS = (reminders.Rule(event=events.REVIEW_REMINDER, find=reviewers_with_pending_files),)
