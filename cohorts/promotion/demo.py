"""Demo data of the promotion in residence and of the alumni, for `make run`.

EIG 7 is in residence (from 1 September to 30 June): three teams, recruited by
the finished season loaded before (`challenges.demo.load_previous`,
`applications.demo.load_previous`: its challenges and accepted offers), the demo EIG
in the first one with two other EIG accounts, the demo mentor as its
operational mentor, onboarding checklists partly ticked, a past bootcamp with
its attendance and two coming events with their answers. EIG 6 ended last
June: its two challenges are completed with their deliverables, its EIGs are
alumni (the demo alum in the directory, available for a jury), once their day has
come (6 months after the end) the follow-up surveys have a couple of answers, the
host administration of the first challenge's among them, and one team was made
permanent by staff. Safe to run again.

Invitations are created directly: `send_invitations` would email them.
"""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from applications.demo import (
    account,
    administration,
    demo_administration,
    mentor_account,
    operational_mentor,
    person,
    selected_challenge,
    staff_account,
    strategic_mentor,
)
from applications.models import Offer
from challenges.models import Administration, Challenge, ChallengeMentor
from cohorts.alumni import services as services_alumni
from cohorts.models import (
    AlumniProfile,
    CoachingEvent,
    EventInvitation,
    FollowUpSurvey,
    PartnerSurvey,
    Team,
    TeamMember,
)
from cohorts.promotion import services as services_promotion
from cohorts.services import join_team, team_of_challenge
from eig.models import Person, Promotion, Role
from eig.reminders import paris_time

BODY = """## Le problème public

{summary}

## Ce que l'équipe construit

Un service numérique conçu avec les agents, testé sur le terrain dès le troisième
mois et publié sous licence libre.

## Les données

Les bases de l'administration d'accueil, croisées avec des données ouvertes.
"""

# Team 1, 2, 3 in the order of their titles (the dashboard's order).
RUNNING = [
    (
        "Anticiper les pénuries de médicaments",
        "Prévoir les ruptures de stock des médicaments essentiels avant qu'elles ne touchent "
        "les patients.",
        ["datascience", "dev"],
        "Saint-Denis (93200)",
    ),
    (
        "Faciliter l'accès aux aides au logement",
        "Aider chaque foyer à savoir en deux minutes à quelles aides au logement il a droit.",
        ["dev", "design"],
        "Paris (75015)",
    ),
    (
        "Repérer les fuites des réseaux d'eau",
        "Localiser les fuites des canalisations grâce aux données des compteurs.",
        ["geomatique", "dataengineering"],
        "Montpellier (34000)",
    ),
]
TEAM_1_ACCOUNTS = [
    ("eig@demo.eig.test", "Eden", "Entrepreneur"),
    ("eig2@demo.eig.test", "Alma", "Durand"),
    ("eig3@demo.eig.test", "Noé", "Petit"),
]
# EIGs of teams 2 and 3, without accounts.
TEAM_PEOPLE = [
    [("demo-eig7-lina-roux", "Lina Roux", "Développeuse"), ("demo-eig7-omar-diallo", "Omar Diallo", "Designer")],
    [
        ("demo-eig7-jade-faure", "Jade Faure", "Géomaticienne"),
        ("demo-eig7-theo-blanc", "Théo Blanc", "Data engineer"),
        ("demo-eig7-ana-silva", "Ana Silva", "Développeuse"),
    ],
]  # fmt: skip

