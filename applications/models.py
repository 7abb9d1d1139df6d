"""The call for applications: candidates apply to one or two selected challenges.

An application belongs to a candidate and a call; its choices (one or two,
ranked) each follow the candidate through pre-selection, interview and
decision for one challenge. A person joins at most one challenge.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from eig.files import PrivateStorage, upload_to
from eig.models import Call, StatusLog


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("à venir")
    OPEN = "open", _("ouvert aux candidatures")
    PRESELECTION = "preselection", _("présélection")
    INTERVIEWS = "interviews", _("entretiens")
    DELIBERATION = "deliberation", _("en attente de publication")
    PUBLISHED = "published", _("résultats publiés")


class CallForApplications(Call):
    """The yearly call in which people apply to the promotion's selected challenges."""

    promotion = models.OneToOneField(
        "eig.Promotion",
        on_delete=models.PROTECT,
        related_name="call_for_applications",
        verbose_name=_("promotion"),
    )
    deadline = models.DateTimeField(_("date limite de candidature"))
    interviews_start_on = models.DateField(_("premier jour d'entretiens"))
    interviews_end_on = models.DateField(_("dernier jour d'entretiens"))
    offer_response_deadline = models.DateTimeField(_("date limite de réponse aux offres"))
    promotion_starts_on = models.DateField(_("début de la promotion"))
    blind_preselection = models.BooleanField(
        _("première lecture à l'aveugle"),
        default=False,
        help_text=_(
            "Masque les noms et coordonnées des candidats aux relecteurs pendant la présélection."
        ),
    )
    pay_grid = models.TextField(
        _("grille de rémunération"),
        blank=True,
        help_text=_(
            "Envoyée aux administrations avec leur équipe, par exemple : 3 500 € net par mois "
            "jusqu'à 5 ans d'expérience inclus, 4 000 € au-delà."
        ),
    )
    history = HistoricalRecords()

    deadline_field = "deadline"
    last_hearing_day_field = "interviews_end_on"
    phases = Phase
    hearing_phase = Phase.INTERVIEWS

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("deadline"))
                & Q(deadline__lte=models.F("preselection_ends_at"))
                & Q(interviews_start_on__lte=models.F("interviews_end_on"))
                & Q(publication_at__lt=models.F("offer_response_deadline")),
                name="call_for_applications_dates_in_order",
            )
        ]

    def __str__(self):
        return _("Appel à candidatures %(promotion)s") % {"promotion": self.promotion}

    # The dates follow one another; each pair is (later field, earlier field, strict).
    DATE_ORDER = [
        ("deadline", "opens_at", True),
        ("preselection_ends_at", "deadline", False),
        ("interviews_start_on", "preselection_ends_at", False),
        ("interviews_end_on", "interviews_start_on", False),
        ("publication_at", "interviews_end_on", True),
        ("offer_response_deadline", "publication_at", True),
    ]

    def date_problems(self):
        """{field: a sentence naming the date out of order and the one it must follow}.

        Interviews come after pre-selection (they may start the day it ends), results
        after the last interview day. Dates are compared as Paris days where one side
        is a day.
        """
        problems = {}
        for later, earlier, strict in self.DATE_ORDER:
            after, before = getattr(self, later), getattr(self, earlier)
            if after is None or before is None or later in problems:
                continue
            a, b = _comparable(after, before)
            if a < b or (strict and a == b):
                problems[later] = _out_of_order(self, later, earlier, strict)
        return problems

    def clean(self):
        super().clean()
        problems = self.date_problems()
        if problems:
            raise ValidationError(problems)

    def validate_constraints(self, exclude=None):
        # `clean` names the wrong date; the dates' constraint stays the database's guard
        # and would only repeat it under its internal name.
        if self.date_problems():
            exclude = {*(exclude or ()), "deadline"}
        super().validate_constraints(exclude=exclude)

    def accepts_applications(self, now=None):
        """Candidates may apply, edit their application and send it."""
        return self.takes_entries(now)

    def results_are_public(self, now=None):
        """Only once published, not on the planned date: publication is refused while
        double selections remain."""
        return self.published_at is not None

    def challenges(self):
        """The challenges people may apply to: those selected for the promotion."""
        from challenges.models import Challenge

        return Challenge.objects.public().filter(promotion_id=self.promotion_id)


