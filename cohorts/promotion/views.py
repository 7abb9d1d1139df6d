"""The promotion's screens: a team's page and onboarding, a person's coaching agenda
and iCal feed, and the attendance sheet staff fill in.

Whoever may not see an object gets 404, as if it did not exist; a visitor who
is not logged in is sent to log in. The iCal feed is the exception: calendar
applications do not log in, so its secret address is its only key.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from challenges.models import ChallengeMentor
from cohorts.alumni import services as services_alumni
from cohorts.handbook import services as handbook
from cohorts.models import CoachingEvent, EventInvitation, HandbookPage, OnboardingStep, Team
from cohorts.promotion import handover
from cohorts.promotion import services as promotion
from cohorts.promotion.forms import AttendanceForm, DeliverablesForm
from eig.permissions import HiddenUnlessPermittedMixin, PostOnlyMixin, may

# --- The team -------------------------------------------------------------------------


class TeamPageView(HiddenUnlessPermittedMixin, TemplateView):
    """The challenge, its EIGs, its mentors, and each EIG's onboarding checklist."""

    template_name = "cohorts/promotion/team.html"
    permission_required = "cohorts.view_team"

    def get_permission_object(self):
        return self.team

    @cached_property
    def team(self):
        return get_object_or_404(
            Team.objects.select_related("challenge__administration", "challenge__promotion"),
            pk=self.kwargs["team_pk"],
        )

    def get_context_data(self, **kwargs):
        members = self.team.members.select_related("person").prefetch_related(
            Prefetch("onboarding", queryset=OnboardingStep.objects.select_related("done_by"))
        )
        mentors = list(
            ChallengeMentor.objects.filter(challenge_id=self.team.challenge_id)
            .select_related("person")
            .order_by("position", "pk")
        )
        return super().get_context_data(
            team=self.team,
            challenge=self.team.challenge,
            members=[(member, promotion.checklist(member.onboarding.all())) for member in members],
            operational=[m for m in mentors if m.kind == ChallengeMentor.Kind.OPERATIONAL],
            strategic=[m for m in mentors if m.kind == ChallengeMentor.Kind.STRATEGIC],
            other_mentors=[m for m in mentors if m.kind == ChallengeMentor.Kind.UNSPECIFIED],
            can_tick=may(self.request.user, "cohorts.tick_onboarding", self.team),
            handover=(
                handover.handover(self.team)
                if may(self.request.user, "cohorts.view_handover", self.team)
                else None
            ),
            # The onboarding checklist links the handbook's pages about arriving.
            handbook_pages=handbook.pages_of_stage(
                user=self.request.user, stages=[HandbookPage.Stage.ARRIVING]
            ),
            **kwargs,
        )


