from django.contrib import messages
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, UpdateView

from eig import dashboard
from eig.forms import NotificationPreferencesForm
from eig.models import FaqEntry, Role
from eig.permissions import PermissionRequiredMixin
from eig.roles import role_set


def _by_audience(entries):
    entries = list(entries)
    return {
        "candidates": [e for e in entries if e.audience == FaqEntry.Audience.CANDIDATES],
        "administrations": [e for e in entries if e.audience == FaqEntry.Audience.ADMINISTRATIONS],
    }


class FaqView(TemplateView):
    """The FAQ in force, written by staff; the archived FAQs are linked, never mixed in."""

    template_name = "eig/faq.html"

    def get_context_data(self, **kwargs):
        years = (
            FaqEntry.objects.exclude(archive_year__isnull=True)
            .order_by("-archive_year")
            .values_list("archive_year", flat=True)
            .distinct()
        )
        return super().get_context_data(
            archive_years=list(years), **_by_audience(FaqEntry.objects.current()), **kwargs
        )


class FaqArchiveView(TemplateView):
    """A FAQ as the programme published it one year: dated, and said to be past."""

    template_name = "eig/faq_archive.html"

    def get_context_data(self, **kwargs):
        entries = FaqEntry.objects.archived(self.kwargs["year"])
        if not entries.exists():
            raise Http404
        return super().get_context_data(**_by_audience(entries), **kwargs)


class AccessibilityView(TemplateView):
    template_name = "eig/accessibility.html"


class DashboardView(PermissionRequiredMixin, TemplateView):
    """A user's own space: the roles they hold and where each one leads."""

    template_name = "eig/dashboard.html"
    permission_required = "eig.view_own_space"

    def get_context_data(self, **kwargs):
        role_codes = role_set(self.request.user)
        return super().get_context_data(
            roles=[Role(role).label for role in sorted(role_codes)],
            role_codes=role_codes,
            sections=dashboard.sections_for(self.request.user, role_codes),
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
