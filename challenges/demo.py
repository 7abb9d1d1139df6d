"""Demo data of the call for projects, for `make run`.

Two calls so that every screen has something to show: the EIG 10 call is open
(drafts and submitted challenges), the EIG 9 call is at its jury (shortlisted
challenges, panels, a timetable, kits open). Safe to run again.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from challenges import jury, services
from challenges.models import (
    Administration,
    AdministrationContact,
    CallForProjects,
    Challenge,
    ChallengeMentor,
    JuryMember,
    JuryRemark,
)
from eig.demo import residence_year
from eig.models import Person, Promotion, Role, RoleGrant, Skill, User
from eig.reminders import paris_time

DEMO_PASSWORD = "demo-eig-2026"

DRAFTS = [
    ("Mieux orienter les appels d'urgence", "Réduire le temps de traitement des appels au 112."),
    (
        "Cartographier les friches industrielles",
        "Aider les collectivités à reconvertir les friches.",
    ),
]
SUBMITTED = [
    (
        "Détecter les fraudes aux aides agricoles",
        "Cibler les contrôles grâce aux données parcellaires.",
    ),
    ("Simplifier les démarches des aidants", "Un guichet unique pour les proches aidants."),
    ("Prévoir les crues éclair", "Anticiper les crues à partir des capteurs de terrain."),
]
SHORTLISTED = [
    ("Suivre la qualité de l'air dans les écoles", "Des capteurs et un tableau de bord ouvert."),
    ("Ouvrir les données des marchés publics", "Publier et exploiter les données d'achat public."),
    (
        "Réduire les délais de délivrance des titres",
        "Repérer les goulots d'étranglement des préfectures.",
    ),
    ("Lutter contre l'habitat indigne", "Croiser les signalements pour mieux cibler les visites."),
]


@transaction.atomic
def load():
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
    # Numbered in the order of their years: EIG 7 is in residence, EIG 8 recruits.
    year = residence_year(timezone.localdate(now))
    open_call = _call(
        "10",
        "EIG 10",
        year + 3,
        deadline=paris_time(timezone.localdate(now) + timedelta(days=25), time(12)),
    )
    # Its pre-selection ended yesterday; its jury sits today and tomorrow.
    jury_call = _call(
        "9",
        "EIG 9",
        year + 2,
        deadline=paris_time(timezone.localdate(now) - timedelta(days=15), time(12)),
    )
    for title, summary in DRAFTS:
        _challenge(open_call, administration, contact, title, summary)
    for title, summary in SUBMITTED:
        _challenge(open_call, administration, contact, title, summary, Challenge.Status.SUBMITTED)
    for title, summary in SHORTLISTED:
        _challenge(jury_call, administration, contact, title, summary, Challenge.Status.SHORTLISTED)
    _jury(jury_call)
    return open_call, jury_call


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


def _call(code, name, year, *, deadline):
    """A call around its deadline: five weeks open, two of pre-selection, two jury days."""
    promotion, _created = Promotion.objects.get_or_create(
        code=code, defaults={"name": name, "year": year}
    )
    existing = CallForProjects.objects.filter(promotion=promotion).first()
    if existing:
        return existing
    jury_day = timezone.localdate(deadline + timedelta(days=15))
    return services.open_call(
        promotion=promotion,
        opens_at=deadline - timedelta(days=35),
        submission_deadline=deadline,
        preselection_ends_at=deadline + timedelta(days=14),
        jury_starts_on=jury_day,
        jury_ends_on=jury_day + timedelta(days=1),
        publication_at=paris_time(jury_day + timedelta(days=8), time(10, 0)),
    )


def _challenge(call, administration, editor, title, summary, status=Challenge.Status.DRAFT):
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
        problem=f"{summary} Aujourd'hui, les agents traitent ces dossiers à la main.",
        challenge_text="Construire avec les agents un outil qui exploite les données existantes.",
        data_description="Cinq ans d'historique des demandes, anonymisées.",
        data_conditions="Convention d'accès signée à l'arrivée de l'équipe.",
        expected_impact="Des délais divisés par deux pour les usagers.",
        users_description="Les agents instructeurs et les usagers.",
        location="Paris (75007)",
        team_size=2 if status == Challenge.Status.DRAFT else 3,
        funding=Challenge.Funding.COFUNDING,
        open_commitment=status != Challenge.Status.DRAFT,
        status=status,
        submitted_at=None
        if status == Challenge.Status.DRAFT
        else call.opens_at + timedelta(days=5),
    )
    challenge.editors.add(editor)
    challenge.skills.set(Skill.objects.filter(key__in=["dev", "datascience"]))
    for position, (name, kind) in enumerate(
        [("Claire Opérationnelle", "operational"), ("Marc Stratège", "strategic")]
    ):
        person, _created = Person.objects.get_or_create(
            slug=f"demo-{kind}", defaults={"full_name": name}
        )
        ChallengeMentor.objects.get_or_create(
            challenge=challenge,
            person=person,
            defaults={
                "kind": kind,
                "position": position,
                "job_title": "Direction métier",
                "email": f"{kind}@demo.eig.test",
            },
        )
    return challenge


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


def _jury(call):
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
        panel.video_link = f"https://webinaire.numerique.gouv.fr/demo-{panel.pk}"
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
