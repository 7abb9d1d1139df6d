"""The jury members' space: their panel, the kit of each challenge, the panel's grid.

A member sees the kits of the challenges their panel hears, once staff open
them, and nothing of a challenge they declared a conflict on. Anything else
answers 404, as if it did not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from challenges.jury import services as jury
from challenges.jury.forms import ConfirmConflictForm, ConflictForm, PanelGridForm, RemarkForm
from challenges.models import (
    Audition,
    ConflictOfInterest,
    JuryMember,
    JuryRemark,
    KitReading,
    PanelEvaluation,
)
from challenges.rules import panel_member
from eig.permissions import HiddenUnlessPermittedMixin, PermissionRequiredMixin, PostOnlyMixin


class JuryHomeView(PermissionRequiredMixin, TemplateView):
    """The member's panel, when it sits, with whom, and where each kit stands."""

    template_name = "challenges/jury/home.html"
    permission_required = "challenges.view_jury_space"

    def get_context_data(self, **kwargs):
        member = (
            JuryMember.objects.filter(user=self.request.user)
            .select_related("call__promotion", "panel__organiser")
            .order_by("-call__opens_at")
            .first()
        )
        panel = member.panel
        auditions = fellows = []
        if panel is not None:
            auditions = list(self._auditions(member))
            fellows = list(panel.members.select_related("user").order_by("user__last_name", "pk"))
        return super().get_context_data(
            member=member,
            call=member.call,
            panel=panel,
            is_lead=panel is not None and panel.lead_id == member.pk,
            auditions=auditions,
            grids_done=sum(1 for a in auditions if a.graded),
            fellows=fellows,
            sitting_from=auditions[0].starts_at if auditions else None,
            sitting_until=max((a.ends_at for a in auditions), default=None),
            past_sessions=self._past_sessions(member),
            **kwargs,
        )

    def _past_sessions(self, member):
        """The auditions the member's panels heard in earlier calls, with each panel's grid."""
        return list(
            Audition.objects.filter(
                panel__members__user=self.request.user,
                cancelled_at__isnull=True,
                starts_at__lt=member.call.opens_at,
            )
            .select_related("challenge__administration", "panel__call__promotion", "evaluation")
            .order_by("-panel__call__opens_at", "starts_at", "pk")
        )

    def _auditions(self, member):
        mine = {"member": member, "challenge": OuterRef("challenge")}
        return (
            member.panel.auditions.select_related("challenge__administration")
            .annotate(
                read=Exists(KitReading.objects.filter(**mine)),
                remarked=Exists(JuryRemark.objects.filter(**mine).exclude(text="")),
                conflicted=Exists(ConflictOfInterest.objects.filter(**mine)),
                graded=Exists(PanelEvaluation.objects.filter(audition=OuterRef("pk"))),
            )
            .order_by("starts_at", "pk")
        )


class JuryChallengeMixin(HiddenUnlessPermittedMixin):
    """A challenge seen by a member of the panel that hears it; 404 for anyone else."""

    def get_object(self):
        return self.challenge

    @cached_property
    def challenge(self):
        """Read once, with its call, audition and administration: the permission is
        checked on the same object."""
        challenge = jury.kit_challenge(self.kwargs["pk"])
        if challenge is None:
            raise Http404
        return challenge

    @cached_property
    def member(self):
        return panel_member(self.request.user, self.challenge)

    def kit_url(self):
        return reverse("challenges:jury_kit", args=[self.challenge.pk])


def pitch_deck_url(challenge):
    """The download of the pitch deck (a view of the administrations' space)."""
    try:
        return reverse("challenges:pitch_deck_download", args=[challenge.pk])
    except NoReverseMatch:
        return f"/appel-a-projets/mes-defis/{challenge.pk}/presentation.pdf"


def challenge_file(challenge):
    """What the file and the grid show: the challenge, its pitch deck's link, and the
    lists read with it (`jury.file_lists`)."""
    return {
        "challenge": challenge,
        "pitch_deck_url": pitch_deck_url(challenge) if challenge.pitch_deck else "",
        **jury.file_lists(challenge),
    }


