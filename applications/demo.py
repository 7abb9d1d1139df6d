"""Demo data of the call for applications, for `make run`.

The EIG 8 promotion has three selected challenges and its call for applications
is at its interviews: pre-selection ended yesterday, the juries sit today and
tomorrow, results are published in a week. Candidates are found in every state
(a draft, a withdrawn application, files pending, not shortlisted, shortlisted),
staff and the challenges' mentor reviewed them, and the shortlisted ones have
an interview slot (the demo candidate's is tomorrow). Safe to run again.

The helpers at the top (accounts, people, selected challenges) are shared with
the later stages' demo data (`cohorts.demo_promotion`, `mentoring.demo`).
"""

from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from applications import services, services_review
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewSlot,
    Review,
    ReviewScore,
)
from challenges.models import Administration, Challenge, ChallengeMentor
from eig.demo import residence_year
from eig.models import Person, Promotion, Role, RoleGrant, Skill, User
from eig.reminders import paris_time

DEMO_PASSWORD = "demo-eig-2026"
DEMO_CV = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The profiles of the imported history (skills.yml), created here when it was not imported.
SKILLS = {
    "dev": "Développement",
    "datascience": "Data science",
    "dataengineering": "Data engineering",
    "design": "Design",
    "geomatique": "Géomatique",
}


# --- Shared helpers ------------------------------------------------------------------


_password_hash = None


def _demo_password_hash():
    """Hashing is slow on purpose: one hash for every demo account of a load."""
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(DEMO_PASSWORD)
    return _password_hash


def account(email, first_name, last_name, role=None, *, promotion=None, staff=False):
    """A demo account (password "demo-eig-2026", verified address); kept as it is if it exists."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=_demo_password_hash(),
            is_staff=staff,
            is_superuser=staff,
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    if role is not None:
        RoleGrant.objects.get_or_create(user=user, role=role, promotion=promotion)
    return user


def staff_account():
    return account("equipe@demo.eig.test", "Camille", "Équipe", Role.STAFF, staff=True)


def mentor_account():
    return account("mentor@demo.eig.test", "Maud", "Mentor", Role.MENTOR)


def person(slug, full_name, profile=""):
    """A person without an account (an EIG or a mentor of the demo)."""
    found, _created = Person.objects.get_or_create(
        slug=slug, defaults={"full_name": full_name, "profile": profile}
    )
    return found


def skills(*keys):
    return [
        Skill.objects.get_or_create(key=key, defaults={"label": SKILLS[key]})[0] for key in keys
    ]


def administration(slug, name, kind):
    found, _created = Administration.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind}
    )
    return found


def demo_administration():
    """The administration of the call for projects' demo."""
    return administration(
        "direction-demonstration", "Direction de la démonstration", Administration.Kind.MINISTRY
    )


def selected_challenge(
    *,
    promotion,
    administration,
    title,
    summary,
    body,
    skill_keys,
    location,
    mentors,
    status=Challenge.Status.SELECTED,
):
    """A challenge selected for its promotion, outside any call (as imported ones are).

    `mentors` is a list of (person, kind, job title, email), the operational one first.
    """
    slug = slugify(title)[:180]
    challenge = Challenge.objects.filter(promotion=promotion, slug=slug).first()
    if challenge is not None:
        return challenge
    challenge = Challenge.objects.create(
        call=None,
        promotion=promotion,
        administration=administration,
        title=title,
        slug=slug,
        summary=summary,
        body_markdown=body,
        location=location,
        team_size=3,
        funding=Challenge.Funding.COFUNDING,
        open_commitment=True,
        status=status,
    )
    challenge.skills.set(skills(*skill_keys))
    for position, (mentor, kind, job_title, email) in enumerate(mentors):
        ChallengeMentor.objects.get_or_create(
            challenge=challenge,
            person=mentor,
            defaults={"kind": kind, "position": position, "job_title": job_title, "email": email},
        )
    return challenge


