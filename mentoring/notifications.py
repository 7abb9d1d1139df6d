"""The emails of the promotion's weekly life, in the platform's catalogue."""

from eig.notifications import Event, register

UPDATE_REMINDER = register(
    Event(
        "mentoring.update_reminder",
        "Rappel : bulletin hebdomadaire de l'équipe pas encore écrit",
        audience="les EIG (avec un compte) des équipes sans bulletin de la semaine",
        when="le lundi à 12 h (heure de Paris), jusqu'à la clôture du vendredi 15 h",
        essential=False,
    )
)
WEEKLY_DIGEST = register(
    Event(
        "mentoring.weekly_digest",
        "Synthèse des bulletins de la semaine (demandes d'aide en tête)",
        audience=(
            "toute la promotion : l'équipe du programme, et les EIG et mentors des équipes "
            "quand la promotion partage ses bulletins"
        ),
        when="le vendredi à 15 h (heure de Paris)",
        essential=False,
    )
)
HELP_REQUESTED = register(
    Event(
        "mentoring.help_requested",
        "Une équipe demande de l'aide dans son bulletin",
        audience="l'équipe du programme et les mentors de l'équipe",
        when="aussitôt la demande publiée (ou changée)",
    )
)
HELP_PICKED_UP = register(
    Event(
        "mentoring.help_picked_up",
        "Votre demande d'aide est prise en charge",
        audience="les EIG (avec un compte) de l'équipe qui a demandé de l'aide",
        when="aussitôt qu'une personne de l'équipe du programme la prend en charge",
    )
)
COMMENT_POSTED = register(
    Event(
        "mentoring.comment_posted",
        "Un mentor (ou l'équipe du programme) a commenté votre bulletin",
        audience="les EIG (avec un compte) de l'équipe",
        when="aussitôt le commentaire publié",
        essential=False,
    )
)
