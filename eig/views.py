from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseServerError
from django.template import loader
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, UpdateView

from eig.accessibility import CONFORMING, NOT_APPLICABLE, NOT_CONFORMING, current_audit
from eig.forms import NotificationPreferencesForm
from eig.models import FaqEntry, Role
from eig.permissions import PermissionRequiredMixin, may
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

    def get_context_data(self, **kwargs):
        audit = current_audit()
        return super().get_context_data(
            audit=audit,
            conforming=audit.count(CONFORMING),
            not_conforming=audit.count(NOT_CONFORMING),
            not_applicable=audit.count(NOT_APPLICABLE),
            **kwargs,
        )


class SiteMapView(TemplateView):
    template_name = "eig/site_map.html"


class LegalNoticeView(TemplateView):
    template_name = "eig/legal_notice.html"


class PersonalDataView(TemplateView):
    """The inventory of personal data, kept as Markdown in the repository, shown as it is."""

    template_name = "eig/personal_data.html"

    def get_context_data(self, **kwargs):
        path = settings.EIG_PERSONAL_DATA_REGISTER
        register = path.read_text(encoding="utf-8") if path.is_file() else ""
        return super().get_context_data(register=register, **kwargs)


class CookiesView(TemplateView):
    template_name = "eig/cookies.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session_cookie=settings.SESSION_COOKIE_NAME,
            session_days=settings.SESSION_COOKIE_AGE // 86400,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
            language_cookie=settings.LANGUAGE_COOKIE_NAME,
            messages_cookie=getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
            **kwargs,
        )


def server_error(request):
    """The 500 page in the site's layout, rendered without the request's context:
    the database may be what failed, and the user, the session and the messages
    all read it."""
    page = loader.get_template("500.html").render(
        {
            "EIG_HISTORY_ATTRIBUTION": settings.EIG_HISTORY_ATTRIBUTION,
            "ACCESSIBILITY_STATE": current_audit().state,
        }
    )
    return HttpResponseServerError(page)


class DashboardView(PermissionRequiredMixin, TemplateView):
    """A user's own space: the roles they hold and where each one leads."""

    template_name = "eig/dashboard.html"
    permission_required = "eig.view_own_space"
    # Spaces a role does not guarantee (a mentor reviews only while a challenge is under review).
    SPACES = {
        "review": "applications.open_review_space",
        "project_jury": "challenges.view_jury_space",
        "interview_jury": "applications.view_interview_jury_space",
    }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            roles=[Role(role).label for role in sorted(role_set(self.request.user))],
            role_codes=role_set(self.request.user),
            may_open={
                space: may(self.request.user, permission)
                for space, permission in self.SPACES.items()
            },
            **kwargs,
        )


class NotificationPreferencesView(PermissionRequiredMixin, UpdateView):
    """A user chooses the language of their emails and whether to get optional reminders."""

    template_name = "eig/preferences.html"
    permission_required = "eig.view_own_space"
    form_class = NotificationPreferencesForm
    success_url = reverse_lazy("dashboard")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Vos préférences sont enregistrées."))
        return super().form_valid(form)
