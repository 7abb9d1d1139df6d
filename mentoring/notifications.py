"""The emails of the promotion's weekly life, in the platform's catalogue."""

from eig.notifications import Event, register

UPDATE_REMINDER = register(
    Event(
        "mentoring.update_reminder",
        "Rappel : bulletin hebdomadaire de l'équipe pas encore écrit",
        audience="les EIG (avec un compte) des équipes sans bulletin de la semaine",
        when="le lundi à 12 h (heure de Paris), jusqu'au dimanche soir",
        essential=False,
    )
)
WEEKLY_DIGEST = register(
    Event(
        "mentoring.weekly_digest",
        "Synthèse des bulletins de la semaine (demandes d'aide en tête)",
        audience="l'équipe du programme",
        when="le vendredi à 15 h (heure de Paris)",
        essential=False,
    )
)
