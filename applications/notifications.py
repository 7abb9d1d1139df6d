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
