"""Staff run the call for projects from the admin: calls, qualification, decisions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import ExpressionWrapper, F, FloatField, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from challenges import services
from challenges.admin_exports import ChallengeExportAdminMixin
from challenges.administration.merge import merge_administrations
from challenges.decisions import services as decisions
from challenges.decisions.admin import CallDecisionsAdminMixin, QualificationAdminMixin
from challenges.jury import admin as admin_jury
from challenges.models import (
    Administration,
    AdministrationContact,
    AdministrationMerge,
    CallForProjects,
    Challenge,
    ChallengeInvitation,
    ChallengeMentor,
    ChallengeTransition,
    KeyFigure,
    SelectionCriterion,
)
from eig import calls
from eig.admin_files import PrivateFilesAdminMixin

# --- Calls ---------------------------------------------------------------------------


class SelectionCriterionInline(admin.TabularInline):
    model = SelectionCriterion
    extra = 0


@admin.register(CallForProjects)
class CallForProjectsAdmin(CallDecisionsAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "opens_at",
        "submission_deadline",
        "phase_label",
        "published_at",
        "jury_desk",
        "decisions_links",
    ]
    list_select_related = ["promotion"]
    inlines = [SelectionCriterionInline]
    readonly_fields = ["published_at", "kits_opened_at", "jury_desk", "decisions_links"]
    actions = [
        "close_now",
        "open_jury_desk",
        "publish_now",
    ]

    @admin.display(description=_("phase"))
    def phase_label(self, call):
        return call.phase().label

    @admin.display(description=_("jury"))
    def jury_desk(self, call):
        return admin_jury.jury_desk_link(call) if call.pk else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not obj.criteria.exists():
            # A new call starts from the programme's published grid.
            calls.lay_grid(obj, services.DEFAULT_CRITERIA)

    @admin.action(description=_("Clôturer les dépôts maintenant"))
    def close_now(self, request, queryset):
        for call in queryset.filter(closed_at__isnull=True):
            call.closed_at = timezone.now()
            call.save()  # through save(): the history keeps who closed it
        self.message_user(request, _("Dépôts clôturés."))

    @admin.action(description=_("Jury : ouvrir le bureau du jury de l'appel coché"))
    def open_jury_desk(self, request, queryset):
        """The jury is run from its desk (panels, timetable, convocations, kits)."""
        calls = list(queryset[:2])
        if len(calls) != 1:
            self.message_user(request, _("Cochez un seul appel."), level=messages.ERROR)
            return None
        return redirect("admin:challenges_jury_desk", call_pk=calls[0].pk)

    @admin.action(description=_("Publier les résultats et prévenir les administrations"))
    def publish_now(self, request, queryset):
        """To the confirmation page, which says what publishing will do before it does it."""
        if queryset.count() != 1:
            self.message_user(request, _("Cochez un seul appel à publier."), level=messages.ERROR)
            return None
        return redirect("admin:challenges_callforprojects_publication", pk=queryset.get().pk)


# --- Administrations -------------------------------------------------------------------


class AdministrationContactInline(admin.TabularInline):
    model = AdministrationContact
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website", "awaiting_validation"]
    list_filter = ["awaiting_validation", "kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]
    readonly_fields = ["awaiting_validation", "validated_at", "validated_by"]
    inlines = [AdministrationContactInline]
    actions = ["validate", "merge_two"]

    @admin.action(
        description=_("Valider les administrations cochées (leurs contacts sont prévenus)")
    )
    def validate(self, request, queryset):
        waiting = list(queryset.filter(awaiting_validation=True))
        for administration in waiting:
            services.validate_administration(administration=administration, by=request.user)
        self.message_user(
            request,
            _("%(n)d administration(s) validée(s) : leurs défis peuvent être déposés.")
            % {"n": len(waiting)},
        )

    @admin.action(description=_("Fusionner les deux administrations cochées (une même entité)"))
    def merge_two(self, request, queryset):
        pair = list(queryset.order_by("name"))
        if len(pair) != 2:
            self.message_user(
                request, _("Cochez exactement deux administrations."), level=messages.ERROR
            )
            return None
        kept_pk = request.POST.get("kept")
        if "apply" not in request.POST or kept_pk not in {str(a.pk) for a in pair}:
            return TemplateResponse(
                request,
                "admin/challenges/administration/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Fusionner deux administrations"),
                    "pair": pair,
                    "opts": self.model._meta,
                },
            )
        kept, merged = sorted(pair, key=lambda a: str(a.pk) != kept_pk)
        merge_administrations(kept=kept, merged=merged, by=request.user)
        self.message_user(
            request,
            _("« %(merged)s » est fusionnée dans « %(kept)s ».")
            % {"merged": merged.name, "kept": kept.name},
        )
        return None


@admin.register(AdministrationMerge)
class AdministrationMergeAdmin(admin.ModelAdmin):
    """The merges staff made, kept as they were: read-only."""

    list_display = ["merged_name", "kept", "by", "at"]
    search_fields = ["merged_name", "kept__name"]
    readonly_fields = [f.name for f in AdministrationMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Challenges: qualification and decisions ----------------------------------------------


class ChallengeMentorInline(admin.TabularInline):
    model = ChallengeMentor
    extra = 0
    autocomplete_fields = ["person"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


class ChallengeTransitionInline(admin.TabularInline):
    model = ChallengeTransition
    extra = 0
    can_delete = False
    readonly_fields = ["source", "target", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (communiqué à l'administration)"), widget=forms.Textarea, required=False
    )
    override = forms.BooleanField(
        label=_("Décider aussi pour les défis dont le panel n’a pas rempli sa grille"),
        help_text=_("Inscrit au journal de chacun de ces défis."),
        required=False,
    )

    # A refusal is explained to the administration: at pre-selection and after the jury.
    NEEDS_REASON = (Challenge.Status.DECLINED, Challenge.Status.NOT_SELECTED)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        if target in self.NEEDS_REASON:
            self.fields["reason"].required = True
        if target not in Challenge.DECISIONS:
            del self.fields["override"]


def _move(challenge, target, form, by):
    """A decision after the jury keeps the decisions table's rules (`record_decision`);
    other moves go straight through the lifecycle."""
    reason = form.cleaned_data.get("reason", "")
    if target in Challenge.DECISIONS:
        return decisions.record_decision(
            challenge=challenge,
            decision=target,
            reason=reason,
            by=by,
            override=form.cleaned_data.get("override", False),
        )
    return services.set_challenge_status(challenge=challenge, to=target, by=by, reason=reason)


def _transition_action(target, description):
    """An admin action moving the selected challenges, through the one transition function."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None, target=target)
        if not form.is_bound or not form.is_valid():
            return TemplateResponse(
                request,
                "admin/challenges/challenge/transition.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": description,
                    "challenges": queryset.select_related("administration"),
                    "form": form,
                    "action": request.POST["action"],
                    "opts": modeladmin.model._meta,
                },
            )
        moved, refused = 0, []
        for challenge in queryset.select_related("audition__evaluation"):
            try:
                _move(challenge, target, form, request.user)
                moved += 1
            except ValidationError as error:
                refused.append(f"{challenge.title} : {' '.join(error.messages)}")
        modeladmin.message_user(request, _("%(n)d défi(s) mis à jour.") % {"n": moved})
        for line in refused:
            modeladmin.message_user(request, line, level=messages.WARNING)
        return None

    action.__name__ = f"move_to_{target}"
    action.short_description = description
    return action


