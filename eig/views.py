from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from eig.models import FaqEntry, Role
from eig.roles import role_set


class FaqView(TemplateView):
    template_name = "eig/faq.html"

    def get_context_data(self, **kwargs):
        entries = list(FaqEntry.objects.all())
        return super().get_context_data(
            candidates=[e for e in entries if e.audience == FaqEntry.Audience.CANDIDATES],
            administrations=[e for e in entries if e.audience == FaqEntry.Audience.ADMINISTRATIONS],
            **kwargs,
        )


class AccessibilityView(TemplateView):
    template_name = "eig/accessibility.html"


class DashboardView(PermissionRequiredMixin, TemplateView):
    """A user's own space: the roles they hold and where each one leads."""

    template_name = "eig/dashboard.html"
    permission_required = "eig.view_own_space"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            roles=[Role(role).label for role in sorted(role_set(self.request.user))], **kwargs
        )
