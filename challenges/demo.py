"""Demo data of the call for projects, for `make run`.

The call for projects of EIG 8 (the promotion after the one in residence, starting
next September) runs on the programme's calendar (`eig.demo.Season`): from
1 February to 7 April, pre-selection, its jury late April, results a week later.
What the demo holds follows today's date: an announced call before February;
drafts and submitted challenges while it is open and pre-selected; shortlisted
challenges heard by panels (timetable, open kits) around the jury; decisions once
published, the three selected challenges being those the call for applications
recruits for. Safe to run again.

`load_previous` holds, whatever the day, the finished EIG 7 call for projects that
selected the challenges of the promotion in residence.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from challenges import services
from challenges.jury import services as jury
from challenges.models import (
    Administration,
    AdministrationContact,
    Audition,
    CallForProjects,
    Challenge,
    ChallengeMentor,
    JuryMember,
    JuryRemark,
    PanelEvaluation,
    Phase,
)
from eig.demo import Season, recruiting_season, residence_year
from eig.models import Person, Promotion, Role, RoleGrant, Skill, User

DEMO_PASSWORD = "demo-eig-2026"

DRAFTS = [
    ("Mieux orienter les appels d'urgence", "Réduire le temps de traitement des appels au 112."),
    (
        "Cartographier les friches industrielles",
        "Aider les collectivités à reconvertir les friches.",
    ),
]
# Submitted, then not shortlisted once pre-selection is over.
SUBMITTED = [
    (
        "Détecter les fraudes aux aides agricoles",
        "Cibler les contrôles grâce aux données parcellaires.",
    ),
    ("Simplifier les démarches des aidants", "Un guichet unique pour les proches aidants."),
    ("Prévoir les crues éclair", "Anticiper les crues à partir des capteurs de terrain."),
]
# Submitted, shortlisted, heard by the jury: the first three are selected (the call for
# applications recruits for them, the demo mentor guides them), the last one is not.
# (title, summary, skills, location)
SHORTLISTED = [
    (
        "Détecter les arnaques en ligne aux consommateurs",
        "Repérer plus tôt les sites frauduleux grâce aux signalements des usagers.",
        ["dev", "datascience"],
        "Paris (75013)",
    ),
    (
        "Mesurer les îlots de chaleur urbains",
        "Cartographier la chaleur en ville pour mieux cibler la végétalisation.",
        ["geomatique", "datascience"],
        "Lyon (69003)",
    ),
    (
        "Orienter les demandeurs d'emploi vers les formations",
        "Recommander les formations qui mènent vraiment à un emploi près de chez soi.",
        ["dev", "design"],
        "Nantes (44000)",
    ),
    (
        "Lutter contre l'habitat indigne",
        "Croiser les signalements pour mieux cibler les visites.",
        ["datascience"],
        "Marseille (13001)",
    ),
]
SELECTED_COUNT = 3

BODY = """## Le problème public

{summary} Aujourd'hui, les agents traitent ces informations à la main, chacun dans
son outil, et les usagers attendent.

## Le défi

Construire avec les agents, en dix mois, un service numérique qui exploite les
données existantes, le tester sur le terrain et le publier sous licence libre.

## Les données

Cinq ans d'historique, anonymisé, et les référentiels publics (INSEE, IGN).

## L'équipe

