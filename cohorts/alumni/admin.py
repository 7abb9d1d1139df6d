"""The admin of what follows the promotion: alumni profiles, follow-up surveys,
opened datasets. Imported by `cohorts/admin.py`.

Ending a promotion is the service `cohorts.alumni.services.end_promotion`: the
Promotion admin lives in `eig/admin.py`, which imports no stage app.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cohorts.models import AlumniProfile, FollowUpSurvey, OpenedDataset, PartnerSurvey


@admin.register(AlumniProfile)
class AlumniProfileAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "in_directory",
        "available_for_jury",
        "available_for_mentoring",
        "current_position",
    ]
    list_filter = ["available_for_jury", "available_for_mentoring", "skills", "in_directory"]
    filter_horizontal = ["skills"]
    search_fields = ["person__full_name", "person__user__email", "current_position"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


class AnsweredFilter(admin.SimpleListFilter):
    title = _("répondu")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("oui")), ("no", _("non"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        return queryset


@admin.register(FollowUpSurvey)
class FollowUpSurveyAdmin(admin.ModelAdmin):
    list_display = [
        "member",
        "promotion",
        "months_after",
        "sent_at",
        "expires_at",
        "answered_at",
        "sector",
    ]
    list_filter = [
        "months_after",
        AnsweredFilter,
        "sector",
        ("member__team__challenge__promotion", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["member__person__full_name", "member__team__challenge__title"]
    list_select_related = ["member__person", "member__team__challenge__promotion"]
    raw_id_fields = ["member"]
    # The token is the link's key: staff read it, nobody types one.
    readonly_fields = ["token"]
    date_hierarchy = "sent_at"

    @admin.display(description=_("promotion"), ordering="member__team__challenge__promotion__year")
    def promotion(self, survey):
        return survey.member.team.challenge.promotion


@admin.register(PartnerSurvey)
class PartnerSurveyAdmin(admin.ModelAdmin):
    """The mentors' and host administrations' follow-up surveys and their answers."""

    list_display = [
        "challenge",
        "user",
        "respondent",
        "months_after",
        "sent_at",
        "answered_at",
        "product_in_use",
        "made_permanent",
        "administration_recruited",
    ]
    list_filter = [
        "months_after",
        "respondent",
        AnsweredFilter,
        "made_permanent",
        ("challenge__promotion", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["challenge__title", "user__email", "user__last_name"]
    list_select_related = ["challenge", "user"]
    raw_id_fields = ["challenge", "user"]
    readonly_fields = ["token"]
    date_hierarchy = "sent_at"


@admin.register(OpenedDataset)
class OpenedDatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "url"]
    list_filter = [("team__challenge__promotion", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "team__challenge__title"]
    list_select_related = ["team__challenge"]
    autocomplete_fields = ["team"]
