"""The programme's admin site: Django's, titled for the programme, without a sidebar."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


class ProgrammeAdminSite(admin.AdminSite):
    site_header = _("Administration du programme EIG")
    site_title = _("Programme EIG")
    # The sidebar repeated the index's eighty models on every admin page, and drawing
    # it cost staff lists more than their rows; the index and the breadcrumbs lead there.
    enable_nav_sidebar = False

    def login(self, request, extra_context=None):
        """Staff sign in through allauth only, where the second factor is asked: the
        admin's own form checks the password alone."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def each_context(self, request):
        """Django's context for every admin page, less the list of every app and model
        (permissions read, URLs reversed, names sorted): only the sidebar shows it."""
        request._eig_without_app_list = True
        try:
            return super().each_context(request)
        finally:
            del request._eig_without_app_list

    def get_urls(self):
        return [
            path("etat/", self.admin_view(self.platform_status), name="platform_status"),
            *super().get_urls(),
        ]

    def platform_status(self, request):
        """Outbox backlog, beat, workers, backups: what tells staff the platform works."""
        from eig import platform_status

        context = {
            **self.each_context(request),
            "title": _("État de la plateforme"),
            "status": platform_status.read(),
        }
        return TemplateResponse(request, "admin/eig/platform_status.html", context)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin form reads a typed address as https, as Django 6 will (and says so now)."""
        # Never Django's own ModelAdmin class: a subclass of it carries the setting.
        admin_class = admin_class or type("ModelAdmin", (admin.ModelAdmin,), {})
        for model_admin in {admin_class, *getattr(admin_class, "inlines", ())}:
            if models.URLField not in model_admin.__dict__.get("formfield_overrides", {}):
                model_admin.formfield_overrides = {
                    **model_admin.formfield_overrides,
                    models.URLField: {"assume_scheme": "https"},
                }
        return super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        if getattr(request, "_eig_without_app_list", False):
            return []
        return super().get_app_list(request, app_label)


class ProgrammeAdminConfig(AdminConfig):
    default_site = "eig.admin_site.ProgrammeAdminSite"