Deux ou trois EIG aux profils complémentaires, accompagnés d'une mentore
opérationnelle au quotidien et d'un mentor stratégique.
"""

HEARD = (Phase.JURY, Phase.DELIBERATION, Phase.PUBLISHED)


@transaction.atomic
def load():
    """The EIG 8 call for projects as it stands today; returns it."""
    contact = _user(
        "administration@demo.eig.test", "Alix", "Administration", Role.ADMINISTRATION_CONTACT
    )
    administration, _created = Administration.objects.get_or_create(
        slug="direction-demonstration",
        defaults={"name": "Direction de la démonstration", "kind": Administration.Kind.MINISTRY},
    )
    AdministrationContact.objects.get_or_create(
        administration=administration,
        user=contact,
        defaults={"status": AdministrationContact.Status.ACTIVE},
    )
    now = timezone.now()
    season = recruiting_season(timezone.localdate(now))
    promotion, _created = Promotion.objects.get_or_create(
        code="8", defaults={"name": "EIG 8", "year": season.year}
    )
    call = _call(promotion, season)
    phase = call.phase(now)
    if phase == Phase.UPCOMING or call.challenges.exists():
        return call  # announced; or laid out already, as people changed it since
    staff = _user("equipe@demo.eig.test", "Camille", "Équipe", Role.STAFF)
    mentor = _user("mentor@demo.eig.test", "Maud", "Mentor", Role.MENTOR)
    for title, summary in DRAFTS:
        _challenge(call, administration, contact, title, summary, now=now)
    proposals = [
        _challenge(call, administration, contact, title, summary, now=now, submitted=True)
        for title, summary in SUBMITTED
    ]
    heard = [
        _challenge(
            call,
            administration,
            contact,
            title,
            summary,
            now=now,
            submitted=True,
            skills=skill_keys,
            location=location,
            mentor=mentor if index < SELECTED_COUNT else None,
        )
        for index, (title, summary, skill_keys, location) in enumerate(SHORTLISTED)
    ]
    if phase in HEARD:
        for challenge in proposals:
            services.set_challenge_status(
                challenge=challenge, to=Challenge.Status.DECLINED, by=staff
            )
        for challenge in heard:
            services.set_challenge_status(
                challenge=challenge, to=Challenge.Status.SHORTLISTED, by=staff
            )
        _jury(call)
    if phase == Phase.PUBLISHED:
        for index, challenge in enumerate(heard):
            decision = (
                Challenge.Status.SELECTED
                if index < SELECTED_COUNT
                else Challenge.Status.NOT_SELECTED
            )
            services.set_challenge_status(
                challenge=challenge,
                to=decision,
                by=staff,
                reason="" if index < SELECTED_COUNT else "Périmètre trop large pour dix mois.",
            )
        services.publish_results(call=call, now=call.publication_at)
    return call


def _user(email, first_name, last_name, role):
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    RoleGrant.objects.get_or_create(user=user, role=role, promotion=None)
    return user


def _call(promotion, season):
    """The call on its season's dates; the dates stay as first loaded."""
    existing = CallForProjects.objects.filter(promotion=promotion).first()
    if existing:
        return existing
    first_day, last_day = season.projects_jury_days
    return services.open_call(
        promotion=promotion,
        opens_at=season.projects_open_at,
        submission_deadline=season.projects_deadline,
        preselection_ends_at=season.projects_preselection_ends_at,
        jury_starts_on=first_day,
        jury_ends_on=last_day,
        publication_at=season.projects_publication_at,
    )


SKILL_LABELS = {
    "dev": "Développement",
    "datascience": "Data science",
    "design": "Design",
    "geomatique": "Géomatique",
    "dataengineering": "Data engineering",
}


def _skills(keys):
    return [
        Skill.objects.get_or_create(key=key, defaults={"label": SKILL_LABELS[key]})[0]
        for key in keys
    ]


