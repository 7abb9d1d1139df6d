"""The forms of the jury space: remarks, conflicts of interest, the panel's grid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import PanelEvaluation

SCORES = [(score, str(score)) for score in range(1, 6)]


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


class PanelGridForm(forms.Form):
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

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {
            name: forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for criterion in self.criteria
            for name in [self.score_field(criterion)]
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
    def initial_from(cls, evaluation):
        if evaluation is None:
            return {}
        initial = {"recommendation": evaluation.recommendation, "comment": evaluation.comment}
        for score in evaluation.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
        return initial