@admin.register(Challenge)
class ChallengeAdmin(
    QualificationAdminMixin,
    ChallengeExportAdminMixin,
    PrivateFilesAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "title",
        "administration",
        "call_label",
        "status",
        "submitted_at",
        "weighted_score_label",
        "qualification_link",
    ]
    list_filter = ["status", "call", "promotion", "administration__kind", "skills", "location"]
    search_fields = [
        "title",
        "summary",
        "problem",
        "challenge_text",
        "administration__name",
        "location",
    ]
    list_select_related = ["administration", "promotion", "call__promotion"]
    autocomplete_fields = ["administration"]
    filter_horizontal = ["skills", "editors"]
    readonly_fields = ["status", "submitted_at", "created_at", "qualification_link"]
    # Scores are given on the qualification screen (the file beside the grid), linked here.
    inlines = [ChallengeMentorInline, KeyFigureInline, ChallengeTransitionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "call",
                    "promotion",
                    "administration",
                    "status",
                    "submitted_at",
                ]
            },
        ),
        (
            _("Le dossier"),
            {
                "fields": [
                    "summary",
                    "problem",
                    "challenge_text",
                    "data_description",
                    "data_conditions",
                    "expected_impact",
                    "users_description",
                    "skills",
                    "team_size",
                    "location",
                    "duration_months",
                    "funding",
                    "funding_details",
                    "open_commitment",
                    "pitch_deck",
                ]
            },
        ),
        (_("Équipe"), {"fields": ["editors", "created_at"]}),
        (
            _("Qualification (interne)"),
            {"fields": ["qualification_link", "internal_notes", "decision_reason"]},
        ),
        (
            _("Réalisation et historique public"),
            {
                "classes": ["collapse"],
                "fields": [
                    "body_markdown",
                    "source_code_url",
                    "product_url",
                    "history_key",
                ],
            },
        ),
    ]
    actions = [
        _transition_action(Challenge.Status.SHORTLISTED, _("Présélectionner")),
        _transition_action(
            Challenge.Status.DECLINED, _("Ne pas retenir en présélection (avec un motif)")
        ),
        _transition_action(Challenge.Status.SELECTED, _("Sélectionner (décision finale)")),
        _transition_action(
            Challenge.Status.WAITLISTED, _("Mettre sur liste d'attente (décision finale)")
        ),
        _transition_action(
            Challenge.Status.NOT_SELECTED, _("Ne pas sélectionner (décision finale)")
        ),
        "export_ticked_xlsx",
        "export_ticked_csv",
    ]

    def get_queryset(self, request):
        weighted = ExpressionWrapper(
            Sum(F("assessments__score") * F("assessments__criterion__weight"))
            * 1.0
            / Sum("assessments__criterion__weight"),
            output_field=FloatField(),
        )
        return super().get_queryset(request).annotate(weighted_score=weighted)

    @admin.display(description=_("appel"), ordering="call__opens_at")
    def call_label(self, challenge):
        return challenge.call.promotion.name if challenge.call else "—"

    @admin.display(description=_("note pondérée"), ordering="weighted_score")
    def weighted_score_label(self, challenge):
        return f"{challenge.weighted_score:.2f}" if challenge.weighted_score is not None else "—"


@admin.register(ChallengeInvitation)
class ChallengeInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "challenge", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["challenge", "invited_by"]
    search_fields = ["email", "challenge__title"]
    readonly_fields = ["token"]


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["description", "amount", "challenge"]
    list_select_related = ["challenge"]
    search_fields = ["description", "challenge__title"]
