"""The filters of a challenge's list of applications during pre-selection."""

import django_filters
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Choice
from eig.models import Skill

YES_NO = [("oui", _("Oui")), ("non", _("Non"))]


class ReviewListFilter(django_filters.FilterSet):
    """Filters on the list's annotations (`choice_status`, `preference`, `has_reviews`…):
    the choice is the one of this challenge, not any choice of the application."""

    profile = django_filters.ModelChoiceFilter(
        label=_("Profil"),
        queryset=Skill.objects.all(),
        to_field_name="key",
        empty_label=_("Tous les profils"),
    )
    experience = django_filters.RangeFilter(
        label=_("Années d’expérience"), field_name="years_of_experience"
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut du choix"),
        field_name="choice_status",
        choices=Choice.Status.choices,
        empty_label=_("Tous les statuts"),
    )
    preference = django_filters.ChoiceFilter(
        label=_("Rang de préférence"),
        field_name="preference",
        choices=[(1, _("1er choix")), (2, _("2e choix"))],
        empty_label=_("Tous les rangs"),
    )
    reviewed = django_filters.ChoiceFilter(
        label=_("Déjà évaluée"),
        choices=YES_NO,
        method="filter_reviewed",
        empty_label=_("Toutes"),
    )
    mine = django_filters.ChoiceFilter(
        label=_("Qui m’est attribuée"),
        choices=YES_NO,
        method="filter_mine",
        empty_label=_("Toutes"),
    )

    class Meta:
        model = Application
        fields = ["profile", "experience", "status", "preference", "reviewed", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if name == "experience":
                for widget in field.widget.widgets:
                    widget.attrs.update({"class": "fr-input", "min": 0, "max": 60})
            else:
                field.widget.attrs["class"] = "fr-select"

    def filter_reviewed(self, queryset, name, value):
        return queryset.filter(has_reviews=value == "oui")

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assigned_to_me=value == "oui")
