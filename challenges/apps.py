from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Appel à projets")

    def ready(self):
        from challenges import jury, reminders, rules
        from challenges.models import Audition, Challenge, ChallengeInvitation, JuryMember
        from eig.notifications import cancel_on_delete
        from eig.roles import register_access_to_others_files

        reminders.register()
        register_access_to_others_files(rules.opens_others_files)
        jury.register_jury_reminders()
        for model in (Challenge, Audition, ChallengeInvitation, JuryMember):
            cancel_on_delete(model)
