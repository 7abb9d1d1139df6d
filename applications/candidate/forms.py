"""The candidate's forms: the eligibility questions and the application itself."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.candidate.services import FILE_FIELDS
from applications.models import Application, Choice
from eig.files import validate_pdf
from eig.models import Skill

CV_MAX_MEGABYTES = 5
CHOICE_MOTIVATION_MAX_LENGTH = Choice._meta.get_field("motivation").max_length
YES_NO = [("oui", gettext_lazy("Oui")), ("non", gettext_lazy("Non"))]


def yes_no_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda answer: answer == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Répondez par oui ou par non.")},
    )


class EligibilityForm(forms.Form):
    studies_completed = yes_no_field(gettext_lazy("Avez-vous terminé vos études ?"))
    is_civil_servant = yes_no_field(
        gettext_lazy("Êtes-vous aujourd’hui agent public en fonction ?"),
        gettext_lazy(
            "Fonctionnaire ou contractuel·le d’une administration, d’une collectivité ou d’un "
            "établissement public, en poste à ce jour."
        ),
    )


class WithdrawApplicationForm(forms.Form):
    """Withdrawing cannot be undone for this call: the candidate confirms it (RGAA 11.12)."""

    prefix = "retrait"
    confirm = forms.BooleanField(
        label=gettext_lazy("Je confirme vouloir retirer ma candidature"),
        help_text=gettext_lazy("Elle ne pourra plus être envoyée pour cet appel."),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer le retrait.")},
    )


class LongText(forms.CharField):
    """A text area whose line breaks count once, as the browser counts them."""

    widget = forms.Textarea

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class ChallengeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, challenge):
        return f"{challenge.title} — {challenge.administration.name}"


def limit_hint(max_length):
    return _("%(max)s caractères au maximum.") % {
        "max": number_format(max_length, force_grouping=True)
    }


class ApplicationForm(forms.ModelForm):
    """The file: profile, CV, motivation, links, availability, one or two ranked challenges.

    Only the fields listed here are read from the request: a status, a candidate
    or a date slipped into the POST is ignored.
    """

    profile = forms.ModelChoiceField(
        label=gettext_lazy("Le profil qui vous décrit le mieux"),
        queryset=Skill.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
    )
    years_of_experience = forms.IntegerField(
        label=gettext_lazy("Années d’expérience professionnelle"),
        help_text=gettext_lazy("Stages et alternance compris, en années pleines."),
        min_value=0,
        max_value=60,
        required=False,
    )
    cv = forms.FileField(
        label=gettext_lazy("Votre CV"),
        required=False,
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".pdf,application/pdf"}),
    )
    motivation = LongText(
        label=gettext_lazy("Lettre de motivation"),
        max_length=Application.MOTIVATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    forge_url = forms.URLField(
        label=gettext_lazy("Votre forge de code (GitHub, GitLab…)"),
        help_text=gettext_lazy("Une adresse complète, par exemple https://gitlab.com/votre-nom"),
        assume_scheme="https",
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    portfolio_url = forms.URLField(
        label=gettext_lazy("Votre portfolio ou site personnel"),
        help_text=gettext_lazy("Une adresse complète, par exemple https://www.exemple.fr"),
        assume_scheme="https",
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    available_from = forms.DateField(
        label=gettext_lazy("Disponible à partir du"),
        # No format hint: the browser's date field shows its own, in the visitor's locale.
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    first_challenge = ChallengeChoiceField(
        label=gettext_lazy("Premier choix : le défi que vous préférez"),
        queryset=None,
        empty_label=gettext_lazy("Choisir un défi"),
        required=False,
        error_messages={"required": gettext_lazy("Choisissez au moins un défi.")},
    )
    first_motivation = LongText(
        label=gettext_lazy("Pourquoi ce défi ?"),
        max_length=CHOICE_MOTIVATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    second_challenge = ChallengeChoiceField(
        label=gettext_lazy("Second choix"),
        queryset=None,
        empty_label=gettext_lazy("Pas de second choix"),
        required=False,
    )
    second_motivation = LongText(
        label=gettext_lazy("Pourquoi ce second défi ?"),
        max_length=CHOICE_MOTIVATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    talent_pool_consent = forms.BooleanField(
        label=gettext_lazy(
            "J’accepte que mon dossier rejoigne le vivier de talents du programme EIG"
        ),
        help_text=gettext_lazy(
            "Facultatif. Si vous n’êtes pas retenu·e, l’équipe du programme pourra vous "
            "recontacter pour ses prochains appels. Sans cet accord, votre dossier est effacé "
            "trois mois après la fin de l’appel."
        ),
        required=False,
    )

    # A draft may leave these empty; sending needs them (services.missing_for_submission).
    required_to_send = (
        "profile",
        "years_of_experience",
        "cv",
        "motivation",
        "first_challenge",
        "first_motivation",
    )
    required_if_filled = ("second_motivation",)

    class Meta:
        model = Application
        fields = FILE_FIELDS

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, instance=application, **kwargs)
        challenges = application.call.challenges().select_related("administration")
        for name in ("first_challenge", "second_challenge"):
            self.fields[name].queryset = challenges.order_by("title")
        for choice in application.choices.all():
            prefix = "first" if choice.rank == 1 else "second"
            self.initial[f"{prefix}_challenge"] = choice.challenge_id
            self.initial[f"{prefix}_motivation"] = choice.motivation
        self.fields["motivation"].help_text = limit_hint(Application.MOTIVATION_MAX_LENGTH)
        for name in ("first_motivation", "second_motivation"):
            self.fields[name].help_text = limit_hint(CHOICE_MOTIVATION_MAX_LENGTH)
        self.fields["cv"].help_text = _("Au format PDF, %(max)s Mo au maximum.") % {
            "max": CV_MAX_MEGABYTES
        }
        if application.cv:
            self.fields["cv"].help_text += " " + _("Laissez vide pour garder votre CV actuel.")
        self.already_sent = application.status == Application.Status.SUBMITTED
        if self.already_sent:
            self._require_what_was_sent(application)

    def _require_what_was_sent(self, application):
        """A sent application stays complete: its edits may not empty it."""
        for name in (
            "profile",
            "years_of_experience",
            "motivation",
            "first_challenge",
            "first_motivation",
        ):
            self.fields[name].required = True
        self.fields["cv"].required = not application.cv

    @classmethod
    def posted_in(cls, data):
        """Whether a POST carries the form (the send button also saves what was typed)."""
        return "first_challenge" in data

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            validate_pdf(cv, max_megabytes=CV_MAX_MEGABYTES)
        return cv

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first_challenge"), cleaned.get("second_challenge")
        if first and second and first == second:
            self.add_error(
                "second_challenge",
                _("Votre second choix doit porter sur un autre défi que le premier."),
            )
        if not second and cleaned.get("second_motivation"):
            self.add_error(
                "second_challenge",
                _("Choisissez le défi de votre second choix, ou effacez sa motivation."),
            )
        if not first and cleaned.get("first_motivation"):
            self.add_error(
                "first_challenge",
                _("Choisissez le défi de votre premier choix, ou effacez sa motivation."),
            )
        if second and self.already_sent and not cleaned.get("second_motivation"):
            self.add_error("second_motivation", _("Dites pourquoi ce défi vous intéresse."))
        return cleaned

    def file_data(self):
        return {name: self.cleaned_data[name] for name in FILE_FIELDS}

    def choices(self):
        """(challenge, motivation) in order of preference, as services.set_choices takes them.

        A draft may have none yet; a second choice alone becomes the first.
        """
        return [
            (self.cleaned_data[f"{rank}_challenge"], self.cleaned_data[f"{rank}_motivation"])
            for rank in ("first", "second")
            if self.cleaned_data.get(f"{rank}_challenge")
        ]

    def valid_cv(self):
        """The uploaded CV when it passed its checks, even if another field did not."""
        if "cv" in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get("cv")


class ErasureForm(forms.Form):
    """Erasure cannot be undone: the candidate ticks that they know it."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme l’effacement de mes données de candidature. Il est définitif."
        ),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer l’effacement.")},
    )
