"""Interview slots and offers in the programme's admin.

Opening slots in bulk, inviting, booking and deciding go through the services
(and the staff screens under /entretiens/); the admin is for looking and fixing.
Its slot form refuses a jury member who already sits in an overlapping slot of
another challenge, as `create_slots` does.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.decisions import services as decisions
from applications.interviews.forms import BulkSlotsForm
from applications.interviews.services import (
    call_of,
    create_slots_in_bulk,
    eligible_jurors,
    interview_days,
    jury_clashes,
    jury_problems,
)
from applications.models import CallForApplications, InterviewScore, InterviewSlot, Offer
from challenges.models import Challenge
from eig.permissions import may


class InterviewSlotForm(forms.ModelForm):
    video_link = forms.URLField(
        label=_("lien de visioconférence"), required=False, assume_scheme="https"
    )

    class Meta:
        model = InterviewSlot
        fields = [
            "challenge",
            "starts_at",
            "jury",
            "video_link",
            "choice",
            "move_requested",
            "recommendation",
            "recommendation_comment",
        ]

    def clean(self):
        cleaned = super().clean()
        challenge, starts_at = cleaned.get("challenge"), cleaned.get("starts_at")
        jury = list(cleaned.get("jury") or [])
        if challenge and jury:
            try:
                call = call_of(challenge)
            except forms.ValidationError as error:
                self.add_error("challenge", error)
                return cleaned
            problems = jury_problems(
                challenge=challenge, call=call, jury=jury, choice=cleaned.get("choice")
            )
            if starts_at:
                problems += jury_clashes(
                    challenge=challenge, starts=[starts_at], jury=jury, exclude_slot=self.instance
                )
            if problems:
                self.add_error("jury", problems)
        return cleaned


class InterviewScoreInline(admin.TabularInline):
    model = InterviewScore
    fields = ["member", "criterion", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "criterion")


@admin.register(InterviewSlot)
class InterviewSlotAdmin(admin.ModelAdmin):
    form = InterviewSlotForm
    list_display = ["challenge", "starts_at", "candidate", "recommendation", "move_is_requested"]
    list_filter = ["challenge", "starts_at", "recommendation"]
    search_fields = [
        "challenge__title",
        "choice__application__candidate__email",
        "choice__application__candidate__last_name",
    ]
    list_select_related = ["challenge", "choice__application__candidate"]
    filter_horizontal = ["jury"]
    raw_id_fields = ["challenge", "choice"]
    date_hierarchy = "starts_at"
    inlines = [InterviewScoreInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The picker offers only the people the jury rule lets sit on this slot."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if "jury" not in form.base_fields:  # read only: nothing to pick
            return form
        try:
            jurors = eligible_jurors(challenge=obj.challenge, choice=obj.choice)
        except (AttributeError, forms.ValidationError):  # no slot yet, or no call to judge by
            jurors = eligible_jurors()
        form.base_fields["jury"].queryset = jurors.order_by("last_name", "first_name", "email")
        return form

    @admin.display(
        description=_("candidat·e"), ordering="choice__application__candidate__last_name"
    )
    def candidate(self, slot):
        return slot.choice.application.candidate if slot.choice_id else "—"

    # --- Opening slots in bulk: days × times × one jury -------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.bulk_view)
        return [
            path("creer-en-lot/", view, name="applications_interviewslot_bulk"),
            *super().get_urls(),
        ]

    def bulk_view(self, request):
        if not (
            self.has_add_permission(request)
            and may(request.user, "applications.give_interview_slot")
        ):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Ouvrir des créneaux d'entretien en lot"),
        }
        challenge = self._bulk_challenge(request)
        if challenge is None:
            return TemplateResponse(
                request,
                "admin/applications/interviewslot/bulk_choose.html",
                {**context, "calls": self._calls_with_challenges()},
            )
        call = call_of(challenge)
        jurors = eligible_jurors(challenge=challenge, call=call).order_by(
            "last_name", "first_name", "email"
        )
        form = BulkSlotsForm(
            request.POST if request.method == "POST" else None,
            days=interview_days(call),
            jurors=jurors,
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                slots = create_slots_in_bulk(
                    challenge=challenge,
                    days=data["days"],
                    times=data["times"],
                    jury=data["jury"],
                    video_link=data["video_link"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s créneau ouvert pour le défi « %(title)s ».",
                        "%(count)s créneaux ouverts pour le défi « %(title)s ».",
                        len(slots),
                    )
                    % {"count": len(slots), "title": challenge.title},
                    messages.SUCCESS,
                )
                changelist = reverse("admin:applications_interviewslot_changelist")
                return redirect(f"{changelist}?challenge__id__exact={challenge.pk}")
        opened = (
            challenge.interview_slots.annotate(day=TruncDate("starts_at"))
            .values("day")
            .annotate(count=Count("pk"), booked=Count("choice"))
            .order_by("day")
        )
        return TemplateResponse(
            request,
            "admin/applications/interviewslot/bulk_create.html",
            {**context, "challenge": challenge, "call": call, "form": form, "opened": opened},
        )

    def _bulk_challenge(self, request):
        wanted = request.POST.get("defi") or request.GET.get("defi") or ""
        if not wanted.isdigit():
            return None
        return (
            Challenge.objects.public()
            .filter(promotion__call_for_applications__isnull=False)
            .select_related("administration")
            .filter(pk=wanted)
            .first()
        )

    def _calls_with_challenges(self):
        """The calls whose interviews are not over, each with its challenges."""
        calls = list(
            CallForApplications.objects.filter(interviews_end_on__gte=timezone.localdate())
            .select_related("promotion")
            .order_by("interviews_start_on")
        )
        for call in calls:
            call.challenge_list = list(
                call.challenges()
                .select_related("administration")
                .annotate(slot_count=Count("interview_slots"))
                .order_by("title")
            )
        return calls

    @admin.display(description=_("déplacement demandé"), boolean=True)
    def move_is_requested(self, slot):
        return bool(slot.move_requested)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["candidate", "challenge", "status", "respond_by", "answered_at", "overdue"]
    list_filter = ["status", "choice__challenge__promotion"]
    search_fields = [
        "choice__application__candidate__email",
        "choice__application__candidate__last_name",
        "choice__challenge__title",
    ]
    # The offer's name reads its choice, its application and its call.
    list_select_related = [
        "choice__application__candidate",
        "choice__application__call__promotion",
        "choice__challenge",
    ]
    raw_id_fields = ["choice", "confirmed_by"]
    # A status moves only through services_decisions.set_offer_status (logged), never by hand.
    readonly_fields = ["status", "answered_at"]
    actions = ["expire_overdue"]

    @admin.action(description=_("Marquer comme expirées les offres dont le délai est passé"))
    def expire_overdue(self, request, queryset):
        expired = decisions.expire_overdue_offers(offers=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)s offre expirée.", "%(count)s offres expirées.", len(expired))
            % {"count": len(expired)},
        )

    @admin.display(
        description=_("candidat·e"), ordering="choice__application__candidate__last_name"
    )
    def candidate(self, offer):
        return offer.choice.application.candidate

    @admin.display(description=_("défi"), ordering="choice__challenge__title")
    def challenge(self, offer):
        return offer.choice.challenge

    @admin.display(description=_("délai dépassé"), boolean=True)
    def overdue(self, offer):
        return offer.status == Offer.Status.PENDING and offer.respond_by <= timezone.now()
