"""The follow-up surveys in the platform's catalogue of emails (the EIGs', and the
mentors' and host administrations'), and the reminder rules that send each one 6 and
12 months after the end of the promotion, at 09:00 in Paris.

`REMINDERS` is registered from the app config.
"""

from eig.notifications import Event, register
from eig.reminders import Due, Rule

FOLLOWUP_SURVEY = register(
    Event(
        "cohorts.followup_survey",
        "Questionnaire de suivi des alumni (lien personnel, valable 60 jours)",
        audience="les EIG de la promotion qui ont un compte",
        when="6 mois puis 12 mois après la fin de la promotion, à 9 h",
        # Twice in all, and the programme's report depends on it: not an optional reminder.
        essential=True,
    )
)


def followup_surveys_due(now):
    """Each survey whose day has come: marked sent (its 60 days start), then emailed.

    The mark is the one side effect of this rule. Staff's dry run of the sweep
    may set it up to a minute before the email row exists; that is harmless,
    because a sent survey keeps being found until it expires or is answered,
    and the outbox's idempotency key keeps a single email.
    """
    from cohorts.alumni.services import mark_surveys_sent, surveys_to_send

    surveys = mark_surveys_sent(surveys=surveys_to_send(now), now=now)
    for survey in surveys:
        user = survey.member.person.user
        yield Due(
            recipient=user,
            obj=survey,
            occasion=str(survey.months_after),
            context={
                "survey": survey,
                "person": survey.member.person,
                "challenge": survey.member.team.challenge,
                "promotion": survey.member.team.challenge.promotion,
            },
        )


PARTNER_SURVEY = register(
    Event(
        "cohorts.partner_survey",
        "Questionnaire de suivi des mentors et administrations d'accueil (lien personnel, "
        "valable 60 jours)",
        audience="les mentors des défis et les contacts de leurs administrations d'accueil",
        when="6 mois puis 12 mois après la fin de la promotion, à 9 h",
        essential=True,
    )
)


def partner_surveys_due(now):
    """Each mentor's or administration's survey whose day has come, as for the EIGs."""
    from cohorts.alumni.services import mark_surveys_sent, partner_surveys_to_send
    from cohorts.models import PartnerSurvey

    surveys = mark_surveys_sent(surveys=partner_surveys_to_send(now), now=now, model=PartnerSurvey)
    for survey in surveys:
        yield Due(
            recipient=survey.user,
            obj=survey,
            occasion=str(survey.months_after),
            context={
                "survey": survey,
                "name": survey.user.display_name,
                "challenge": survey.challenge,
                "promotion": survey.challenge.promotion,
            },
        )


REMINDERS = (
    Rule(event=FOLLOWUP_SURVEY, find=followup_surveys_due),
    Rule(event=PARTNER_SURVEY, find=partner_surveys_due),
)
