"""Administrations and the challenges (défis) they host.

The same models carry the programme's history and the calls to come: an
imported challenge is simply a completed challenge of its promotion.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from eig.files import PrivateStorage, upload_to
from eig.models import Call, StatusLog


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("à venir")
    OPEN = "open", _("ouvert aux dépôts")
    PRESELECTION = "preselection", _("présélection")
    JURY = "jury", _("jury")
    DELIBERATION = "deliberation", _("en attente de publication")
    PUBLISHED = "published", _("résultats publiés")


class CallForProjects(Call):
    """The yearly call in which administrations submit their challenges.

    Its phase follows from its dates (Europe/Paris); staff may close it early
    or extend its deadline, and every change is kept in its history. Its results
    are public on their date, or earlier once staff publish them.
    """

    promotion = models.OneToOneField(
        "eig.Promotion",
        on_delete=models.PROTECT,
        related_name="call_for_projects",
        verbose_name=_("promotion"),
    )
    submission_deadline = models.DateTimeField(_("date limite de dépôt"))
    jury_starts_on = models.DateField(_("premier jour de jury"))
    jury_ends_on = models.DateField(_("dernier jour de jury"))
    kits_opened_at = models.DateTimeField(_("dossiers ouverts au jury le"), null=True, blank=True)
    history = HistoricalRecords()

    deadline_field = "submission_deadline"
    last_hearing_day_field = "jury_ends_on"
    phases = Phase
    hearing_phase = Phase.JURY

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("submission_deadline"))
                & Q(submission_deadline__lte=models.F("preselection_ends_at"))
                & Q(jury_starts_on__lte=models.F("jury_ends_on")),
                name="call_for_projects_dates_in_order",
            )
        ]

    def __str__(self):
        return _("Appel à projets %(promotion)s") % {"promotion": self.promotion}

    def accepts_submissions(self, now=None):
        """Administrations may submit and edit their challenges."""
        return self.takes_entries(now)

    def preselection_is_public(self, now=None):
        return (now or timezone.now()) >= self.preselection_ends_at or self.results_are_public(now)

    @property
    def kits_are_open(self):
        return self.kits_opened_at is not None


class SelectionCriterion(models.Model):
    """A line of the selection grid staff set for a call."""

    call = models.ForeignKey(CallForProjects, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("critère"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("poids"), default=1, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("critères de sélection")

    def __str__(self):
        return self.name


class Administration(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministère")
        AGENCY = "agency", _("agence")
        OPERATOR = "operator", _("opérateur")
        LOCAL_AUTHORITY = "local_authority", _("collectivité territoriale")
        DECONCENTRATED = "deconcentrated", _("service déconcentré")
        OTHER = "other", _("autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    partners = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("administrations partenaires")
    )
    # Registered by a person on the platform: its challenges wait for staff to check it
    # is a real public body (imported ones and those staff add are known already).
    awaiting_validation = models.BooleanField(
        _("en attente de validation"),
        default=False,
        help_text=_("Ses défis ne peuvent pas être déposés avant que l’équipe la valide."),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self):
        return self.name


class AdministrationContact(models.Model):
    """A person who acts for an administration. Joining an existing
    administration waits for a contact of it (or staff) to accept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("demande en attente")
        ACTIVE = "active", _("actif")

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="administration_contacts"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact d'administration")
        verbose_name_plural = _("contacts d'administration")
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "user"], name="unique_administration_contact"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.administration}"


class AdministrationMerge(models.Model):
    """One administration merged into another by staff (two spellings of one body): what
    moved, kept as history; the importer reads the merged name as the kept one's."""

    kept = models.ForeignKey(
        Administration,
        on_delete=models.CASCADE,
        related_name="merges",
        verbose_name=_("administration conservée"),
    )
    merged_name = models.CharField(_("nom de l’administration fusionnée"), max_length=200)
    merged_slug = models.SlugField(_("identifiant de l’administration fusionnée"), max_length=200)
    merged_website = models.URLField(_("site de l’administration fusionnée"), blank=True)
    challenges = models.JSONField(_("défis déplacés"), default=list)
    contacts = models.JSONField(_("contacts déplacés"), default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("fusion d’administrations")
        verbose_name_plural = _("fusions d’administrations")

    def __str__(self):
        return f"{self.merged_name} → {self.kept}"


class ChallengeQuerySet(models.QuerySet):
    def public(self, now=None):
        """What anyone may read: challenges selected for their promotion, once
        the results of their call are public (imported ones have no call)."""
        now = now or timezone.now()
        published = (
            Q(call__isnull=True)
            | Q(call__published_at__isnull=False)
            | Q(call__publication_at__lte=now)
        )
        return self.filter(
            Q(status=Challenge.Status.COMPLETED) | (Q(status=Challenge.Status.SELECTED) & published)
        )

    def of_call(self, call):
        return self.filter(call=call)

    def editable_by(self, user):
        return self.filter(editors=user)

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(body_markdown__icontains=text)
        )


