"""The screens of interviews, decisions and offers, under /entretiens/.

Candidates pick or move their interview and answer their offer; jury members
score their interviews; staff decide each challenge's team. Whatever belongs to
someone else answers 404, as if it did not exist. Views parse, check the
permission, call a service and say what happened; the rules live in the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, FloatField, Prefetch, Q, Sum
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from applications.decisions import services as decisions
from applications.interviews import rules as rules_interviews  # noqa: F401 — registers the permissions below
from applications.interviews import services as interviews
from applications.interviews.forms import (
    BookingForm,
    MoveRequestForm,
    OfferAnswerForm,
    RecommendationForm,
    ScoringForm,
    WaitlistForm,
)
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewScore,
    InterviewSlot,
    Offer,
    ReviewCriterion,
)
from applications.review import services as review
from challenges.models import Challenge
from eig.files import attachment_response
from eig.permissions import HiddenUnlessPermittedMixin, PermissionRequiredMixin, PostOnlyMixin, may

DECISIONS = {
    "selected": Choice.Status.SELECTED,
    "waitlisted": Choice.Status.WAITLISTED,
    "not_selected": Choice.Status.NOT_SELECTED,
}


def _say_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- The candidate --------------------------------------------------------------------


class MyInterviewView(PermissionRequiredMixin, TemplateView):
    """A candidate's interviews: the slot of each shortlisted choice, or free ones to pick."""

    template_name = "applications/interviews/my_interview.html"
    permission_required = "applications.view_my_interview"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        free = InterviewSlot.objects.filter(choice__isnull=True, starts_at__gt=now).order_by(
            "starts_at", "pk"
        )
        choices = (
            Choice.objects.at_interview_stage()
            # Once the results are public the interviews are over: the decision speaks.
            .filter(application__candidate=self.request.user, application__call__published_at=None)
            .select_related("challenge", "interview", "application__call")
            .prefetch_related(
                Prefetch("challenge__interview_slots", queryset=free, to_attr="free_slots")
            )
            .order_by("-application__call__opens_at", "rank")
        )
        rows = [
            {
                "choice": choice,
                "slot": getattr(choice, "interview", None),
                "can_book": interviews.at_interview_stage_for_candidate(choice, now)
                and getattr(choice, "interview", None) is None,
                "move_form": MoveRequestForm(prefix=f"move-{choice.pk}"),
            }
            for choice in choices
        ]
        offers = (
            Offer.objects.filter(
                choice__application__candidate=self.request.user,
                choice__application__call__published_at__isnull=False,
            )
            .select_related("choice__challenge")
            .order_by("-respond_by")
        )
        return super().get_context_data(rows=rows, offers=offers, now=now, **kwargs)


class CandidateChoiceMixin(HiddenUnlessPermittedMixin):
    """A choice of the logged-in candidate; staff may act on any choice (to give a slot)."""

    permission_required = "applications.book_interview"

    def get_permission_object(self):
        return self.choice

    @cached_property
    def choice(self):
        return get_object_or_404(
            Choice.objects.select_related("application", "challenge"), pk=self.kwargs["choice_pk"]
        )

    def done_url(self):
        if (
            may(self.request.user, "applications.give_interview_slot")
            and self.choice.application.candidate_id != self.request.user.pk
        ):
            return _safe_next(
                self.request,
                reverse("applications:team_decisions", args=[self.choice.challenge_id]),
            )
        return reverse("applications:my_interview")


class BookView(PostOnlyMixin, CandidateChoiceMixin, View):
    """The candidate picks a slot, or staff give (or move to) one."""

    def post(self, request, *args, **kwargs):
        form = BookingForm(request.POST, challenge=self.choice.challenge)
        if not form.is_valid():
            messages.error(request, _("Choisissez un des créneaux proposés."))
            return redirect(self.done_url())
        try:
            slot = interviews.book(
                choice=self.choice, slot=form.cleaned_data["slot"], by=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise Http404 from error
            _say_errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "Entretien réservé le %(when)s pour le défi « %(title)s ». Une confirmation part par email."
                )
                % {
                    "when": date_format(timezone.localtime(slot.starts_at), "DATETIME_FORMAT"),
                    "title": self.choice.challenge.title,
                },
            )
        return redirect(self.done_url())


