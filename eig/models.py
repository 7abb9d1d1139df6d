"""What every stage of the programme shares: people, their roles, the promotion,
the profiles the programme recruits, the FAQ, and the outbox of emails."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class FormOfAddress(models.TextChoices):
    """How a person wants to be addressed in emails; by default, by their full name."""

    NAME = "", _("par mon prénom et mon nom (« Bonjour Léa Martin »)")
    MADAME = "madame", _("Madame (« Bonjour Madame Martin »)")
    MONSIEUR = "monsieur", _("Monsieur (« Bonjour Monsieur Martin »)")


class User(AbstractUser):
    """A person with an account. The email address is the login.

    `is_staff` means programme staff: the only global role. Every other role is
    a relation to an object of a call or a promotion (see `Role`).
    """

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    preferred_language = models.CharField(
        _("langue préférée"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    receives_optional_reminders = models.BooleanField(
        _("reçoit les rappels non essentiels"), default=True
    )
    form_of_address = models.CharField(
        _("formule d’appel"),
        max_length=8,
        choices=FormOfAddress.choices,
        default=FormOfAddress.NAME,
        blank=True,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.display_name

    @property
    def has_name(self):
        """Whether the person told us their first and last names (sign-up asks since 2026)."""
        return bool(self.first_name.strip() and self.last_name.strip())

    @property
    def display_name(self):
        """The name people read on every screen, export and calendar: "Léa Martin".

        The address stands in only for an account that has not given its name yet.
        """
        return self.get_full_name().strip() or self.email

    @property
    def salutation(self):
        """How an email greets the person, as they asked: "Madame Martin", "Léa Martin"."""
        if not self.has_name:
            return ""
        if self.form_of_address == FormOfAddress.MADAME:
            return _("Madame %(last_name)s") % {"last_name": self.last_name}
        if self.form_of_address == FormOfAddress.MONSIEUR:
            return _("Monsieur %(last_name)s") % {"last_name": self.last_name}
        return self.display_name


class Role(models.TextChoices):
    STAFF = "staff", _("équipe du programme")
    JURY_MEMBER = "jury", _("membre de jury")
    ADMINISTRATION_CONTACT = "administration", _("contact d'une administration")
    MENTOR = "mentor", _("mentor")
    CANDIDATE = "candidate", _("candidat ou candidate")
    EIG = "eig", _("EIG")
    ALUMNI = "alumni", _("alumni")


class RoleGrant(models.Model):
    """A role held by a user, for a promotion when it depends on one.

    The stages attach the precise relation (mentor *of* a challenge, member
    *of* a panel); this grant says which spaces of the platform a user may open.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    promotion = models.ForeignKey(
        "eig.Promotion", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rôle attribué")
        verbose_name_plural = _("rôles attribués")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "promotion"], name="unique_role_grant_per_promotion"
            ),
            # A role held for no particular promotion is held once (works on SQLite too).
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(promotion__isnull=True),
                name="unique_role_grant_without_promotion",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class PromotionQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("year", "code")

    def started(self, today=None):
        """Promotions whose residence has begun: the public totals count only these.
        Without a start date (the imported history knows only the year), a promotion
        counts once it has ended or its year is over, never on a guessed date."""
        today = today or timezone.localdate()
        undated = models.Q(starts_on__isnull=True) & (
            models.Q(ends_on__lte=today) | models.Q(year__lt=today.year)
        )
        return self.filter(models.Q(starts_on__lte=today) | undated)


