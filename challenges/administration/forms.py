"""The forms an administration fills in during the call for projects.

Every form lists its fields: whatever else a POST carries (status, editors,
decision…) is never read. Saving goes through the views, which first ask the
services whether the challenge may still change.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from challenges.administration.names import name_key, similar_administrations
from challenges.models import Administration, AdministrationContact, Challenge, ChallengeMentor
from eig.files import validate_pdf
from eig.forms import limit_free_text
from eig.models import Person, Skill

PITCH_DECK_MAX_MEGABYTES = 10


# --- Administrations -----------------------------------------------------------------


class AdministrationForm(forms.ModelForm):
    """A new administration; the service creates it and makes its author an active contact."""

    website = forms.URLField(
        label=_("Site web"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("Adresse complète, par exemple https://www.numerique.gouv.fr"),
    )

    class Meta:
        model = Administration
        fields = ["name", "kind", "website"]
        labels = {
            "name": _("Nom de l’administration"),
            "kind": _("Type d’administration"),
        }
        help_texts = {
            "name": _("Le nom complet, par exemple « Direction interministérielle du numérique »."),
        }
        error_messages = {
            "name": {
                "unique": _("Cette administration existe déjà : demandez plutôt à la rejoindre."),
            },
        }

    distinct = forms.BooleanField(
        label=_("Mon administration n’est aucune de celles-ci : l’inscrire quand même"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar = []

    def validate_unique(self):
        """Left to `services.create_administration`, which tells a double click (the
        same person gets the page of the first post) from a second registration."""

    def clean(self):
        """A name close to a registered one (case, accents, acronym, alias) is offered
        that one first; registering anyway is a choice the person confirms."""
        data = super().clean()
        name = data.get("name")
        if not name:
            return data
        self.similar = similar_administrations(name)
        if any(name_key(a.name) == name_key(name) for a in self.similar):
            # The same name but for case, accents or punctuation: never a second one.
            self.similar = [a for a in self.similar if name_key(a.name) == name_key(name)]
            raise ValidationError(
                _("Cette administration existe déjà : demandez plutôt à la rejoindre."),
                code="unique",
            )
        if not data.get("distinct"):
            if self.similar:
                raise ValidationError(
                    _(
                        "Une administration au nom proche est déjà inscrite : si c’est la "
                        "vôtre, demandez à la rejoindre plutôt que de l’inscrire une "
                        "seconde fois."
                    ),
                    code="similar",
                )
        return data

    def administration_fields(self):
        """What the service needs, without the confirmation box."""
        return {key: self.cleaned_data[key] for key in ("name", "kind", "website")}


class JoinAdministrationForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration à rejoindre"),
        queryset=Administration.objects.none(),
        empty_label=_("Choisissez une administration"),
        help_text=_(
            "Un contact de cette administration ou l’équipe du programme validera votre demande."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = Administration.objects.exclude(
            contacts__user=user
        ).order_by("name")


# --- Starting and sharing a challenge --------------------------------------------------


class StartChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("Titre du défi"),
        max_length=200,
        help_text=_("Un titre court ; vous pourrez le changer jusqu’à la date limite."),
    )
    administration = forms.ModelChoiceField(
        label=_("Administration qui porte le défi"),
        queryset=Administration.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = active_administrations_of(user)


def active_administrations_of(user):
    return Administration.objects.filter(
        contacts__user=user, contacts__status=AdministrationContact.Status.ACTIVE
    ).order_by("name")


class InviteCoeditorForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de votre collègue"),
        help_text=_("Votre collègue recevra un lien valable 14 jours pour co-rédiger ce défi."),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme vouloir retirer ce défi de l’appel à projets"),
        help_text=_("Un défi retiré ne peut plus être déposé."),
        error_messages={"required": _("Cochez la case pour confirmer le retrait.")},
    )


# --- The challenge, section by section -----------------------------------------------


FILE_NOT_STORED = _(
    "Le fichier n’a pas pu être enregistré : le stockage des fichiers est momentanément "
    "indisponible. Le reste du formulaire est enregistré ; déposez le fichier à nouveau "
    "un peu plus tard."
)


class ChallengeForm(forms.ModelForm):
    """Sections 1 to 5 and 7 to 9 of the challenge form (6, the mentors, is a formset).

    While drafting, only the title is required: what a submission needs is
    checked by `services.missing_for_submission` when the challenge is submitted.
    """

    skills = forms.ModelMultipleChoiceField(
        label=_("Profils recherchés"),
        queryset=Skill.objects.order_by("label"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les compétences dont l’équipe aura besoin."),
    )
    team_size = forms.TypedChoiceField(
        label=_("Taille de l’équipe"),
        choices=[(2, _("2 personnes")), (3, _("3 personnes"))],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    funding = forms.ChoiceField(
        label=_("Financement"),
        choices=Challenge.Funding.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    # A draft needs only its title; submitting needs these (services.missing_for_submission).
    required_to_send = (
        "problem",
        "challenge_text",
        "data_description",
        "expected_impact",
        "skills",
        "team_size",
        "location",
        "funding",
    )

    class Meta:
        model = Challenge
        fields = [
            "problem",
            "title",
            "summary",
            "challenge_text",
            "data_description",
            "data_conditions",
            "expected_impact",
            "users_description",
            "skills",
            "team_size",
            "location",
            "funding",
            "funding_details",
            "open_commitment",
            "pitch_deck",
        ]
        labels = {
            "problem": _("Le problème public"),
            "title": _("Titre du défi"),
            "summary": _("Résumé en une phrase"),
            "challenge_text": _("Le défi"),
            "data_description": _("Les données disponibles"),
            "data_conditions": _("Conditions d’accès aux données"),
            "expected_impact": _("Impact attendu"),
            "users_description": _("Usagers et bénéficiaires"),
            "location": _("Lieu de travail de l’équipe"),
            "funding_details": _("Précisions sur le financement"),
            "open_commitment": _("Nous nous engageons à l’ouverture du code et des données"),
            "pitch_deck": _("Présentation du défi (PDF)"),
        }
        help_texts = {
            "problem": _("Quel problème rencontrent les usagers ou les agents ? Pour qui ?"),
            "summary": _("300 caractères au plus ; elle sera lue en premier."),
            "challenge_text": _("Ce que l’équipe devra construire en 10 mois."),
            "data_description": _("Quelles données l’équipe pourra-t-elle utiliser ?"),
            "data_conditions": _("Convention, habilitation, délais d’accès…"),
            "expected_impact": _("Ce qui aura changé au bout de 10 mois, et pour qui."),
            "users_description": _("Qui utilisera le produit ? Qui en bénéficiera ?"),
            "location": _("Ville et département, par exemple « Paris (75007) »."),
            "pitch_deck": _("Un fichier PDF de 10 Mo au plus."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 6}),
            "challenge_text": forms.Textarea(attrs={"rows": 6}),
            "data_description": forms.Textarea(attrs={"rows": 5}),
            "data_conditions": forms.Textarea(attrs={"rows": 3}),
            "expected_impact": forms.Textarea(attrs={"rows": 5}),
            "users_description": forms.Textarea(attrs={"rows": 4}),
            "funding_details": forms.Textarea(attrs={"rows": 3}),
            "pitch_deck": forms.FileInput(
                attrs={"class": "fr-upload", "accept": "application/pdf"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored name is random (eig.files.upload_to): the uploader's may be any length.
        self.fields["pitch_deck"].max_length = None
        limit_free_text(self)

    def require_what_submission_requires(self):
        """A submitted challenge stays complete: each field a submission needs and left
        empty is an error of the form (services.missing_for_submission, field by field)."""
        required = _("Ce champ est nécessaire à un défi déposé : il ne peut pas être vidé.")
        for name in self.required_to_send:
            if name in self.cleaned_data and not self.cleaned_data[name]:
                self.add_error(name, required)
        if "open_commitment" in self.cleaned_data and not self.cleaned_data["open_commitment"]:
            self.add_error(
                "open_commitment",
                _("Un défi déposé garde son engagement d’ouverture du code et des données."),
            )
        return self.is_valid()

    def clean_pitch_deck(self):
        upload = self.cleaned_data.get("pitch_deck")
        if isinstance(upload, UploadedFile):
            validate_pdf(upload, max_megabytes=PITCH_DECK_MAX_MEGABYTES)
        return upload

    def save_valid_fields(self):
        """Store every field that passed validation; a field in error keeps its
        stored value. Only the form's own columns are written, never the status."""
        valid = [name for name in self._meta.fields if name in self.cleaned_data]
        columns = [name for name in valid if name != "skills"]
        try:
            # A savepoint of its own: a failed write must not doom the view's transaction.
            with transaction.atomic():
                if columns:
                    self.instance.save(update_fields=columns)
        except OSError:
            # The media volume is read-only or full: the file is written before any
            # SQL, so the rest can still be saved; the file is asked for again.
            valid.remove("pitch_deck")
            columns.remove("pitch_deck")
            self.instance.pitch_deck = Challenge.objects.get(pk=self.instance.pk).pitch_deck
            self.instance.save(update_fields=columns)
            self.add_error("pitch_deck", FILE_NOT_STORED)
        if "skills" in valid:
            self.instance.skills.set(self.cleaned_data["skills"])
        return valid


