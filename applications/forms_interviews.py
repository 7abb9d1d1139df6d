"""The forms of interviews, decisions and offers."""

from django import forms
from django.utils import timezone
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
