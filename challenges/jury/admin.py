"""The jury in the programme's admin: members, panels, auditions, conflicts, remarks, grids.

Call-level actions (compose the panels, assign the challenges, lay the
timetable out, send the convocations) belong to the call's admin: they call
the functions of `challenges.jury.services`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges import services
from challenges.jury import desk as jury_desk
from challenges.jury import onboarding as jury_onboarding
from challenges.jury import services as jury
from challenges.jury.forms import ComposePanelsForm, JurorListForm
from challenges.models import (
    Audition,
    CallForProjects,
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
    # An audition is cancelled (its people are told), never deleted with a click here.
    can_delete = False

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

    def get_urls(self):
        return [*JuryDesk(self).urls(), *super().get_urls()]

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


def confirmed_action(description, explanation, do, done):
    """An admin action that first shows what it will do to the checked rows (GET-like
    page), and does it when staff confirm."""

    def action(model_admin, request, queryset):
        if "apply" not in request.POST:
            return TemplateResponse(
                request,
                "admin/challenges/jury_desk/confirm_action.html",
                {
                    **model_admin.admin_site.each_context(request),
                    "title": description,
                    "explanation": explanation,
                    "objects": queryset,
                    "action": request.POST["action"],
                    "opts": model_admin.model._meta,
                },
            )
        count = sum(1 for obj in queryset if do(obj) is not False)
        model_admin.message_user(request, done % {"count": count})
        return None

    action.short_description = description
    action.__name__ = f"confirmed{do.__name__}"
    return action


def _cancel(audition):
    jury.cancel_audition(audition=audition)


def _withdraw(conflict):
    jury.withdraw_conflict(conflict=conflict)


@admin.register(Audition)
class AuditionAdmin(admin.ModelAdmin):
    list_display = ["challenge", "panel", "starts_at", "panel_call", "convocation"]
    list_filter = ["panel__call", "panel"]
    search_fields = ["challenge__title", "panel__name"]
    list_select_related = ["challenge", "panel__call__promotion"]
    raw_id_fields = ["challenge"]
    date_hierarchy = "starts_at"
    readonly_fields = ["sequence", "sent_at", "sent_starts_at", "sent_location", "cancelled_at"]
    exclude = ["sent_panel"]
    actions = [
        confirmed_action(
            _("Annuler les auditions cochées"),
            _(
                "Ces auditions n’auront pas lieu. Celles dont la convocation est partie seront "
                "annulées dans l’agenda des administrations et des panels au prochain envoi "
                "des convocations (bureau du jury)."
            ),
            _cancel,
            _(
                "%(count)s audition(s) annulée(s) : envoyez les annulations depuis le bureau du jury."
            ),
        )
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # cancelled, not deleted
        return actions

    def has_delete_permission(self, request, obj=None):
        # A convoked audition is cancelled, so that its people get the cancellation.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.sent_at)

    @admin.display(description=_("appel à projets"), ordering="panel__call")
    def panel_call(self, audition):
        return audition.panel.call

    @admin.display(description=_("convocation"))
    def convocation(self, audition):
        return jury.Convocation.LABELS[jury.convocation_state(audition)]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["member", "challenge", "reason", "declared_at"]
    list_filter = ["member__call"]
    search_fields = ["member__user__email", "member__user__last_name", "challenge__title"]
    list_select_related = ["member__user", "challenge"]
    raw_id_fields = ["member", "challenge"]
    actions = [
        confirmed_action(
            _("Retirer les conflits d’intérêts cochés"),
            _(
                "Ces membres verront de nouveau le dossier et pourront participer à "
                "l’évaluation du défi (par exemple après un conflit déclaré par erreur)."
            ),
            _withdraw,
            _("%(count)s conflit(s) d’intérêts retiré(s)."),
        )
    ]


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


# --- The jury desk: one page per call -------------------------------------------------


def jury_desk_link(call):
    url = reverse("admin:challenges_jury_desk", args=[call.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("Bureau du jury"))


class JuryDesk:
    """The desk's views, served under the panels' admin: the page itself and the steps
    it leads to. Each step that sends or changes much shows what it will do (GET) and
    does it on POST; its outcome, or why it was refused, is told on the desk."""

    def __init__(self, model_admin):
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site

    def urls(self):
        view = self.admin_site.admin_view
        return [
            path("bureau/<int:call_pk>/", view(self.desk), name="challenges_jury_desk"),
            path(
                "bureau/<int:call_pk>/composer/",
                view(self.compose),
                name="challenges_jury_compose",
            ),
            path(
                "bureau/<int:call_pk>/repartir/",
                view(self.step("assign")),
                name="challenges_jury_assign",
            ),
            path(
                "bureau/<int:call_pk>/calendrier/",
                view(self.step("timetable")),
                name="challenges_jury_timetable",
            ),
            path(
                "bureau/<int:call_pk>/convocations/",
                view(self.step("send")),
                name="challenges_jury_send",
            ),
            path(
                "bureau/<int:call_pk>/dossiers/",
                view(self.step("kits")),
                name="challenges_jury_open_kits",
            ),
            path(
                "bureau/<int:call_pk>/inviter/",
                view(self.onboard),
                name="challenges_jury_onboard",
            ),
        ]

    def _call(self, request, call_pk):
        if not self.model_admin.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(CallForProjects.objects.select_related("promotion"), pk=call_pk)

    def _render(self, request, template, call, title, **context):
        return TemplateResponse(
            request,
            f"admin/challenges/jury_desk/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": JuryPanel._meta,
                "call": call,
                "title": title,
                "desk_url": reverse("admin:challenges_jury_desk", args=[call.pk]),
                **context,
            },
        )

    def _back(self, call):
        return redirect("admin:challenges_jury_desk", call_pk=call.pk)

    def desk(self, request, call_pk):
        call = self._call(request, call_pk)
        return self._render(
            request,
            "desk.html",
            call,
            gettext("Bureau du jury — %(call)s") % {"call": call},
            **jury_desk.read(call=call),
        )

    def compose(self, request, call_pk):
        call = self._call(request, call_pk)
        form = ComposePanelsForm(
            request.POST or None, initial={"panel_count": call.panels.count() or None}
        )
        if request.method == "POST" and form.is_valid():
            try:
                panels = jury.compose_panels(
                    call=call,
                    panel_count=form.cleaned_data["panel_count"],
                    start_over=form.cleaned_data["start_over"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    gettext("%(count)s panels composés : choisissez leur présidence et leur lieu.")
                    % {"count": len(panels)},
                )
                return self._back(call)
        return self._render(
            request,
            "compose.html",
            call,
            gettext("Composer les panels du jury"),
            form=form,
            member_count=call.jury_members.count(),
            waiting_count=call.jury_members.filter(panel__isnull=True).count(),
            capacity=jury.panel_capacity(call),
        )

    STEPS = {
        "assign": (
            _("Répartir les défis présélectionnés entre les panels"),
            _(
                "Chaque défi présélectionné reçoit un panel (2 ou 3 défis par panel), jamais "
                "un panel où siège un membre de son administration ou en conflit d’intérêts. "
                "Les défis déjà placés gardent leur panel quand il convient encore. Aucun "
                "email n’est envoyé."
            ),
        ),
        "timetable": (
            _("Établir le calendrier des auditions"),
            _(
                "Chaque panel siège une demi-journée (9 h – 12 h 30 ou 14 h – 17 h 30, heure "
                "de Paris), deux panels au plus en même temps, avec une pause de 10 minutes "
                "toutes les 40 minutes. Les horaires déjà fixés sont remplacés. Aucun email "
                "n’est envoyé : les convocations modifiées seront à renvoyer."
            ),
        ),
        "send": (
            _("Envoyer les convocations"),
            _(
                "Chaque administration (rédacteurs du défi et contacts actifs) reçoit sa "
                "convocation avec un fichier .ics ; une audition déplacée est renvoyée comme "
                "une mise à jour de la même entrée d’agenda, une audition annulée comme une "
                "annulation. Les membres du panel reçoivent les changements de leurs "
                "auditions, et chaque membre pas encore prévenu reçoit son panel et ses "
                "sessions."
            ),
        ),
        "kits": (
            _("Ouvrir les dossiers au jury"),
            _(
                "Les membres du jury voient dès maintenant les dossiers des défis de leur "
                "panel, et chacun reçoit un email avec ses sessions (.ics). On ne referme pas "
                "les dossiers."
            ),
        ),
    }

    def step(self, name):
        def view(request, call_pk):
            call = self._call(request, call_pk)
            if request.method == "POST":
                try:
                    done = self._do(name, call, request)
                except ValidationError as error:
                    for message in error.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, done)
                return self._back(call)
            title, explanation = self.STEPS[name]
            context = {"explanation": explanation, "step": name}
            if name == "send":
                plan, to_tell = jury.convocation_plan(call=call)
                context.update(
                    plan=[(a, jury.Convocation.LABELS[state]) for a, state in plan],
                    to_tell=to_tell,
                    problems=jury.readiness_problems(call=call),
                )
            if name == "kits" and call.kits_are_open:
                context["already_open"] = True
            return self._render(request, "step.html", call, title, **context)

        return view

    def _do(self, name, call, request):
        if name == "assign":
            auditions = jury.assign_challenges(call=call)
            return gettext("%(count)s défis répartis.") % {"count": len(auditions)}
        if name == "timetable":
            auditions = jury.lay_out_timetable(call=call)
            return gettext("Calendrier établi : %(count)s auditions placées.") % {
                "count": len(auditions)
            }
        if name == "send":
            rows = jury.send_convocations(call=call)
            return gettext("%(count)s emails mis en file d’envoi.") % {"count": len(rows)}
        services.open_kits(call=call, by=request.user)
        return gettext("Les membres du jury voient désormais les dossiers de leur panel.")

    def onboard(self, request, call_pk):
        call = self._call(request, call_pk)
        form = JurorListForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if "confirm" in request.POST:
                    lines = jury_onboarding.invite(call=call, text=text)
                    invited = jury_onboarding.counts(lines)
                    messages.success(
                        request,
                        gettext(
                            "%(new)s comptes créés et %(existing)s comptes existants reliés : "
                            "%(total)s invitations envoyées ; %(already)s déjà membres ; "
                            "%(invalid)s lignes ignorées."
                        )
                        % {**invited, "total": invited["new"] + invited["existing"]},
                    )
                    return self._back(call)
                lines = jury_onboarding.preview(call=call, text=text)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                context.update(
                    lines=lines, counts=jury_onboarding.counts(lines), text=text, preview=True
                )
        return self._render(
            request, "onboard.html", call, gettext("Inviter les membres du jury"), **context
        )
