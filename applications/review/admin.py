"""Pre-selection in the programme's admin: the scoring grid, assignments, reviews, conflicts.

`ReviewCriterionInline` goes in the call's admin (written with the call). Reviews
are records: read only. Assignments and conflicts added here go through the same
services as the screens, with the same checks.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.models import (
    Review,
    ReviewAssignment,
    ReviewConflict,
    ReviewCriterion,
    ReviewScore,
)
from applications.review import services as review


class ReviewCriterionInline(admin.TabularInline):
    """The call's grid: each criterion scored 1 to 5, with its weight.

    Frozen once the first review is in: a new weight would leave the stored
    weighted scores computed on another grid.
    """

    model = ReviewCriterion
    fields = ["position", "name", "description", "weight", "about_challenge"]
    extra = 0
    ordering = ["position", "pk"]

    def _grid_is_frozen(self, obj):
        return obj is not None and Review.objects.filter(application__call=obj).exists()

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._grid_is_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._grid_is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._grid_is_frozen(obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application_number", "reviewer", "challenge", "weighted_score", "submitted_at"]
    list_filter = ["application__call"]
    # The rows' labels (checkboxes, links) name the application: its candidate and call.
    list_select_related = [
        "reviewer",
        "challenge",
        "application__candidate",
        "application__call__promotion",
    ]
    search_fields = ["reviewer__email", "reviewer__last_name", "application__pk"]
    fields = [
        "application",
        "reviewer",
        "challenge",
        "weighted_score",
        "general_score",
        "comment",
        "submitted_at",
    ]
    readonly_fields = fields
    inlines = [ReviewScoreInline]
    date_hierarchy = "submitted_at"

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("candidature"), ordering="application_id")
    def application_number(self, obj):
        return _("Candidature n°%(pk)s") % {"pk": obj.application_id}


class AssignmentForm(forms.ModelForm):
    """Checked like an assignment from the screens: staff or a mentor, no conflict."""

    class Meta:
        model = ReviewAssignment
        fields = ["application", "reviewer"]

    def clean(self):
        cleaned = super().clean()
        application, reviewer = cleaned.get("application"), cleaned.get("reviewer")
        if application is not None and reviewer is not None:
            try:
                review.check_assignable(application=application, reviewer=reviewer)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return cleaned


class ReviewerOnApplicationAdmin(admin.ModelAdmin):
    """A reviewer's tie to an application (an assignment, a conflict), made through the
    review services and never edited: deleting one undoes it."""

    list_filter = ["application__call"]
    # The rows' labels (checkboxes, links) name the application: its candidate and call.
    list_select_related = [
        "reviewer",
        "application__candidate",
        "application__call__promotion",
    ]
    search_fields = ["reviewer__email", "reviewer__last_name", "application__pk"]
    raw_id_fields = ["application", "reviewer"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("candidature"), ordering="application_id")
    def application_number(self, obj):
        return _("Candidature n°%(pk)s") % {"pk": obj.application_id}


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReviewerOnApplicationAdmin):
    form = AssignmentForm
    list_display = ["application_number", "reviewer", "assigned_at"]

    def save_model(self, request, obj, form, change):
        assignment = review.assign_reviewer(
            application=obj.application, reviewer=obj.reviewer, by=request.user
        )
        obj.pk, obj.assigned_at = assignment.pk, assignment.assigned_at


class ConflictForm(forms.ModelForm):
    class Meta:
        model = ReviewConflict
        fields = ["application", "reviewer", "reason"]


@admin.register(ReviewConflict)
class ReviewConflictAdmin(ReviewerOnApplicationAdmin):
    """Staff record a conflict a reviewer told them of; deleting one lifts it."""

    form = ConflictForm
    list_display = ["application_number", "reviewer", "declared_at"]

    def save_model(self, request, obj, form, change):
        conflict = review.declare_conflict(
            application=obj.application, reviewer=obj.reviewer, reason=obj.reason
        )
        obj.pk, obj.declared_at = conflict.pk, conflict.declared_at