def strategic_mentor():
    return person("demo-strategic", "Marc Stratège")


def operational_mentor():
    return person("demo-operational", "Claire Opérationnelle")


# --- The EIG 8 call for applications -------------------------------------------------


CHALLENGES = [
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
]

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

# email, first name, last name, profile, years, status, [(challenge index, choice status)]
PENDING, SHORTLISTED, NOT_SHORTLISTED = (
    Choice.Status.PENDING,
    Choice.Status.SHORTLISTED,
    Choice.Status.NOT_SHORTLISTED,
)
SUBMITTED, DRAFT, WITHDRAWN = (
    Application.Status.SUBMITTED,
    Application.Status.DRAFT,
    Application.Status.WITHDRAWN,
)
CANDIDATES = [
    ("candidat@demo.eig.test", "Charlie", "Candidat", "dev", 6, SUBMITTED,
     [(0, SHORTLISTED), (1, PENDING)]),
    ("candidat2@demo.eig.test", "Sacha", "Brouillon", "datascience", 2, DRAFT, [(1, PENDING)]),
    ("candidat3@demo.eig.test", "Lou", "Retrait", "design", 5, WITHDRAWN, [(2, PENDING)]),
    ("candidat4@demo.eig.test", "Inès", "Moreau", "datascience", 4, SUBMITTED,
     [(0, SHORTLISTED), (2, NOT_SHORTLISTED)]),
    ("candidat5@demo.eig.test", "Tom", "Lefèvre", "design", 8, SUBMITTED, [(1, SHORTLISTED)]),
    ("candidat6@demo.eig.test", "Yasmine", "Benali", "geomatique", 3, SUBMITTED,
     [(1, NOT_SHORTLISTED), (2, NOT_SHORTLISTED)]),
    ("candidat7@demo.eig.test", "Hugo", "Martin", "dataengineering", 2, SUBMITTED,
     [(2, PENDING), (0, PENDING)]),
    ("candidat8@demo.eig.test", "Nina", "Robert", "dev", 10, SUBMITTED, [(2, SHORTLISTED)]),
    ("candidat9@demo.eig.test", "Paul", "Girard", "dev", 1, SUBMITTED, [(0, NOT_SHORTLISTED)]),
]  # fmt: skip

# Scores on the call's five criteria: staff's, then the mentor's (None: not reviewed yet).
REVIEWS = {
    "candidat@demo.eig.test": ([5, 4, 5, 4, 4], [4, 5, 4, 4, 5]),
    "candidat4@demo.eig.test": ([4, 4, 4, 3, 5], [5, 4, 4, 4, 4]),
    "candidat5@demo.eig.test": ([4, 5, 4, 5, 4], [4, 4, 5, 4, 4]),
    "candidat6@demo.eig.test": ([2, 3, 2, 3, 3], [3, 2, 2, 2, 3]),
    "candidat7@demo.eig.test": ([3, 4, 3, 2, 4], None),
    "candidat8@demo.eig.test": ([5, 4, 4, 5, 4], [4, 4, 4, 5, 4]),
    "candidat9@demo.eig.test": ([2, 3, 3, 1, 3], None),
}
COMMENTS = {
    5: "Parcours solide et motivation claire pour ce défi.",
    4: "Bon profil ; à creuser en entretien.",
    3: "Profil intéressant mais peu d'expérience en administration.",
    2: "Motivation peu étayée pour ce défi.",
}

# Each challenge's interviews, on each interview day (Paris time): no jury member sits twice at once.
SLOT_TIMES = [
    [time(9, 0), time(9, 45), time(10, 30)],
    [time(11, 15), time(14, 0), time(14, 45)],
    [time(15, 30), time(16, 15), time(17, 0)],
]
# Who booked which slot: (email, challenge index, day index (0 today, 1 tomorrow), time index).
BOOKINGS = [
    ("candidat@demo.eig.test", 0, 1, 0),
    ("candidat4@demo.eig.test", 0, 0, 1),
    ("candidat5@demo.eig.test", 1, 0, 1),
]


