from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def dashboard_section(user, role_codes):
    """What "Mon espace" shows of the call for projects: the administration's own links."""
    return {"represents_an_administration": user.administration_contacts.exists()}


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Appel à projets")

    def ready(self):
        from challenges import jury, reminders, rules
        from challenges.models import Audition, Challenge, ChallengeInvitation, JuryMember
        from eig import dashboard
        from eig import reminders as sweep
        from eig.notifications import cancel_on_delete
        from eig.roles import register_access_to_others_files

        register_access_to_others_files(rules.opens_others_files)
        dashboard.register(
            dashboard.Section(10, "challenges/dashboard_section.html", dashboard_section)
        )
        sweep.register(*reminders.REMINDERS, *jury.REMINDERS)
        for model in (Challenge, Audition, ChallengeInvitation, JuryMember):
            cancel_on_delete(model)
