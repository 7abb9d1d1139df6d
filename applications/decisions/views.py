"""Staff's decisions hub of a call for applications, and the publication's confirmation.

The hub shows every challenge of the call with the team size its administration
asked for, the people shortlisted, interviewed, selected and waitlisted, the
double selections to resolve and the offers with their answers; each decision
is taken from it. Publishing shows first who will be told what, at which address.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from applications.decisions import services as decisions
from applications.interviews.forms import WaitlistForm
from applications.interviews.services import interview_held
from applications.interviews.views import (
    DECISIONS,
    StaffOnlyMixin,
    _say_errors,
    weighted_interview_score,
)
from applications.models import CallForApplications, Choice, Offer
from applications.review import services as review
from eig.permissions import PostOnlyMixin


def hub_url(call_pk, challenge_pk=None):
    url = reverse("applications:decisions_hub", args=[call_pk])
    return f"{url}#defi-{challenge_pk}" if challenge_pk else url


class ChallengeDecisions:
    """One challenge of the hub: its people (choices at the interview stage) and their counts."""

    def __init__(self, challenge, choices, *, published, now):
        self.challenge = challenge
        self.target = decisions.team_target(challenge)
        self.choices = choices
        for choice in choices:
            choice.held = interview_held(choice, now)
            choice.place = getattr(choice, "offer", None)
        self.shortlisted = len(choices)
        self.interviewed = sum(1 for c in choices if c.held)
        self.selected = sum(1 for c in choices if c.holds_a_place)
        self.waitlist = sorted(
            (c for c in choices if c.status == Choice.Status.WAITLISTED),
            key=lambda c: (c.waitlist_position is None, c.waitlist_position or 0, c.pk),
        )
        self.offers = {
            status: sum(1 for c in choices if c.place and c.place.status == status)
            for status in Offer.Status
        }
        self.offers_made = sum(self.offers.values())
        self.place_free = published and self.selected < self.target
        eligible = [c for c in self.waitlist if not c.place_elsewhere]
        self.next_eligible = eligible[0] if self.place_free and eligible else None

    @property
    def complete(self):
        return self.selected == self.target

    def offer_counts(self):
        return [(Offer.Status(s).label, n) for s, n in self.offers.items() if n]


class DecisionsHubView(StaffOnlyMixin, TemplateView):
    """Every challenge of a call, its people and offers; staff decide from here."""

    template_name = "applications/decisions/hub.html"

    @cached_property
    def call(self):
        return get_object_or_404(
            CallForApplications.objects.select_related("promotion"), pk=self.kwargs["call_pk"]
        )

    def choices(self, challenges):
        elsewhere = (
            Choice.objects.holding_a_place()
            .filter(
                application__candidate=OuterRef("application__candidate"),
                application__call=OuterRef("application__call"),
            )
            .exclude(pk=OuterRef("pk"))
        )
        return (
            Choice.objects.at_interview_stage()
            .filter(application__call=self.call, challenge__in=challenges)
            .select_related("application__candidate", "application__profile", "interview", "offer")
            .annotate(interview_score=weighted_interview_score(), place_elsewhere=Exists(elsewhere))
            .prefetch_related(
                Prefetch(
                    "application__choices",
                    queryset=Choice.objects.select_related("challenge").order_by("rank"),
                    to_attr="all_choices",
                ),
                "interview__scores",
            )
            .order_by(
                F("interview_score").desc(nulls_last=True),
                "application__candidate__last_name",
                "pk",
            )
        )

    def get_context_data(self, **kwargs):
        call, now = self.call, timezone.now()
        published = call.published_at is not None
        blind = review.is_blind(call, now)
        challenges = list(call.challenges().select_related("administration").order_by("title"))
        by_challenge = {challenge.pk: [] for challenge in challenges}
        for choice in self.choices(challenges):
            choice.label = review.candidate_label(choice.application, blind=blind)
            choice.other_choices = [c for c in choice.application.all_choices if c.pk != choice.pk]
            by_challenge[choice.challenge_id].append(choice)
        rows = [
            ChallengeDecisions(c, by_challenge[c.pk], published=published, now=now)
            for c in challenges
        ]
        doubles = list(decisions.double_selections(call=call))
        end = decisions.last_interview_end(call)
        for application in doubles:
            application.label = review.candidate_label(application, blind=blind)
        return super().get_context_data(
            call=call,
            published=published,
            rows=rows,
            doubles=doubles,
            interviews_remain=decisions.interviews_remain(end, now),
            last_interview_end=end,
            totals={
                "target": sum(r.target for r in rows),
                "selected": sum(r.selected for r in rows),
                "shortlisted": sum(r.shortlisted for r in rows),
                "interviewed": sum(r.interviewed for r in rows),
            },
            **kwargs,
        )


class HubDecideView(PostOnlyMixin, StaffOnlyMixin, View):
    """A decision from the hub; a selection before the interview needs the override box."""

    def post(self, request, *args, **kwargs):
        to = DECISIONS.get(kwargs["decision"])
        if to is None:
            raise Http404
        choice = get_object_or_404(
            Choice.objects.select_related(
                "application__candidate", "application__call", "interview", "challenge"
            ),
            pk=kwargs["choice_pk"],
        )
        form = WaitlistForm(request.POST)
        position = form.cleaned_data["waitlist_position"] if form.is_valid() else None
        try:
            decisions.decide_after_interview(
                choice=choice,
                to=to,
                by=request.user,
                override=request.POST.get("override") == "on",
                waitlist_position=position,
            )
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(
                request,
                _("Décision enregistrée pour %(candidate)s : %(label)s.")
                % {"candidate": choice.application.candidate, "label": to.label},
            )
        return redirect(hub_url(choice.application.call_id, choice.challenge_id))


class HubPromoteView(StaffOnlyMixin, TemplateView):
    """After publication, staff offer a freed place to anyone on the challenge's waiting list:
    the page says who gets the email and until when they may answer; posting offers it."""

    template_name = "applications/decisions/promote.html"

    @cached_property
    def choice(self):
        return get_object_or_404(
            Choice.objects.select_related(
                "application__candidate", "application__call", "challenge__administration"
            ),
            pk=self.kwargs["choice_pk"],
        )

    def get_context_data(self, **kwargs):
        choice, now = self.choice, timezone.now()
        call = choice.application.call
        return super().get_context_data(
            choice=choice,
            call=call,
            challenge=choice.challenge,
            respond_by=max(call.offer_response_deadline, now + decisions.LATE_OFFER_DELAY),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        choice = self.choice
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
        return redirect(hub_url(choice.application.call_id, choice.challenge_id))


class PublishView(StaffOnlyMixin, TemplateView):
    """What publishing will do (how many people, which emails); staff confirm to publish.

    Before the call's last interview has ended, publishing needs an explicit override."""

    template_name = "applications/decisions/publish.html"

    @cached_property
    def call(self):
        return get_object_or_404(
            CallForApplications.objects.select_related("promotion"), pk=self.kwargs["call_pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            call=self.call,
            preview=decisions.publication_preview(self.call),
            published=self.call.published_at is not None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "on":
            error = _("Cochez la case pour confirmer la publication.")
            return self.render_to_response(self.get_context_data(error=error))
        try:
            decisions.publish_results(
                call=self.call, by=request.user, override=request.POST.get("override") == "on"
            )
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        messages.success(request, _("Les résultats sont publiés et les candidats informés."))
        return redirect("applications:decisions_hub", call_pk=self.call.pk)