@transaction.atomic
def load():
    staff = staff_account()
    mentor = mentor_account()
    jury = account("jury@demo.eig.test", "Jules", "Jury", Role.JURY_MEMBER)
    # The promotion after the one in residence (EIG 7): it starts next September.
    year = residence_year(timezone.localdate()) + 1
    promotion, _created = Promotion.objects.get_or_create(
        code="8", defaults={"name": "EIG 8", "year": year}
    )
    challenges = _challenges(promotion, mentor)
    call = _call(promotion)
    for email, first, last, profile, years, status, choices in CANDIDATES:
        candidate = account(email, first, last, Role.CANDIDATE)
        RoleGrant.objects.get_or_create(
            user=candidate, role=Role.CANDIDATE, promotion=call.promotion
        )
        if Application.objects.filter(call=call, candidate=candidate).exists():
            continue  # as the demo left it, or as people changed it since
        application = _application(call, challenges, candidate, profile, years, status, choices)
        if status == SUBMITTED:
            _reviews(application, staff=staff, mentor=mentor)
            _preselection(application, challenges, choices, staff=staff)
    _slots(call, challenges, jury=[staff, jury, mentor])
    return call


def _challenges(promotion, mentor):
    mentors = [
        (
            Person.of_account(mentor),
            ChallengeMentor.Kind.OPERATIONAL,
            "Cheffe de bureau",
            mentor.email,
        ),
        (
            strategic_mentor(),
            ChallengeMentor.Kind.STRATEGIC,
            "Directeur",
            "strategic@demo.eig.test",
        ),
    ]
    return [
        selected_challenge(
            promotion=promotion,
            administration=demo_administration(),
            title=title,
            summary=summary,
            body=BODY.format(summary=summary),
            skill_keys=skill_keys,
            location=location,
            mentors=mentors,
        )
        for title, summary, skill_keys, location in CHALLENGES
    ]


def _call(promotion):
    """Interviews today and tomorrow; the dates stay as first loaded."""
    existing = CallForApplications.objects.filter(promotion=promotion).first()
    if existing:
        return existing
    today = timezone.localdate()
    deadline = paris_time(today - timedelta(weeks=3), time(12))
    offer_deadline = paris_time(today + timedelta(weeks=3), time(12))
    # The promotion's own September (its offers are answered before it starts).
    starts_on = date(promotion.year, 9, 1)
    if starts_on <= offer_deadline.date():
        starts_on = date(promotion.year + 1, 9, 1)
    return services.open_call(
        promotion=promotion,
        opens_at=deadline - timedelta(weeks=6),
        deadline=deadline,
        preselection_ends_at=paris_time(today - timedelta(days=1), time(18)),
        interviews_start_on=today,
        interviews_end_on=today + timedelta(days=1),
        publication_at=paris_time(today + timedelta(weeks=1), time(10)),
        offer_response_deadline=offer_deadline,
        promotion_starts_on=starts_on,
    )


def _application(call, challenges, candidate, profile, years, status, choices):
    """Filled in before the deadline, as the candidate would have (the forms refuse it now)."""
    started = call.deadline - timedelta(days=12 + years)
    draft = status == DRAFT
    application = Application(
        call=call,
        candidate=candidate,
        status=status,
        studies_completed=True,
        is_civil_servant=False,
        profile=skills(profile)[0],
        years_of_experience=years,
        motivation=""
        if draft
        else (
            f"Après {years} ans à construire des services numériques, je veux mettre mes "
            "compétences au service de l'intérêt général, au plus près des agents et des usagers."
        ),
        forge_url=f"https://github.com/{candidate.first_name.lower()}-demo",
        portfolio_url="" if draft else f"https://{candidate.first_name.lower()}.exemple.fr",
        available_from=call.promotion_starts_on,
        talent_pool_consent=years % 2 == 0,
        created_at=started,
        submitted_at=None if draft else started + timedelta(days=3),
    )
    if not draft:
        application.cv.save("cv.pdf", ContentFile(DEMO_CV), save=False)
    application.save()
    Choice.objects.bulk_create(
        Choice(
            application=application,
            challenge=challenges[index],
            rank=rank,
            motivation=(
                f"Le défi « {challenges[index].title} » rejoint ce que je fais depuis {years} ans, "
                "et son impact sur les usagers me motive."
            ),
        )
        for rank, (index, _status) in enumerate(choices, start=1)
    )
    return application


