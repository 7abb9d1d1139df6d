from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def dashboard_section(user, role_codes):
    """The promotion's links, for the people of the promotion and staff."""
    return {} if {"eig", "mentor", "staff"} & set(role_codes) else None


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Suivi des équipes")

    def ready(self):
        from cohorts.models import Team
        from eig import dashboard, reminders
        from eig.notifications import cancel_on_delete
        from mentoring.reminders import REMINDERS

        dashboard.register(
            dashboard.Section(20, "mentoring/dashboard_section.html", dashboard_section)
        )

        reminders.register(*REMINDERS)
        # A team's pending update reminders die with it (the uid keeps this once).
        cancel_on_delete(Team)
