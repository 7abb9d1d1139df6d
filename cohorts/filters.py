import django_filters
from django.utils.translation import gettext_lazy as _

from challenges.models import Administration, Challenge
from eig.forms import ListedChoiceIterator, LongSelect
from eig.models import Promotion, Skill


class PublicChallengeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="search")
    promotion = django_filters.ModelChoiceFilter(
        label=_("Promotion"),
        queryset=Promotion.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes les promotions"),
        widget=LongSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Année"),
        field_name="promotion__year",
        empty_label=_("Toutes les années"),
        widget=LongSelect,
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("Profil"),
        field_name="skills",
        queryset=Skill.objects.all(),
        to_field_name="key",
        empty_label=_("Tous les profils"),
        widget=LongSelect,
    )
    administration = django_filters.ModelChoiceFilter(
        label=_("Administration"),
        queryset=Administration.objects.none(),  # public ones, read at each request below
        to_field_name="slug",
        empty_label=_("Toutes les administrations"),
        widget=LongSelect,
    )

    class Meta:
        model = Challenge
        fields = ["q", "promotion", "year", "skill", "administration"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Promotion.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        # Hosts of a public challenge only: an unpublished selection names nobody.
        self.filters["administration"].queryset = Administration.objects.filter(
            challenges__in=Challenge.objects.public()
        ).distinct()
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "fr-input" if name == "q" else "fr-select"
            if hasattr(field, "queryset"):
                field.iterator = ListedChoiceIterator
                field.widget.choices = field.choices

    def search(self, queryset, name, value):
        return queryset.search(value)
