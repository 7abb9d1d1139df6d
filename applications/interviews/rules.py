"""Who may do what with interviews, decisions and offers. Deny by default.

Each permission follows a relation: the candidate *of* a choice or an offer,
a member *of* a slot's jury. Deciding teams is programme staff's alone.
"""

import rules
from django.db.models import Exists, OuterRef

from applications.interviews import services as interviews
from applications.models import Application, InterviewSlot, ReviewConflict
from applications.review.services import is_blind
from eig.rules import is_programme_staff


@rules.predicate
def has_submitted_application(user):
    return bool(
        user.is_authenticated and Application.objects.submitted().filter(candidate=user).exists()
    )


@rules.predicate
def is_own_choice(user, choice):
    return bool(
        user.is_authenticated
        and choice is not None
        and choice.application.candidate_id == user.pk
        and choice.application.status == Application.Status.SUBMITTED
    )


@rules.predicate
def sits_on_an_interview_jury(user):
    return bool(user.is_authenticated and InterviewSlot.objects.filter(jury=user).exists())


@rules.predicate
def sits_on_slot_jury(user, slot):
    """A member of this slot's jury who declared no link with its candidate."""
    if not user.is_authenticated or slot is None:
        return False
    if not slot.jury.filter(pk=user.pk).exists():
        return False
    return not (
        slot.choice_id is not None
        and ReviewConflict.objects.filter(
            application__choices__pk=slot.choice_id, reviewer=user
        ).exists()
    )


@rules.predicate
def slot_in_blind_pass(user, slot):
    """A slot booked while the call's blind first pass still runs: its CV stays closed."""
    return bool(
        slot is not None and slot.choice_id is not None and is_blind(slot.choice.application.call)
    )


@rules.predicate
def is_offer_owner(user, offer):
    return bool(
        user.is_authenticated
        and offer is not None
        and offer.choice.application.candidate_id == user.pk
    )


@rules.predicate
def interview_held(user, choice):
    """The person was heard for this choice (`services_interviews.interview_held`): a
    selection before that needs staff's explicit override."""
    return bool(choice is not None and interviews.interview_held(choice))


def opens_others_files():
    """The users who open candidates' files and CVs at interviews: every slot's jury."""
    return Exists(InterviewSlot.objects.filter(jury=OuterRef("pk")))


rules.add_perm("applications.view_my_interview", has_submitted_application)
# A candidate books their own interview; staff give a slot to anyone shortlisted.
rules.add_perm("applications.book_interview", is_own_choice | is_programme_staff)
rules.add_perm("applications.request_interview_move", is_own_choice)
rules.add_perm("applications.give_interview_slot", is_programme_staff)
rules.add_perm("applications.view_interview_jury_space", sits_on_an_interview_jury)
rules.add_perm("applications.score_interview", sits_on_slot_jury)
rules.add_perm("applications.download_interview_cv", sits_on_slot_jury & ~slot_in_blind_pass)
rules.add_perm("applications.decide_teams", is_programme_staff)
# Selecting someone not yet heard: staff, and only by saying so (an explicit override).
rules.add_perm("applications.select_without_interview", is_programme_staff)
rules.add_perm("applications.answer_offer", is_offer_owner)