class Challenge(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("déposé")
        SHORTLISTED = "shortlisted", _("présélectionné")
        DECLINED = "declined", _("non retenu en présélection")
        SELECTED = "selected", _("sélectionné")
        WAITLISTED = "waitlisted", _("sur liste d'attente")
        NOT_SELECTED = "not_selected", _("non sélectionné")
        WITHDRAWN = "withdrawn", _("retiré")
        COMPLETED = "completed", _("réalisé")

    PUBLIC_STATUSES = (Status.SELECTED, Status.COMPLETED)
    DECISIONS = (Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED)
    PRESELECTION_OUTCOMES = (Status.SHORTLISTED, Status.DECLINED)

    class Funding(models.TextChoices):
        COFUNDING = "cofunding", _("cofinancement par le programme")
        SELF_FUNDING = "self", _("autofinancement")

    call = models.ForeignKey(
        CallForProjects,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("appel à projets"),
    )
    promotion = models.ForeignKey(
        "eig.Promotion",
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("promotion"),
    )
    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("administration"),
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    body_markdown = models.TextField(_("présentation (Markdown)"), blank=True)
    location = models.CharField(_("lieu"), max_length=150, blank=True)
    skills = models.ManyToManyField(
        "eig.Skill", blank=True, related_name="challenges", verbose_name=_("profils")
    )
    duration_months = models.PositiveSmallIntegerField(_("durée (mois)"), default=10)
    team_size = models.PositiveSmallIntegerField(_("taille de l'équipe"), null=True, blank=True)
    source_code_url = models.URLField(_("code source"), max_length=300, blank=True)
    product_url = models.URLField(_("produit"), max_length=300, blank=True)
    status = FSMField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # What an administration writes, section by section.
    problem = models.TextField(_("le problème public"), blank=True)
    challenge_text = models.TextField(_("le défi"), blank=True)
    data_description = models.TextField(_("les données"), blank=True)
    data_conditions = models.TextField(_("conditions d'accès aux données"), blank=True)
    expected_impact = models.TextField(_("impact attendu"), blank=True)
    users_description = models.TextField(_("usagers et bénéficiaires"), blank=True)
    funding = models.CharField(_("financement"), max_length=10, choices=Funding.choices, blank=True)
    funding_details = models.TextField(_("précisions sur le financement"), blank=True)
    open_commitment = models.BooleanField(
        _("engagement open source et open data"),
        default=False,
        help_text=_(
            "Le code produit sera publié sous licence libre et les données ouvertes quand c'est possible."
        ),
    )
    pitch_deck = models.FileField(
        _("présentation (PDF)"),
        storage=PrivateStorage(),
        upload_to=upload_to("pitch-decks"),
        blank=True,
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_challenges",
        verbose_name=_("rédacteurs"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    internal_notes = models.TextField(_("notes internes de l'équipe"), blank=True)
    history_key = models.CharField(
        _("clé de l'historique"),
        max_length=200,
        blank=True,
        help_text=_("Le nom du défi dans l'historique public importé."),
    )

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("défi")
        verbose_name_plural = _("défis")
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "slug"], name="unique_challenge_slug_per_promotion"
            ),
            models.UniqueConstraint(
                fields=["history_key"],
                condition=~Q(history_key=""),
                name="unique_challenge_history_key",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "cohorts:challenge_detail", kwargs={"promotion": self.promotion.code, "slug": self.slug}
        )

    # The lifecycle. Only `eig.transitions.move`, from `services.set_challenge_status`, calls these.
    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=[Status.DRAFT, Status.SUBMITTED, Status.SHORTLISTED],
        target=Status.WITHDRAWN,
    )
    def withdraw(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.SHORTLISTED)
    def shortlist(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.DECLINED)
    def decline(self):
        pass

    @transition(
        field=status,
        source=[Status.SHORTLISTED, Status.WAITLISTED, Status.NOT_SELECTED],
        target=Status.SELECTED,
    )
    def select(self):
        pass

    @transition(
        field=status,
        source=[Status.SHORTLISTED, Status.SELECTED, Status.NOT_SELECTED],
        target=Status.WAITLISTED,
    )
    def waitlist(self):
        pass

    @transition(
        field=status,
        source=[Status.SHORTLISTED, Status.SELECTED, Status.WAITLISTED],
        target=Status.NOT_SELECTED,
    )
    def not_select(self):
        pass

    @transition(field=status, source=Status.SELECTED, target=Status.COMPLETED)
    def complete(self):
        pass


