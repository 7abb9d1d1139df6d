"""The forms of the jury space: remarks, conflicts of interest, the panel's grid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.jury.onboarding import read_text
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


# --- Staff, at the jury desk ---------------------------------------------------------


class ComposePanelsForm(forms.Form):
    panel_count = forms.IntegerField(label=_("Nombre de panels"), min_value=1, max_value=20)
    start_over = forms.BooleanField(
        label=_("Tout recomposer"),
        required=False,
        help_text=_(
            "Répartit à nouveau tous les membres, y compris ceux qui siègent déjà (les "
            "présidences sont à choisir de nouveau). Sinon, seuls les membres sans panel "
            "sont placés."
        ),
    )


class JurorListForm(forms.Form):
    text = forms.CharField(
        label=_("Liste des membres du jury"),
        required=False,
        help_text=_(
            "Une ligne par personne : nom, adresse électronique, profil, organisation (ou "
            "prénom, nom, adresse, profil, organisation), séparés par des virgules, des "
            "points-virgules ou des tabulations, comme copiés d’un tableur."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
    )
    file = forms.FileField(
        label=_("ou un fichier CSV"),
        required=False,
        help_text=_("Mêmes colonnes ; une ligne d’en-tête est reconnue et ignorée."),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("Le fichier dépasse 1 Mo."))
            data["text"] = read_text(upload.read())
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Collez la liste ou choisissez un fichier CSV."))
        return data


class ConfirmConflictForm(ConflictForm):
    """The second step: the member confirms what they wrote."""

    confirm = forms.BooleanField(
        label=_("Je confirme ce conflit d’intérêts"),
        help_text=_("Je ne verrai plus ce dossier et ne participerai pas à son évaluation."),
    )