def _paris_day(value):
    return timezone.localdate(value) if isinstance(value, datetime) else value


def _comparable(a, b):
    """Two dates or datetimes, as two comparable values (Paris days if one is a day)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a, b
    return _paris_day(a), _paris_day(b)


def _date_label(value):
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


def _out_of_order(call, later, earlier, strict):
    field = call._meta.get_field
    values = {
        "later": field(later).verbose_name,
        "later_date": _date_label(getattr(call, later)),
        "earlier": field(earlier).verbose_name,
        "earlier_date": _date_label(getattr(call, earlier)),
    }
    if strict:
        return (
            gettext(
                "La date « %(later)s » (%(later_date)s) doit venir après « %(earlier)s » "
                "(%(earlier_date)s)."
            )
            % values
        )
    return (
        gettext(
            "La date « %(later)s » (%(later_date)s) ne peut pas précéder « %(earlier)s » "
            "(%(earlier_date)s)."
        )
        % values
    )


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])

    def for_challenge(self, challenge):
        return self.filter(choices__challenge=challenge)


class Application(models.Model):
    """What a candidate sends: a profile, a CV, a motivation, one or two choices."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("envoyée")
        WITHDRAWN = "withdrawn", _("retirée")

    MOTIVATION_MAX_LENGTH = 4000

    call = models.ForeignKey(
        CallForApplications, on_delete=models.PROTECT, related_name="applications"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("candidat·e"),
    )
    status = FSMField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Eligibility, as the candidate declares it.
    studies_completed = models.BooleanField(_("j'ai terminé mes études"), default=False)
    is_civil_servant = models.BooleanField(_("je suis agent public en fonction"), default=False)
    # The file.
    profile = models.ForeignKey(
        "eig.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profil"),
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("années d'expérience"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    cv = models.FileField(
        _("CV (PDF)"), storage=PrivateStorage(), upload_to=upload_to("cvs"), blank=True
    )
    motivation = models.TextField(
        _("lettre de motivation"), blank=True, max_length=MOTIVATION_MAX_LENGTH
    )
    forge_url = models.URLField(_("forge de code (GitHub, GitLab…)"), blank=True)
    portfolio_url = models.URLField(_("portfolio ou site"), blank=True)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    talent_pool_consent = models.BooleanField(
        _("j'accepte que mon dossier reste dans le vivier du programme"),
        default=False,
        help_text=_(
            "Facultatif. Sinon, un dossier non retenu est supprimé trois mois après l'appel."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        constraints = [
            # One application per person and call: a double submit cannot make two.
            models.UniqueConstraint(fields=["call", "candidate"], name="one_application_per_call")
        ]
        indexes = [
            # The staff's lists, newest first, for a call and a status (or for all of them).
            models.Index(
                fields=["call", "status", "-created_at", "-id"], name="application_call_status_new"
            ),
            models.Index(fields=["-created_at", "-id"], name="application_newest_first"),
        ]

    def __str__(self):
        return f"{self.candidate} — {self.call}"

    # The lifecycle. Only `eig.transitions.move`, from `services.set_application_status`, calls these.
    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=status, source=[Status.DRAFT, Status.SUBMITTED], target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class ChoiceQuerySet(models.QuerySet):
    """The choices as the programme speaks of them: of sent applications, at each stage."""

    def of_submitted(self):
        return self.filter(application__status=Application.Status.SUBMITTED)

    def at_interview_stage(self):
        """Shortlisted, and later decided: the choices heard in interview."""
        return self.of_submitted().filter(status__in=Choice.INTERVIEW_STAGE)

    def shortlisted(self):
        """Retained for an interview, not yet decided."""
        return self.of_submitted().filter(status=Choice.Status.SHORTLISTED)

    def waitlisted(self):
        return self.of_submitted().filter(status=Choice.Status.WAITLISTED)

    def holding_a_place(self):
        """Selected, and the place not given back (its offer declined or expired)."""
        return (
            self.of_submitted()
            .filter(status=Choice.Status.SELECTED)
            .exclude(offer__status__in=Offer.PLACE_GIVEN_BACK)
        )


class Choice(models.Model):
    """One challenge an application aims at, with its rank and its own fate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en cours d'examen")
        SHORTLISTED = "shortlisted", _("retenue pour un entretien")
        NOT_SHORTLISTED = "not_shortlisted", _("non retenue après présélection")
        SELECTED = "selected", _("sélectionnée")
        WAITLISTED = "waitlisted", _("sur liste d'attente")
        NOT_SELECTED = "not_selected", _("non sélectionnée")

    DECISIONS = (Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED)
    # What a candidate sees of their choices: never a decision before publication.
    INTERVIEW_STAGE = (Status.SHORTLISTED, *DECISIONS)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("défi"),
    )
    rank = models.PositiveSmallIntegerField(
        _("préférence"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    motivation = models.TextField(_("pourquoi ce défi"), max_length=1500)
    status = FSMField(_("statut"), max_length=16, choices=Status.choices, default=Status.PENDING)
    waitlist_position = models.PositiveSmallIntegerField(
        _("rang sur la liste d'attente"), null=True, blank=True
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("choix de défi")
        verbose_name_plural = _("choix de défis")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="one_choice_per_rank"),
            models.UniqueConstraint(
                fields=["application", "challenge"], name="one_choice_per_challenge"
            ),
        ]
        indexes = [models.Index(fields=["challenge", "status"], name="choice_challenge_status")]

    def __str__(self):
        return f"{self.application} → {self.challenge} ({self.rank})"

    @property
    def holds_a_place(self):
        """`ChoiceQuerySet.holding_a_place` for a row already read with its offer."""
        offer = getattr(self, "offer", None)
        given_back = offer is not None and offer.status in Offer.PLACE_GIVEN_BACK
        return self.status == Choice.Status.SELECTED and not given_back

    # The fate of a choice. Only `eig.transitions.move`, from `services.set_choice_status`,
    # calls these; decisions stay open until publication (staff may change their mind).
    @transition(field=status, source=Status.PENDING, target=Status.SHORTLISTED)
    def shortlist(self):
        pass

    @transition(field=status, source=Status.PENDING, target=Status.NOT_SHORTLISTED)
    def not_shortlist(self):
        pass

    @transition(
        field=status, source=[Status.SHORTLISTED, Status.NOT_SHORTLISTED], target=Status.PENDING
    )
    def reopen(self):
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
        source=[Status.SHORTLISTED, Status.WAITLISTED, Status.SELECTED],
        target=Status.NOT_SELECTED,
    )
    def not_select(self):
        pass


class ReviewCriterion(models.Model):
    """A line of the scoring grid staff configure for a call (scores 1 to 5)."""

    call = models.ForeignKey(CallForApplications, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("critère"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("poids"), default=1, validators=[MinValueValidator(1)]
    )
    about_challenge = models.BooleanField(
        _("porte sur le défi"),
        default=False,
        help_text=_(
            "Par exemple « adéquation avec le défi » : la note vaut pour le défi au titre duquel "
            "le dossier est relu, et ne compte que dans le classement de ce défi."
        ),
    )

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")

    def __str__(self):
        return self.name


class ReviewAssignment(models.Model):
    """A file given to a reviewer (staff or a mentor of the challenge)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("relecture attribuée")
        verbose_name_plural = _("relectures attribuées")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} ← {self.application}"


class Review(models.Model):
    """A reviewer's scores on a file, for one of the challenges it chose.

    Criteria about the challenge ("fit with the challenge") count only in that
    challenge's ranking; the other criteria count in every chosen challenge's ranking
    (`general_score`). Others' reviews show only once the reviewer's own is in.
    A review without a challenge predates this rule and could not be attached to one:
    its challenge criteria count nowhere.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("défi"),
    )
    comment = models.TextField(_("commentaire"), blank=True)
    weighted_score = models.DecimalField(_("note pondérée"), max_digits=4, decimal_places=2)
    general_score = models.DecimalField(
        _("note pondérée hors critères du défi"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "challenge"],
                name="one_review_per_reviewer_and_challenge",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.application}: {self.weighted_score}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ReviewConflict(models.Model):
    """A reviewer who knows a candidate does not review them."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("nature du lien"))
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflit d'intérêts (candidature)")
        verbose_name_plural = _("conflits d'intérêts (candidatures)")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_conflict_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} ⟂ {self.application}"


class InterviewSlot(models.Model):
    """A time a challenge's jury can meet a shortlisted candidate."""

    LENGTH = timedelta(minutes=45)

    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="interview_slots"
    )
    starts_at = models.DateTimeField(_("début"))
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interview_slots", verbose_name=_("jury")
    )
    choice = models.OneToOneField(
        Choice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview",
        verbose_name=_("candidature"),
    )
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    move_requested = models.TextField(_("demande de déplacement"), blank=True)
    recommendation = models.CharField(
        _("recommandation du jury"),
        max_length=16,
        choices=[
            ("select", _("sélectionner")),
            ("waitlist", _("liste d'attente")),
            ("reject", _("ne pas retenir")),
        ],
        blank=True,
    )
    recommendation_comment = models.TextField(_("appréciation du jury"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("créneau d'entretien")
        verbose_name_plural = _("créneaux d'entretien")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "starts_at"], name="one_slot_per_challenge_and_time"
            )
        ]

    def __str__(self):
        return f"{self.challenge} — {timezone.localtime(self.starts_at):%d/%m %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + self.LENGTH