class Promotion(models.Model):
    """A yearly cohort of the programme: "EIG 4" started in September 2020."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("« 4 », « dig »…"))
    name = models.CharField(_("nom"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("année"), db_index=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:promotion_detail", kwargs={"code": self.code})

    def has_started(self, today=None):
        """As `PromotionQuerySet.started`, for one promotion."""
        today = today or timezone.localdate()
        if self.starts_on is not None:
            return self.starts_on <= today
        return (self.ends_on is not None and self.ends_on <= today) or self.year < today.year

    @property
    def has_ended(self):
        return self.ends_on is not None and self.ends_on < timezone.localdate()


# --- The yearly calls ----------------------------------------------------------------


class CallQuerySet(models.QuerySet):
    def open_now(self, now=None):
        """The calls taking entries now: open, before their deadline, not closed early."""
        now = now or timezone.now()
        before_deadline = {f"{self.model.deadline_field}__gt": now}
        return self.filter(opens_at__lte=now, closed_at__isnull=True, **before_deadline)

    def current(self, now=None):
        """The call people work on: the open one, else the latest."""
        calls = self.select_related("promotion")
        return calls.open_now(now).first() or calls.order_by("-opens_at").first()

    def current_pk(self, now=None):
        """The current call's key alone, for a page that only tells it apart from others."""
        keys = self.values_list("pk", flat=True)
        return keys.open_now(now).first() or keys.order_by("-opens_at").first()


class Call(models.Model):
    """What the programme's two yearly calls share, for projects then for applications.

    A call opens, takes entries until its deadline unless staff close it early,
    pre-selects, hears the shortlisted (a jury, or interviews) until a last day, and
    publishes its results; its phase follows from these dates (Europe/Paris). Each
    call names its deadline, the last day of its hearings and its phases.
    """

    opens_at = models.DateTimeField(_("ouverture"))
    preselection_ends_at = models.DateTimeField(_("fin de la présélection"))
    publication_at = models.DateTimeField(_("publication des résultats"))
    closed_at = models.DateTimeField(_("clôturé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)

    deadline_field = ""  # the field of the moment entries stop being taken
    last_hearing_day_field = ""  # the field of the last day of the jury or interviews
    phases = None  # the call's Phase choices
    hearing_phase = None  # the one of them while the shortlisted are heard

    objects = CallQuerySet.as_manager()

    class Meta:
        abstract = True

    def takes_entries(self, now=None):
        now = now or timezone.now()
        deadline = getattr(self, self.deadline_field)
        return self.closed_at is None and self.opens_at <= now < deadline

    def results_are_public(self, now=None):
        now = now or timezone.now()
        return self.published_at is not None or self.publication_at <= now

    def phase(self, now=None):
        """Where the call stands: one place for what each date means."""
        now = now or timezone.now()
        if self.results_are_public(now):
            return self.phases.PUBLISHED
        if now < self.opens_at:
            return self.phases.UPCOMING
        if self.takes_entries(now):
            return self.phases.OPEN
        if now < self.preselection_ends_at:
            return self.phases.PRESELECTION
        if timezone.localdate(now) <= getattr(self, self.last_hearing_day_field):
            return self.hearing_phase
        return self.phases.DELIBERATION


class StatusLog(models.Model):
    """Who moved something from one status to another, when, and why.

    Each state machine has its log (`ChallengeTransition`, `ApplicationTransition`…),
    written by `eig.transitions.move` only; `subject` names the moved object's field.
    """

    subject = ""
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, self.subject)}: {self.source} → {self.target}"


class Skill(models.Model):
    """A profile the programme recruits: development, data science, design…"""

    key = models.SlugField(_("clé"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=60)

    class Meta:
        ordering = ["label"]
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self):
        return self.label


