"""The alumni's forms: the directory profile and the follow-up surveys."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import AlumniProfile, FollowUpSurvey

YES_NO = [("yes", _("Oui")), ("no", _("Non")), ("unknown", _("Je ne sais pas"))]
_ANSWERS = {"yes": True, "no": False, "unknown": None}


def _yes_no(label, help_text=""):
    """Yes, no, or "I don't know" (kept as no answer to that question)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda answer: _ANSWERS[answer],
        empty_value=None,
        widget=forms.RadioSelect,
    )


class AlumniProfileForm(forms.ModelForm):
    class Meta:
        model = AlumniProfile
        fields = [
            "in_directory",
            "share_email",
            "current_position",
            "bio",
            "skills",
            "available_for_jury",
            "available_for_mentoring",
        ]
        labels = {
            "in_directory": _("Apparaître dans l’annuaire des alumni"),
            "share_email": _("Montrer mon adresse électronique dans l’annuaire"),
            "current_position": _("Mon poste actuel"),
            "bio": _("Quelques mots sur moi"),
            "skills": _("Mes compétences"),
            "available_for_jury": _("Je suis disponible pour siéger dans un jury"),
            "available_for_mentoring": _("Je suis disponible pour mentorer un défi"),
        }
        help_texts = {
            "in_directory": _(
                "L’annuaire n’est visible que des alumni, des EIG en cours et de l’équipe du "
                "programme. Sans cette case, rien de vous n’y apparaît."
            ),
            "share_email": _("Sinon, seuls votre nom, votre promotion et votre défi sont montrés."),
            "current_position": _("Par exemple : « Data scientist, ministère de la Culture »."),
            "bio": _("1 000 caractères au plus."),
            "available_for_jury": _(
                "L’équipe du programme vous voit quand elle compose les jurys des appels."
            ),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "skills": forms.CheckboxSelectMultiple,
        }


class FollowUpSurveyForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Aujourd’hui, vous travaillez…"),
        choices=[
            (FollowUpSurvey.Sector.PUBLIC, _("dans le secteur public")),
            (FollowUpSurvey.Sector.PRIVATE, _("dans le secteur privé")),
            (FollowUpSurvey.Sector.OTHER, _("autre situation (études, recherche d’emploi…)")),
        ],
        widget=forms.RadioSelect,
    )
    still_with_host = _yes_no(_("Travaillez-vous toujours avec votre administration d’accueil ?"))
    product_in_use = _yes_no(_("Le produit de votre défi est-il toujours utilisé ?"))
    product_maintained = _yes_no(
        _("Le produit est-il toujours maintenu ?"),
        _("Corrigé, mis à jour ou développé par quelqu’un, dans l’administration ou ailleurs."),
    )
    product_adopted_elsewhere = _yes_no(
        _("Le produit a-t-il été repris ailleurs ?"),
        _("Par une autre administration, une collectivité, un autre pays…"),
    )
    employer = forms.CharField(
        label=_("Où travaillez-vous aujourd’hui ?"),
        help_text=_("Dans le secteur public, dites quelle administration."),
        required=False,
        max_length=200,
    )
    comments = forms.CharField(
        label=_("Quelque chose à ajouter ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PartnerSurveyForm(forms.Form):
    """A mentor's or host administration's follow-up: the product and the administration."""

    product_in_use = _yes_no(_("Le produit du défi est-il toujours utilisé ?"))
    product_adopted_elsewhere = _yes_no(
        _("Le produit a-t-il été repris ailleurs ?"),
        _("Par une autre administration, une collectivité, un autre pays…"),
    )
    made_permanent = _yes_no(
        _("Le produit est-il pérennisé ?"),
        _("Repris et financé durablement : une équipe, un budget, une place dans le service."),
    )
    administration_recruited = _yes_no(
        _("L’administration a-t-elle recruté depuis le défi ?"),
        _("Un EIG de l’équipe, ou d’autres profils numériques pour poursuivre le travail."),
    )
    comments = forms.CharField(
        label=_("Quelque chose à ajouter ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DirectoryFilterForm(forms.Form):
    """Search the directory by words, promotion, skill and availability."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    promotion = forms.ChoiceField(label=_("Promotion"), required=False)
    competence = forms.ChoiceField(label=_("Compétence"), required=False)
    disponible = forms.ChoiceField(
        label=_("Disponible"),
        required=False,
        choices=[
            ("", _("Peu importe")),
            ("jury", _("pour un jury")),
            ("mentorat", _("pour mentorer")),
        ],
    )

    def __init__(self, *args, promotions, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotion"].choices = [("", _("Toutes les promotions"))] + [
            (p.code, p.name) for p in promotions
        ]
        self.fields["competence"].choices = [("", _("Toutes les compétences"))] + [
            (s.key, s.label) for s in skills
        ]