def _challenge(
    call,
    administration,
    editor,
    title,
    summary,
    *,
    now,
    submitted=False,
    skills=("dev", "datascience"),
    location="Paris (75007)",
    mentor=None,
    team_size=None,
):
    """A proposal written while the call was open; a submitted one was submitted then
    (the forms refuse it after the deadline). `mentor`: the account guiding it daily."""
    challenge = Challenge.objects.filter(call=call, title=title).first()
    if challenge:
        return challenge
    challenge = Challenge.objects.create(
        call=call,
        promotion=call.promotion,
        administration=administration,
        title=title,
        slug=services._challenge_slug(call, title),
        summary=summary,
        body_markdown=BODY.format(summary=summary) if mentor else "",
        problem=f"{summary} Aujourd'hui, les agents traitent ces dossiers à la main.",
        challenge_text="Construire avec les agents un outil qui exploite les données existantes.",
        data_description="Cinq ans d'historique des demandes, anonymisées.",
        data_conditions="Convention d'accès signée à l'arrivée de l'équipe.",
        expected_impact="Des délais divisés par deux pour les usagers.",
        users_description="Les agents instructeurs et les usagers.",
        location=location,
        team_size=team_size or (3 if submitted else 2),
        funding=Challenge.Funding.COFUNDING,
        open_commitment=submitted,
        status=Challenge.Status.SUBMITTED if submitted else Challenge.Status.DRAFT,
        submitted_at=min(call.opens_at + timedelta(days=5), now) if submitted else None,
    )
    challenge.editors.add(editor)
    challenge.skills.set(_skills(skills))
    operational = (
        (Person.of_account(mentor), "Cheffe de bureau", mentor.email)
        if mentor
        else (_person("demo-operational", "Claire Opérationnelle"), "Direction métier", "")
    )
    mentors = [
        (*operational, ChallengeMentor.Kind.OPERATIONAL),
        (
            _person("demo-strategic", "Marc Stratège"),
            "Directeur",
            "strategic@demo.eig.test",
            ChallengeMentor.Kind.STRATEGIC,
        ),
    ]
    for position, (person, job_title, email, kind) in enumerate(mentors):
        ChallengeMentor.objects.get_or_create(
            challenge=challenge,
            person=person,
            defaults={"kind": kind, "position": position, "job_title": job_title, "email": email},
        )
    return challenge


def _person(slug, full_name):
    return Person.objects.get_or_create(slug=slug, defaults={"full_name": full_name})[0]


JURY_PEOPLE = [
    ("jury@demo.eig.test", "Jules", "Jury", JuryMember.Profile.ALUMNI),
    ("jury2@demo.eig.test", "Inès", "Données", JuryMember.Profile.DATA_SPECIALIST),
    ("jury3@demo.eig.test", "Paul", "Public", JuryMember.Profile.CIVIL_SERVANT),
    ("jury4@demo.eig.test", "Nora", "Société", JuryMember.Profile.CIVIL_SOCIETY),
    ("jury5@demo.eig.test", "Yann", "Équipe", JuryMember.Profile.STAFF),
    ("jury6@demo.eig.test", "Léa", "Alumni", JuryMember.Profile.ALUMNI),
    ("jury7@demo.eig.test", "Omar", "Données", JuryMember.Profile.DATA_SPECIALIST),
    ("jury8@demo.eig.test", "Rose", "Publique", JuryMember.Profile.CIVIL_SERVANT),
    ("jury9@demo.eig.test", "Hugo", "Civique", JuryMember.Profile.CIVIL_SOCIETY),
    ("jury10@demo.eig.test", "Sara", "Équipe", JuryMember.Profile.STAFF),
]


def _jury(call, *, video_prefix="demo"):
    if call.panels.exists():
        return
    for email, first, last, profile in JURY_PEOPLE:
        user = _user(email, first, last, Role.JURY_MEMBER)
        JuryMember.objects.get_or_create(call=call, user=user, defaults={"profile": profile})
    jury.compose_panels(call=call, panel_count=2)
    jury.assign_challenges(call=call)
    jury.lay_out_timetable(call=call)
    services.open_kits(call=call)
    for panel in call.panels.all():
        panel.lead = (
            panel.members.filter(user__email="jury@demo.eig.test").first() or panel.members.first()
        )
        panel.video_link = f"https://webinaire.numerique.gouv.fr/{video_prefix}-{panel.pk}"
        panel.save()
    lead = JuryMember.objects.get(call=call, user__email="jury@demo.eig.test")
    panel = lead.panel
    first = panel.auditions.select_related("challenge").first()
    if first:
        JuryRemark.objects.get_or_create(
            member=lead,
            challenge=first.challenge,
            defaults={"text": "Données solides ; périmètre à resserrer."},
        )


