"""The emails of interviews, decisions and offers, in the platform's catalogue.

Convocations, decisions and offers are essential: they go even to people who
refuse optional reminders.
"""

from eig.notifications import Event, register

INTERVIEW_INVITATION = register(
    Event(
        "applications.interview_invitation",
        "Invitation à choisir un créneau d'entretien",
        audience="les candidats et candidates présélectionnés",
        when="quand l'équipe ouvre les entretiens d'un défi",
    )
)
INTERVIEW_BOOKED = register(
    Event(
        "applications.interview_booked",
        "Confirmation de l'entretien (avec fichier .ics)",
        audience="le candidat ou la candidate",
        when="à la réservation ou au déplacement d'un créneau",
    )
)
INTERVIEW_MOVE_REQUESTED = register(
    Event(
        "applications.interview_move_requested",
        "Demande de déplacement d'un entretien",
        audience="l'équipe du programme",
        when="quand un candidat ou une candidate demande à déplacer son entretien",
    )
)
INTERVIEW_REMINDER = register(
    Event(
        "applications.interview_reminder",
        "Rappel de l'entretien",
        audience="le candidat ou la candidate",
        when="la veille de l'entretien à 9 h",
    )
)
INTERVIEW_CANCELLED = register(
    Event(
        "applications.interview_cancelled",
        "Annulation d'un entretien devenu sans objet (avec fichier .ics d'annulation)",
        audience="le candidat ou la candidate",
        when="à la publication des résultats, pour un entretien qui n'a pas encore eu lieu",
    )
)
DECISION_PUBLISHED = register(
    Event(
        "applications.decision_published",
        "Décision sur une candidature (sélection, liste d'attente ou refus)",
        audience="chaque candidat ou candidate ayant envoyé une candidature",
        when="à la publication des résultats",
    )
)
OFFER_MADE = register(
    Event(
        "applications.offer_made",
        "Proposition d'une place libérée (depuis la liste d'attente)",
        audience="le candidat ou la candidate en tête de liste d'attente",
        when="quand l'équipe propose la place",
    )
)
OFFER_REMINDER = register(
    Event(
        "applications.offer_reminder",
        "Rappel : offre sans réponse",
        audience="le candidat ou la candidate sélectionnée",
        when="2 jours avant la date limite de réponse",
    )
)
OFFER_DECLINED = register(
    Event(
        "applications.offer_declined",
        "Une offre a été déclinée : la liste d'attente peut être sollicitée",
        audience="l'équipe du programme",
        when="quand un candidat ou une candidate décline son offre",
    )
)
OFFER_ANSWER_CONFIRMED = register(
    Event(
        "applications.offer_answer_confirmed",
        "Confirmation de la réponse à une offre (acceptée ou déclinée)",
        audience="le candidat ou la candidate qui a répondu",
        when="quand il ou elle accepte ou décline sa place",
    )
)
OFFER_ACCEPTED = register(
    Event(
        "applications.offer_accepted",
        "Une offre a été acceptée",
        audience="l'équipe du programme",
        when="quand un candidat ou une candidate accepte sa place",
    )
)