class ChallengeTransition(StatusLog):
    """Who moved a challenge from one status to another, when, and why."""

    subject = "challenge"
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("de"), max_length=20, choices=Challenge.Status.choices)
    target = models.CharField(_("vers"), max_length=20, choices=Challenge.Status.choices)

    class Meta:
        ordering = ["challenge", "at"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")


class ChallengeInvitation(models.Model):
    """A colleague of the same administration invited to co-edit a challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse du ou de la collègue"))
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    VALIDITY = timedelta(days=14)

    class Meta:
        verbose_name = _("invitation à co-rédiger")
        verbose_name_plural = _("invitations à co-rédiger")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "email"], name="unique_invitation")
        ]

    def __str__(self):
        return f"{self.email} → {self.challenge}"

    @property
    def is_valid(self):
        return self.accepted_at is None and timezone.now() < self.created_at + self.VALIDITY


class Assessment(models.Model):
    """A staff member's score of a submitted challenge on one criterion."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("note (1 à 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("évaluation de qualification")
        verbose_name_plural = _("évaluations de qualification")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "criterion", "assessor"], name="unique_assessment"
            )
        ]

    def __str__(self):
        return f"{self.challenge} · {self.criterion}: {self.score}"


class KeyFigure(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="key_figures")
    position = models.PositiveSmallIntegerField(default=0)
    amount = models.DecimalField(_("valeur"), max_digits=16, decimal_places=2)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["challenge", "position"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")

    def __str__(self):
        return f"{self.amount} {self.description}"


class ChallengeMentor(models.Model):
    """A person who mentors a challenge: operational (daily guide) or strategic."""

    class Kind(models.TextChoices):
        OPERATIONAL = "operational", _("mentor opérationnel")
        STRATEGIC = "strategic", _("mentor stratégique")
        UNSPECIFIED = "unspecified", _("mentor")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="mentorships")
    person = models.ForeignKey("eig.Person", on_delete=models.CASCADE, related_name="mentorships")
    kind = models.CharField(
        _("rôle"), max_length=20, choices=Kind.choices, default=Kind.UNSPECIFIED
    )
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["challenge", "position"]
        verbose_name = _("mentor du défi")
        verbose_name_plural = _("mentors du défi")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "person"], name="unique_mentor_per_challenge"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_kind_display()}) — {self.challenge}"


# --- The jury ---------------------------------------------------------------------


class JuryMember(models.Model):
    """A person sitting on the jury of a call, in one panel at most."""

    class Profile(models.TextChoices):
        STAFF = "staff", _("équipe du programme")
        ALUMNI = "alumni", _("alumni")
        CIVIL_SERVANT = "civil_servant", _("agent public")
        CIVIL_SOCIETY = "civil_society", _("société civile")
        DATA_SPECIALIST = "data_specialist", _("spécialiste des données")

    call = models.ForeignKey(CallForProjects, on_delete=models.CASCADE, related_name="jury_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_memberships"
    )
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    administration = models.ForeignKey(
        Administration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration d'appartenance"),
        help_text=_(
            "Un membre ne siège jamais dans le panel qui auditionne un défi de son administration."
        ),
    )
    panel = models.ForeignKey(
        "JuryPanel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("panel"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Telle qu'indiquée dans la liste d'invitation du jury."),
    )
    invited_at = models.DateTimeField(_("invité·e le"), null=True, blank=True)

    class Meta:
        ordering = ["call", "user__last_name", "user__first_name"]
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="unique_jury_member")]

    def __str__(self):
        return f"{self.user} ({self.get_profile_display()})"


