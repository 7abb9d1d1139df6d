"""Staff run the call for applications from the admin: calls, files, funnel, exports."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportActionMixin, ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from applications import exports, funnel, services_call  # noqa: F401 — registers the interviews' admin
from applications.interviews import admin as admin_interviews  # noqa: F401 — registers the interviews' admin
from applications.models import (
    Application,
    ApplicationTransition,
    CallForApplications,
    Choice,
    ChoiceTransition,
    OfferTransition,
    Review,
)
from applications.review.admin import ReviewCriterionInline
from challenges.models import Challenge
from eig.admin import StatusLogAdmin
from eig.admin_files import PrivateFilesAdminMixin
from eig.exports import SafeResource


class ExtendDeadlineForm(forms.Form):
    new_deadline = forms.DateTimeField(
        label=_("Nouvelle date limite (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


@admin.register(CallForApplications)
class CallForApplicationsAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "opens_at",
        "deadline",
        "phase_label",
        "published_at",
        "funnel_link",
        "slots_link",
        "decisions_link",
    ]
    list_select_related = ["promotion"]
    inlines = [ReviewCriterionInline]
    readonly_fields = ["published_at", "decisions_link"]
    actions = ["extend_deadline"]

    @admin.display(description=_("créneaux d'entretien"))
    def slots_link(self, call):
        url = reverse("admin:applications_interviewslot_bulk")
        return format_html('<a href="{}">{}</a>', url, _("Ouvrir des créneaux en lot"))

    @admin.action(
        description=_("Prolonger la date limite de candidature (prévient les brouillons)")
    )
    def extend_deadline(self, request, queryset):
        """A confirmation page (the new date, who will be told), then the extension."""
        calls = list(queryset.select_related("promotion")[:2])
        if len(calls) != 1:
            self.message_user(request, _("Cochez un seul appel à prolonger."), level=messages.ERROR)
            return None
        call = calls[0]
        form = ExtendDeadlineForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                call, sent = services_call.extend_deadline(
                    call=call, new_deadline=form.cleaned_data["new_deadline"], by=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("new_deadline", message)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Date limite prolongée ; %(count)s candidat·e avec un brouillon prévenu·e "
                        "par email.",
                        "Date limite prolongée ; %(count)s candidat·es avec un brouillon "
                        "prévenu·es par email.",
                        len(sent),
                    )
                    % {"count": len(sent)},
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/applications/callforapplications/extend_deadline.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Prolonger la date limite : %(call)s") % {"call": call},
                "call": call,
                "form": form,
                "drafts": services_call.drafts(call).count(),
                "action": request.POST.get("action", "extend_deadline"),
            },
        )

    @admin.display(description=_("phase"))
    def phase_label(self, call):
        return call.phase().label

    @admin.display(description=_("entonnoir"))
    def funnel_link(self, call):
        url = reverse("admin:applications_callforapplications_funnel", args=[call.pk])
        return format_html('<a href="{}">{}</a>', url, _("Voir l'entonnoir"))

    @admin.display(description=_("décisions"))
    def decisions_link(self, call):
        if call.pk is None:
            return "—"
        url = reverse("applications:decisions_hub", args=[call.pk])
        return format_html('<a href="{}">{}</a>', url, _("Décisions, offres et publication"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.funnel_view)
        return [
            path("<int:pk>/entonnoir/", view, name="applications_callforapplications_funnel"),
            *super().get_urls(),
        ]

    def funnel_view(self, request, pk):
        call = get_object_or_404(CallForApplications.objects.select_related("promotion"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Entonnoir de l'%(call)s") % {"call": call},
            "call": call,
            "by_challenge": funnel.by_challenge(call),
            "by_profile": funnel.by_profile(call),
            "stages": funnel.STAGES,
        }
        return TemplateResponse(
            request, "admin/applications/callforapplications/funnel.html", context
        )


class ApplicationResource(SafeResource):
    email = fields.Field(attribute="candidate__email", column_name="email")
    first_name = fields.Field(attribute="candidate__first_name", column_name="prénom")
    last_name = fields.Field(attribute="candidate__last_name", column_name="nom")
    profile_label = fields.Field(attribute="profile__label", column_name="profil")
    first_choice = fields.Field(column_name="choix 1")
    second_choice = fields.Field(column_name="choix 2")
    mean_score = fields.Field(attribute="mean_score", column_name="note moyenne des relectures")
    reviews = fields.Field(attribute="review_count", column_name="relectures")

    class Meta:
        model = Application
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "status",
            "submitted_at",
            "profile_label",
            "years_of_experience",
            "first_choice",
            "second_choice",
            "mean_score",
            "reviews",
            "talent_pool_consent",
        ]
        export_order = fields
        # Read 2,000 rows a page (and their choices) rather than 100: 15 queries for
        # 10,000 applications instead of 300. The streamed CSV export is faster still.
        chunk_size = 2000

    def _choice(self, application, rank):
        for choice in application.choices.all():
            if choice.rank == rank:
                return f"{choice.challenge.title} ({choice.get_status_display()})"
        return ""

    def dehydrate_first_choice(self, application):
        return self._choice(application, 1)

    def dehydrate_second_choice(self, application):
        return self._choice(application, 2)


class ChosenChallengeFilter(admin.RelatedFieldListFilter):
    """The challenges someone applied to (those of the call chosen in the filters, if
    one is), not every challenge of the history: the list stays the size of a call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("défi choisi")

    def field_choices(self, field, request, model_admin):
        call_id = request.GET.get("call__id__exact", "")
        call = CallForApplications.objects.filter(pk=call_id).first() if call_id.isdigit() else None
        if call is not None:
            # The challenges the call offers: the same list as looking for them among
            # its choices, without reading every choice of the call to draw it.
            chosen = call.challenges()
        else:
            chosen = Challenge.objects.filter(
                Exists(Choice.objects.filter(challenge=OuterRef("pk")))
            )
        # A challenge reads as its title: the pairs, not the objects.
        return list(chosen.order_by("title").values_list("pk", "title"))


