"""Who may do what during pre-selection. Deny by default.

Staff see every challenge of the call; a mentor, only the challenges they
mentor, while the call is under review. A file opens to staff and to the
reviewers it is assigned to, never to someone who declared a conflict on it.
"""

import rules
from django.db.models import Exists, OuterRef

from applications.models import ReviewAssignment
from applications.review import services as review
from challenges.models import Challenge
from eig.rules import is_programme_staff


@rules.predicate
def mentors_a_challenge_under_review(user):
    return review.mentors_a_challenge_under_review(user)


@rules.predicate
def mentors_challenge_under_review(user, challenge):
    if challenge is None or not user.is_authenticated:
        return False
    call = getattr(challenge.promotion, "call_for_applications", None)
    return bool(
        call is not None and review.is_under_review(call) and review.is_mentor_of(user, challenge)
    )


@rules.predicate
def has_review_conflict(user, application):
    return bool(application is not None and review.has_conflict(user, application))


@rules.predicate
def is_assigned_reviewer(user, application):
    return bool(
        application is not None
        and review.is_under_review(application.call)
        and review.is_assigned(user, application)
    )


@rules.predicate
def mentors_a_chosen_challenge(user, application):
    return bool(application is not None and review.mentors_a_chosen_challenge(user, application))


@rules.predicate
def in_blind_pass(user, application):
    """During a blind first pass the CV, which carries the name, stays closed."""
    return bool(application is not None and review.is_blind(application.call))


@rules.predicate
def has_conflict_on_choice(user, choice):
    return bool(choice is not None and review.has_conflict(user, choice.application))


def opens_others_files():
    """The users who open candidates' files during pre-selection: the reviewers given a
    file, and the mentors of a challenge under review (its list of applications)."""
    mentored_under_review = Challenge.objects.public().filter(
        mentorships__person__user=OuterRef("pk"),
        promotion__call_for_applications__in=review.reviewing_calls(),
    )
    return Exists(ReviewAssignment.objects.filter(reviewer=OuterRef("pk"))) | Exists(
        mentored_under_review
    )


rules.add_perm(
    "applications.open_review_space", is_programme_staff | mentors_a_challenge_under_review
)
rules.add_perm("applications.review_challenge", is_programme_staff | mentors_challenge_under_review)
rules.add_perm(
    "applications.review_application",
    (is_programme_staff | is_assigned_reviewer) & ~has_review_conflict,
)
rules.add_perm(
    "applications.download_review_cv",
    (is_programme_staff | is_assigned_reviewer) & ~has_review_conflict & ~in_blind_pass,
)
rules.add_perm("applications.submit_review", is_assigned_reviewer & ~has_review_conflict)
rules.add_perm("applications.rank_challenge", is_programme_staff)
rules.add_perm("applications.review_every_challenge", is_programme_staff)
rules.add_perm("applications.read_every_review", is_programme_staff)
# Who a file may be given to (the reviewer, not the person giving it).
rules.add_perm("applications.be_given_file", is_programme_staff | mentors_a_chosen_challenge)
rules.add_perm("applications.assign_reviewers", is_programme_staff)
rules.add_perm("applications.decide_preselection", is_programme_staff & ~has_conflict_on_choice)