def _preselection(application, challenges, choices, *, staff):
    """Staff's decisions on each choice, through the choice's lifecycle."""
    wanted = {challenges[index].pk: status for index, status in choices}
    for choice in application.choices.all():
        if wanted[choice.challenge_id] == SHORTLISTED:
            services_review.shortlist(choice=choice, by=staff)
        elif wanted[choice.challenge_id] == NOT_SHORTLISTED:
            services_review.reject_at_preselection(choice=choice, by=staff)


def _reviews(application, *, staff, mentor):
    """Staff and the challenges' mentor review every file; the mentor has some left to do."""
    staff_scores, mentor_scores = REVIEWS[application.candidate.email]
    criteria = list(application.call.criteria.all())
    for reviewer, scores, days in ((staff, staff_scores, 2), (mentor, mentor_scores, 5)):
        services_review.assign_reviewer(application=application, reviewer=reviewer, by=staff)
        if scores is None:
            continue
        # Reviews were written during pre-selection, which `submit_review` no longer allows.
        by_criterion = {
            criterion.pk: score for criterion, score in zip(criteria, scores, strict=True)
        }
        review = Review.objects.create(
            application=application,
            reviewer=reviewer,
            challenge=services_review.review_challenge(application=application, reviewer=reviewer),
            comment=COMMENTS[min(5, max(2, round(sum(scores) / len(scores))))],
            weighted_score=services_review.weighted_score(criteria, by_criterion),
            general_score=services_review.general_score(criteria, by_criterion),
            submitted_at=application.call.deadline + timedelta(days=days),
        )
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=score)
            for pk, score in by_criterion.items()
        )


def _slots(call, challenges, *, jury):
    """The slots of each challenge on both interview days, and the bookings made.

    Created directly: `create_slots` only seats this year's jury members of the
    call for projects, and `book` emails a confirmation. A slot is booked when
    it is created, never again: what staff or candidates changed since stays.
    """
    days = [call.interviews_start_on, call.interviews_end_on]
    through = InterviewSlot.jury.through
    created_slots = {}
    for index, (challenge, times) in enumerate(zip(challenges, SLOT_TIMES, strict=True)):
        for day_index, day in enumerate(days):
            for time_index, at in enumerate(times):
                slot, created = InterviewSlot.objects.get_or_create(
                    challenge=challenge,
                    starts_at=paris_time(day, at),
                    defaults={
                        "video_link": f"https://webinaire.numerique.gouv.fr/eig8-{challenge.pk}"
                    },
                )
                if created:
                    through.objects.bulk_create(
                        through(interviewslot_id=slot.pk, user_id=user.pk) for user in jury
                    )
                    created_slots[index, day_index, time_index] = slot
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.JURY_MEMBER, promotion=call.promotion) for user in jury],
        ignore_conflicts=True,
    )
    for email, index, day_index, time_index in BOOKINGS:
        slot = created_slots.get((index, day_index, time_index))
        choice = Choice.objects.filter(
            application__call=call,
            application__candidate__email=email,
            application__status=SUBMITTED,
            challenge=challenges[index],
            status=SHORTLISTED,
            interview__isnull=True,
        ).first()
        if slot is not None and choice is not None:
            slot.choice = choice
            slot.save(update_fields=["choice"])
