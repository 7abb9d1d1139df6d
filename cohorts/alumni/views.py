"""After the promotion: the programme's impact (public, with its open data), the
staff's follow-up dashboard, the alumni directory and the follow-up survey.

Views stay thin: they check the permission, call `cohorts.impact` or
`cohorts.alumni.services`, and render.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, ListView, TemplateView, UpdateView

import cohorts.alumni.rules  # noqa: F401 — registers the permissions these views declare
from cohorts import impact as impact_figures
from cohorts.alumni import services as services_alumni
from cohorts.alumni.forms import (
    AlumniProfileForm,
    DirectoryFilterForm,
    FollowUpSurveyForm,
    PartnerSurveyForm,
)
from cohorts.catalogue import CATALOGUES, catalogue_csv, catalogue_json
from cohorts.charts import bar_chart
from cohorts.models import TeamMember
from eig.models import Promotion, Skill
from eig.permissions import HiddenUnlessPermittedMixin, may

# --- Impact (public) --------------------------------------------------------------------


def _charts(impact):
    """One chart per indicator, across the promotions."""
    return [
        (
            series,
            bar_chart(
                chart_id=f"graphique-{series.indicator.key}",
                title=_("%(indicator)s, par promotion") % {"indicator": series.indicator.label},
                bars=[(promotion.name, value) for promotion, value in series.points],
            ),
        )
        for series in impact.series()
    ]


class ImpactView(TemplateView):
    template_name = "cohorts/impact/impact.html"

    def get_context_data(self, **kwargs):
        impact = impact_figures.public_impact()
        return super().get_context_data(
            impact=impact, charts=_charts(impact), **_licence(), **kwargs
        )


class ImpactPromotionView(TemplateView):
    template_name = "cohorts/impact/promotion.html"

    def get_context_data(self, **kwargs):
        promotion = get_object_or_404(Promotion, code=self.kwargs["code"])
        impact = impact_figures.public_impact(promotion=promotion)
        chart = bar_chart(
            chart_id="graphique-promotion",
            title=_("Les indicateurs de la promotion %(name)s") % {"name": promotion.name},
            bars=[
                (str(i.label)[:1].upper() + str(i.label)[1:], cell.value)
                for i, cell in impact.overall_cells()
                if cell.measured
            ],
            label_width=300,
        )
        return super().get_context_data(
            promotion=promotion,
            impact=impact,
            chart=chart,
            query=f"?promotion={promotion.code}",
            **_licence(),
            **kwargs,
        )


def _licence():
    return {
        "licence": impact_figures.LICENCE,
        "licence_url": impact_figures.LICENCE_URL,
        "attribution": impact_figures.attribution(),
    }


def _open_data(request):
    code = request.GET.get("promotion")
    promotion = get_object_or_404(Promotion, code=code) if code else None
    return impact_figures.open_data(promotion=promotion), promotion


def _open_data_response(body, *, content_type, filename=None):
    """Open data: anyone may reuse it, under the licence its headers name."""
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = (
        f'<{impact_figures.LICENCE_URL}>; rel="license", <{reverse("cohorts:open_data")}>; rel="describedby"'
    )
    return response


@require_GET
def impact_csv(request):
    data, promotion = _open_data(request)
    name = f"impact-eig-{promotion.code}" if promotion else "impact-eig"
    return _open_data_response(
        impact_figures.open_data_csv(data), content_type="text/csv", filename=f"{name}.csv"
    )


@require_GET
def deliverables_csv(request):
    """What each team delivered, as open data (product, code, datasets, figures, summary)."""
    code = request.GET.get("promotion")
    promotion = get_object_or_404(Promotion, code=code) if code else None
    body = impact_figures.deliverables_csv(impact_figures.deliverables(promotion=promotion))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"livrables-eig-{promotion.code}" if promotion else "livrables-eig"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone may reuse it
    return response


@require_GET
def impact_json(request):
    data, _promotion = _open_data(request)
    return _open_data_response(impact_figures.open_data_json(data), content_type="application/json")


class OpenDataView(TemplateView):
    """What the open data files hold, their columns and their licence."""

    template_name = "cohorts/impact/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            catalogues=CATALOGUES.values(),
            figure_columns=impact_figures.CSV_COLUMNS,
            indicators=impact_figures.INDICATORS,
            **_licence(),
            **kwargs,
        )


def _catalogue(name):
    if name not in CATALOGUES:
        raise Http404
    return CATALOGUES[name]


@require_GET
def open_catalogue_csv(request, name):
    catalogue = _catalogue(name)
    return _open_data_response(
        catalogue_csv(catalogue), content_type="text/csv", filename=f"eig-{name}.csv"
    )


@require_GET
def open_catalogue_json(request, name):
    return _open_data_response(catalogue_json(_catalogue(name)), content_type="application/json")


# --- Impact (staff) ------------------------------------------------------------------------


class ImpactDashboardView(HiddenUnlessPermittedMixin, TemplateView):
    """The public figures, plus how the follow-up surveys are answered."""

    template_name = "cohorts/impact/dashboard.html"
    permission_required = "cohorts.view_impact_dashboard"

    def get_context_data(self, **kwargs):
        code = self.request.GET.get("promotion")
        promotion = Promotion.objects.filter(code=code).first() if code else None
        impact = impact_figures.programme_impact()
        return super().get_context_data(
            impact=impact,
            charts=_charts(impact),
            rates=impact_figures.survey_rates(),
            partner_rates=impact_figures.partner_survey_rates(),
            surveys=impact_figures.surveys_for_staff(promotion=promotion),
            promotions=Promotion.objects.chronological(),
            selected=promotion,
            **_licence(),
            **kwargs,
        )


# --- The alumni directory and profiles ----------------------------------------------------


class AlumniDirectoryView(HiddenUnlessPermittedMixin, ListView):
    """Only the alumni who opted in, and only what each chose to share."""

    template_name = "cohorts/alumni/directory.html"
    permission_required = "cohorts.view_alumni_directory"
    context_object_name = "profiles"
    paginate_by = 20

    @cached_property
    def promotions(self):
        return list(services_alumni.directory_promotions())

    @cached_property
    def skills(self):
        return list(Skill.objects.all())

    @cached_property
    def filters(self):
        form = DirectoryFilterForm(
            self.request.GET or None, promotions=self.promotions, skills=self.skills
        )
        form.is_valid()
        return form

    @cached_property
    def selected(self):
        code = self.filters.cleaned_data.get("promotion") if self.filters.is_bound else None
        return next((p for p in self.promotions if p.code == code), None)

    def get_queryset(self):
        data = self.filters.cleaned_data if self.filters.is_bound else {}
        key = data.get("competence")
        profiles = services_alumni.search_directory(
            words=data.get("q", ""),
            promotion=self.selected,
            skill=next((s for s in self.skills if s.key == key), None),
            available=data.get("disponible", ""),
        )
        memberships = TeamMember.objects.select_related("team__challenge__promotion").order_by(
            "team__challenge__promotion__year"
        )
        return (
            profiles.select_related("person__user")
            .prefetch_related(Prefetch("person__team_memberships", queryset=memberships), "skills")
            .order_by("person__full_name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            promotions=self.promotions,
            selected=self.selected,
            filters=self.filters,
            sees_availability=may(self.request.user, "eig.manage_programme"),
            can_edit_profile=may(self.request.user, "cohorts.edit_alumni_profile"),
            **kwargs,
        )


class AlumniProfileEditView(HiddenUnlessPermittedMixin, UpdateView):
    template_name = "cohorts/alumni/profile_form.html"
    permission_required = "cohorts.edit_alumni_profile"
    form_class = AlumniProfileForm

    def get_permission_object(self):
        return None  # the rule is about the user: their profile is made once they may edit it

    def get_object(self, queryset=None):
        return services_alumni.alumni_profile_of(self.request.user)

    def form_valid(self, form):
        if form.instance.in_directory:
            messages.success(
                self.request, _("Votre profil est enregistré et visible dans l’annuaire.")
            )
        else:
            messages.success(
                self.request, _("Votre profil est enregistré ; il n’apparaît pas dans l’annuaire.")
            )
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("cohorts:alumni_profile_edit")


# --- The follow-up survey (no account: the link's token is the key) -------------------------


@method_decorator(never_cache, name="dispatch")
class FollowUpSurveyView(FormView):
    template_name = "cohorts/alumni/survey.html"
    form_class = FollowUpSurveyForm

    def dispatch(self, request, *args, **kwargs):
        self.survey = services_alumni.survey_with_token(kwargs["token"])
        if self.survey is None:
            return self.closed(status=404)
        if not services_alumni.survey_is_open(self.survey):
            return self.closed(status=410)
        return super().dispatch(request, *args, **kwargs)

    def closed(self, *, status):
        """A clear page: unknown link (404), or answered or expired (410)."""
        response = render(
            self.request,
            "cohorts/alumni/survey_closed.html",
            {"survey": self.survey if status == 410 else None},
            status=status,
        )
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        member = self.survey.member
        return super().get_context_data(
            survey=self.survey,
            person=member.person,
            challenge=member.team.challenge,
            promotion=member.team.challenge.promotion,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services_alumni.answer_survey(survey=self.survey, **form.cleaned_data)
        except services_alumni.SurveyClosed:
            self.survey.refresh_from_db()
            return self.closed(status=410)
        return render(self.request, "cohorts/alumni/survey_thanks.html", {"survey": self.survey})

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response


@method_decorator(never_cache, name="dispatch")
class PartnerSurveyView(FollowUpSurveyView):
    """The mentors' and host administrations' follow-up survey, by the link's token."""

    template_name = "cohorts/alumni/partner_survey.html"
    form_class = PartnerSurveyForm

    def dispatch(self, request, *args, **kwargs):
        self.survey = services_alumni.partner_survey_with_token(kwargs["token"])
        if self.survey is None:
            return self.closed(status=404)
        if not services_alumni.survey_is_open(self.survey):
            return self.closed(status=410)
        return super(FollowUpSurveyView, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        challenge = self.survey.challenge
        return super(FollowUpSurveyView, self).get_context_data(
            survey=self.survey,
            name=self.survey.user.display_name,
            challenge=challenge,
            promotion=challenge.promotion,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services_alumni.answer_partner_survey(survey=self.survey, **form.cleaned_data)
        except services_alumni.SurveyClosed:
            self.survey.refresh_from_db()
            return self.closed(status=410)
        return render(
            self.request,
            "cohorts/alumni/survey_thanks.html",
            {"survey": self.survey, "partner": True},
        )