# --- The previous season: the EIG 7 call for projects, finished ------------------------
#
# The call that recruited the promotion in residence, on its season's dates (February to
# April of the year it started, results early May): whatever the day, its full record is
# there to read. The three selected challenges are the EIG 7 teams' (`cohorts.promotion.demo`
# finds them by title), hosted by the demo administration (whose contact is the demo
# account), an agency and a metropolis; the demo jury account led a panel.

PREVIOUS_HOSTS = [
    ("direction-demonstration", "Direction de la démonstration", Administration.Kind.MINISTRY),
    (
        "agence-demonstration-donnees",
        "Agence de démonstration des données",
        Administration.Kind.AGENCY,
    ),
    (
        "metropole-demonstration",
        "Métropole de démonstration",
        Administration.Kind.LOCAL_AUTHORITY,
    ),
]
# (title, summary, skills, location, host index, team size, reason): selected, as the EIG 7
# teams' challenges (same titles as `cohorts.promotion.demo.RUNNING`).
PREVIOUS_SELECTED = [
    (
        "Anticiper les pénuries de médicaments",
        "Prévoir les ruptures de stock des médicaments essentiels avant qu'elles ne touchent "
        "les patients.",
        ["datascience", "dev"],
        "Saint-Denis (93200)",
        0,
        3,
        "Problème public net, données de déclaration disponibles, mentors engagés.",
    ),
    (
        "Faciliter l'accès aux aides au logement",
        "Aider chaque foyer à savoir en deux minutes à quelles aides au logement il a droit.",
        ["dev", "design"],
        "Paris (75015)",
        1,
        2,
        "Un impact direct pour les usagers ; le partenariat avec la CAF est acquis.",
    ),
    (
        "Repérer les fuites des réseaux d'eau",
        "Localiser les fuites des canalisations grâce aux données des compteurs.",
        ["geomatique", "dataengineering"],
        "Montpellier (34000)",
        2,
        3,
        "Données de télérelève riches et une régie prête à tester sur le terrain.",
    ),
]
# The other hosts' contacts (the demo account is the first host's).
PREVIOUS_CONTACTS = [
    ("contact.agence@demo.eig.test", "Agathe", "Agence"),
    ("contact.metropole@demo.eig.test", "Marius", "Métropole"),
]
PREVIOUS_NOT_SELECTED = [
    (
        "Automatiser le contrôle des marchés publics",
        "Repérer les anomalies dans les dossiers de marchés publics.",
        ["datascience"],
        "Bordeaux (33000)",
        0,
        2,
        "Les données ne seraient pas accessibles avant l'été : le défi gagnerait à revenir "
        "l'an prochain.",
    ),
]
PREVIOUS_DECLINED = [
    (
        "Moderniser l'intranet des agents",
        "Refondre l'intranet de la direction.",
        "Un projet informatique interne, sans problème public à résoudre.",
    ),
    (
        "Tableau de bord des indicateurs RH",
        "Suivre les effectifs en temps réel.",
        "Un outil de gestion plutôt qu'un défi d'intérêt général.",
    ),
]
# The panel's grid for each heard challenge, in the order above: scores on 5 per criterion.
PREVIOUS_GRIDS = [
    (5, PanelEvaluation.Recommendation.SELECT, "Un défi mûr, une équipe de mentors solide."),
    (4, PanelEvaluation.Recommendation.SELECT, "Usagers au centre ; hébergement à anticiper."),
    (4, PanelEvaluation.Recommendation.SELECT, "Terrain prêt ; périmètre raisonnable."),
    (2, PanelEvaluation.Recommendation.NOT_SELECT, "Accès aux données trop incertain."),
]


def previous_season(today):
    """The season that recruited the promotion in residence on `today`: long finished."""
    return Season(residence_year(today))


