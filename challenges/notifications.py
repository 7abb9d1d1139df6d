"""The emails of the call for projects, in the platform's catalogue."""

from eig.notifications import Event, register

JOIN_REQUESTED = register(
    Event(
        "challenges.join_requested",
        "Demande pour rejoindre une administration",
        audience="les contacts actifs de l'administration",
        when="à la demande",
    )
)
COEDITOR_INVITED = register(
    Event(
        "challenges.coeditor_invited",
        "Invitation à co-rédiger un défi",
        audience="le ou la collègue invitée",
        when="à l'invitation",
    )
)
CHALLENGE_SUBMITTED = register(
    Event(
        "challenges.challenge_submitted",
        "Confirmation de dépôt d'un défi (avec son résumé)",
        audience="les rédacteurs du défi",
        when="au dépôt",
    )
)
CHALLENGE_WITHDRAWN = register(
    Event(
        "challenges.challenge_withdrawn",
        "Confirmation du retrait d'un défi",
        audience="les rédacteurs du défi",
        when="au retrait",
    )
)
DEADLINE_REMINDER = register(
    Event(
        "challenges.deadline_reminder",
        "Rappel : défi en brouillon avant la date limite",
        audience="les rédacteurs des défis encore en brouillon",
        when="7 jours puis 1 jour avant la date limite de dépôt",
    )
)
CONVOCATION = register(
    Event(
        "challenges.convocation",
        "Convocation à l'audition devant le jury (avec fichier .ics)",
        audience="les rédacteurs des défis présélectionnés",
        when="quand l'équipe envoie les convocations",
    )
)
CONVOCATION_REMINDER = register(
    Event(
        "challenges.convocation_reminder",
        "Rappel de la convocation",
        audience="les rédacteurs des défis auditionnés",
        when="la veille de l'audition à 9 h",
    )
)
JURY_KIT_REMINDER = register(
    Event(
        "challenges.jury_kit_reminder",
        "Rappel au jury : dossiers non lus ou remarques manquantes",
        audience="les membres d'un panel qui n'ont pas tout lu ou commenté",
        when="2 jours avant leur session",
        essential=False,
    )
)
DECISION_PUBLISHED = register(
    Event(
        "challenges.decision_published",
        "Décision du jury sur un défi",
        audience="les rédacteurs des défis auditionnés",
        when="à la publication des résultats",
    )
)
JOIN_ACCEPTED = register(
    Event(
        "challenges.join_accepted",
        "Demande pour rejoindre une administration acceptée",
        audience="la personne qui a demandé à rejoindre l'administration",
        when="quand un contact ou l'équipe accepte la demande",
    )
)
JOIN_REFUSED = register(
    Event(
        "challenges.join_refused",
        "Demande pour rejoindre une administration refusée",
        audience="la personne qui a demandé à rejoindre l'administration",
        when="quand un contact de l'administration refuse la demande",
    )
)
ADMINISTRATION_VALIDATED = register(
    Event(
        "challenges.administration_validated",
        "Administration validée par l'équipe du programme",
        audience="les contacts actifs d'une administration inscrite sur la plateforme",
        when="quand l'équipe valide l'administration",
    )
)
CONVOCATION_UPDATE = register(
    Event(
        "challenges.convocation_update",
        "Audition déplacée ou modifiée (nouveau fichier .ics, même entrée d'agenda)",
        audience="les rédacteurs et contacts de l'administration du défi",
        when="quand l'équipe renvoie les convocations après un changement",
    )
)
CONVOCATION_CANCELLED = register(
    Event(
        "challenges.convocation_cancelled",
        "Audition annulée (fichier .ics d'annulation)",
        audience="les rédacteurs et contacts de l'administration du défi",
        when="quand l'équipe envoie l'annulation d'une audition déjà convoquée",
    )
)
JURY_INVITATION = register(
    Event(
        "challenges.jury_invitation",
        "Invitation à siéger au jury de l'appel à projets",
        audience="chaque personne de la liste du jury",
        when="quand l'équipe invite la liste du jury",
    )
)
JURY_PANEL_ASSIGNED = register(
    Event(
        "challenges.jury_panel_assigned",
        "Votre panel du jury et vos sessions (avec fichier .ics)",
        audience="chaque membre du jury placé dans un panel",
        when="à l'envoi des convocations qui suit sa place dans un panel",
    )
)
JURY_SESSION_CHANGED = register(
    Event(
        "challenges.jury_session_changed",
        "Audition de votre panel déplacée ou annulée (fichier .ics)",
        audience="les membres du panel qui auditionne le défi",
        when="quand l'équipe renvoie les convocations après un changement",
    )
)
JURY_KITS_OPENED = register(
    Event(
        "challenges.jury_kits_opened",
        "Les dossiers du jury sont ouverts (avec vos sessions en .ics)",
        audience="les membres du jury placés dans un panel",
        when="quand l'équipe ouvre les dossiers au jury",
    )
)
CONFLICT_DECLARED = register(
    Event(
        "challenges.conflict_declared",
        "Un membre du jury a déclaré un conflit d'intérêts",
        audience="l'équipe du programme",
        when="à la déclaration",
    )
)