class MoveView(PostOnlyMixin, CandidateChoiceMixin, View):
    """The candidate asks staff to move their interview."""

    permission_required = "applications.request_interview_move"

    def post(self, request, *args, **kwargs):
        form = MoveRequestForm(request.POST, prefix=f"move-{self.choice.pk}")
        if not form.is_valid():
            messages.error(request, _("Expliquez pourquoi vous demandez un autre créneau."))
            return redirect("applications:my_interview")
        try:
            interviews.request_move(choice=self.choice, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(
                request,
                _("Votre demande est transmise à l'équipe, qui vous proposera un autre créneau."),
            )
        return redirect("applications:my_interview")


# --- The jury -------------------------------------------------------------------------


class JuryHomeView(PermissionRequiredMixin, TemplateView):
    """A jury member's interviews: when, which challenge, which candidate, scored or not."""

    template_name = "applications/interviews/jury_home.html"
    permission_required = "applications.view_interview_jury_space"

    def get_context_data(self, **kwargs):
        user = self.request.user
        slots = (
            InterviewSlot.objects.filter(jury=user)
            .select_related(
                "challenge", "choice__application__candidate", "choice__application__profile"
            )
            .select_related("choice__application__call")
            .annotate(my_scores=Count("scores", filter=Q(scores__member=user)))
            .order_by("starts_at", "pk")
        )
        for slot in slots:
            if slot.choice_id:
                application = slot.choice.application
                slot.label = review.candidate_label(
                    application, blind=review.is_blind(application.call)
                )
        return super().get_context_data(slots=slots, **kwargs)


class SlotMixin(HiddenUnlessPermittedMixin):
    permission_required = "applications.score_interview"

    def get_permission_object(self):
        return self.slot

    @cached_property
    def slot(self):
        return get_object_or_404(
            InterviewSlot.objects.select_related(
                "challenge",
                "choice__application__candidate",
                "choice__application__profile",
                "choice__application__call",
            ),
            pk=self.kwargs["slot_pk"],
        )

    @property
    def application(self):
        return self.slot.choice.application if self.slot.choice_id else None


class ScoringView(SlotMixin, TemplateView):
    """The candidate's file, the member's scores on the grid, and the jury's recommendation."""

    template_name = "applications/interviews/scoring.html"

    @cached_property
    def criteria(self):
        if self.application is None:
            return []
        return list(ReviewCriterion.objects.filter(call_id=self.application.call_id))

    def scoring_form(self, data=None):
        mine = InterviewScore.objects.filter(slot=self.slot, member=self.request.user)
        return ScoringForm(data, criteria=self.criteria, initial=ScoringForm.initial_from(mine))

    def recommendation_form(self, data=None):
        return RecommendationForm(
            data,
            initial={
                "recommendation": self.slot.recommendation,
                "comment": self.slot.recommendation_comment,
            },
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("form") == "recommendation":
            return self.post_recommendation(request)
        form = self.scoring_form(request.POST)
        if form.is_valid():
            try:
                interviews.score_interview(
                    slot=self.slot, member=request.user, scores=form.scores()
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, ValidationError(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Vos notes sont enregistrées."))
                return redirect("applications:interview_scoring", slot_pk=self.slot.pk)
        return self.render_to_response(self.get_context_data(scoring_form=form))

    def post_recommendation(self, request):
        form = self.recommendation_form(request.POST)
        if form.is_valid():
            try:
                interviews.record_recommendation(
                    slot=self.slot,
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, ValidationError(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("La recommandation du jury est enregistrée."))
                return redirect("applications:interview_scoring", slot_pk=self.slot.pk)
        return self.render_to_response(self.get_context_data(recommendation_form=form))

    def get_context_data(self, **kwargs):
        if self.application is not None:
            kwargs.setdefault("scoring_form", self.scoring_form())
            kwargs.setdefault("recommendation_form", self.recommendation_form())
        blind = self.application is not None and review.is_blind(self.application.call)
        return super().get_context_data(
            slot=self.slot,
            application=self.application,
            blind=blind,
            label=review.candidate_label(self.application, blind=blind) if self.application else "",
            choice=self.slot.choice,
            criteria=self.criteria,
            jury=self.slot.jury.order_by("last_name", "first_name", "pk"),
            closed=self.application is not None and self.application.call.published_at is not None,
            **kwargs,
        )


class CvView(SlotMixin, View):
    """The candidate's CV, for the members of their interview's jury (after the blind pass)."""

    permission_required = "applications.download_interview_cv"

    def get(self, request, *args, **kwargs):
        if self.application is None or not self.application.cv:
            raise Http404
        candidate = self.application.candidate
        return attachment_response(
            self.application.cv, f"cv-{candidate.get_full_name() or candidate.pk}"
        )


# --- Staff: teams and decisions ---------------------------------------------------------


class StaffOnlyMixin(HiddenUnlessPermittedMixin):
    permission_required = "applications.decide_teams"


def weighted_interview_score():
    scores = "interview__scores"
    return Cast(
        Sum(F(f"{scores}__score") * F(f"{scores}__criterion__weight")), FloatField()
    ) / Cast(Sum(f"{scores}__criterion__weight"), FloatField())


class TeamDecisionsView(StaffOnlyMixin, TemplateView):
    """A challenge's candidates with their interview, scores and recommendation; staff decide."""

    template_name = "applications/interviews/team_decisions.html"

    @cached_property
    def challenge(self):
        return get_object_or_404(
            Challenge.objects.select_related("administration"), pk=self.kwargs["challenge_pk"]
        )

    @cached_property
    def call(self):
        call = (
            CallForApplications.objects.filter(promotion_id=self.challenge.promotion_id)
            .select_related("promotion")
            .first()
        )
        if call is None:
            raise Http404
        return call

    def candidates(self):
        return (
            Choice.objects.at_interview_stage()
            .filter(challenge=self.challenge)
            .select_related("application__candidate", "application__profile", "interview", "offer")
            .annotate(
                interview_score=weighted_interview_score(),
                scorers=Count("interview__scores__member", distinct=True),
            )
            .prefetch_related(
                Prefetch(
                    "application__choices",
                    queryset=Choice.objects.select_related("challenge").order_by("rank"),
                    to_attr="all_choices",
                )
            )
            .order_by(
                F("interview_score").desc(nulls_last=True),
                "application__candidate__last_name",
                "pk",
            )
        )

    def get_context_data(self, **kwargs):
        choices = list(self.candidates())
        blind = review.is_blind(self.call)
        doubles = list(decisions.double_selections(call=self.call))
        for application in doubles:
            application.label = review.candidate_label(application, blind=blind)
        for choice in choices:
            choice.label = review.candidate_label(choice.application, blind=blind)
            choice.slot = getattr(choice, "interview", None)
            choice.place = getattr(choice, "offer", None)
            choice.other_choices = [c for c in choice.application.all_choices if c.pk != choice.pk]
        published = self.call.published_at is not None
        declined = any(
            c.place is not None and c.place.status in Offer.PLACE_GIVEN_BACK for c in choices
        )
        team_size = sum(1 for c in choices if c.holds_a_place)
        proposal = None
        place_free = published and declined and team_size < decisions.team_target(self.challenge)
        waitlist = list(decisions.waiting_list(self.challenge))
        for choice in waitlist:
            choice.label = review.candidate_label(choice.application, blind=blind)
        if place_free:
            proposal = next((c for c in waitlist if not c.place_elsewhere), None)
        free_slots = list(interviews.free_slots(self.challenge))
        return super().get_context_data(
            challenge=self.challenge,
            call=self.call,
            published=published,
            choices=choices,
            waitlist=waitlist,
            team_size=team_size,
            team_target=decisions.team_target(self.challenge),
            problems=decisions.team_problems(self.challenge),
            doubles=doubles,
            proposal=proposal,
            place_free=place_free,
            free_slots=free_slots,
            undecided=sum(1 for c in choices if c.status == Choice.Status.SHORTLISTED),
            waitlist_form=WaitlistForm(),
            **kwargs,
        )


class ChoiceDecideView(PostOnlyMixin, StaffOnlyMixin, View):
    def post(self, request, *args, **kwargs):
        to = DECISIONS.get(kwargs["decision"])
        choice = get_object_or_404(
            Choice.objects.select_related("challenge"), pk=kwargs["choice_pk"]
        )
        if to is None:
            raise Http404
        form = WaitlistForm(request.POST)
        position = form.cleaned_data["waitlist_position"] if form.is_valid() else None
        try:
            decisions.decide(choice=choice, to=to, by=request.user, waitlist_position=position)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Décision enregistrée : %(label)s.") % {"label": to.label})
        return redirect("applications:team_decisions", challenge_pk=choice.challenge_id)


class ResolveDoubleView(PostOnlyMixin, StaffOnlyMixin, View):
    def post(self, request, *args, **kwargs):
        application = get_object_or_404(Application, pk=kwargs["application_pk"])
        try:
            kept = decisions.resolve_double_selection(application=application, by=request.user)
        except ValidationError as error:
            _say_errors(request, error)
            first = application.choices.order_by("rank").first()
            fallback = (
                reverse("applications:team_decisions", args=[first.challenge_id])
                if first
                else reverse("dashboard")
            )
            return redirect(_safe_next(request, fallback))
        messages.success(
            request,
            _("%(candidate)s rejoint le défi de son premier choix, « %(title)s ».")
            % {"candidate": application.candidate, "title": kept.challenge.title},
        )
        return redirect(
            _safe_next(request, reverse("applications:team_decisions", args=[kept.challenge_id]))
        )


class PromoteView(PostOnlyMixin, StaffOnlyMixin, View):
    def post(self, request, *args, **kwargs):
        choice = get_object_or_404(
            Choice.objects.select_related("application__candidate"), pk=kwargs["choice_pk"]
        )
        try:
            decisions.promote_from_waitlist(choice=choice, by=request.user)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(
                request,
                _("La place est offerte à %(candidate)s, qui en est informé·e par email.")
                % {"candidate": choice.application.candidate},
            )
        return redirect("applications:team_decisions", challenge_pk=choice.challenge_id)


class InviteView(PostOnlyMixin, StaffOnlyMixin, View):
    """Staff invite the challenge's shortlisted candidates to pick a slot (each once)."""

    def post(self, request, *args, **kwargs):
        challenge = get_object_or_404(Challenge, pk=kwargs["challenge_pk"])
        rows = interviews.invite_shortlisted(challenge=challenge)
        messages.success(
            request,
            _(
                "%(count)s personne(s) présélectionnée(s) sans créneau invitée(s) à en choisir "
                "un ; celles qui ont déjà un créneau ne reçoivent rien."
            )
            % {"count": len(rows)},
        )
        return redirect("applications:team_decisions", challenge_pk=challenge.pk)


# --- Offers ---------------------------------------------------------------------------


class OfferAnswerView(HiddenUnlessPermittedMixin, TemplateView):
    """The candidate reads their offer and accepts or declines it before its deadline."""

    template_name = "applications/interviews/offer.html"
    permission_required = "applications.answer_offer"

    def get_permission_object(self):
        return self.offer

    @cached_property
    def offer(self):
        return get_object_or_404(
            Offer.objects.select_related(
                "choice__application__call", "choice__challenge__administration"
            ),
            pk=self.kwargs["offer_pk"],
        )

    def post(self, request, *args, **kwargs):
        form = OfferAnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        accept = form.cleaned_data["answer"] == "accept"
        try:
            decisions.answer_offer(offer=self.offer, accept=accept, by=request.user)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(
                request,
                _("Bienvenue dans la promotion ! Votre acceptation est enregistrée.")
                if accept
                else _(
                    "Votre réponse est enregistrée : la place sera proposée à une autre personne."
                ),
            )
        return redirect("applications:offer_answer", offer_pk=self.offer.pk)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", OfferAnswerForm())
        offer = self.offer
        return super().get_context_data(
            offer=offer,
            challenge=offer.choice.challenge,
            expired=timezone.now() >= offer.respond_by,
            pending=offer.status == Offer.Status.PENDING,
            **kwargs,
        )