class ChoiceStatusFilter(admin.ChoicesFieldListFilter):
    """Told apart from the application's own status, the filter above it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("statut d'un choix")


class CallFilter(admin.RelatedFieldListFilter):
    """The calls, newest first, each named after its promotion (read in the same query)."""

    def field_choices(self, field, request, model_admin):
        calls = CallForApplications.objects.select_related("promotion").order_by("-opens_at")
        return [(call.pk, str(call)) for call in calls]


def _reviews_of_row():
    return Review.objects.filter(application=OuterRef("pk")).order_by().values("application")


class RowLinksKeepFilters(ChangeList):
    """Each row's link carries the list's filters, as in any admin list, written once
    here: the admin resolved every row's URL again only to learn it was not the list's.
    The page's rows are read as the admin says (`ApplicationAdmin.page_rows`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        if not isinstance(result.pk, int):
            url = super().url_for_result(result)
        else:
            # An integer key is written as is: the rows' URLs differ only there, and
            # resolving the change page once per list, not once per row, is enough.
            before, after = self._change_url_around_key
            url = f"{before}{result.pk}{after}"
        return f"{url}?{self.row_filters}" if self.row_filters else url

    def get_results(self, request):
        super().get_results(request)
        # The page's rows only: actions and exports read the list's queryset afresh.
        self.result_list = self.model_admin.page_rows(self.result_list)

    @cached_property
    def _change_url_around_key(self):
        """The change page's URL, before and after the object's key."""
        marker = "0marker0"
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(marker,),
            current_app=self.model_admin.admin_site.name,
        )
        before, _marker, after = url.partition(marker)
        return before, after


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["rank", "challenge", "motivation", "status", "waitlist_position"]
    readonly_fields = ["status"]
    autocomplete_fields = ["challenge"]