def previous_promotion(today):
    """EIG 7, in residence from 1 September to 30 June."""
    season = previous_season(today)
    promotion, _created = Promotion.objects.get_or_create(
        code="7",
        defaults={
            "name": "EIG 7",
            "year": season.year,
            "starts_on": season.promotion_starts_on,
            "ends_on": season.promotion_starts_on.replace(year=season.year + 1, month=6, day=30),
        },
    )
    return promotion


@transaction.atomic
def load_previous():
    """The EIG 7 call for projects, run through from its opening to its results; returns it
    (None on a database where an earlier demo made EIG 7's teams without their calls)."""
    now = timezone.now()
    today = timezone.localdate(now)
    promotion = previous_promotion(today)
    if not CallForProjects.objects.filter(promotion=promotion).exists():
        if promotion.challenges.exists():
            return None  # EIG 7 loaded by an earlier demo, without its calls: left as it is
    call = _call(promotion, previous_season(today))
    if call.challenges.exists():
        return call  # laid out already, as people changed it since
    contact = _user(
        "administration@demo.eig.test", "Alix", "Administration", Role.ADMINISTRATION_CONTACT
    )
    staff = _user("equipe@demo.eig.test", "Camille", "Équipe", Role.STAFF)
    mentor = _user("mentor@demo.eig.test", "Maud", "Mentor", Role.MENTOR)
    hosts = []
    for slug, name, kind in PREVIOUS_HOSTS:
        host, _created = Administration.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        hosts.append(host)
    editors = [contact]
    for email, first, last in PREVIOUS_CONTACTS:
        editors.append(_user(email, first, last, Role.ADMINISTRATION_CONTACT))
    for host, editor in zip(hosts, editors, strict=True):
        AdministrationContact.objects.get_or_create(
            administration=host,
            user=editor,
            defaults={"status": AdministrationContact.Status.ACTIVE},
        )
    declined = [
        (
            _challenge(call, hosts[0], contact, title, summary, now=now, submitted=True),
            reason,
        )
        for title, summary, reason in PREVIOUS_DECLINED
    ]
    heard = [
        (
            _challenge(
                call,
                hosts[host],
                editors[host],
                title,
                summary,
                now=now,
                submitted=True,
                skills=skill_keys,
                location=location,
                mentor=mentor if index == 0 else None,
                team_size=size,
            ),
            reason,
        )
        for index, (title, summary, skill_keys, location, host, size, reason) in enumerate(
            PREVIOUS_SELECTED + PREVIOUS_NOT_SELECTED
        )
    ]
    after_deadline = call.submission_deadline + timedelta(days=1)
    for challenge, reason in declined:
        services.set_challenge_status(
            challenge=challenge,
            to=Challenge.Status.DECLINED,
            by=staff,
            reason=reason,
            now=after_deadline,
        )
    for challenge, _reason in heard:
        services.set_challenge_status(
            challenge=challenge, to=Challenge.Status.SHORTLISTED, by=staff, now=after_deadline
        )
    _jury(call, video_prefix="eig7")
    jury.send_convocations(call=call, now=call.preselection_ends_at)
    _grids(call, [challenge for challenge, _reason in heard])
    for index, (challenge, reason) in enumerate(heard):
        services.set_challenge_status(
            challenge=challenge,
            to=Challenge.Status.SELECTED
            if index < len(PREVIOUS_SELECTED)
            else Challenge.Status.NOT_SELECTED,
            by=staff,
            reason=reason,
            now=call.publication_at,
        )
    services.publish_results(call=call, now=call.publication_at)
    return call


def _grids(call, heard):
    """Each panel's lead filled in the grid of every challenge it heard."""
    criteria = list(call.criteria.all())
    for challenge, (score, recommendation, comment) in zip(heard, PREVIOUS_GRIDS, strict=True):
        audition = (
            Audition.objects.select_related("panel__lead").filter(challenge=challenge).first()
        )
        if audition is None or audition.panel.lead is None:
            continue
        jury.record_panel_evaluation(
            member=audition.panel.lead,
            challenge=challenge,
            scores={criterion.pk: score for criterion in criteria},
            recommendation=recommendation,
            comment=comment,
        )
