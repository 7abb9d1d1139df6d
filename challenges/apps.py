from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def dashboard_section(user, role_codes):
    """What "Mon espace" shows of the call for projects: the administration's own links,
    and what the current call lets a person do today."""
    from challenges import services

    call = services.current_call()
    return {
        "represents_an_administration": user.administration_contacts.exists(),
        "call": call,
        "accepts_submissions": call is not None and call.accepts_submissions(),
        "upcoming": call is not None and call.phase() == "upcoming",
        "invitations": services.invitations_waiting_for(user),
        "awaiting_validation": (
            services.administrations_awaiting_validation().count() if "staff" in role_codes else 0
        ),
    }


def landing(user):
    """A person invited to co-edit a challenge lands on the invitation after logging in."""
    from challenges import services

    invitation = services.invitations_waiting_for(user).first()
    return invitation and reverse(
        "challenges:invitation_accept", kwargs={"token": invitation.token}
    )


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Appel à projets")

    def ready(self):
        from challenges import reminders, rules
        from challenges.jury import services as jury
        from challenges.models import Audition, Challenge, ChallengeInvitation, JuryMember
        from eig import dashboard
        from eig import reminders as sweep
        from eig.accounts import register_landing
        from eig.notifications import cancel_on_delete
        from eig.roles import register_access_to_others_files

        register_access_to_others_files(rules.opens_others_files)
        dashboard.register(
            dashboard.Section(10, "challenges/dashboard_section.html", dashboard_section)
        )
        sweep.register(*reminders.REMINDERS, *jury.REMINDERS)
        register_landing(landing)
        for model in (Challenge, Audition, ChallengeInvitation, JuryMember):
            cancel_on_delete(model)
