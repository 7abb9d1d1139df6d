"""Who may do what in the call for projects. Deny by default."""

import rules
from django.db.models import Exists, OuterRef

from challenges import services
from challenges.jury import services as jury
from challenges.models import AdministrationContact, JuryMember
from eig.rules import is_programme_staff


@rules.predicate
def is_editor(user, challenge):
    return bool(
        user.is_authenticated
        and challenge is not None
        and challenge.editors.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_active_contact(user, administration):
    return bool(
        user.is_authenticated
        and administration is not None
        and AdministrationContact.objects.filter(
            administration=administration, user=user, status=AdministrationContact.Status.ACTIVE
        ).exists()
    )


@rules.predicate
def is_editable_now(user, challenge):
    return bool(challenge is not None and services.is_editable_now(challenge))


def panel_member(user, challenge):
    """The jury member who hears this challenge in their panel, with no conflict declared.

    The same answer as the services' (`jury.hearing_member`), read once: a view checks
    the permission and then acts as that member.
    """
    if not user.is_authenticated:
        return None
    return jury.hearing_member(challenge, user.pk)


@rules.predicate
def hears_challenge(user, challenge):
    member = panel_member(user, challenge)
    return bool(member and member.call.kits_are_open)


@rules.predicate
def leads_panel_of(user, challenge):
    member = panel_member(user, challenge)
    return bool(member and member.call.kits_are_open and member.panel.lead_id == member.pk)


@rules.predicate
def sits_on_a_jury(user):
    return bool(user.is_authenticated and JuryMember.objects.filter(user=user).exists())


def opens_others_files():
    """The users who open other people's files through the call for projects: its jury
    members, whom the jury space leads to their panel's kits and pitch decks."""
    return Exists(JuryMember.objects.filter(user=OuterRef("pk")))


rules.add_perm("challenges.submit_challenges", rules.is_authenticated)
rules.add_perm("challenges.manage_administration", is_active_contact | is_programme_staff)
rules.add_perm("challenges.view_own_challenge", is_editor | is_programme_staff)
rules.add_perm("challenges.edit_challenge", is_editor & is_editable_now)
rules.add_perm("challenges.manage_coeditors", is_editor)
rules.add_perm("challenges.download_pitch_deck", is_editor | is_programme_staff | hears_challenge)
rules.add_perm("challenges.view_jury_space", sits_on_a_jury)
rules.add_perm("challenges.view_jury_kit", hears_challenge)
rules.add_perm("challenges.record_panel_grid", leads_panel_of)
