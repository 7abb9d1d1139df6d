"""The emails of the call for applications, in the platform's catalogue."""

from eig.notifications import Event, register

APPLICATION_SUBMITTED = register(
    Event(
        "applications.application_submitted",
        "Confirmation d'envoi d'une candidature",
        audience="le candidat ou la candidate",
        when="à l'envoi",
    )
)
APPLICATION_WITHDRAWN = register(
    Event(
        "applications.application_withdrawn",
        "Confirmation du retrait d'une candidature",
        audience="le candidat ou la candidate",
        when="au retrait",
    )
)
DRAFT_REMINDER = register(
    Event(
        "applications.draft_reminder",
        "Rappel : candidature en brouillon avant la date limite",
        audience="les candidats dont la candidature n'est pas envoyée",
        when="7 jours puis 1 jour avant la date limite",
    )
)
ERASURE_DONE = register(
    Event(
        "applications.erasure_done",
        "Confirmation de l'effacement des données de candidature",
        audience="le candidat ou la candidate qui a demandé l'effacement",
        when="à l'effacement",
    )
)
