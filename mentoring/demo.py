"""Demo data of the teams' weekly life, for `make run`.

The EIG 7 teams' updates over the last eight ISO weeks (Europe/Paris): team 1
writes every week, this one included; team 2 writes too, but has asked for
help these last two weeks and nobody has handled it yet; team 3 has been silent
for three weeks. The demo mentor commented on team 1's latest update and keeps
two private notes on it. Safe to run again.

Past weeks' updates are created directly: `post_update` only writes the
current week's, and only for an EIG with an account.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from applications.demo import mentor_account, staff_account
from cohorts.models import Team
from cohorts.promotion.demo import RUNNING, TEAM_1_ACCOUNTS
from eig.models import User
from eig.reminders import paris_time
from mentoring import services
from mentoring.models import MentorNote, UpdateComment, WeeklyUpdate, monday_of

WEEKS = 8
Spirit = WeeklyUpdate.Spirit

# (spirit, priorities, victories, help needed), oldest week first.
TEAM_1 = [
    (Spirit.SUNNY, "Rencontrer les pharmaciens hospitaliers ; cartographier les données de stock.",
     "Premier entretien avec l'ANSM.", ""),
    (Spirit.MIXED, "Obtenir l'accès aux déclarations de rupture.",
     "", "L'accès aux déclarations de rupture n'est toujours pas ouvert."),
    (Spirit.SUNNY, "Explorer trois ans de déclarations ; premiers indicateurs.",
     "Accès aux données obtenu grâce à l'équipe du programme.", ""),
    (Spirit.CLOUDY, "Nettoyer les données des grossistes.",
     "", ""),
    (Spirit.SUNNY, "Premier modèle de prévision sur les antibiotiques.",
     "Le modèle repère 7 ruptures sur 10 un mois avant.", ""),
    (Spirit.RADIANT, "Présenter le prototype au comité de pilotage.",
     "Le comité valide le passage en test chez deux hôpitaux.", ""),
    (Spirit.SUNNY, "Tests utilisateurs à l'AP-HP ; tableau de bord des alertes.",
     "Six pharmaciens ont testé le tableau de bord.", ""),
    (Spirit.RADIANT, "Corriger les retours des tests ; préparer la démonstration du séminaire.",
     "Le tableau de bord sert déjà à l'AP-HP pour deux molécules.", ""),
]  # fmt: skip
TEAM_2 = [
    (Spirit.SUNNY, "Recenser les aides nationales et locales.", "Atelier avec la CAF.", ""),
    (Spirit.SUNNY, "Maquetter le simulateur.", "Maquettes testées avec huit foyers.", ""),
    (Spirit.MIXED, "Brancher les barèmes de l'APL.", "", ""),
    (Spirit.SUNNY, "Premier parcours complet du simulateur.", "Parcours en 2 minutes 10.", ""),
    (Spirit.MIXED, "Ajouter les aides des départements.", "", ""),
    (Spirit.CLOUDY, "Héberger le simulateur en production.", "",
     "Nous n'avons pas d'hébergement validé par la DSI : qui contacter ?"),
    (Spirit.STORMY, "Débloquer la mise en production.", "",
     "Toujours pas d'hébergement, et le partenaire menace de suspendre le test."),
]  # fmt: skip
TEAM_3 = [
    (Spirit.SUNNY, "Découvrir les données de télérelève.", "Accès aux compteurs de deux quartiers.", ""),
    (Spirit.MIXED, "Nettoyer les séries de consommation.", "", ""),
    (Spirit.SUNNY, "Premier repérage de fuites nocturnes.", "Trois fuites confirmées sur le terrain.", ""),
    (Spirit.MIXED, "Étendre à toute la ville.", "", ""),
    (Spirit.CLOUDY, "Industrialiser l'import des données.", "", ""),
]  # fmt: skip
# The help team 1 asked for in its second week, handled by staff.
HANDLED_HELP_WEEK = 1

COMMENT = "Bravo pour l'adoption à l'AP-HP ! Pensez à noter les retours des pharmaciens pour le séminaire."
NOTES = [
    "Équipe soudée ; Eden porte les échanges avec l'ANSM, à relayer par Alma en janvier.",
    "Point d'attention : le financement de l'hébergement après la promotion n'est pas acquis.",
]


@transaction.atomic
def load():
    """Returns the number of updates of the running promotion's demo teams."""
    staff = staff_account()
    mentor = mentor_account()
    teams = [
        Team.objects.select_related("challenge__promotion").get(
            challenge__promotion__code="7", challenge__slug=slugify(title)[:180]
        )
        for title, *_rest in RUNNING
    ]
    promotion = teams[0].challenge.promotion
    now = timezone.now()
    current = monday_of(services.paris_today(now))
    first = monday_of(promotion.starts_on) if promotion.starts_on else None
    weeks = [current - timedelta(weeks=n) for n in reversed(range(WEEKS))]
    authors = [User.objects.get(email=email) for email, *_rest in TEAM_1_ACCOUNTS]
    for team, entries, team_authors in (
        (teams[0], TEAM_1, authors),
        (teams[1], TEAM_2, [None]),
        (teams[2], TEAM_3, [None]),
    ):
        for index, (week, entry) in enumerate(zip(weeks, entries, strict=False)):
            if first is not None and week < first:
                continue
            _update(team, week, entry, author=team_authors[index % len(team_authors)], now=now)
    _handled_help(teams[0], weeks[HANDLED_HELP_WEEK], staff)
    latest = teams[0].weekly_updates.order_by("-week").first()
    if latest and not UpdateComment.objects.filter(update=latest, author=mentor).exists():
        services.comment(update=latest, by=mentor, text=COMMENT)
    for days_ago, text in zip((20, 4), NOTES, strict=True):
        if not MentorNote.objects.filter(team=teams[0], author=mentor, text=text).exists():
            note = services.add_note(team=teams[0], by=mentor, text=text)
            MentorNote.objects.filter(pk=note.pk).update(created_at=now - timedelta(days=days_ago))
    return WeeklyUpdate.objects.filter(team__in=teams).count()


def _update(team, week, entry, *, author, now):
    """The update as it was written on the Friday of its week, before it closed (or just now)."""
    spirit, priorities, victories, help_needed = entry
    written = min(paris_time(week + timedelta(days=4), time(14, 0)), now)
    update, created = WeeklyUpdate.objects.get_or_create(
        team=team,
        week=week,
        defaults={
            "spirit": spirit,
            "priorities": priorities,
            "victories": victories,
            "help_needed": help_needed,
            "author": author,
            "created_at": written,
        },
    )
    if created:
        WeeklyUpdate.objects.filter(pk=update.pk).update(updated_at=written)
    return update


def _handled_help(team, week, staff):
    update = team.weekly_updates.filter(week=week).exclude(help_needed="").first()
    if update is not None and update.help_handled_at is None:
        WeeklyUpdate.objects.filter(pk=update.pk).update(
            help_handled_at=update.created_at + timedelta(days=2), help_handled_by=staff
        )