class DeliverablesView(HiddenUnlessPermittedMixin, TemplateView):
    """The team records what it delivers as it goes; its mentors and staff may edit it.
    What is recorded shows on the challenge's public page and in the open data."""

    template_name = "cohorts/promotion/deliverables.html"
    permission_required = "cohorts.record_deliverables"

    def get_permission_object(self):
        return self.team

    @cached_property
    def team(self):
        return get_object_or_404(
            Team.objects.select_related("challenge__promotion"), pk=self.kwargs["team_pk"]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DeliverablesForm.for_team(self.team))
        stages = [
            HandbookPage.Stage.OPEN_SOURCE,
            HandbookPage.Stage.DATA,
            HandbookPage.Stage.LEAVING,
        ]
        return super().get_context_data(
            team=self.team,
            challenge=self.team.challenge,
            handbook_pages=handbook.pages_of_stage(user=self.request.user, stages=stages),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = DeliverablesForm.for_team(self.team, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_alumni.record_team_deliverables(
                    team=self.team,
                    by=request.user,
                    product_url=data["product_url"],
                    source_code_url=data["source_code_url"],
                    datasets=data["datasets"],
                    key_figures=data["key_figures"],
                    summary=data["summary"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Les livrables de l’équipe sont enregistrés."))
                return redirect("cohorts:team_deliverables", team_pk=self.team.pk)
        return self.render_to_response(self.get_context_data(form=form))


class OnboardingTickView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    """Tick (done=1) or untick (done=0) a step of an EIG's arrival."""

    permission_required = "cohorts.tick_onboarding"

    @cached_property
    def step(self):
        return get_object_or_404(
            OnboardingStep.objects.select_related("member__team"), pk=self.kwargs["step_pk"]
        )

    def get_permission_object(self):
        return self.step.member.team

    def post(self, request, *args, **kwargs):
        if request.POST.get("done") not in ("0", "1"):
            return HttpResponseBadRequest()
        done = request.POST["done"] == "1"
        promotion.tick(step=self.step, by=request.user, done=done)
        message = _("« %(step)s » est cochée.") if done else _("« %(step)s » est décochée.")
        messages.success(request, message % {"step": self.step.get_item_display()})
        url = reverse("cohorts:team_page", kwargs={"team_pk": self.step.member.team_id})
        return redirect(f"{url}#eig-{self.step.member_id}")


# --- A person's agenda ----------------------------------------------------------------


class MyCalendarView(HiddenUnlessPermittedMixin, TemplateView):
    """The events the person is invited to, their answers, and their private feed."""

    template_name = "cohorts/promotion/calendar.html"
    permission_required = "eig.view_own_space"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        invitations = list(
            EventInvitation.objects.filter(user=self.request.user)
            .select_related("event")
            .order_by("event__starts_at", "event__pk")
        )
        feed = promotion.feed_for(self.request.user)
        feed_url = self.request.build_absolute_uri(
            reverse("cohorts:calendar_feed", kwargs={"token": feed.token})
        )
        return super().get_context_data(
            upcoming=[i for i in invitations if i.event.ends_at >= now],
            past=[i for i in reversed(invitations) if i.event.ends_at < now],
            now=now,
            feed_url=feed_url,
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
            **kwargs,
        )


class EventRecordView(HiddenUnlessPermittedMixin, TemplateView):
    """An event and its record (materials, notes, links), for its promotion and staff."""

    template_name = "cohorts/promotion/event_record.html"
    permission_required = "cohorts.view_event_record"

    @cached_property
    def event(self):
        return get_object_or_404(
            CoachingEvent.objects.select_related("promotion"), pk=self.kwargs["event_pk"]
        )

    def get_permission_object(self):
        return self.event

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class EventAnswerView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    """The invitee says yes or no; anyone else finds nothing here."""

    permission_required = "eig.view_own_space"
    ANSWERS = {"oui": True, "non": False}

    def post(self, request, *args, **kwargs):
        if kwargs["answer"] not in self.ANSWERS:
            raise Http404
        invitation = get_object_or_404(
            EventInvitation.objects.select_related("event"),
            pk=kwargs["invitation_pk"],
            user=request.user,
        )
        attending = self.ANSWERS[kwargs["answer"]]
        try:
            promotion.answer(invitation=invitation, attending=attending, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = (
                _("Merci : nous notons que vous venez à « %(event)s ».")
                if attending
                else _("C'est noté : vous ne venez pas à « %(event)s ».")
            )
            messages.success(request, text % {"event": invitation.event.title})
        return redirect("cohorts:my_calendar")


class CalendarResetView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    permission_required = "eig.view_own_space"

    def post(self, request, *args, **kwargs):
        promotion.reset_feed(user=request.user)
        messages.success(
            request,
            _(
                "Votre agenda a une nouvelle adresse : l'ancienne ne fonctionne plus. "
                "Abonnez-vous de nouveau dans votre application d'agenda."
            ),
        )
        return redirect("cohorts:my_calendar")


class CalendarFeedView(View):
    """The iCal feed of one person, read by calendar applications without logging in."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        owner = promotion.feed_owner(token)
        if owner is None:
            raise Http404
        response = HttpResponse(
            promotion.ics_feed(owner), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = 'inline; filename="agenda-eig.ics"'
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


# --- Staff: attendance ----------------------------------------------------------------


class EventAttendanceView(HiddenUnlessPermittedMixin, FormView):
    """The invitees, their answers, and who came (staff tick those present)."""

    template_name = "cohorts/promotion/attendance.html"
    permission_required = "cohorts.manage_promotion"
    form_class = AttendanceForm

    @cached_property
    def event(self):
        return get_object_or_404(
            CoachingEvent.objects.select_related("promotion"), pk=self.kwargs["event_pk"]
        )

    @cached_property
    def invitations(self):
        return list(
            self.event.invitations.select_related("user").order_by(
                "user__last_name", "user__first_name", "user__email"
            )
        )

    def get_permission_object(self):
        return None  # staff only, before even saying whether the event exists

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "invitations": self.invitations}

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        ticked = {int(v) for v in (form["present"].value() or ()) if str(v).isdigit()}
        return super().get_context_data(
            event=self.event,
            rows=[(invitation, invitation.user_id in ticked) for invitation in self.invitations],
            started=self.event.starts_at <= timezone.now(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            promotion.record_attendance(
                event=self.event,
                present_user_ids=form.cleaned_data["present"],
                by=self.request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(self.request, " ".join(getattr(error, "messages", [str(error)])))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, _("Les présences sont enregistrées."))
        return redirect("cohorts:event_attendance", event_pk=self.event.pk)
