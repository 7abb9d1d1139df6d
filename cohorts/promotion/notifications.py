"""The emails of the promotion's coaching calendar, in the platform's catalogue.

An invitation is essential (it carries the .ics file); reminders are optional:
they skip people who refuse non-essential emails, and those who declined.
"""

from eig.notifications import Event, register

EVENT_INVITATION = register(
    Event(
        "cohorts.event_invitation",
        "Invitation à un événement de la promotion (avec fichier .ics)",
        audience="les EIG et/ou les mentors invités",
        when="quand l'équipe du programme envoie les invitations",
    )
)
EVENT_UPDATE = register(
    Event(
        "cohorts.event_update",
        "Changement d'un événement de la promotion (avec fichier .ics mis à jour)",
        audience="toutes les personnes invitées",
        when="quand l'équipe du programme déplace un événement dont les invitations sont parties",
    )
)
EVENT_CANCELLED = register(
    Event(
        "cohorts.event_cancelled",
        "Annulation d'un événement de la promotion (avec fichier .ics d'annulation)",
        audience="toutes les personnes invitées",
        when="quand l'équipe du programme annule un événement",
    )
)
EVENT_REMINDER = register(
    Event(
        "cohorts.event_reminder",
        "Rappel d'un événement de la promotion",
        audience="les personnes invitées qui n'ont pas décliné",
        when="7 jours puis 1 jour avant l'événement, à la même heure",
        essential=False,
    )
)
