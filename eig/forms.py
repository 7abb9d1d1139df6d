from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from eig import grids
from eig.models import User


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language", "receives_optional_reminders"]
        labels = {
            "preferred_language": _("Langue des emails"),
            "receives_optional_reminders": _("Recevoir les rappels non essentiels"),
        }
        help_texts = {
            "receives_optional_reminders": _(
                "Les emails essentiels (échéances, décisions, convocations) sont toujours envoyés."
            ),
        }


class ScoreGridForm(forms.Form):
    """A 1-to-5 score per criterion of a grid (a call's, a jury's), before the form's own fields.

    Subclasses add their fields (comment, recommendation…) as usual.
    """

    SCORES = [(score, str(score)) for score in grids.SCORES]

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {
            self.score_field(criterion): forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=self.SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for criterion in self.criteria
        }
        # The scores come first, in the grid's order.
        self.fields = {**scores, **self.fields}

    @staticmethod
    def score_field(criterion):
        return f"score_{criterion.pk}"

    def score_rows(self):
        """(criterion, bound field) in the grid's order, for the template."""
        return [(criterion, self[self.score_field(criterion)]) for criterion in self.criteria]

    def scores(self):
        return {
            criterion.pk: self.cleaned_data[self.score_field(criterion)]
            for criterion in self.criteria
        }

    @classmethod
    def initial_scores(cls, scores):
        """The initial values of the grid from stored scores (with criterion_id and score)."""
        return {f"score_{score.criterion_id}": score.score for score in scores}


# Free text a person types (an update, a comment, a note, a challenge's section):
# about four pages, far above what any of them needs, far below what would fill
# the database or a page if someone pasted a book.
FREE_TEXT_MAX_LENGTH = 10_000


def limit_free_text(form, max_length=FREE_TEXT_MAX_LENGTH):
    """Give every text area of `form` that has no limit of its own this one.

    Django's message then says what is wrong ("at most 10000 characters (it has
    100000)"), and the browser stops typing at the limit.
    """
    for field in form.fields.values():
        if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", 0) is None:
            field.max_length = max_length
            field.validators.append(MaxLengthValidator(max_length))
            field.widget.attrs["maxlength"] = str(max_length)


class LongSelect(forms.Select):
    """A select of many options (the public filters' administrations, promotions…),
    written out in Python: Django renders each option through its own template, which
    costs more than the rest of the page once there are a hundred. Same HTML as
    `forms.Select` (tests/eig/test_long_select.py compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                options.append(format_html('<optgroup label="{}">', group_name))
            options.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in group_choices
            )
            if group_name:
                options.append(mark_safe("</optgroup>"))  # noqa: S308 — a constant
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 — each part went through format_html
        )


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read in one query, not through a server-side cursor (three round trips
    to PostgreSQL for a few dozen rows)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)