ENDED = [
    (
        "Numériser les registres d'état civil",
        "Rendre consultables en ligne les registres d'état civil anciens des communes.",
        ["dev", "datascience"],
        "Rennes (35000)",
    ),
    (
        "Prévenir les accidents du travail",
        "Cibler les contrôles des entreprises où le risque d'accident est le plus élevé.",
        ["datascience", "design"],
        "Lille (59000)",
    ),
]
ENDED_PEOPLE = [
    [("demo-eig6-jeanne-morel", "Jeanne Morel", "Data scientist")],
    [
        ("demo-eig6-lucie-garnier", "Lucie Garnier", "Data scientist"),
        ("demo-eig6-karim-haddad", "Karim Haddad", "Designer"),
    ],
]
DELIVERABLES = [
    {
        "product_url": "https://registres.demo.eig.test/",
        "source_code_url": "https://github.com/entrepreneur-interet-general/demo-registres",
        "datasets": [
            (
                "Registres d'état civil numérisés (échantillon)",
                "https://www.data.gouv.fr/fr/datasets/demo-registres-etat-civil/",
            )
        ],
        "key_figures": [(120000, "actes numérisés"), (35, "communes utilisatrices")],
    },
    {
        "product_url": "https://prevention.demo.eig.test/",
        "source_code_url": "https://github.com/entrepreneur-interet-general/demo-prevention",
        "datasets": [],
        "key_figures": [(2, "fois plus d'accidents graves repérés lors des contrôles ciblés")],
    },
]
# Answers to the 6-month survey: (person slug or None for the demo alum, answers).
SURVEY_ANSWERS = [
    (
        None,
        {
            "sector": FollowUpSurvey.Sector.PUBLIC,
            "still_with_host": False,
            "product_in_use": True,
            "product_maintained": True,
        },
    ),
    (
        "demo-eig6-lucie-garnier",
        {
            "sector": FollowUpSurvey.Sector.PRIVATE,
            "still_with_host": False,
            "product_in_use": True,
            "product_maintained": True,
        },
    ),
]


# The host administration of EIG 6's first challenge, 6 months on ("I don't know" where
# it was adopted elsewhere).
PARTNER_ANSWERS = {
    "product_in_use": True,
    "product_adopted_elsewhere": None,
    "made_permanent": True,
    "administration_recruited": True,
    "comments": "Le service numérique a repris le produit ; une des EIG y a été recrutée.",
}


def promotion_dates(today):
    """1 September (of this year once it has come, else of last year) → 30 June after."""
    starts_on = date(today.year, 9, 1)
    if today < starts_on:
        starts_on = date(today.year - 1, 9, 1)
    return starts_on, date(starts_on.year + 1, 6, 30)


@transaction.atomic
def load():
    staff = staff_account()
    mentor = mentor_account()
    starts_on, ends_on = promotion_dates(timezone.localdate())
    running = _promotion("7", "EIG 7", starts_on, ends_on)
    ended = _promotion(
        "6",
        "EIG 6",
        starts_on.replace(year=starts_on.year - 1),
        ends_on.replace(year=starts_on.year),
    )
    _running_promotion(running, staff=staff, mentor=mentor)
    _ended_promotion(ended, staff=staff)
    return running, ended


def _promotion(code, name, starts_on, ends_on):
    promotion, _created = Promotion.objects.get_or_create(
        code=code,
        defaults={"name": name, "year": starts_on.year, "starts_on": starts_on, "ends_on": ends_on},
    )
    return promotion


def _mentors(operational):
    return [
        (operational, ChallengeMentor.Kind.OPERATIONAL, "Cheffe de service", ""),
        (strategic_mentor(), ChallengeMentor.Kind.STRATEGIC, "Directeur", ""),
    ]


def _administrations():
    return [
        demo_administration(),
        administration(
            "agence-demonstration-donnees",
            "Agence de démonstration des données",
            Administration.Kind.AGENCY,
        ),
        administration(
            "metropole-demonstration",
            "Métropole de démonstration",
            Administration.Kind.LOCAL_AUTHORITY,
        ),
    ]


def _teams(promotion, specs, operational_mentors):
    challenges = [
        selected_challenge(
            promotion=promotion,
            administration=host,
            title=title,
            summary=summary,
            body=BODY.format(summary=summary),
            skill_keys=skill_keys,
            location=location,
            mentors=_mentors(operational),
        )
        for (title, summary, skill_keys, location), host, operational in zip(
            specs, _administrations(), operational_mentors, strict=False
        )
    ]
    return [team_of_challenge(challenge) for challenge in challenges]


# --- EIG 7, in residence -------------------------------------------------------------


