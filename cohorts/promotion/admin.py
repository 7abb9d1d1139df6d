"""The promotion's coaching calendar and onboarding in the programme's admin.

CalendarFeed is deliberately not registered: its tokens are secrets, and the
owner resets theirs from their agenda.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.models import CoachingEvent, EventInvitation, OnboardingStep
from cohorts.promotion import services as promotion
from cohorts.promotion.forms import CoachingEventForm


class EventInvitationInline(admin.TabularInline):
    """Who is invited, their answer and whether they came (recorded from the attendance sheet)."""

    model = EventInvitation
    fields = ["user", "answer", "answered_at", "attended"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").order_by("user__last_name")


@admin.register(CoachingEvent)
class CoachingEventAdmin(admin.ModelAdmin):
    form = CoachingEventForm
    list_display = ["title", "kind", "promotion", "starts_at", "audience", "invitations_sent_at"]
    list_filter = ["promotion", "kind"]
    list_select_related = ["promotion"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["teams"]
    readonly_fields = ["invitations_sent_at", "sequence", "cancelled_at"]
    inlines = [EventInvitationInline]
    actions = ["send_invitations", "cancel_events"]
    # A change of these, once the invitations went out, is sent to every invitee.
    announced_fields = {"title", "starts_at", "ends_at", "place", "video_link"}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        moved = change and self.announced_fields & set(form.changed_data)
        if moved and obj.invitations_sent_at and not obj.cancelled_at:
            told = promotion.send_event_update(event=obj, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)s personne invitée reçoit le changement (fichier .ics mis à jour).",
                    "%(count)s personnes invitées reçoivent le changement (fichier .ics mis à jour).",
                    len(told),
                )
                % {"count": len(told)},
                level=messages.SUCCESS,
            )

    @admin.action(description=_("Annuler l’événement et prévenir les invités"))
    def cancel_events(self, request, queryset):
        """Irreversible: a confirmation page first, then each invitee gets a CANCEL file."""
        if request.POST.get("confirmer") != "oui":
            return TemplateResponse(
                request,
                "admin/cohorts/coachingevent/cancel_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Annuler ces événements ?"),
                    "events": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        told = sum(len(promotion.cancel_event(event=event, by=request.user)) for event in queryset)
        self.message_user(
            request,
            ngettext(
                "Événements annulés : %(count)s personne prévenue.",
                "Événements annulés : %(count)s personnes prévenues.",
                told,
            )
            % {"count": told},
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Envoyer les invitations"))
    def send_invitations(self, request, queryset):
        sent = 0
        for event in queryset.select_related("promotion"):
            try:
                sent += len(promotion.send_invitations(event=event))
            except ValidationError as error:
                self.message_user(
                    request, f"{event} : {' '.join(error.messages)}", level=messages.ERROR
                )
        self.message_user(
            request,
            ngettext(
                "%(count)s personne invitée (chacune ne reçoit l'invitation qu'une fois).",
                "%(count)s personnes invitées (chacune ne reçoit l'invitation qu'une fois).",
                sent,
            )
            % {"count": sent},
            level=messages.SUCCESS,
        )


class DoneFilter(admin.SimpleListFilter):
    title = _("faite")
    parameter_name = "done"

    def lookups(self, request, model_admin):
        return [("yes", _("oui")), ("no", _("non"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(done_at__isnull=self.value() == "no")
        return queryset


@admin.register(OnboardingStep)
class OnboardingStepAdmin(admin.ModelAdmin):
    list_display = ["member", "item", "done_at", "done_by"]
    list_filter = ["item", DoneFilter, "member__team__challenge__promotion"]
    list_select_related = ["member__person", "member__team__challenge", "done_by"]
    search_fields = ["member__person__full_name", "member__team__challenge__title"]
    raw_id_fields = ["member", "done_by"]
