"""The promotion in residence: one team per selected challenge."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    challenge = models.OneToOneField(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("défi"),
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

    class Meta:
        ordering = ["team", "position"]
        verbose_name = _("EIG de l'équipe")
        verbose_name_plural = _("EIG de l'équipe")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="unique_team_member")
        ]

    def __str__(self):
        return f"{self.person} — {self.team}"
