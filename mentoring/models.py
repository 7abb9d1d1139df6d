"""Weekly updates (bulletins), mentors' comments and private notes on a team."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def monday_of(day: date) -> date:
    """The ISO week of a day, named by its Monday."""
    return day - timedelta(days=day.weekday())


class WeeklyUpdateQuerySet(models.QuerySet):
    def open_help_requests(self):
        return self.exclude(help_needed="").filter(help_handled_at__isnull=True)


class WeeklyUpdate(models.Model):
    """One update per team and ISO week: spirit, priorities, victories, help needed."""

    class Spirit(models.IntegerChoices):
        STORMY = 1, _("orageux")
        CLOUDY = 2, _("nuageux")
        MIXED = 3, _("mitigé")
        SUNNY = 4, _("ensoleillé")
        RADIANT = 5, _("radieux")

    team = models.ForeignKey(
        "cohorts.Team", on_delete=models.CASCADE, related_name="weekly_updates"
    )
    week = models.DateField(_("semaine du"), help_text=_("Le lundi de la semaine ISO."))
    spirit = models.PositiveSmallIntegerField(
        _("l'humeur de l'équipe"),
        choices=Spirit.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    priorities = models.TextField(_("nos priorités de la semaine"))
    victories = models.TextField(_("nos victoires"), blank=True)
    help_needed = models.TextField(_("où nous avons besoin d'aide"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dernière modification par"),
    )
    help_handled_at = models.DateTimeField(_("aide traitée le"), null=True, blank=True)
    help_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WeeklyUpdateQuerySet.as_manager()
    # Several EIGs write the same update: each version is kept, signed by who wrote it.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-week", "team"]
        verbose_name = _("bulletin hebdomadaire")
        verbose_name_plural = _("bulletins hebdomadaires")
        constraints = [
            models.UniqueConstraint(fields=["team", "week"], name="one_update_per_team_and_week"),
            models.CheckConstraint(
                condition=models.Q(week__week_day=2), name="update_week_is_a_monday"
            ),
        ]

    def __str__(self):
        return f"{self.team} · {self.week:%d/%m/%Y}"


class UpdateComment(models.Model):
    """A mentor's (or staff's) comment on a weekly update, seen by the team."""

    update = models.ForeignKey(WeeklyUpdate, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("commentaire de bulletin")
        verbose_name_plural = _("commentaires de bulletins")

    def __str__(self):
        return f"{self.author} · {self.update}"


class MentorNote(models.Model):
    """A private note of a mentor on their team: the team never sees it."""

    team = models.ForeignKey("cohorts.Team", on_delete=models.CASCADE, related_name="mentor_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note de mentor")
        verbose_name_plural = _("notes de mentors")

    def __str__(self):
        return f"{self.author} · {self.team}"


class UpdateSharing(models.Model):
    """Whether a promotion's teams read each other's weekly updates.

    Peer learning is a pillar of the programme: without a row, updates are shared.
    The mentors' private notes are never part of it.
    """

    promotion = models.OneToOneField(
        "eig.Promotion", on_delete=models.CASCADE, related_name="update_sharing"
    )
    shared = models.BooleanField(
        _("bulletins partagés dans la promotion"),
        default=True,
        help_text=_(
            "Chaque équipe lit les bulletins des autres et reçoit la synthèse du vendredi."
        ),
    )

    class Meta:
        verbose_name = _("partage des bulletins")
        verbose_name_plural = _("partage des bulletins")

    def __str__(self):
        return str(self.promotion)
