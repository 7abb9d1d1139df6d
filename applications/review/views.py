"""The pre-selection screens: reviewers' challenges, a challenge's files, a file, the ranking.

A file that is not yours to see answers 404, as if it did not exist; the
views parse the request, check the permission and call `services_review`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView, View

from applications.models import Application, Choice, ReviewAssignment
from applications.review import rules as rules_review  # noqa: F401 — registers the permissions used here
from applications.review import services as review
from applications.review.filters import ReviewListFilter
from applications.review.forms import (
    AssignForm,
    ConflictForm,
    ReviewForm,
    UndoRejectionForm,
)
from applications.services import CHOICE_MOVES
from challenges.models import Challenge
from eig.files import attachment_response
from eig.links import link_maker
from eig.permissions import HiddenUnlessPermittedMixin, PermissionRequiredMixin, PostOnlyMixin, may

# --- The reviewer's space -----------------------------------------------------------


class ReviewHomeView(PermissionRequiredMixin, TemplateView):
    """The challenges I may review, with how many files each has and how many wait for me."""

    template_name = "applications/review/home.html"
    permission_required = "applications.open_review_space"

    def get_context_data(self, **kwargs):
        user = self.request.user
        challenges = (
            review.with_review_counts(review.challenges_to_review(user), user=user)
            .select_related("promotion__call_for_applications", "administration")
            .order_by("-promotion__year", "title")
        )
        return super().get_context_data(
            challenges=challenges,
            oversees_review=may(user, "applications.review_every_challenge"),
            **kwargs,
        )


# --- A challenge: its files, the assignment, the ranking -----------------------------


class ChallengeReviewMixin(HiddenUnlessPermittedMixin):
    permission_required = "applications.review_challenge"

    def get_permission_object(self):
        return self.challenge

    @cached_property
    def challenge(self):
        return get_object_or_404(
            Challenge.objects.public()
            .filter(promotion__call_for_applications__isnull=False)
            .select_related("promotion__call_for_applications", "administration"),
            pk=self.kwargs["challenge_pk"],
        )

    @cached_property
    def call(self):
        return self.challenge.promotion.call_for_applications

    @cached_property
    def blind(self):
        return review.is_blind(self.call)

    def label_rows(self, rows):
        # Each status's label translated once a page, not once a row.
        status_labels = {status: str(status.label) for status in Choice.Status}
        for row in rows:
            row.label = review.candidate_label(row, blind=self.blind)
            row.status_label = status_labels[row.choice_status]
        return rows


class ReviewChallengeView(ChallengeReviewMixin, ListView):
    """The files of a challenge, filtered and paginated; staff assign them from here."""

    template_name = "applications/review/challenge.html"
    context_object_name = "rows"
    paginate_by = 25

    def get_queryset(self):
        base = review.applications_for_review(challenge=self.challenge, user=self.request.user)
        if self.oversees_review:
            base = base.prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=ReviewAssignment.objects.select_related("reviewer").order_by(
                        "assigned_at", "pk"
                    ),
                )
            )
        self.filterset = ReviewListFilter(self.request.GET or None, queryset=base)
        if self.filterset.is_bound and self.filterset.is_valid():
            return self.filterset.qs
        return base

    @cached_property
    def oversees_review(self):
        return may(self.request.user, "applications.assign_reviewers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.label_rows(context["rows"])
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **context,
            "challenge": self.challenge,
            "call": self.call,
            "blind": self.blind,
            "filter": self.filterset,
            "oversees_review": self.oversees_review,
            "assign_form": AssignForm(challenge=self.challenge) if self.oversees_review else None,
            "return_query": query.urlencode(),
            "reviews_open": review.reviews_are_open(self.call),
        }


class AssignView(PostOnlyMixin, ChallengeReviewMixin, View):
    """Staff give the files ticked in the list to one reviewer."""

    permission_required = "applications.assign_reviewers"

    def post(self, request, *args, **kwargs):
        form = AssignForm(request.POST, challenge=self.challenge)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.list_url())
        reviewer = form.cleaned_data["reviewer"]
        assigned = 0
        for application in form.cleaned_data["applications"]:
            label = review.candidate_label(application, blind=review.is_blind(self.call))
            try:
                review.assign_reviewer(application=application, reviewer=reviewer, by=request.user)
            except ValidationError as error:
                messages.error(request, f"{label} : {' '.join(error.messages)}")
            else:
                assigned += 1
        if assigned:
            messages.success(
                request,
                _("%(count)s dossier(s) attribué(s) à %(reviewer)s.")
                % {"count": assigned, "reviewer": reviewer},
            )
        return redirect(self.list_url())

    def list_url(self):
        # Back to the same filters: the query is parsed again, never echoed as it came.
        query = QueryDict(self.request.POST.get("return_query", ""), mutable=True)
        url = reverse("applications:review_challenge", kwargs={"challenge_pk": self.challenge.pk})
        return f"{url}?{query.urlencode()}" if query else url


class RankingView(ChallengeReviewMixin, TemplateView):
    """Staff read the challenge's ranking and shortlist or reject each candidate.

    Fifty candidates a page: a challenge may draw hundreds of files, and the page
    must cost the same whatever their number.
    """

    template_name = "applications/review/ranking.html"
    permission_required = "applications.rank_challenge"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        listed, shortlisted = review.ranking_size(self.challenge, reviewer=self.request.user)
        page = RankingPaginator(
            RankingPages(self.challenge, self.request.user), self.paginate_by, count=listed
        ).get_page(self.request.GET.get("page"))
        rows = self.label_rows(list(page.object_list))
        self.fill_cells(rows, start=page.start_index())
        return super().get_context_data(
            # One hidden field for the page's hundred small forms (the same token).
            csrf_field=format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                get_token(self.request),
            ),
            challenge=self.challenge,
            call=self.call,
            blind=self.blind,
            rows=rows,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            criteria=self.call.criteria.all(),
            shortlisted=shortlisted,
            **kwargs,
        )

    def fill_cells(self, rows, *, start):
        """Links, labels and numbers made here once per row (the links' patterns and the
        titles' translations once per page), not by template tags and filters in the loop.

        The loop then tests nothing but the decisions, and finds every attribute it reads
        (a missing one costs it a dir() of the row).
        """
        application_url = link_maker("applications:review_application")
        shortlist_url = link_maker("applications:review_decide", "shortlist")
        reject_url = link_maker("applications:review_decide", "reject")
        undo_url = link_maker("applications:review_undo_rejection")
        published = self.call.published_at is not None
        preferences = {1: _("1er choix")}
        second_choice = _("2e choix")
        shortlist_title = _("Présélectionner %(label)s")
        undo_title = _("Annuler le refus de %(label)s")
        reject_title = _("Ne pas retenir %(label)s")
        for rank, row in enumerate(rows, start=start):
            moves = CHOICE_MOVES.get(row.choice_status, set())
            row.rank = rank
            row.rank_text = "—" if row.mean_score is None else rank
            row.profile_text = "—" if row.profile is None else str(row.profile)
            row.preference_text = preferences.get(row.preference, second_choice)
            row.can_shortlist = Choice.Status.SHORTLISTED in moves
            row.can_reject = Choice.Status.NOT_SHORTLISTED in moves
            row.url = f"{application_url(row.pk)}?defi={self.challenge.pk}"
            row.badge = STATUS_BADGES.get(row.choice_status, "fr-badge--info")
            row.mean_text = _two_decimals(row.mean_score)
            row.spread_text = _two_decimals(row.score_spread)
            row.undo_url = None
            if row.can_shortlist:
                row.shortlist_url = shortlist_url(row.choice_id)
                row.shortlist_title = shortlist_title % {"label": row.label}
            if row.choice_status == Choice.Status.NOT_SHORTLISTED and not published:
                row.undo_url = undo_url(row.choice_id)
                row.undo_title = undo_title % {"label": row.label}
            if row.can_reject:
                row.reject_url = reject_url(row.choice_id)
                row.reject_title = reject_title % {"label": row.label}


def _two_decimals(number):
    return "—" if number is None else number_format(round(number, 2), 2)


# The badge of each status, as `_choice_status.html` draws it (inlined in the ranking's rows).
STATUS_BADGES = {
    Choice.Status.SHORTLISTED: "fr-badge--success",
    Choice.Status.NOT_SHORTLISTED: "fr-badge--error",
    Choice.Status.PENDING: "",
}


class RankingPages:
    """The ranking as the paginator slices it: each page's rows read on their own
    (`review.ranking_page`), ranks continuing across pages."""

    def __init__(self, challenge, reviewer):
        self.challenge, self.reviewer = challenge, reviewer

    def __getitem__(self, rows):
        if rows.stop <= rows.start:
            return []
        return review.ranking_page(
            challenge=self.challenge,
            reviewer=self.reviewer,
            offset=rows.start,
            limit=rows.stop - rows.start,
        )


class RankingPaginator(Paginator):
    """Pages of the ranking, counted without the ranking's aggregates (a plain COUNT)."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self):
        return self._count


class DecideView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    """Shortlist or reject a candidate's choice of this challenge."""

    permission_required = "applications.decide_preselection"
    decisions = {"shortlist": review.shortlist, "reject": review.reject_at_preselection}

    def get_permission_object(self):
        return self.choice

    @cached_property
    def choice(self):
        return get_object_or_404(
            Choice.objects.select_related("application__candidate", "application__call"),
            pk=self.kwargs["choice_pk"],
        )

    def post(self, request, *args, **kwargs):
        decide = self.decisions.get(kwargs["decision"])
        if decide is None:
            raise Http404
        label = review.candidate_label(
            self.choice.application, blind=review.is_blind(self.choice.application.call)
        )
        try:
            choice = decide(choice=self.choice, by=request.user)
        except ValidationError as error:
            messages.error(request, f"{label} : {' '.join(error.messages)}")
        else:
            messages.success(
                request,
                _("%(label)s : %(status)s.")
                % {"label": label, "status": choice.get_status_display()},
            )
        return redirect("applications:review_ranking", challenge_pk=self.choice.challenge_id)


class UndoRejectionView(HiddenUnlessPermittedMixin, TemplateView):
    """Staff take back a pre-selection rejection: the page says what will happen (GET),
    the confirmation does it (POST)."""

    template_name = "applications/review/undo_rejection.html"
    permission_required = "applications.decide_preselection"

    def get_permission_object(self):
        return self.choice

    @cached_property
    def choice(self):
        return get_object_or_404(
            Choice.objects.select_related(
                "application__candidate", "application__call__promotion", "challenge"
            ),
            pk=self.kwargs["choice_pk"],
        )

    def ranking_url(self):
        return reverse("applications:review_ranking", args=[self.choice.challenge_id])

    def post(self, request, *args, **kwargs):
        form = UndoRejectionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        label = self.label()
        try:
            review.undo_preselection_rejection(
                choice=self.choice, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, f"{label} : {' '.join(error.messages)}")
        else:
            messages.success(
                request,
                _("%(label)s : le refus est annulé, le dossier est de nouveau en cours d'examen.")
                % {"label": label},
            )
        return redirect(self.ranking_url())

    def label(self):
        application = self.choice.application
        return review.candidate_label(application, blind=review.is_blind(application.call))

    def get_context_data(self, **kwargs):
        call = self.choice.application.call
        kwargs.setdefault("form", UndoRejectionForm())
        return super().get_context_data(
            choice=self.choice,
            call=call,
            label=self.label(),
            possible=review.rejection_can_be_undone(self.choice, call),
            ranking_url=self.ranking_url(),
            **kwargs,
        )


# --- A file ---------------------------------------------------------------------------


class ApplicationReviewMixin(HiddenUnlessPermittedMixin):
    permission_required = "applications.review_application"

    def get_permission_object(self):
        return self.application

    @cached_property
    def application(self):
        return get_object_or_404(
            Application.objects.submitted().select_related(
                "call__promotion", "candidate", "profile"
            ),
            pk=self.kwargs["application_pk"],
        )


class ApplicationReviewView(ApplicationReviewMixin, TemplateView):
    """The file, my scores, the others' reviews once mine is in, and the conflict form."""

    template_name = "applications/review/application.html"

    @cached_property
    def criteria(self):
        return list(self.application.call.criteria.all())

    @cached_property
    def scored_challenges(self):
        return list(
            review.challenges_to_score(application=self.application, reviewer=self.request.user)
        )

    @cached_property
    def scored_challenge(self):
        """The challenge my review is for: the one asked (`defi`), else the first I may score."""
        wanted = self.request.POST.get("defi") or self.request.GET.get("defi")
        for challenge in self.scored_challenges:
            if str(challenge.pk) == wanted:
                return challenge
        return self.scored_challenges[0] if self.scored_challenges else None

    @cached_property
    def own_review(self):
        return review.own_review(
            application=self.application,
            reviewer=self.request.user,
            challenge=self.scored_challenge,
        )

    def may_score(self):
        return may(self.request.user, "applications.submit_review", self.application)

    def post(self, request, *args, **kwargs):
        if not self.may_score():
            raise PermissionDenied
        form = ReviewForm(request.POST, criteria=self.criteria)
        if form.is_valid():
            try:
                review.submit_review(
                    application=self.application,
                    reviewer=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    challenge=self.scored_challenge,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Votre évaluation est enregistrée."))
                url = reverse("applications:review_application", args=[self.application.pk])
                if self.scored_challenge is not None:
                    url = f"{url}?defi={self.scored_challenge.pk}"
                return redirect(url)
        return self.render_to_response(self.get_context_data(review_form=form))

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        call = application.call
        kwargs.setdefault(
            "review_form",
            ReviewForm(criteria=self.criteria, initial=ReviewForm.initial_from(self.own_review)),
        )
        kwargs.setdefault("conflict_form", ConflictForm())
        blind = review.is_blind(call)
        choices = list(
            application.choices.select_related("challenge__administration").order_by("rank")
        )
        for choice in choices:
            choice.may_open_list = may(user, "applications.review_challenge", choice.challenge)
        return super().get_context_data(
            application=application,
            call=call,
            blind=blind,
            label=review.candidate_label(application, blind=blind),
            choices=choices,
            criteria=self.criteria,
            challenge_criteria=[c for c in self.criteria if c.about_challenge],
            scored_challenge=self.scored_challenge,
            scored_challenges=self.scored_challenges,
            own_review=self.own_review,
            may_score=self.may_score(),
            reviews_open=review.reviews_are_open(call),
            reviews=review.visible_reviews(application=application, reviewer=user),
            **kwargs,
        )


class ConflictView(PostOnlyMixin, ApplicationReviewView):
    """A reviewer declares a conflict of interest: the file closes to them."""

    def post(self, request, *args, **kwargs):
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                review.declare_conflict(
                    application=self.application,
                    reviewer=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(
                    request,
                    _(
                        "Votre conflit d’intérêts est enregistré : ce dossier ne vous sera plus "
                        "présenté."
                    ),
                )
                return redirect("applications:review_home")
        return self.render_to_response(self.get_context_data(conflict_form=form))


class CvView(ApplicationReviewMixin, View):
    """The candidate's CV, downloaded, for the reviewers of the file and staff, once the
    blind first pass (if any) is over."""

    permission_required = "applications.download_review_cv"

    def get(self, request, *args, **kwargs):
        if not self.application.cv:
            raise Http404
        try:
            return attachment_response(
                self.application.cv, f"candidature-{self.application.pk}-cv.pdf"
            )
        except FileNotFoundError as missing:
            raise Http404 from missing
