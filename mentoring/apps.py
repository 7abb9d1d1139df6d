from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Suivi des équipes")

    def ready(self):
        from cohorts.models import Team
        from eig import reminders
        from eig.notifications import cancel_on_delete
        from mentoring.reminders import REMINDERS

        reminders.register(*REMINDERS)
        # A team's pending update reminders die with it (the uid keeps this once).
        cancel_on_delete(Team)
