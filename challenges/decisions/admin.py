"""Staff's screens of the call for projects inside the admin: qualify a challenge, decide
after the jury, publish through a confirmation page.

Mixins for the challenge's and the call's ModelAdmin (`challenges.admin`): each adds its
views with `get_urls`, rendered with the admin's look. The rules are in
`challenges.decisions.services`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges.decisions import services as decisions
from challenges.models import CallForProjects, Challenge

# --- Qualification -------------------------------------------------------------------


class QualificationForm(forms.Form):
    """One 1–5 choice and one comment per criterion of the call's grid, pre-listed."""

    internal_notes = forms.CharField(
        label=_("Notes internes de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, grid, **kwargs):
        initial = {"internal_notes": kwargs.pop("internal_notes", "")}
        for row in grid:
            pk = row["criterion"].pk
            initial[f"score_{pk}"] = str(row["score"]) if row["score"] else ""
            initial[f"comment_{pk}"] = row["comment"]
        super().__init__(*args, initial=initial, **kwargs)
        self.grid = grid
        choices = [("", _("non noté")), *((str(n), str(n)) for n in decisions.SCORES)]
        for row in grid:
            criterion = row["criterion"]
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name, choices=choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire sur « %(criterion)s »") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """The grid's rows with their bound fields, for the template."""
        return [
            {
                **row,
                "score_field": self[f"score_{row['criterion'].pk}"],
                "comment_field": self[f"comment_{row['criterion'].pk}"],
            }
            for row in self.grid
        ]

    def scores(self):
        data = self.cleaned_data
        return {
            row["criterion"].pk: (
                int(data[f"score_{row['criterion'].pk}"])
                if data[f"score_{row['criterion'].pk}"]
                else None,
                data[f"comment_{row['criterion'].pk}"],
            )
            for row in self.grid
        }


# Each section of the file, in the order the administration wrote it.
FILE_SECTIONS = [
    "summary",
    "problem",
    "challenge_text",
    "data_description",
    "data_conditions",
    "expected_impact",
    "users_description",
    "funding_details",
]


def file_sections(challenge):
    return [
        (Challenge._meta.get_field(name).verbose_name, getattr(challenge, name))
        for name in FILE_SECTIONS
    ]


class QualificationAdminMixin:
    """The qualification screen of a challenge: its file beside the call's grid."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/qualification/",
                self.admin_site.admin_view(self.qualification_view),
                name="challenges_challenge_qualification",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("qualification"))
    def qualification_link(self, challenge):
        if challenge.pk is None or challenge.call_id is None:
            return "—"
        url = reverse("admin:challenges_challenge_qualification", args=[challenge.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Qualifier"))

    def qualification_view(self, request, pk):
        challenge = get_object_or_404(
            Challenge.objects.select_related("administration", "call__promotion").prefetch_related(
                "skills", "mentorships__person", "editors"
            ),
            pk=pk,
            call__isnull=False,
        )
        if not self.has_change_permission(request, challenge):
            raise PermissionDenied
        grid = decisions.qualification_grid(challenge, request.user)
        form = QualificationForm(
            request.POST or None, grid=grid, internal_notes=challenge.internal_notes
        )
        previous, following, position, count = decisions.qualification_sequence(challenge)
        if request.method == "POST" and form.is_valid():
            try:
                decisions.save_qualification(
                    challenge=challenge,
                    by=request.user,
                    scores=form.scores(),
                    internal_notes=form.cleaned_data["internal_notes"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    gettext("Qualification de « %(title)s » enregistrée.")
                    % {"title": challenge.title},
                )
                target = following if "_next" in request.POST and following else challenge.pk
                return redirect("admin:challenges_challenge_qualification", pk=target)
        own = [(row["score"], row["criterion"].weight) for row in grid]
        everyone = [(a.score, row["criterion"].weight) for row in grid for a in row["others"]] + own
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Qualifier « %(title)s »") % {"title": challenge.title},
            "challenge": challenge,
            "original": challenge,
            "sections": file_sections(challenge),
            "form": form,
            "rows": form.rows(),
            "own_total": decisions.weighted_mean(own),
            "overall_total": decisions.weighted_mean(everyone),
            "weights": {row["criterion"].pk: row["criterion"].weight for row in grid},
            "previous": previous,
            "following": following,
            "position": position,
            "count": count,
        }
        return TemplateResponse(request, "admin/challenges/challenge/qualification.html", context)


# --- Decisions ------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """Staff's decision on one shortlisted challenge (one row of the table)."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        required=False,
        choices=[
            ("", _("à décider")),
            *((status.value, status.label) for status in Challenge.DECISIONS),
        ],
    )
    reason = forms.CharField(
        label=_("Motif (envoyé à l’administration)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
    )
    override = forms.BooleanField(
        label=_("Décider sans grille du panel"),
        required=False,
        help_text=_("Inscrit au journal du défi."),
    )

    def __init__(self, *args, challenge, **kwargs):
        decided = challenge.status in Challenge.DECISIONS
        initial = {
            "decision": challenge.status if decided else "",
            "reason": challenge.decision_reason if decided else "",
            # A decision already taken without a grid was taken with the override.
            "override": decided,
        }
        super().__init__(*args, prefix=f"d{challenge.pk}", initial=initial, **kwargs)
        self.challenge = challenge
        self.has_grid = decisions.has_panel_grid(challenge)
        if self.has_grid:
            del self.fields["override"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if not decision:
            return data
        if decision == Challenge.Status.NOT_SELECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Un défi non sélectionné reçoit un motif."))
        if not self.has_grid and not data.get("override"):
            self.add_error(
                "override",
                _("Le panel n’a pas rempli sa grille : cochez cette case pour décider quand même."),
            )
        return data


class CallDecisionsAdminMixin:
    """The call's decisions table and its publication through a confirmation page."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/decisions/",
                self.admin_site.admin_view(self.decisions_view),
                name="challenges_callforprojects_decisions",
            ),
            path(
                "<int:pk>/publication/",
                self.admin_site.admin_view(self.publication_view),
                name="challenges_callforprojects_publication",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("décisions"))
    def decisions_links(self, call):
        if call.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:challenges_callforprojects_decisions", args=[call.pk]),
            gettext("Décisions"),
            reverse("admin:challenges_callforprojects_publication", args=[call.pk]),
            gettext("Publier"),
        )

    def _call(self, request, pk):
        call = get_object_or_404(CallForProjects.objects.select_related("promotion"), pk=pk)
        if not self.has_change_permission(request, call):
            raise PermissionDenied
        return call

    def decisions_view(self, request, pk):
        call = self._call(request, pk)
        challenges = list(decisions.decision_rows(call))
        data = request.POST if request.method == "POST" else None
        forms_by_row = [DecisionForm(data, challenge=challenge) for challenge in challenges]
        if request.method == "POST":
            saved, refused = self._record_decisions(request, forms_by_row)
            if saved:
                self.message_user(
                    request,
                    gettext("%(n)d décision(s) enregistrée(s).") % {"n": saved},
                )
            if not refused:
                return redirect("admin:challenges_callforprojects_decisions", pk=call.pk)
            self.message_user(
                request,
                gettext("%(n)d ligne(s) à corriger : rien n’y a été enregistré.") % {"n": refused},
                level=messages.ERROR,
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Décisions de l'%(call)s") % {"call": call},
            "call": call,
            "original": call,
            "rows": [
                {
                    "challenge": form.challenge,
                    "form": form,
                    "remarks": form.challenge.jury_remarks.all(),
                }
                for form in forms_by_row
            ],
            **decisions.decided_count(call),
        }
        return TemplateResponse(request, "admin/challenges/callforprojects/decisions.html", context)

    def _record_decisions(self, request, forms_by_row):
        """Each changed row through the lifecycle: (rows saved, rows refused)."""
        saved = refused = 0
        for form in forms_by_row:
            if not form.has_changed():
                continue
            if not form.is_valid():
                refused += 1
                continue
            if not form.cleaned_data["decision"]:
                continue
            try:
                decisions.record_decision(
                    challenge=form.challenge,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    override=form.cleaned_data.get("override", False),
                )
            except ValidationError as error:
                form.add_error(None, error)
                refused += 1
            else:
                saved += 1
        return saved, refused

    def publication_view(self, request, pk):
        call = self._call(request, pk)
        if request.method == "POST":
            try:
                decisions.publish(call=call, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Résultats publiés : les administrations reçoivent leur décision."),
                )
                return redirect("admin:challenges_callforprojects_decisions", pk=call.pk)
        plan = decisions.publication_plan(call)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Publier les résultats de l'%(call)s") % {"call": call},
            "call": call,
            "original": call,
            "plan": plan,
            "counts": [(Challenge.Status(status).label, n) for status, n in plan["counts"].items()],
            "sample": decisions.sample_email(call, plan["decided"]),
        }
        return TemplateResponse(
            request, "admin/challenges/callforprojects/publication.html", context
        )
