from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


def dashboard_section(user, role_codes):
    """Staff's way to each call's decisions hub in "Mon espace" (the latest calls first)."""
    from applications.models import CallForApplications
    from eig.permissions import may

    if not may(user, "applications.decide_teams"):
        return None
    calls = list(CallForApplications.objects.select_related("promotion").order_by("-opens_at")[:3])
    return {"calls": calls} if calls else None


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Appel à candidatures")

    def ready(self):
        from applications import reminders, services_call  # noqa: F401 — permissions
        from applications.decisions import services as services_decisions  # noqa: F401 — permissions
        from applications.interviews import rules as rules_interviews  # noqa: F401 — permissions
        from applications.interviews import services as services_interviews  # noqa: F401 — permissions
        from applications.interviews.services import refuse_ineligible_jurors
        from applications.models import Application, Choice, InterviewSlot, Offer
        from applications.review import rules as rules_review  # noqa: F401 — permissions
        from applications.review import services as services_review  # noqa: F401 — permissions
        from eig import dashboard
        from eig import reminders as sweep
        from eig.notifications import cancel_on_delete
        from eig.roles import register_access_to_others_files

        dashboard.register(
            dashboard.Section(25, "applications/dashboard_section.html", dashboard_section)
        )
        register_access_to_others_files(rules_review.opens_others_files)
        register_access_to_others_files(rules_interviews.opens_others_files)
        sweep.register(
            *reminders.REMINDERS,
            *services_review.REMINDERS,
            *services_interviews.REMINDERS,
            *services_decisions.REMINDERS,
        )
        # Whatever seats a juror (admin, screens, import), the eligibility rule holds.
        m2m_changed.connect(refuse_ineligible_jurors, sender=InterviewSlot.jury.through)
        for model in (Application, Choice, InterviewSlot, Offer):
            cancel_on_delete(model)
