"""Administrations and the challenges (défis) they host.

The same models carry the programme's history and the calls to come: an
imported challenge is simply a completed challenge of its promotion.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self):
        return self.name


class ChallengeQuerySet(models.QuerySet):
    def public(self):
        """What anyone may read: challenges selected for their promotion."""
        return self.filter(status__in=Challenge.PUBLIC_STATUSES)

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
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
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
            "challenge_detail", kwargs={"promotion": self.promotion.code, "slug": self.slug}
        )


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