@admin.register(Application)
class ApplicationAdmin(PrivateFilesAdminMixin, ExportActionMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ApplicationResource]
    # Adds the streamed CSV export next to import-export's (which builds the file in memory).
    change_list_template = "admin/applications/application/change_list.html"
    formats = [CSV, XLSX]
    list_display = [
        "candidate",
        "promotion",
        "status",
        "profile",
        "years_of_experience",
        "submitted_at",
        "review_count",
    ]
    list_filter = [
        ("call", CallFilter),
        "status",
        "profile",
        ("choices__challenge", ChosenChallengeFilter),
        ("choices__status", ChoiceStatusFilter),
        "talent_pool_consent",
    ]
    list_per_page = 50
    # The filtered count is shown; the total of every call, a second count, is not.
    show_full_result_count = False
    search_fields = [
        "candidate__email",
        "candidate__first_name",
        "candidate__last_name",
        "motivation",
    ]
    list_select_related = ["candidate", "call__promotion", "profile"]
    readonly_fields = [
        "candidate",
        "call",
        "status",
        "created_at",
        "submitted_at",
        "anonymised_at",
        "cv",
    ]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        # Correlated subqueries, not a join and GROUP BY over every filtered row: the
        # database computes them for the page's rows only, and counting stays a COUNT(*).
        reviews = _reviews_of_row()
        return (
            super()
            .get_queryset(request)
            .annotate(
                review_count=Coalesce(
                    Subquery(
                        reviews.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
                    ),
                    0,
                ),
            )
        )

    def page_rows(self, page):
        """The list's page, reading only what its columns show (a candidate shows as her
        name, or her address without one; a promotion as its name, read in the row, not
        as a call and a promotion built for each row). The motivation and the rest stay
        unread: a column reading another field would cost a query per row, which the
        list's test of its query count at two sizes shows."""
        return (
            page.select_related(None)
            .select_related("candidate", "profile")
            .annotate(promotion_name=F("call__promotion__name"))
            .only(
                "status",
                "years_of_experience",
                "submitted_at",
                "candidate__first_name",
                "candidate__last_name",
                "candidate__email",
                "profile__label",
            )
        )

    @staticmethod
    def with_mean_score(applications):
        """The exports' extra column (the list does not show it)."""
        reviews = _reviews_of_row()
        return applications.annotate(
            mean_score=Subquery(reviews.annotate(mean=Avg("weighted_score")).values("mean"))
        )

    def action_checkbox(self, obj):
        """The admin's checkbox, written out: the widget's template, rendered once per row
        through the DSFR form renderer, cost more than the rest of the row."""
        label = gettext("Select this object for an action - {}").format(
            conditional_escape(obj.candidate)
        )
        # The label's words are the admin's own; the name is escaped above.
        return mark_safe(  # noqa: S308
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{conditional_escape(obj.pk)}" class="action-select" aria-label="{label}">'
        )

    def get_export_queryset(self, request):
        # The resource reads the candidate and the profile of every row: join them.
        return (
            self.with_mean_score(self.get_queryset(request))
            .select_related("candidate", "profile")
            .prefetch_related("choices__challenge")
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.export_csv_view)
        return [
            path("export-csv/", view, name="applications_application_export_csv"),
            *super().get_urls(),
        ]

    def export_csv_view(self, request):
        """Every application (or those of the list's filters), streamed as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        applications = self.with_mean_score(
            self.get_changelist_instance(request).get_queryset(request)
        )
        response = StreamingHttpResponse(
            exports.csv_lines(applications),
            content_type="text/csv; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="candidatures-{day}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response

    def get_changelist(self, request, **kwargs):
        return RowLinksKeepFilters

    @admin.display(description=_("promotion"), ordering="call__opens_at")
    def promotion(self, application):
        """The call's promotion, by its name (`page_rows`): the call's full name, the same
        words on every row, cost a translation per row."""
        return application.promotion_name

    @admin.display(description=_("relectures"), ordering="review_count")
    def review_count(self, application):
        return application.review_count


@admin.register(ChoiceTransition)
class ChoiceTransitionAdmin(StatusLogAdmin):
    list_select_related = ["choice__application__candidate", "choice__challenge", "by"]


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(StatusLogAdmin):
    list_select_related = ["application__candidate", "application__call", "by"]


@admin.register(OfferTransition)
class OfferTransitionAdmin(StatusLogAdmin):
    list_select_related = [
        "offer__choice__application__candidate",
        "offer__choice__challenge",
        "by",
    ]
