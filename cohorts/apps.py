from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Promotion et alumni")

    def ready(self):
        from cohorts import notifications_alumni
        from cohorts.models import FollowUpSurvey
        from eig.notifications import cancel_on_delete

        notifications_alumni.register_rules()
        cancel_on_delete(FollowUpSurvey)
