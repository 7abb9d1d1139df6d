from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Appel à candidatures")

    def ready(self):
        from applications import reminders, rules_interviews, rules_review  # noqa: F401 — permissions
        from applications.models import Application, Choice, InterviewSlot, Offer
        from applications.services_interviews import (
            refuse_ineligible_jurors,
            register_interview_reminders,
        )
        from applications.services_review import register_review_reminders
        from eig.notifications import cancel_on_delete

        m2m_changed.connect(refuse_ineligible_jurors, sender=InterviewSlot.jury.through)
        reminders.register()
        register_interview_reminders()
        register_review_reminders()
        for model in (Application, Choice, InterviewSlot, Offer):
            cancel_on_delete(model)
