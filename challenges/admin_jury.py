"""The jury in the programme's admin: members, panels, auditions, conflicts, remarks, grids.

Call-level actions (compose the panels, assign the challenges, lay the
timetable out, send the convocations) belong to the call's admin: they call
the functions of `challenges.jury`.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from challenges import jury
from challenges.models import (
    Audition,
    ConflictOfInterest,
    JuryMember,
    JuryPanel,
    JuryRemark,
    PanelEvaluation,
    PanelScore,
)


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "profile", "call", "panel", "administration"]
    list_filter = ["call", "profile", "panel"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "call__promotion", "panel", "administration"]
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "panel":
            kwargs["queryset"] = JuryPanel.objects.select_related("call__promotion")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "panel":
            field.label_from_instance = lambda panel: f"{panel.name} — {panel.call}"
        return field


class PanelMemberInline(admin.TabularInline):
    """Who sits on the panel: changed from the member's own page."""

    model = JuryMember
    fields = ["user", "profile", "administration"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("membres du panel")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "administration")


class AuditionInline(admin.TabularInline):
    """The panel's auditions; staff move them by changing their start."""

    model = Audition
    fk_name = "panel"
    fields = ["challenge", "starts_at", "ends_at"]
    readonly_fields = ["ends_at"]
    raw_id_fields = ["challenge"]
    extra = 0
    ordering = ["starts_at"]

    @admin.display(description=_("fin"))
    def ends_at(self, audition):
        return timezone.localtime(audition.ends_at).strftime("%H:%M") if audition.pk else "—"


@admin.register(JuryPanel)
class JuryPanelAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "lead", "organiser", "member_count", "audition_count"]
    list_filter = ["call"]
    search_fields = ["name"]
    list_select_related = ["call__promotion", "lead__user", "organiser"]
    raw_id_fields = ["organiser"]
    readonly_fields = ["timetable_problems"]
    inlines = [PanelMemberInline, AuditionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Count("members", distinct=True),
                audition_total=Count("auditions", distinct=True),
            )
        )

    @admin.display(description=_("membres"), ordering="member_total")
    def member_count(self, panel):
        return panel.member_total

    @admin.display(description=_("auditions"), ordering="audition_total")
    def audition_count(self, panel):
        return panel.audition_total

    @admin.display(description=_("emploi du temps de l'appel"))
    def timetable_problems(self, panel):
        if panel.pk is None:
            return "—"
        problems = jury.timetable_conflicts(call=panel.call)
        if not problems:
            return _("Aucun problème.")
        return format_html_join("\n", "<p>{}</p>", ((problem,) for problem in problems))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "lead" in form.base_fields:
            # The lead is one of the panel's own members.
            members = JuryMember.objects.select_related("user")
            form.base_fields["lead"].queryset = (
                members.filter(panel=obj) if obj is not None else members.none()
            )
        return form


@admin.register(Audition)
class AuditionAdmin(admin.ModelAdmin):
    list_display = ["challenge", "panel", "starts_at", "panel_call"]
    list_filter = ["panel__call", "panel"]
    search_fields = ["challenge__title", "panel__name"]
    list_select_related = ["challenge", "panel__call__promotion"]
    raw_id_fields = ["challenge"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("appel à projets"), ordering="panel__call")
    def panel_call(self, audition):
        return audition.panel.call


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["member", "challenge", "declared_at"]
    list_filter = ["member__call"]
    search_fields = ["member__user__email", "member__user__last_name", "challenge__title"]
    list_select_related = ["member__user", "challenge"]
    raw_id_fields = ["member", "challenge"]


@admin.register(JuryRemark)
class JuryRemarkAdmin(admin.ModelAdmin):
    list_display = ["member", "challenge", "updated_at"]
    list_filter = ["member__call", "member__panel"]
    search_fields = ["member__user__email", "member__user__last_name", "challenge__title"]
    list_select_related = ["member__user", "challenge"]
    raw_id_fields = ["member", "challenge"]


class PanelScoreInline(admin.TabularInline):
    model = PanelScore
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(PanelEvaluation)
class PanelEvaluationAdmin(admin.ModelAdmin):
    list_display = ["audition", "recommendation", "recorded_by", "recorded_at"]
    list_filter = ["recommendation", "audition__panel__call", "audition__panel"]
    search_fields = ["audition__challenge__title"]
    list_select_related = ["audition__challenge", "audition__panel", "recorded_by__user"]
    raw_id_fields = ["audition", "recorded_by"]
    inlines = [PanelScoreInline]