def _running_promotion(promotion, *, staff, mentor):
    mentor_person = Person.of_account(mentor)
    teams = _teams(promotion, RUNNING, [mentor_person, operational_mentor(), operational_mentor()])
    eigs = [account(email, first, last, Role.EIG) for email, first, last in TEAM_1_ACCOUNTS]
    members = {1: [join_team(person=Person.of_account(user), team=teams[0]) for user in eigs]}
    for number, (team, people) in enumerate(zip(teams[1:], TEAM_PEOPLE, strict=True), start=2):
        members[number] = [
            join_team(person=person(slug, name, profile), team=team)
            for slug, name, profile in people
        ]
    _handed_over_on_acceptance(teams)
    _onboarding(members, eigs, staff=staff)
    _events(promotion, staff=staff, eigs=eigs, mentor=mentor)


def _handed_over_on_acceptance(teams):
    """The teams the EIG 7 call for applications recruited went to their administration
    when their last offer was accepted (`answer_offer` hands over on the loading day)."""
    for team in teams:
        last = (
            Offer.objects.filter(
                choice__challenge_id=team.challenge_id, status=Offer.Status.ACCEPTED
            )
            .order_by("-answered_at")
            .values_list("answered_at", flat=True)
            .first()
        )
        if last is not None and team.handed_over_at is not None and team.handed_over_at > last:
            Team.objects.filter(pk=team.pk).update(handed_over_at=last)


# Steps done for each team's EIGs, in order; the demo EIG ticked their own.
ONBOARDING = {
    1: [
        ["contract", "workstation", "first_meeting"],
        ["contract", "workstation"],
        ["contract"],
    ],
    2: [["contract", "workstation", "data_access", "first_meeting"], ["contract", "workstation"]],
    3: [["contract", "first_meeting"], ["contract"], []],
}


def _onboarding(members, eigs, *, staff):
    """Ticked once, by the EIG themselves in team 1: what people ticked since stays."""
    for number, team_members in members.items():
        for index, member in enumerate(team_members):
            if member.onboarding.filter(done_at__isnull=False).exists():
                continue
            by = eigs[index] if number == 1 else staff
            for step in member.onboarding.filter(item__in=ONBOARDING[number][index]):
                services_promotion.tick(step=step, by=by)


def _events(promotion, *, staff, eigs, mentor):
    today = timezone.localdate()
    Answer = EventInvitation.Answer
    bootcamp_day = min(promotion.starts_on + timedelta(days=1), today - timedelta(days=3))
    bootcamp = _event(
        promotion,
        staff,
        kind=CoachingEvent.Kind.BOOTCAMP,
        title="Bootcamp de rentrée",
        description="Trois jours pour se rencontrer, découvrir les méthodes du programme "
        "et poser les bases de chaque défi.",
        starts_at=paris_time(bootcamp_day, time(9, 30)),
        ends_at=paris_time(bootcamp_day + timedelta(days=2), time(17, 0)),
        place="Ségur, 20 avenue de Ségur, Paris",
        audience=CoachingEvent.Audience.EIGS,
    )
    workshop = _event(
        promotion,
        staff,
        kind=CoachingEvent.Kind.WORKSHOP,
        title="Atelier : mesurer l'impact de son produit",
        description="Choisir ses indicateurs et les suivre dès les premières semaines.",
        starts_at=paris_time(today + timedelta(weeks=1), time(14, 0)),
        ends_at=paris_time(today + timedelta(weeks=1), time(17, 0)),
        video_link="https://webinaire.numerique.gouv.fr/eig7-atelier-impact",
        audience=CoachingEvent.Audience.BOTH,
    )
    offsite_day = today + timedelta(days=30)
    offsite = _event(
        promotion,
        staff,
        kind=CoachingEvent.Kind.OFFSITE,
        title="Séminaire de mi-parcours",
        description="Deux jours hors les murs : démonstrations des équipes et retours croisés.",
        starts_at=paris_time(offsite_day, time(9, 30)),
        ends_at=paris_time(offsite_day + timedelta(days=1), time(16, 0)),
        place="Centre de conférences, Lyon",
        audience=CoachingEvent.Audience.EIGS,
    )
    eig, eig2, eig3 = eigs
    _invite(bootcamp, {eig: Answer.YES, eig2: Answer.YES, eig3: Answer.NO})
    if not bootcamp.invitations.filter(attended__isnull=False).exists():
        services_promotion.record_attendance(
            event=bootcamp, present_user_ids=[eig.pk, eig2.pk], by=staff
        )
    _invite(workshop, {eig: Answer.YES, eig2: Answer.NO, eig3: Answer.NONE, mentor: Answer.YES})
    _invite(offsite, {eig: Answer.NONE, eig2: Answer.YES, eig3: Answer.NONE})


