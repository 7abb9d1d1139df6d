from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Promotion et alumni")

    def ready(self):
        from cohorts import notifications_alumni, receivers, services_promotion  # noqa: F401 — connects the receivers
        from cohorts.models import CoachingEvent, FollowUpSurvey
        from eig import reminders
        from eig.notifications import cancel_on_delete

        reminders.register(*notifications_alumni.REMINDERS, *services_promotion.REMINDERS)
        for model in (FollowUpSurvey, CoachingEvent):
            cancel_on_delete(model)
