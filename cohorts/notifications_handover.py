"""The email that hands a complete team over to its host administration."""

from eig.notifications import Event, register

TEAM_HANDOVER = register(
    Event(
        "cohorts.team_handover",
        "Votre équipe EIG est complète : qui arrive, et quoi préparer",
        audience="les contacts de l'administration qui accueille le défi",
        when="quand toutes les places de l'équipe sont acceptées, après la publication",
    )
)