def _event(promotion, staff, *, title, starts_at, **fields):
    """The event, unless it would fall after the promotion's last day (then None)."""
    event = CoachingEvent.objects.filter(promotion=promotion, title=title).first()
    if event is None and timezone.localdate(starts_at) > promotion.ends_on:
        return None
    if event is None:
        event = services_promotion.create_event(
            promotion=promotion, title=title, starts_at=starts_at, by=staff, **fields
        )
        event.invitations_sent_at = min(timezone.now(), starts_at) - timedelta(days=10)
        event.save(update_fields=["invitations_sent_at"])
    return event


def _invite(event, answers):
    if event is None:
        return
    for user, answer in answers.items():
        answered_at = event.invitations_sent_at + timedelta(days=2) if answer else None
        EventInvitation.objects.get_or_create(
            event=event, user=user, defaults={"answer": answer, "answered_at": answered_at}
        )


# --- EIG 6, ended --------------------------------------------------------------------


def _ended_promotion(promotion, *, staff):
    alum = account("alumni@demo.eig.test", "Ali", "Alumni", Role.ALUMNI)
    teams = _teams(promotion, ENDED, [operational_mentor(), operational_mentor()])
    join_team(person=Person.of_account(alum), team=teams[0])
    for team, people in zip(teams, ENDED_PEOPLE, strict=True):
        for slug, name, profile in people:
            join_team(person=person(slug, name, profile), team=team)
    if teams[0].challenge.status == Challenge.Status.SELECTED:  # not ended yet: the first load
        for team, deliverables in zip(teams, DELIVERABLES, strict=True):
            services_alumni.record_deliverables(team=team, by=staff, **deliverables)
        Team.objects.filter(pk=teams[1].pk).update(made_permanent=True)
    # Its challenges completed, its EIGs alumni with a profile and their follow-up surveys.
    services_alumni.end_promotion(promotion=promotion, by=staff)
    AlumniProfile.objects.filter(person__user=alum, current_position="").update(
        in_directory=True,
        share_email=True,
        current_position="Responsable de la donnée, Métropole de démonstration",
        bio="EIG 6 sur la numérisation des registres d'état civil ; je continue dans le public.",
        available_for_jury=True,
    )
    _survey_answers(promotion, alum)


def _survey_answers(promotion, alum):
    """The 6-month surveys went out on their day, if it has come (the sweep sends them
    at 09:00, 6 months after the end); two EIGs and the host administration of the
    first challenge answered three days later."""
    now = timezone.now()
    sent_at = services_alumni.survey_send_at(ends_on=promotion.ends_on, months=6)
    if now < sent_at:
        return
    answered_at = min(sent_at + timedelta(days=3), now)
    surveys = FollowUpSurvey.objects.filter(
        member__team__challenge__promotion=promotion, months_after=6, sent_at__isnull=True
    )
    surveys.update(sent_at=sent_at, expires_at=sent_at + FollowUpSurvey.VALIDITY)
    PartnerSurvey.objects.filter(
        challenge__promotion=promotion, months_after=6, sent_at__isnull=True
    ).update(sent_at=sent_at, expires_at=sent_at + PartnerSurvey.VALIDITY)
    for slug, answers in SURVEY_ANSWERS:
        member = TeamMember.objects.filter(team__challenge__promotion=promotion)
        member = (
            member.filter(person__user=alum) if slug is None else member.filter(person__slug=slug)
        )
        FollowUpSurvey.objects.filter(
            member__in=member, months_after=6, answered_at__isnull=True
        ).update(answered_at=answered_at, **answers)
    PartnerSurvey.objects.filter(
        challenge__promotion=promotion,
        user__email="administration@demo.eig.test",
        months_after=6,
        answered_at__isnull=True,
    ).update(answered_at=answered_at, **PARTNER_ANSWERS)
