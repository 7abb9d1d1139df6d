"""The programme's public record: home, promotions, challenges."""

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from challenges.models import Challenge, ChallengeMentor
from cohorts.figures import programme_figures, promotions_with_counts
from cohorts.filters import PublicChallengeFilter
from cohorts.models import Team, TeamMember
from eig import public_cache
from eig.models import Promotion


class HomeView(TemplateView):
    template_name = "cohorts/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=programme_figures(),
            promotions=promotions_with_counts(),
            **kwargs,
        )


class PromotionListView(ListView):
    template_name = "cohorts/promotion_list.html"
    context_object_name = "promotions"

    def get_queryset(self):
        return promotions_with_counts()


class PromotionDetailView(DetailView):
    template_name = "cohorts/promotion_detail.html"
    context_object_name = "promotion"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return Promotion.objects.all()

    def get_context_data(self, **kwargs):
        challenges = (
            Challenge.objects.public()
            .filter(promotion=self.object)
            .select_related("administration", "promotion")
            .prefetch_related("skills")
        )
        return super().get_context_data(
            challenges=challenges, figures=programme_figures(promotion=self.object), **kwargs
        )


class ChallengeListView(ListView):
    template_name = "cohorts/challenge_list.html"
    context_object_name = "challenges"
    paginate_by = 12

    def get_queryset(self):
        base = (
            Challenge.objects.public()
            .select_related("administration", "promotion")
            .prefetch_related("skills")
            .order_by("-promotion__year", "title")
        )
        self.filterset = PublicChallengeFilter(self.request.GET or None, queryset=base)
        if self.filterset.is_bound and self.filterset.is_valid():
            return self.filterset.qs.distinct()
        return base

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ChallengeDetailView(DetailView):
    template_name = "cohorts/challenge_detail.html"
    context_object_name = "challenge"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Challenge.objects.public().select_related("administration", "promotion", "team"),
            promotion__code=self.kwargs["promotion"],
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheet=self.sheet(), **kwargs)

    def sheet(self):
        """The challenge's public sheet, the same for every visitor: drawn once and served
        from the cache shared by the web nodes until something on it changes
        (`eig.public_cache`: staff editing the challenge, the team recording its
        deliverables, an import). Whether the challenge is public at all is asked of the
        database at each request, by `get_object`."""
        challenge = self.object
        return public_cache.cached(
            f"challenge-sheet:{challenge.pk}:{get_language()}",
            lambda: self.draw_sheet(challenge),
        )

    def draw_sheet(self, challenge):
        prefetch_related_objects(
            [challenge],
            "skills",
            "key_figures",
            Prefetch("mentorships", queryset=ChallengeMentor.objects.select_related("person")),
        )
        eigs = TeamMember.objects.filter(team__challenge=challenge).select_related("person")
        try:
            team = challenge.team  # joined with the challenge: no query
        except Team.DoesNotExist:
            team = None
        datasets = team.opened_datasets.order_by("name", "pk") if team else []
        return render_to_string(
            "cohorts/_challenge_sheet.html",
            {"challenge": challenge, "eigs": eigs, "team": team, "datasets": datasets},
            request=self.request,
        )