# --- Section 6: the mentors ----------------------------------------------------------


class KnownPersonField(forms.ModelChoiceField):
    """The search list of people the programme knows; namesakes told apart by profile."""

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.profile})" if obj.profile else obj.full_name


class MentorForm(forms.Form):
    """One mentor: a person the programme already knows by this email, the row's own
    person when the draft is edited again, or a new person. Never by name alone: a
    namesake of a past promotion is someone else."""

    full_name = forms.CharField(label=_("Prénom et nom"), max_length=150, required=False)
    kind = forms.ChoiceField(
        label=_("Rôle"),
        choices=[
            ("", _("Choisissez un rôle")),
            (
                ChallengeMentor.Kind.OPERATIONAL,
                _("mentor opérationnel (porteur ou porteuse du projet)"),
            ),
            (ChallengeMentor.Kind.STRATEGIC, _("mentor stratégique (direction)")),
        ],
        required=False,
    )
    job_title = forms.CharField(label=_("Fonction"), max_length=150, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    # The row's stored person, carried through an edit of the draft (checked on save).
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    known_person = KnownPersonField(
        queryset=Person.objects.order_by("full_name", "slug"),
        required=False,
        label=_("Ou une personne que le programme connaît déjà"),
        help_text=_(
            "Choisissez-la dans la liste si c’est elle : un nom seul, même identique, "
            "n’est jamais rattaché à une personne existante."
        ),
        empty_label=_("Une nouvelle personne (le nom ci-dessus)"),
    )
    # A mentor row may stay empty; once started, it needs a name and a role.
    required_if_filled = ("full_name", "kind")

    def has_content(self):
        data = self.cleaned_data
        fields = ("full_name", "known_person", "kind", "job_title", "email")
        return any(data.get(name) for name in fields)

    def clean(self):
        data = super().clean()
        if not self.has_content():
            return data
        if data.get("known_person") and not data.get("full_name"):
            data["full_name"] = data["known_person"].full_name
        if not data.get("full_name") and "full_name" not in self.errors:
            self.add_error("full_name", _("Indiquez le prénom et le nom du mentor."))
        elif data.get("full_name") and not slugify(data["full_name"]):
            self.add_error("full_name", _("Ce nom ne contient ni lettre ni chiffre."))
        if not data.get("kind"):
            self.add_error("kind", _("Indiquez si ce mentor est opérationnel ou stratégique."))
        return data

    @property
    def slug(self):
        return slugify(self.cleaned_data["full_name"])[:160]


class BaseMentorFormSet(forms.BaseFormSet):
    """Up to three mentors. How many of each kind a submission needs is checked
    at submission (services.missing_for_submission), not while drafting."""

    default_error_messages = {
        "too_many_forms": _("Un défi a trois mentors au plus."),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Retirer ce mentor du défi")

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if form.cleaned_data and form.has_content() and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        slugs = [form.slug for form in self.kept_forms()]
        if len(slugs) != len(set(slugs)):
            raise ValidationError(_("Une même personne figure deux fois parmi les mentors."))

    def require_what_submission_requires(self):
        """One or two operational mentors and one strategic mentor, as at submission."""
        if not self.is_valid():
            return False
        kinds = [form.cleaned_data["kind"] for form in self.kept_forms()]
        if not 1 <= kinds.count(ChallengeMentor.Kind.OPERATIONAL) <= 2:
            self._non_form_errors.append(
                _("Un défi déposé garde un ou deux mentors opérationnels.")
            )
        if kinds.count(ChallengeMentor.Kind.STRATEGIC) != 1:
            self._non_form_errors.append(_("Un défi déposé garde un mentor stratégique."))
        return not self._non_form_errors

    @transaction.atomic
    def save(self, challenge):
        """The challenge's mentors become exactly the rows of the form, in order."""
        own = {m.person_id: m.person for m in challenge.mentorships.select_related("person")}
        challenge.mentorships.all().delete()
        for position, form in enumerate(self.kept_forms()):
            data = form.cleaned_data
            ChallengeMentor.objects.create(
                challenge=challenge,
                person=data.get("known_person")
                or mentor_person(
                    full_name=" ".join(data["full_name"].split()),
                    email=data["email"],
                    row_person=own.get(data.get("person")),
                ),
                kind=data["kind"],
                job_title=data["job_title"],
                email=data["email"],
                position=position,
            )


def mentor_person(*, full_name, email, row_person=None):
    """Who a mentor row is: by email, or the row's own person if still so named, else new."""
    if email:
        known = Person.objects.filter(
            Q(user__email__iexact=email) | Q(mentorships__email__iexact=email)
        ).first()
        if known is not None:
            return known
    if row_person is not None and slugify(row_person.full_name) == slugify(full_name):
        return row_person
    return Person.objects.create(full_name=full_name, slug=_free_person_slug(full_name))


def _free_person_slug(full_name):
    base = slugify(full_name)[:150]
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


MAX_MENTORS = 3

MentorFormSet = forms.formset_factory(
    MentorForm,
    formset=BaseMentorFormSet,
    extra=MAX_MENTORS,
    max_num=MAX_MENTORS,
    absolute_max=MAX_MENTORS,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


def mentor_rows(challenge):
    """The stored mentors, as the formset's initial rows."""
    return [
        {
            "full_name": mentorship.person.full_name,
            "kind": "" if mentorship.kind == ChallengeMentor.Kind.UNSPECIFIED else mentorship.kind,
            "job_title": mentorship.job_title,
            "email": mentorship.email,
            "person": mentorship.person_id,
        }
        for mentorship in challenge.mentorships.select_related("person")
    ]
