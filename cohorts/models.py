"""The promotion in residence: one team per selected challenge."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Team(models.Model):
    challenge = models.OneToOneField(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("défi"),
    )

    made_permanent = models.BooleanField(
        _("défi pérennisé"),
        default=False,
        help_text=_("Le produit est repris et financé après la promotion."),
    )
    end_summary = models.TextField(
        _("bilan de fin de promotion"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Quelques lignes publiques : ce que l’équipe a construit, ce qui reste à faire."
        ),
    )

    handed_over_at = models.DateTimeField(
        _("équipe transmise à l'administration le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Quand les contacts de l'administration ont reçu l'équipe complète."),
    )

    class Meta:
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")

    def __str__(self):
        return str(self.challenge)


class TeamMember(models.Model):
    """An EIG of a team: the person joined at most one challenge of a promotion."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "eig.Person", on_delete=models.CASCADE, related_name="team_memberships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Contract(models.TextChoices):
        TO_SEND = "to_send", _("à envoyer")
        SENT = "sent", _("envoyé")
        SIGNED = "signed", _("signé")

    # The 10-month contract with the host administration, as staff follow it.
    contract_status = models.CharField(
        _("contrat"), max_length=10, choices=Contract.choices, default=Contract.TO_SEND
    )
    contract_sent_on = models.DateField(_("contrat envoyé le"), null=True, blank=True)
    contract_signed_on = models.DateField(_("contrat signé le"), null=True, blank=True)
    starts_on = models.DateField(_("date d'arrivée"), null=True, blank=True)

    class Meta:
        ordering = ["team", "position"]
        verbose_name = _("EIG de l'équipe")
        verbose_name_plural = _("EIG de l'équipe")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="unique_team_member")
        ]

    def __str__(self):
        return f"{self.person} — {self.team}"


class OnboardingStep(models.Model):
    """A step of an EIG's arrival that the EIG, the mentors and staff see and tick."""

    class Item(models.TextChoices):
        CONTRACT = "contract", _("contrat signé")
        WORKSTATION = "workstation", _("poste de travail prêt")
        DATA_ACCESS = "data_access", _("accès aux données ouverts")
        FIRST_MEETING = "first_meeting", _("première rencontre avec les mentors")

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="onboarding")
    item = models.CharField(_("étape"), max_length=20, choices=Item.choices)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "item"]
        verbose_name = _("étape d'accueil")
        verbose_name_plural = _("étapes d'accueil")
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], name="one_onboarding_step_per_item")
        ]

    def __str__(self):
        return f"{self.member} · {self.get_item_display()}"


class OpenedDataset(models.Model):
    """A dataset a team opened during its promotion."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="opened_datasets")
    name = models.CharField(_("jeu de données"), max_length=200)
    url = models.URLField(_("adresse"), max_length=300)

    class Meta:
        verbose_name = _("jeu de données ouvert")
        verbose_name_plural = _("jeux de données ouverts")

    def __str__(self):
        return self.name


class CoachingEvent(models.Model):
    """A moment of the coaching programme: bootcamp, workshop, offsite…"""

    class Kind(models.TextChoices):
        BOOTCAMP = "bootcamp", _("bootcamp")
        WORKSHOP = "workshop", _("atelier")
        OFFSITE = "offsite", _("séminaire")
        PEER_LEARNING = "peer_learning", _("apprentissage entre pairs")
        MENTORS = "mentors", _("session des mentors")

    class Audience(models.TextChoices):
        EIGS = "eigs", _("les EIG")
        MENTORS = "mentors", _("les mentors")
        BOTH = "both", _("les EIG et les mentors")
        TEAMS = "teams", _("certaines équipes")

    promotion = models.ForeignKey(
        "eig.Promotion", on_delete=models.CASCADE, related_name="coaching_events"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience.choices, default=Audience.EIGS
    )
    teams = models.ManyToManyField(
        Team, blank=True, related_name="events", verbose_name=_("équipes invitées")
    )
    invitations_sent_at = models.DateTimeField(_("invitations envoyées le"), null=True, blank=True)
    record_markdown = models.TextField(
        _("compte rendu : supports, notes, liens"),
        blank=True,
        help_text=_(
            "Markdown. Les supports d’un atelier, le programme d’un séminaire, les notes : "
            "la promotion les retrouve sur la page de l’événement."
        ),
    )
    # Each change sent to the invitees raises it: calendars replace the event they hold.
    sequence = models.PositiveIntegerField(_("version envoyée"), default=0, editable=False)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("événement d'accompagnement")
        verbose_name_plural = _("événements d'accompagnement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class EventInvitation(models.Model):
    """A person invited to an event, their answer, and whether they came."""

    class Answer(models.TextChoices):
        NONE = "", _("pas de réponse")
        YES = "yes", _("oui")
        NO = "no", _("non")

    event = models.ForeignKey(CoachingEvent, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_invitations"
    )
    answer = models.CharField(
        _("réponse"), max_length=3, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_invitation_per_person")
        ]

    def __str__(self):
        return f"{self.user} → {self.event}"


class CalendarFeed(models.Model):
    """The secret address of a person's iCal feed; resetting it kills the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)

    def __str__(self):
        return f"{self.user}"