class KitView(JuryChallengeMixin, TemplateView):
    """The challenge's file, the grid, and the member's own remarks. Opening it counts as reading it."""

    template_name = "challenges/jury/kit.html"
    permission_required = "challenges.view_jury_kit"

    def shared_fragments(self):
        """The challenge's file and the call's grid, as every member of its panel reads them.

        Once the call no longer takes submissions both are frozen (only staff may still
        correct them): they are kept EIG_CACHE_SECONDS in the cache, rather than read
        again, for every member and visit.
        """
        challenge = self.challenge
        seconds = 0 if challenge.call.accepts_submissions() else settings.EIG_CACHE_SECONDS
        key = f"eig:jury-kit:{challenge.pk}:{get_language()}"
        fragments = cache.get(key) if seconds else None
        if fragments is None:
            file = challenge_file(challenge)
            fragments = {
                # Drawn from the challenge alone, without the request's context processors.
                "challenge_file": render_to_string("challenges/jury/_challenge_file.html", file),
                "criteria_grid": render_to_string("challenges/jury/_criteria.html", file),
            }
            if seconds:
                cache.set(key, fragments, seconds)
        return fragments

    def get(self, request, *args, **kwargs):
        self.remark_text = jury.open_kit(member=self.member, challenge=self.challenge)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = RemarkForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(remark_form=form))
        remark = jury.save_remark(
            member=self.member, challenge=self.challenge, text=form.cleaned_data["text"]
        )
        messages.success(
            request,
            _("Vos remarques sont enregistrées.") if remark else _("Vos remarques sont retirées."),
        )
        return redirect(self.kit_url())

    def get_context_data(self, **kwargs):
        if "remark_form" not in kwargs:
            text = getattr(self, "remark_text", None)
            if text is None:  # a form sent back with an error: not read on opening
                remark = JuryRemark.objects.filter(member=self.member, challenge=self.challenge)
                text = next(iter(remark.values_list("text", flat=True)), "")
            kwargs["remark_form"] = RemarkForm(initial={"text": text})
        kwargs.setdefault("conflict_form", ConflictForm())
        challenge = self.challenge
        return super().get_context_data(
            challenge=challenge,
            # The panel that hears it is the member's, read with them (`member.panel`).
            member=self.member,
            audition=challenge.audition,
            is_lead=self.member.panel.lead_id == self.member.pk,
            **self.shared_fragments(),
            **kwargs,
        )


class ConflictView(PostOnlyMixin, KitView):
    """A member declares a conflict of interest in two steps: what they wrote is shown
    back with what it means, and recorded only once they confirm. The kit then closes
    to them and staff are told."""

    def post(self, request, *args, **kwargs):
        if "confirm_step" not in request.POST:
            form = ConflictForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(conflict_form=form))
            return self._confirmation(ConfirmConflictForm(initial=form.cleaned_data))
        form = ConfirmConflictForm(request.POST)
        if not form.is_valid():
            return self._confirmation(form)
        try:
            jury.declare_conflict(
                member=self.member, challenge=self.challenge, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
            return self._confirmation(form)
        messages.success(
            request,
            _(
                "Votre conflit d'intérêts avec le défi « %(title)s » est enregistré : "
                "vous ne siégerez pas pour son évaluation. L'équipe du programme en est informée."
            )
            % {"title": self.challenge.title},
        )
        return redirect("challenges:jury_home")

    def _confirmation(self, form):
        return render(
            self.request,
            "challenges/jury/conflict_confirm.html",
            {"challenge": self.challenge, "member": self.member, "form": form},
        )


class SessionsCalendarView(PermissionRequiredMixin, View):
    """The member's sessions as one .ics file to import into their calendar."""

    permission_required = "challenges.view_jury_space"

    def get(self, request):
        member = JuryMember.objects.filter(user=request.user).order_by("-call__opens_at").first()
        response = HttpResponse(
            jury.sessions_ics(jury.member_auditions(member)),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="sessions-jury-eig.ics"'
        return response


class PanelGridView(JuryChallengeMixin, FormView):
    """The panel lead records the panel's scores and recommendation, reading the members' remarks."""

    template_name = "challenges/jury/grid.html"
    permission_required = "challenges.record_panel_grid"
    form_class = PanelGridForm

    @cached_property
    def evaluation(self):
        return (
            PanelEvaluation.objects.filter(audition__challenge=self.challenge)
            .prefetch_related("scores")
            .first()
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria": self.challenge.call.criteria.all()}

    def get_initial(self):
        return PanelGridForm.initial_from(self.evaluation)

    def form_valid(self, form):
        try:
            jury.record_panel_evaluation(
                member=self.member,
                challenge=self.challenge,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("La grille du panel est enregistrée."))
        return redirect("challenges:panel_grid", pk=self.challenge.pk)

    def get_context_data(self, **kwargs):
        remarks = (
            JuryRemark.objects.filter(challenge=self.challenge, member__panel=self.member.panel)
            .exclude(text="")
            .exclude(member__conflicts__challenge=self.challenge)
            .select_related("member__user")
            .order_by("member__user__last_name", "pk")
        )
        audition = Audition.objects.select_related("panel").get(challenge=self.challenge)
        criteria = list(self.challenge.call.criteria.all())
        return super().get_context_data(
            challenge=self.challenge,
            member=self.member,
            audition=audition,
            evaluation=self.evaluation,
            total=jury.weighted_total(
                criteria,
                {s.criterion_id: s.score for s in self.evaluation.scores.all()}
                if self.evaluation
                else {},
            ),
            weights=",".join(f"{c.pk}:{c.weight}" for c in criteria),
            remarks=remarks,
            **kwargs,
        )
