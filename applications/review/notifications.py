"""The emails of pre-selection, in the platform's catalogue."""

from eig.notifications import Event, register

REVIEW_REMINDER = register(
    Event(
        "applications.review_reminder",
        "Rappel aux relecteurs : dossiers de candidature à évaluer",
        audience="les relecteurs (équipe, mentors) qui ont des dossiers attribués non évalués",
        when="chaque lundi à 9 h pendant la présélection",
        essential=False,
    )
)
