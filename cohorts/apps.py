from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def dashboard_section(user, role_codes):
    """Applications, juries and the alumni network: each link checks its own role."""
    return {}


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Promotion et alumni")

    def ready(self):
        from cohorts import (
            notifications_alumni,
            receivers,  # noqa: F401 — connects the receivers
            services_promotion,
        )
        from cohorts.models import CoachingEvent, FollowUpSurvey
        from eig import dashboard, reminders
        from eig.notifications import cancel_on_delete

        dashboard.register(
            dashboard.Section(30, "cohorts/dashboard_section.html", dashboard_section)
        )
        reminders.register(*notifications_alumni.REMINDERS, *services_promotion.REMINDERS)
        for model in (FollowUpSurvey, CoachingEvent):
            cancel_on_delete(model)
