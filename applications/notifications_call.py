"""The emails about the call's own dates, in the platform's catalogue."""

from eig.notifications import Event, register

DEADLINE_EXTENDED = register(
    Event(
        "applications.deadline_extended",
        "La date limite de candidature est prolongée",
        audience="les candidats dont la candidature est encore en brouillon",
        when="quand l'équipe prolonge la date limite",
    )
)
