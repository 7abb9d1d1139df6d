"""The forms of the teams' space: the weekly update, comments, notes, the dashboard's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eig.forms import limit_free_text
from mentoring.models import WeeklyUpdate, monday_of
from mentoring.services import DEFAULT_GRID_WEEKS, MAX_GRID_WEEKS


class LimitedFreeTextForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_free_text(self)


class WeeklyUpdateForm(LimitedFreeTextForm):
    """The four questions of the programme's own tool, for the week the form was opened."""

    week = forms.DateField(widget=forms.HiddenInput)
    spirit = forms.TypedChoiceField(
        label=_("L’humeur de l’équipe"),
        choices=[("", _("Choisir")), *WeeklyUpdate.Spirit.choices],
        coerce=int,
    )
    priorities = forms.CharField(
        label=_("Nos priorités de la semaine"), widget=forms.Textarea(attrs={"rows": 4})
    )
    victories = forms.CharField(
        label=_("Nos victoires"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_needed = forms.CharField(
        label=_("Où nous avons besoin d’aide"),
        help_text=_(
            "Laissez vide si tout va bien. L’équipe du programme lit chaque demande et "
            "revient vers vous."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_week(cls, week, update=None):
        initial = {"week": week}
        if update is not None:
            initial.update(
                spirit=update.spirit,
                priorities=update.priorities,
                victories=update.victories,
                help_needed=update.help_needed,
            )
        return cls(initial=initial)


class CommentForm(LimitedFreeTextForm):
    text = forms.CharField(
        label=_("Votre commentaire"),
        help_text=_("L’équipe le lit sous son bulletin."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(LimitedFreeTextForm):
    text = forms.CharField(
        label=_("Nouvelle note"),
        help_text=_("Visible des seuls mentors de l’équipe et de l’équipe du programme."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DashboardForm(forms.Form):
    """Which promotion, over how many weeks. The promotions are read once, by the view."""

    promotion = forms.ChoiceField(label=_("Promotion"), required=False)
    weeks = forms.IntegerField(
        label=_("Nombre de semaines"),
        help_text=_("De 1 à %(max)d.") % {"max": MAX_GRID_WEEKS},
        min_value=1,
        max_value=MAX_GRID_WEEKS,
        required=False,
        initial=DEFAULT_GRID_WEEKS,
    )

    def __init__(self, *args, promotions, **kwargs):
        super().__init__(*args, **kwargs)
        self.promotions = {promotion.code: promotion for promotion in promotions}
        self.fields["promotion"].choices = [(p.code, p.name) for p in promotions]

    def clean_promotion(self):
        return self.promotions.get(self.cleaned_data["promotion"])


class WeekForm(forms.Form):
    """Which week of the promotion to read: any day of it, filed under its Monday."""

    semaine = forms.DateField(required=False)

    def clean_semaine(self):
        day = self.cleaned_data["semaine"]
        return monday_of(day) if day else None


class UpdateSharingForm(forms.Form):
    shared = forms.BooleanField(
        label=_("Les équipes de la promotion lisent les bulletins des autres"),
        help_text=_(
            "Les EIG et les mentors lisent alors la semaine de toute la promotion et reçoivent "
            "la synthèse du vendredi. Les notes privées des mentors ne sont jamais partagées."
        ),
        required=False,
    )
