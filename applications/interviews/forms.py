"""The forms of interviews, decisions and offers."""

import re
from datetime import date, time

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.models import InterviewSlot
from eig.forms import ScoreGridForm


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        return timezone.localtime(slot.starts_at).strftime("%d/%m/%Y %H:%M")


class BookingForm(forms.Form):
    """A slot of the choice's challenge. Taken slots stay valid here: the service
    says clearly that someone else got it first."""

    slot = SlotChoiceField(
        label=_("Créneau"), queryset=InterviewSlot.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = InterviewSlot.objects.filter(challenge=challenge)


class MoveRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi demandez-vous un autre créneau ?"),
        help_text=_("L'équipe du programme vous proposera un autre horaire."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScoringForm(ScoreGridForm):
    """One 1-to-5 score per criterion of the call's grid."""

    @classmethod
    def initial_from(cls, scores):
        return cls.initial_scores(scores)


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommandation du jury"),
        choices=[
            ("", _("Choisir")),
            *InterviewSlot._meta.get_field("recommendation").choices,
        ],
    )
    comment = forms.CharField(
        label=_("Appréciation du jury"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WaitlistForm(forms.Form):
    waitlist_position = forms.IntegerField(
        label=_("Rang sur la liste d'attente"), min_value=1, max_value=99, required=False
    )


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[("accept", _("J'accepte")), ("decline", _("Je décline"))],
        widget=forms.RadioSelect,
    )
    # An answer is final: the candidate confirms it before it is recorded (RGAA 11.12).
    confirm = forms.BooleanField(
        label=_("Je confirme ma réponse"),
        help_text=_("Elle est définitive : une offre déclinée est proposée à une autre personne."),
        error_messages={"required": _("Cochez la case pour confirmer votre réponse.")},
    )


class TimesField(forms.CharField):
    """Paris wall-clock times, separated by commas or spaces: "09:00, 09:45, 14h00"."""

    def to_python(self, value):
        value = super().to_python(value)
        times, wrong = [], []
        for token in re.split(r"[\s,;]+", value.strip()):
            if not token:
                continue
            match = re.fullmatch(r"(\d{1,2})[:hH](\d{2})?", token)
            hour, minute = (int(match[1]), int(match[2] or 0)) if match else (99, 0)
            if hour > 23 or minute > 59:
                wrong.append(token)
            else:
                times.append(time(hour, minute))
        if wrong:
            raise forms.ValidationError(
                _("Horaire non compris : %(wrong)s (écrivez par exemple 09:00 ou 14h30).")
                % {"wrong": ", ".join(wrong)}
            )
        return sorted(set(times))


class JurorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


class BulkSlotsForm(forms.Form):
    """Staff open a challenge's slots: the interview days × the times, for one jury."""

    DEFAULT_TIMES = "09:00, 09:45, 10:30, 11:15, 14:00, 14:45, 15:30, 16:15"

    days = forms.TypedMultipleChoiceField(
        label=_("Jours d'entretiens"),
        widget=forms.CheckboxSelectMultiple,
        coerce=date.fromisoformat,
    )
    times = TimesField(
        label=_("Horaires de début (heure de Paris)"),
        help_text=_("Séparés par des virgules ; chaque entretien dure 45 minutes."),
        initial=DEFAULT_TIMES,
    )
    jury = JurorField(
        label=_("Jury"),
        queryset=InterviewSlot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "L'équipe, les alumni, les membres des jurys de l'année et les mentors du défi."
        ),
    )
    video_link = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, days, jurors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (day.isoformat(), date_format(day, "l j F Y")) for day in days
        ]
        self.fields["jury"].queryset = jurors

    def clean_times(self):
        times = self.cleaned_data["times"]
        if not times:
            raise forms.ValidationError(_("Indiquez au moins un horaire."))
        return times
