"""Staff run the call for applications from the admin: calls, files, funnel, exports."""

from django.contrib import admin
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportActionMixin, ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from applications import admin_interviews, funnel  # noqa: F401 — registers the interviews' admin
from applications.admin_review import ReviewCriterionInline
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    ChoiceTransition,
)
from eig.exports import SafeResource


@admin.register(CallForApplications)
class CallForApplicationsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "opens_at", "deadline", "phase_label", "published_at", "funnel_link"]
    list_select_related = ["promotion"]
    inlines = [ReviewCriterionInline]
    readonly_fields = ["published_at"]

    @admin.display(description=_("phase"))
    def phase_label(self, call):
        return call.phase().label

    @admin.display(description=_("entonnoir"))
    def funnel_link(self, call):
        url = reverse("admin:applications_callforapplications_funnel", args=[call.pk])
        return format_html('<a href="{}">{}</a>', url, _("Voir l'entonnoir"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.funnel_view)
        return [
            path("<int:pk>/entonnoir/", view, name="applications_callforapplications_funnel"),
            *super().get_urls(),
        ]

    def funnel_view(self, request, pk):
        call = get_object_or_404(CallForApplications.objects.select_related("promotion"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Entonnoir de l'%(call)s") % {"call": call},
            "call": call,
            "by_challenge": funnel.by_challenge(call),
            "by_profile": funnel.by_profile(call),
            "stages": funnel.STAGES,
        }
        return TemplateResponse(
            request, "admin/applications/callforapplications/funnel.html", context
        )


class ApplicationResource(SafeResource):
    email = fields.Field(attribute="candidate__email", column_name="email")
    first_name = fields.Field(attribute="candidate__first_name", column_name="prénom")
    last_name = fields.Field(attribute="candidate__last_name", column_name="nom")
    profile_label = fields.Field(attribute="profile__label", column_name="profil")
    first_choice = fields.Field(column_name="choix 1")
    second_choice = fields.Field(column_name="choix 2")
    mean_score = fields.Field(attribute="mean_score", column_name="note moyenne des relectures")
    reviews = fields.Field(attribute="review_count", column_name="relectures")

    class Meta:
        model = Application
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "status",
            "submitted_at",
            "profile_label",
            "years_of_experience",
            "first_choice",
            "second_choice",
            "mean_score",
            "reviews",
            "talent_pool_consent",
        ]
        export_order = fields

    def _choice(self, application, rank):
        for choice in application.choices.all():
            if choice.rank == rank:
                return f"{choice.challenge.title} ({choice.get_status_display()})"
        return ""

    def dehydrate_first_choice(self, application):
        return self._choice(application, 1)

    def dehydrate_second_choice(self, application):
        return self._choice(application, 2)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["rank", "challenge", "motivation", "status", "waitlist_position"]
    readonly_fields = ["status"]
    autocomplete_fields = ["challenge"]


@admin.register(Application)
class ApplicationAdmin(ExportActionMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ApplicationResource]
    formats = [CSV, XLSX]
    list_display = [
        "candidate",
        "call",
        "status",
        "profile",
        "years_of_experience",
        "submitted_at",
        "review_count",
    ]
    list_filter = [
        "call",
        "status",
        "profile",
        "choices__challenge",
        "choices__status",
        "talent_pool_consent",
    ]
    search_fields = [
        "candidate__email",
        "candidate__first_name",
        "candidate__last_name",
        "motivation",
    ]
    list_select_related = ["candidate", "call__promotion", "profile"]
    readonly_fields = [
        "candidate",
        "call",
        "status",
        "created_at",
        "submitted_at",
        "anonymised_at",
        "cv",
    ]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                review_count=Count("reviews", distinct=True),
                mean_score=Avg("reviews__weighted_score"),
            )
        )

    def get_export_queryset(self, request):
        return self.get_queryset(request).prefetch_related("choices__challenge")

    @admin.display(description=_("relectures"), ordering="review_count")
    def review_count(self, application):
        return application.review_count


@admin.register(ChoiceTransition)
class ChoiceTransitionAdmin(admin.ModelAdmin):
    list_display = ["choice", "source", "target", "by", "at"]
    list_filter = ["target"]
    list_select_related = ["choice__application__candidate", "choice__challenge", "by"]
    readonly_fields = ["choice", "source", "target", "by", "at"]

    def has_add_permission(self, request):
        return False