class InterviewScore(models.Model):
    slot = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "member", "criterion"], name="one_interview_score"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.slot}: {self.score}"


class Offer(models.Model):
    """A place offered to a selected candidate, to accept or decline before the deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de réponse")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        EXPIRED = "expired", _("expirée")

    # A selected choice whose place was given back no longer counts in the team.
    PLACE_GIVEN_BACK = (Status.DECLINED, Status.EXPIRED)

    choice = models.OneToOneField(Choice, on_delete=models.CASCADE, related_name="offer")
    status = FSMField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    respond_by = models.DateTimeField(_("répondre avant le"))
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")

    def __str__(self):
        return f"{self.choice}: {self.get_status_display()}"

    # Only `eig.transitions.move`, from `services_decisions.set_offer_status`, calls these.
    @transition(field=status, source=Status.PENDING, target=Status.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=Status.PENDING, target=Status.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=Status.PENDING, target=Status.EXPIRED)
    def expire(self):
        pass

    @transition(
        field=status,
        source=[Status.ACCEPTED, Status.DECLINED, Status.EXPIRED],
        target=Status.PENDING,
    )
    def offer_again(self):
        pass


class ApplicationTransition(StatusLog):
    """Who submitted or withdrew an application, and when."""

    subject = "application"
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField(_("de"), max_length=12, choices=Application.Status.choices)
    target = models.CharField(_("vers"), max_length=12, choices=Application.Status.choices)

    class Meta:
        ordering = ["application", "at"]
        verbose_name = _("changement de statut d'une candidature")
        verbose_name_plural = _("changements de statut des candidatures")


class ChoiceTransition(StatusLog):
    """Who moved a candidate's choice from one status to another, and when."""

    subject = "choice"
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=16, choices=Choice.Status.choices)
    target = models.CharField(max_length=16, choices=Choice.Status.choices)

    class Meta:
        ordering = ["choice", "at"]
        verbose_name = _("changement de statut d'un choix")
        verbose_name_plural = _("changements de statut des choix")


class OfferTransition(StatusLog):
    """Who accepted, declined or reopened an offer, and when."""

    subject = "offer"
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("de"), max_length=10, choices=Offer.Status.choices)
    target = models.CharField(_("vers"), max_length=10, choices=Offer.Status.choices)

    class Meta:
        ordering = ["offer", "at"]
        verbose_name = _("changement de statut d'une offre")
        verbose_name_plural = _("changements de statut des offres")