class AlumniProfile(models.Model):
    """What an alum chooses to share in the directory (nothing unless they opt in)."""

    person = models.OneToOneField(
        "eig.Person", on_delete=models.CASCADE, related_name="alumni_profile"
    )
    in_directory = models.BooleanField(_("apparaître dans l'annuaire des alumni"), default=False)
    share_email = models.BooleanField(_("montrer mon adresse électronique"), default=False)
    current_position = models.CharField(_("poste actuel"), max_length=200, blank=True)
    bio = models.TextField(_("quelques mots"), blank=True, max_length=1000)
    skills = models.ManyToManyField(
        "eig.Skill", blank=True, related_name="alumni_profiles", verbose_name=_("compétences")
    )
    available_for_jury = models.BooleanField(_("disponible pour un jury"), default=False)
    available_for_mentoring = models.BooleanField(_("disponible pour mentorer"), default=False)

    class Meta:
        verbose_name = _("profil d'alumni")
        verbose_name_plural = _("profils d'alumni")

    def __str__(self):
        return str(self.person)


class FollowUpSurvey(models.Model):
    """A follow-up survey sent 6 and 12 months after the promotion, answered by a personal link."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("secteur public")
        PRIVATE = "private", _("secteur privé")
        OTHER = "other", _("autre")

    VALIDITY = timedelta(days=60)

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="surveys")
    months_after = models.PositiveSmallIntegerField(
        _("mois après la fin"), choices=[(6, "6"), (12, "12")]
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    sector = models.CharField(_("poste actuel"), max_length=10, choices=Sector.choices, blank=True)
    still_with_host = models.BooleanField(
        _("toujours avec l'administration d'accueil"), null=True, blank=True
    )
    product_in_use = models.BooleanField(_("produit toujours utilisé"), null=True, blank=True)
    product_maintained = models.BooleanField(_("produit toujours maintenu"), null=True, blank=True)
    # In an answered survey, an empty yes/no is the answer "I don't know".
    employer = models.CharField(
        _("où la personne travaille (administration, entreprise…)"), max_length=200, blank=True
    )
    product_adopted_elsewhere = models.BooleanField(
        _("produit repris ailleurs"), null=True, blank=True
    )
    comments = models.TextField(_("commentaires libres"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("questionnaire de suivi")
        verbose_name_plural = _("questionnaires de suivi")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "months_after"], name="one_survey_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.months_after} mois"


class HandbookPageQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def search(self, words):
        """Pages whose title or text (in either language) hold every word."""
        pages = self
        for word in words.split():
            pages = pages.filter(
                models.Q(title__icontains=word)
                | models.Q(body_markdown__icontains=word)
                | models.Q(title_en__icontains=word)
                | models.Q(body_markdown_en__icontains=word)
            )
        return pages


class HandbookPage(models.Model):
    """A page of the handbook for EIGs and mentors, written by staff, by stage of the promotion."""

    class Stage(models.TextChoices):
        ARRIVING = "arriving", _("Arriver")
        ADMINISTRATION = "administration", _("Travailler avec l’administration")
        OPEN_SOURCE = "open_source", _("Open source")
        DATA = "data", _("Données")
        LEAVING = "leaving", _("Partir, et après")

    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=150)
    body_markdown = models.TextField(_("texte (Markdown)"))
    title_en = models.CharField(_("titre en anglais"), max_length=150, blank=True)
    body_markdown_en = models.TextField(
        _("texte en anglais (Markdown)"),
        blank=True,
        help_text=_("Facultatif : sans lui, la page s’affiche en français."),
    )
    is_public = models.BooleanField(
        _("page publique"),
        default=True,
        help_text=_(
            "Décochée, la page est réservée aux EIG, aux mentors et à l’équipe du programme."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = HandbookPageQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "position", "title"]
        verbose_name = _("page du manuel")
        verbose_name_plural = _("pages du manuel")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cohorts:handbook_page", kwargs={"slug": self.slug})

    def in_language(self, language):
        """Title and text in `language` when staff wrote them, else in French."""
        if language == "en" and self.body_markdown_en:
            return self.title_en or self.title, self.body_markdown_en
        return self.title, self.body_markdown


class PartnerSurvey(models.Model):
    """The follow-up survey of a challenge's mentor or host administration contact, 6 and 12
    months after the promotion: what became of the product and of the team's work there.

    In an answered survey, an empty yes/no is the answer "I don't know".
    """

    class Respondent(models.TextChoices):
        MENTOR = "mentor", _("mentor du défi")
        ADMINISTRATION = "administration", _("contact de l'administration d'accueil")

    VALIDITY = FollowUpSurvey.VALIDITY

    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="partner_surveys",
        verbose_name=_("défi"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_surveys",
        verbose_name=_("personne interrogée"),
    )
    respondent = models.CharField(_("au titre de"), max_length=20, choices=Respondent.choices)
    months_after = models.PositiveSmallIntegerField(
        _("mois après la fin"), choices=[(6, "6"), (12, "12")]
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    product_in_use = models.BooleanField(_("produit toujours utilisé"), null=True, blank=True)
    product_adopted_elsewhere = models.BooleanField(
        _("produit repris ailleurs"), null=True, blank=True
    )
    made_permanent = models.BooleanField(
        _("produit pérennisé (repris et financé)"), null=True, blank=True
    )
    administration_recruited = models.BooleanField(
        _("l'administration a recruté (un EIG ou des profils numériques)"), null=True, blank=True
    )
    comments = models.TextField(_("commentaires libres"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("questionnaire de suivi des mentors et administrations")
        verbose_name_plural = _("questionnaires de suivi des mentors et administrations")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user", "months_after"],
                name="one_partner_survey_per_milestone",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.challenge} · {self.months_after} mois"
