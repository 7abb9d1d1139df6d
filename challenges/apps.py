from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Appel à projets")

    def ready(self):
        from challenges import jury, reminders
        from challenges.models import Audition, Challenge, ChallengeInvitation, JuryMember
        from eig import reminders as sweep
        from eig.notifications import cancel_on_delete

        sweep.register(*reminders.REMINDERS, *jury.REMINDERS)
        for model in (Challenge, Audition, ChallengeInvitation, JuryMember):
            cancel_on_delete(model)
