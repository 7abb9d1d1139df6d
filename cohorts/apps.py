from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Promotion et alumni")

    def ready(self):
        from cohorts import notifications_alumni, receivers  # noqa: F401 — connects the receivers
        from cohorts.models import CoachingEvent, FollowUpSurvey
        from cohorts.services_promotion import register_promotion_reminders
        from eig.notifications import cancel_on_delete

        notifications_alumni.register_rules()
        register_promotion_reminders()
        for model in (FollowUpSurvey, CoachingEvent):
            cancel_on_delete(model)
