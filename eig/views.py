from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseServerError
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, UpdateView

from eig import dashboard
from eig.accessibility import CONFORMING, NOT_APPLICABLE, NOT_CONFORMING, current_audit
from eig.accounts import NameForm, NameRequiredMixin
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


class DashboardView(NameRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A user's own space: the roles they hold and where each one leads. Where everyone
    lands after logging in: an account made before sign-up asked for names gives its own."""

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


class NameView(PermissionRequiredMixin, UpdateView):
    """A person gives their first and last names and how to address them, then goes on
    where they were going (`next`)."""

    template_name = "eig/name.html"
    permission_required = "eig.view_own_space"
    form_class = NameForm

    def get_object(self, queryset=None):
        return self.request.user

    def next_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("dashboard")

    def get_success_url(self):
        return self.next_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next_url=self.next_url(), asked=not self.request.user.has_name, **kwargs
        )

    def form_valid(self, form):
        messages.success(self.request, _("Votre nom est enregistré."))
        return super().form_valid(form)
