from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Appel à projets")

    def ready(self):
        from challenges import reminders
        from challenges.models import Audition, Challenge, ChallengeInvitation
        from eig.notifications import cancel_on_delete

        reminders.register()
        for model in (Challenge, Audition, ChallengeInvitation):
            cancel_on_delete(model)