class JuryPanel(models.Model):
    """5 to 8 members who hear 2 or 3 challenges in one half-day."""

    MIN_MEMBERS, MAX_MEMBERS = 5, 8
    MIN_CHALLENGES, MAX_CHALLENGES = 2, 3

    call = models.ForeignKey(CallForProjects, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("nom"), max_length=60)
    lead = models.ForeignKey(
        JuryMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("président·e"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisateur ou organisatrice (équipe)"),
    )
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)

    class Meta:
        ordering = ["call", "name"]
        verbose_name = _("panel du jury")
        verbose_name_plural = _("panels du jury")
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="unique_panel_name")]

    def __str__(self):
        return self.name


class Audition(models.Model):
    """A challenge heard by a panel: 10 min reading, 5 min presentation,
    15 min questions, 10 min deliberation (the last one without the administration)."""

    READING, PRESENTATION, QUESTIONS, DELIBERATION = (timedelta(minutes=m) for m in (10, 5, 15, 10))
    LENGTH = READING + PRESENTATION + QUESTIONS + DELIBERATION

    # A panel that still hears challenges cannot be deleted: its auditions move or are
    # cancelled first (the jury desk asks), never deleted with it unseen.
    panel = models.ForeignKey(JuryPanel, on_delete=models.PROTECT, related_name="auditions")
    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="audition")
    starts_at = models.DateTimeField(_("début"))
    # The convocation: a draft until sent; what was sent is kept, so that a change
    # (time, panel, place or link) shows as "to send again" and goes out as the next
    # SEQUENCE of the same calendar entry.
    sequence = models.PositiveIntegerField(_("version envoyée"), default=0, editable=False)
    sent_at = models.DateTimeField(_("convocation envoyée le"), null=True, blank=True)
    sent_starts_at = models.DateTimeField(_("début envoyé"), null=True, blank=True)
    sent_location = models.CharField(_("lieu ou lien envoyé"), max_length=300, blank=True)
    sent_panel = models.ForeignKey(
        JuryPanel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("panel envoyé"),
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("audition")
        verbose_name_plural = _("auditions")

    def __str__(self):
        return f"{self.challenge} — {self.panel}"

    @property
    def administration_joins_at(self):
        return self.starts_at + self.READING

    @property
    def administration_leaves_at(self):
        return self.administration_joins_at + self.PRESENTATION + self.QUESTIONS

    @property
    def ends_at(self):
        return self.starts_at + self.LENGTH


class ConflictOfInterest(models.Model):
    """Declared by a member: they see nothing of that challenge and do not score it."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("nature du lien"))
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["member", "challenge"], name="unique_conflict")
        ]

    def __str__(self):
        return f"{self.member} ⟂ {self.challenge}"


class KitReading(models.Model):
    """A member opened the kit of a challenge (reminders go to those who did not)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="readings")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "challenge"], name="unique_kit_reading")
        ]

    def __str__(self):
        return f"{self.member} · {self.challenge}"


class JuryRemark(models.Model):
    """What a member writes about a challenge before the day."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="remarks")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="jury_remarks")
    text = models.TextField(_("remarques"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remarque d'un membre du jury")
        verbose_name_plural = _("remarques des membres du jury")
        constraints = [
            models.UniqueConstraint(fields=["member", "challenge"], name="unique_jury_remark")
        ]

    def __str__(self):
        return f"{self.member} · {self.challenge}"


class PanelEvaluation(models.Model):
    """The panel's grid and recommendation, recorded by its lead during deliberation."""

    class Recommendation(models.TextChoices):
        SELECT = "select", _("sélectionner")
        WAITLIST = "waitlist", _("liste d'attente")
        NOT_SELECT = "not_select", _("ne pas sélectionner")

    audition = models.OneToOneField(Audition, on_delete=models.CASCADE, related_name="evaluation")
    recommendation = models.CharField(
        _("recommandation"), max_length=12, choices=Recommendation.choices
    )
    comment = models.TextField(_("appréciation du panel"), blank=True)
    recorded_by = models.ForeignKey(
        JuryMember, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grille du panel")
        verbose_name_plural = _("grilles des panels")

    def __str__(self):
        return f"{self.audition}: {self.get_recommendation_display()}"


class PanelScore(models.Model):
    evaluation = models.ForeignKey(PanelEvaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(SelectionCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("note (1 à 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="unique_panel_score")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
