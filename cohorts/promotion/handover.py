"""The handover of a team to its host administration, and each EIG's contract.

EIGs are recruited and employed by the host administration for ten months. When
a challenge's team is complete (as many accepted offers as the administration
asked for) and the results are published, the administration's contacts get
the team — names, profiles, emails, start date — with what to prepare
(contract, equipment, access, the programme's pay grid), by email once and on
the team's page. Staff follow each contract (sent, signed, start date) in the admin.
"""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.decisions.services import team_target
from applications.models import CallForApplications, Offer
from challenges.models import AdministrationContact
from cohorts.models import Team, TeamMember
from cohorts.notifications_handover import TEAM_HANDOVER
from eig import notifications

GITHUB = re.compile(r"^https?://(www\.)?github\.com/(?P<login>[A-Za-z0-9-]+)/?$")


def profile_from_application(*, person, application):
    """The person's profile as they gave it in their application becomes their EIG profile;
    what the person record already says is kept."""
    changed = []
    if not person.profile and application.profile_id:
        person.profile = application.profile.label
        changed.append("profile")
    if not person.website and application.portfolio_url:
        person.website = application.portfolio_url
        changed.append("website")
    found = GITHUB.match(application.forge_url or "")
    if not person.github and found:
        person.github = found["login"]
        changed.append("github")
    if changed:
        person.save(update_fields=changed)
    return person


def call_of_team(team):
    return CallForApplications.objects.filter(promotion_id=team.challenge.promotion_id).first()


def host_contacts(team):
    """The active contacts of the administration hosting the team's challenge."""
    return (
        AdministrationContact.objects.filter(
            administration_id=team.challenge.administration_id,
            status=AdministrationContact.Status.ACTIVE,
        )
        .select_related("user")
        .order_by("pk")
    )


def accepted_count(team):
    return Offer.objects.filter(
        choice__challenge_id=team.challenge_id, status=Offer.Status.ACCEPTED
    ).count()


def is_complete(team, call=None):
    """Published, and as many accepted offers as the administration asked for."""
    call = call or call_of_team(team)
    if call is None or call.published_at is None:
        return False
    return accepted_count(team) >= team_target(team.challenge)


def handover(team, call=None):
    """What the administration needs: each EIG with profile, email, start date and contract."""
    call = call or call_of_team(team)
    members = (
        TeamMember.objects.filter(team=team).select_related("person__user").order_by("position")
    )
    return {
        "team": team,
        "challenge": team.challenge,
        "call": call,
        "members": [
            {
                "member": member,
                "name": member.person.full_name,
                "profile": member.person.profile,
                "email": member.person.user.email if member.person.user_id else "",
                "starts_on": member.starts_on or (call.promotion_starts_on if call else None),
            }
            for member in members
        ],
        "pay_grid": call.pay_grid if call else "",
        "complete": is_complete(team, call),
    }


@transaction.atomic
def hand_over_if_complete(team, now=None):
    """Send the complete team to the administration's contacts, once. Returns the emails."""
    team = (
        Team.objects.select_for_update().select_related("challenge__administration").get(pk=team.pk)
    )
    call = call_of_team(team)
    if team.handed_over_at is not None or not is_complete(team, call):
        return []
    context = {**handover(team, call), "path": reverse("cohorts:team_page", args=[team.pk])}
    sent = [
        notifications.queue_email(
            event=TEAM_HANDOVER,
            recipient=contact.user,
            obj=team,
            occasion="handover",
            context=context,
        )
        for contact in host_contacts(team)
    ]
    team.handed_over_at = now or timezone.now()
    team.save(update_fields=["handed_over_at"])
    return sent