class Person(models.Model):
    """Someone who took part in the programme, with or without an account.

    People of past promotions have no account; a person's record is linked to an
    account when the same person signs up, never duplicated.
    """

    full_name = models.CharField(_("nom complet"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=160, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    profile = models.CharField(_("profil"), max_length=80, blank=True)
    github = models.CharField(max_length=100, blank=True)
    gitlab = models.CharField(max_length=100, blank=True)
    linkedin = models.URLField(max_length=300, blank=True)
    twitter = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self):
        return self.full_name

    @classmethod
    def of_account(cls, user):
        """The person record of an account, created the first time it is needed."""
        person = cls.objects.filter(user=user).first()
        if person:
            return person
        name = user.get_full_name() or user.email.split("@")[0]
        base = slugify(name) or f"personne-{user.pk}"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return cls.objects.create(full_name=name, slug=slug, user=user)


class FaqQuerySet(models.QuerySet):
    def current(self):
        """The FAQ in force, which staff write about what the platform does."""
        return self.filter(archive_year__isnull=True)

    def archived(self, year):
        return self.filter(archive_year=year)


class FaqEntry(models.Model):
    """A question and its answer: in the FAQ in force (staff edit it, with its history),
    or in an archived FAQ kept as published (the imported one is the programme's 2021 FAQ)."""

    class Audience(models.TextChoices):
        CANDIDATES = "candidates", _("candidats et candidates")
        ADMINISTRATIONS = "administrations", _("administrations")

    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.CharField(_("question"), max_length=300)
    answer_html = models.TextField(_("réponse (HTML nettoyé)"))
    anchor = models.SlugField(_("ancre"), max_length=100, blank=True)
    archive_year = models.PositiveSmallIntegerField(
        _("archive de l’année"),
        null=True,
        blank=True,
        help_text=_("Vide pour la FAQ en vigueur ; l’année de publication d’une FAQ archivée."),
    )

    objects = FaqQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["audience", "position"]
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "position"],
                condition=models.Q(archive_year__isnull=True),
                name="unique_faq_position",
            ),
            models.UniqueConstraint(
                fields=["audience", "position", "archive_year"],
                condition=models.Q(archive_year__isnull=False),
                name="unique_archived_faq_position",
            ),
        ]

    def __str__(self):
        return self.question


class OutboxMessage(models.Model):
    """One email, kept from the moment it is decided until it is sent.

    The idempotency key (event, object, recipient, occasion) is unique: the same
    email can exist only once, however often a sweep or a request asks for it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        # Handed to the mail server; a row left here by a dead worker may or may not
        # have gone: the sweep holds it as uncertain rather than sending it again.
        SENDING = "sending", _("envoi en cours")
        UNCERTAIN = "uncertain", _("envoi incertain")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("en échec")
        CANCELLED = "cancelled", _("annulé")

    event = models.CharField(_("événement"), max_length=60, db_index=True)
    idempotency_key = models.CharField(_("clé d'unicité"), max_length=255, unique=True)
    essential = models.BooleanField(
        _("essentiel"),
        default=True,
        help_text=_(
            "Échéances, décisions, convocations : envoyé même aux personnes qui refusent les rappels."
        ),
    )
    # The object the email is about: its pending reminders die with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(_("destinataire"))
    language = models.CharField(_("langue"), max_length=5, default="fr")
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    attempted_at = models.DateTimeField(_("dernier envoi tenté le"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email de la file d'envoi")
        verbose_name_plural = _("file d'envoi des emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_attempt"),
            models.Index(fields=["content_type", "object_id"], name="outbox_object"),
        ]

    def __str__(self):
        return f"{self.event} → {self.to_email}"


class Heartbeat(models.Model):
    """The last time a recurring job of the platform ran: beat's sweep, the backup.

    Kept in the database, which every node and worker shares, so that the staff's
    status page can tell a job that stopped from one that runs elsewhere.
    """

    name = models.CharField(_("tâche"), max_length=40, unique=True)
    at = models.DateTimeField(_("dernière exécution"))
    detail = models.CharField(_("détail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dernière exécution d'une tâche")
        verbose_name_plural = _("dernières exécutions des tâches")

    def __str__(self):
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, name, detail=""):
        cls.objects.update_or_create(
            name=name, defaults={"at": timezone.now(), "detail": detail[:255]}
        )


class EmailRequest(models.Model):
    """An email a person's own action sends to others (an invitation, a request to a team):
    counted to cap them per person and per day, in the database that every process shares."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("envoi demandé")
        verbose_name_plural = _("envois demandés")
        indexes = [models.Index(fields=["user", "action", "at"], name="email_request_user_day")]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
