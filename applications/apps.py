from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Appel à candidatures")

    def ready(self):
        from applications import reminders, rules_interviews, rules_review  # noqa: F401 — permissions
        from applications.models import Application, Choice, InterviewSlot, Offer
        from applications.services_interviews import register_interview_reminders
        from applications.services_review import register_review_reminders
        from eig.notifications import cancel_on_delete
        from eig.roles import register_access_to_others_files

        reminders.register()
        register_access_to_others_files(rules_review.opens_others_files)
        register_access_to_others_files(rules_interviews.opens_others_files)
        register_interview_reminders()
        register_review_reminders()
        for model in (Application, Choice, InterviewSlot, Offer):
            cancel_on_delete(model)
