"""The forms of the jury space: remarks, conflicts of interest, the panel's grid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import PanelEvaluation
from eig.forms import ScoreGridForm


class RemarkForm(forms.Form):
    text = forms.CharField(
        label=_("Mes remarques sur ce défi"),
        help_text=_(
            "Visibles par le ou la président·e de votre panel. Laissez vide pour retirer vos "
            "remarques."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Nature de votre lien avec ce défi ou son administration"),
        help_text=_(
            "Une fois le conflit déclaré, vous ne verrez plus ce dossier et ne participerez "
            "pas à son évaluation."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PanelGridForm(ScoreGridForm):
    """One 1-to-5 score per criterion of the call, then the recommendation."""

    recommendation = forms.ChoiceField(
        label=_("Recommandation du panel"),
        choices=[("", _("Choisir")), *PanelEvaluation.Recommendation.choices],
    )
    comment = forms.CharField(
        label=_("Appréciation du panel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @classmethod
    def initial_from(cls, evaluation):
        if evaluation is None:
            return {}
        return {
            "recommendation": evaluation.recommendation,
            "comment": evaluation.comment,
            **cls.initial_scores(evaluation.scores.all()),
        }
