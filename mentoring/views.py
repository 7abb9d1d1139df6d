"""The teams' space, under /equipes/: weekly updates, comments, mentors' notes, staff dashboard.

A team one has nothing to do with does not exist: 404 for anyone logged in,
the login page for a visitor. Form targets answer only POST.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cohorts.models import Team, TeamMember
from cohorts.services import teams_of
from eig.models import Promotion
from eig.permissions import HiddenUnlessPermittedMixin, PermissionRequiredMixin, PostOnlyMixin, may
from eig.rules import is_programme_staff
from mentoring import services
from mentoring.forms import (
    CommentForm,
    DashboardForm,
    NoteForm,
    UpdateSharingForm,
    WeekForm,
    WeeklyUpdateForm,
)
from mentoring.models import UpdateComment, WeeklyUpdate


class TeamMixin(HiddenUnlessPermittedMixin):
    """A view about the team of the URL, the object of its permission."""

    def get_permission_object(self):
        return self.team

    @cached_property
    def team(self):
        return get_object_or_404(
            Team.objects.select_related("challenge__promotion", "challenge__administration"),
            pk=self.kwargs["team_pk"],
        )

    def team_url(self, anchor=""):
        url = reverse("mentoring:team_updates", kwargs={"team_pk": self.team.pk})
        return f"{url}#{anchor}" if anchor else url


class MyTeamsView(PermissionRequiredMixin, TemplateView):
    """An EIG's team, a mentor's teams; staff go to the dashboard of all teams."""

    template_name = "mentoring/my_teams.html"
    permission_required = "eig.view_own_space"

    def get(self, request, *args, **kwargs):
        if is_programme_staff(request.user):
            return redirect("mentoring:mentoring_dashboard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        teams = (
            teams_of(user)
            .select_related("challenge__promotion", "challenge__administration")
            .annotate(
                as_member=Exists(TeamMember.objects.filter(team=OuterRef("pk"), person__user=user))
            )
            .order_by("-challenge__promotion__year", "challenge__title")
        )
        return super().get_context_data(teams=teams, **kwargs)


class TeamUpdatesView(TeamMixin, TemplateView):
    """The team's updates, latest first; its EIGs write this week's, mentors and staff comment."""

    template_name = "mentoring/team_updates.html"

    def get_permission_required(self):
        if self.request.method == "POST":
            return ["mentoring.post_update"]
        return ["cohorts.view_team"]

    def post(self, request, *args, **kwargs):
        form = WeeklyUpdateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.post_update(
                    team=self.team,
                    by=request.user,
                    week=data["week"],
                    spirit=data["spirit"],
                    priorities=data["priorities"],
                    victories=data["victories"],
                    help_needed=data["help_needed"],
                )
            except ValidationError as error:
                form = self.refused_form(error)
            else:
                messages.success(request, _("Le bulletin de la semaine est enregistré."))
                return redirect(self.team_url())
        return self.render_to_response(self.get_context_data(update_form=form))

    def refused_form(self, error):
        """The text kept, the error shown, and the form now for this week: sent again, it files there."""
        data = self.request.POST.copy()
        data["week"] = services.current_week().isoformat()
        form = WeeklyUpdateForm(data)
        form.is_valid()
        form.add_error(None, error)
        return form

    def get_context_data(self, **kwargs):
        user = self.request.user
        this_week = services.current_week()
        updates = list(
            self.team.weekly_updates.select_related(
                "author", "edited_by", "help_handled_by"
            ).prefetch_related(
                Prefetch("comments", queryset=UpdateComment.objects.select_related("author"))
            )
        )
        current = next((u for u in updates if u.week == this_week), None)
        can_post = may(user, "mentoring.post_update", self.team)
        if can_post:
            kwargs.setdefault("update_form", WeeklyUpdateForm.for_week(this_week, current))
        if may(user, "mentoring.comment_team_updates", self.team):
            for update in updates:
                update.comment_form = CommentForm(auto_id=f"commentaire-{update.pk}-%s")
        sees_notes = may(user, "mentoring.view_mentor_notes", self.team)
        return super().get_context_data(
            team=self.team,
            this_week=this_week,
            closes_at=services.week_closes_at(this_week),
            reads_promotion=may(
                user, "mentoring.view_promotion_updates", self.team.challenge.promotion
            ),
            current_update=current,
            updates=updates,
            can_post=can_post,
            sees_notes=sees_notes,
            notes=services.visible_notes(team=self.team, user=user) if sees_notes else [],
            note_form=NoteForm() if sees_notes else None,
            **kwargs,
        )


class MentorNotesView(TeamMixin, TemplateView):
    """The mentors' private notes on a team: read them, add one."""

    template_name = "mentoring/mentor_notes.html"

    def get_permission_required(self):
        if self.request.method == "POST":
            return ["mentoring.add_mentor_note"]
        return ["mentoring.view_mentor_notes"]

    def post(self, request, *args, **kwargs):
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.add_note(team=self.team, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error("text", error)
            else:
                messages.success(request, _("Votre note est enregistrée."))
                return redirect(self.team_url("notes-mentors"))
        return self.render_to_response(self.get_context_data(note_form=form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("note_form", NoteForm())
        return super().get_context_data(
            team=self.team,
            notes=services.visible_notes(team=self.team, user=self.request.user),
            **kwargs,
        )


class UpdateCommentView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    """A mentor of the team, or staff, comments on one of its updates."""

    permission_required = "mentoring.comment_team_updates"

    @cached_property
    def update(self):
        return get_object_or_404(
            WeeklyUpdate.objects.select_related("team"), pk=self.kwargs["update_pk"]
        )

    def get_permission_object(self):
        return self.update.team

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            services.comment(update=self.update, by=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Votre commentaire est publié."))
        else:
            # Say what is wrong (empty, too long, a forbidden character), not a guess.
            problems = " ".join(form.errors.get("text", []))
            messages.error(
                request, _("Rien n’a été publié : %(problems)s") % {"problems": problems}
            )
        url = reverse("mentoring:team_updates", kwargs={"team_pk": self.update.team_id})
        return redirect(f"{url}#bulletin-{self.update.pk}")


class DashboardView(HiddenUnlessPermittedMixin, TemplateView):
    """Staff's view of a promotion: teams × weeks, the silent ones, the open help requests.

    A fixed number of queries, whatever the number of teams and weeks.
    """

    template_name = "mentoring/dashboard.html"
    permission_required = "mentoring.view_dashboard"

    def get_context_data(self, **kwargs):
        promotions = list(Promotion.objects.all())
        today = services.paris_today()
        form = DashboardForm(self.request.GET or None, promotions=promotions)
        chosen = {}
        if form.is_bound:
            # An invalid field (more than 40 weeks…) shows its error; the valid ones still apply.
            form.is_valid()
            chosen = form.cleaned_data
        promotion = chosen.get("promotion") or services.running_promotion(today, promotions)
        count = chosen.get("weeks") or services.DEFAULT_GRID_WEEKS
        if not form.is_bound:
            initial = {"promotion": promotion.code if promotion else "", "weeks": count}
            form = DashboardForm(initial=initial, promotions=promotions)
        context = {"form": form, "promotion": promotion}
        if promotion is not None:
            # A promotion that has ended is shown up to its last week.
            current = services.current_week()
            until = min(current, promotion.ends_on) if promotion.ends_on else current
            weeks = services.grid_weeks(promotion=promotion, until=until, count=count)
            silent = list(services.silent_teams(promotion=promotion, today=until))
            context.update(
                weeks=weeks,
                grid=_with_links(services.week_grid(promotion=promotion, weeks=weeks)),
                silent_teams=silent,
                silent_ids={team.pk for team in silent},
                help_requests=list(services.open_help_requests(promotion=promotion)),
            )
        return super().get_context_data(**context, **kwargs)


def _with_links(grid):
    """Each row's link and each cell's link and label, made once here rather than
    by `{% url %}` and `get_spirit_display` in every cell of the template."""
    labels = {value: str(label) for value, label in WeeklyUpdate.Spirit.choices}
    for row in grid:
        row.team.updates_url = reverse("mentoring:team_updates", kwargs={"team_pk": row.team.pk})
        for update in row.cells:
            if update is not None:
                update.url = f"{row.team.updates_url}#bulletin-{update.pk}"
                update.spirit_label = labels[update.spirit]
                update.spirit_text = str(update.spirit)  # not localised number by number
                update.asks_for_help = bool(update.help_needed and not update.help_handled_at)
    return grid


class HelpHandledView(PostOnlyMixin, HiddenUnlessPermittedMixin, View):
    """Staff mark a team's help request as handled."""

    permission_required = "mentoring.handle_help_requests"

    def post(self, request, *args, **kwargs):
        update = get_object_or_404(
            WeeklyUpdate.objects.select_related("team__challenge__promotion"),
            pk=self.kwargs["update_pk"],
        )
        try:
            services.mark_help_handled(update=update, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("La demande d’aide de l’équipe « %(team)s » est marquée comme traitée.")
                % {"team": update.team.challenge.title},
            )
        url = reverse("mentoring:mentoring_dashboard")
        return redirect(f"{url}?promotion={update.team.challenge.promotion.code}")


class PromotionMixin(HiddenUnlessPermittedMixin):
    """A view about the promotion of the URL, the object of its permission."""

    def get_permission_object(self):
        return self.promotion

    @cached_property
    def promotion(self):
        return get_object_or_404(Promotion, code=self.kwargs["code"])


class PromotionUpdatesView(PromotionMixin, TemplateView):
    """A week of the whole promotion: every team's update, for its EIGs, mentors and staff.

    Peer learning: each team reads the others' (unless staff stopped sharing for this
    promotion). Never the mentors' notes. A fixed number of queries, whatever the
    number of teams.
    """

    template_name = "mentoring/promotion_updates.html"
    permission_required = "mentoring.view_promotion_updates"

    def get_context_data(self, **kwargs):
        user = self.request.user
        current = services.current_week()
        form = WeekForm(self.request.GET or None)
        week = form.cleaned_data["semaine"] if form.is_valid() else None
        week = min(week or current, current)
        rows = services.promotion_week(promotion=self.promotion, week=week)
        readable = set(teams_of(user).values_list("pk", flat=True))
        staff = may(user, "mentoring.manage_update_sharing")
        shared = services.updates_shared(self.promotion)
        for team, _update in rows:
            team.readable = staff or team.pk in readable
        return super().get_context_data(
            promotion=self.promotion,
            week=week,
            current_week=current,
            closes_at=services.week_closes_at(week),
            previous_week=week - timedelta(weeks=1),
            next_week=week + timedelta(weeks=1) if week < current else None,
            rows=rows,
            written=sum(1 for _team, update in rows if update is not None),
            shared=shared,
            sharing_form=UpdateSharingForm(initial={"shared": shared}) if staff else None,
            **kwargs,
        )


class UpdateSharingView(PostOnlyMixin, PromotionMixin, View):
    """Staff choose whether the promotion's teams read each other's updates."""

    permission_required = "mentoring.manage_update_sharing"

    def post(self, request, *args, **kwargs):
        form = UpdateSharingForm(request.POST)
        form.is_valid()  # an unchecked box is a valid "no"
        shared = form.cleaned_data.get("shared", False)
        services.share_updates(promotion=self.promotion, shared=shared, by=request.user)
        if shared:
            messages.success(
                request, _("Les équipes de la promotion lisent les bulletins des autres.")
            )
        else:
            messages.success(
                request,
                _("Les bulletins ne sont plus partagés : chaque équipe ne lit que le sien."),
            )
        return redirect("mentoring:promotion_updates", code=self.promotion.code)


class UpdateHistoryView(HiddenUnlessPermittedMixin, TemplateView):
    """Every version of an update, signed by whoever wrote it: who wrote what."""

    template_name = "mentoring/update_history.html"
    permission_required = "cohorts.view_team"

    @cached_property
    def update(self):
        return get_object_or_404(
            WeeklyUpdate.objects.select_related("team__challenge__promotion", "author"),
            pk=self.kwargs["update_pk"],
        )

    def get_permission_object(self):
        return self.update.team

    def get_context_data(self, **kwargs):
        labels = dict(WeeklyUpdate.Spirit.choices)
        versions = list(services.update_versions(self.update))
        for version in versions:
            version.spirit_label = labels.get(version.spirit, "")
        return super().get_context_data(
            update=self.update, team=self.update.team, versions=versions, **kwargs
        )
