"""Demo data of the call for applications, for `make run`.

The call for applications of EIG 8 recruits for the three challenges its call for
projects selected (`challenges.demo`), on the programme's calendar
(`eig.demo.Season`): May and June, two weeks of pre-selection, two days of
interviews early July, results a week later. What the demo holds follows today's
date: nothing before the call opens; while it is open, candidates in every state
(a draft, a withdrawn application, submitted files); during pre-selection, staff's
and the challenges' mentor's reviews; from the interviews on, staff's decisions and
a slot for each shortlisted candidate (the demo candidate's on the second day);
once published, offers (the demo candidate's waiting for an answer until its
deadline), the accepted ones making their EIGs a team. Safe to run again.

The helpers at the top (accounts, people, selected challenges) are shared with
the later stages' demo data (`cohorts.promotion.demo`, `mentoring.demo`).
"""

from datetime import time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from applications import services
from applications.decisions import services as services_decisions
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewSlot,
    Offer,
    Phase,
    Review,
    ReviewScore,
)
from applications.review import services as services_review
from challenges import demo as challenges_demo
from challenges.models import Administration, Challenge, ChallengeMentor
from eig.demo import recruiting_season
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
# Who booked which slot: (email, challenge index, interview day index, time index).
BOOKINGS = [
    ("candidat@demo.eig.test", 0, 1, 0),
    ("candidat4@demo.eig.test", 0, 0, 1),
    ("candidat5@demo.eig.test", 1, 0, 1),
]


# Who answered their offer, in days after the publication; the demo candidate answers
# only on the last days (until then, their offer waits for them).
OFFER_ANSWERS = {
    "candidat4@demo.eig.test": 2,
    "candidat5@demo.eig.test": 3,
    "candidat8@demo.eig.test": 2,
    "candidat@demo.eig.test": 13,
}
REVIEWED = (Phase.PRESELECTION, Phase.INTERVIEWS, Phase.DELIBERATION, Phase.PUBLISHED)
PRESELECTED = (Phase.INTERVIEWS, Phase.DELIBERATION, Phase.PUBLISHED)


@transaction.atomic
def load():
    """The EIG 8 call for applications as it stands today; returns it."""
    staff = staff_account()
    mentor = mentor_account()
    jury = account("jury@demo.eig.test", "Jules", "Jury", Role.JURY_MEMBER)
    now = timezone.now()
    season = recruiting_season(timezone.localdate(now))
    promotion, _created = Promotion.objects.get_or_create(
        code="8", defaults={"name": "EIG 8", "year": season.year}
    )
    call = _call(promotion, season)
    challenges = _challenges(promotion)
    phase = call.phase(now)
    if phase == Phase.UPCOMING or len(challenges) < challenges_demo.SELECTED_COUNT:
        return call  # announced: the call for projects has not selected its challenges yet
    new = []
    for email, first, last, profile, years, status, choices in CANDIDATES:
        candidate = account(email, first, last, Role.CANDIDATE)
        RoleGrant.objects.get_or_create(
            user=candidate, role=Role.CANDIDATE, promotion=call.promotion
        )
        if Application.objects.filter(call=call, candidate=candidate).exists():
            continue  # as the demo left it, or as people changed it since
        application = _application(
            call, challenges, candidate, profile, years, status, choices, now=now
        )
        if status == SUBMITTED and phase in REVIEWED:
            _reviews(application, staff=staff, mentor=mentor, now=now)
        if status == SUBMITTED and phase in PRESELECTED:
            _preselection(application, challenges, choices, staff=staff)
        new.append(application)
    if not new:
        return call
    if phase in PRESELECTED:
        _slots(call, challenges, jury=[staff, jury, mentor])
    if now >= call.publication_at:  # the scheduled job publishes on the date
        _results(call, staff=staff, now=now)
    return call


def _challenges(promotion):
    """The challenges the call for projects selected, in the demo's order."""
    selected = challenges_demo.SHORTLISTED[: challenges_demo.SELECTED_COUNT]
    titles = [title for title, *_rest in selected]
    found = {
        c.title: c
        for c in Challenge.objects.filter(
            promotion=promotion, status=Challenge.Status.SELECTED, title__in=titles
        )
    }
    return [found[title] for title in titles if title in found]


def _call(promotion, season):
    """The call on its season's dates; the dates stay as first loaded."""
    existing = CallForApplications.objects.filter(promotion=promotion).first()
    if existing:
        return existing
    first_day, last_day = season.interview_days
    return services.open_call(
        promotion=promotion,
        opens_at=season.applications_open_at,
        deadline=season.applications_deadline,
        preselection_ends_at=season.applications_preselection_ends_at,
        interviews_start_on=first_day,
        interviews_end_on=last_day,
        publication_at=season.applications_publication_at,
        offer_response_deadline=season.offer_response_deadline,
        promotion_starts_on=season.promotion_starts_on,
    )


def _results(call, *, staff, now):
    """Staff select every shortlisted candidate, the results are published on their date,
    and the candidates answer their offers (those whose day has come)."""
    for choice in Choice.objects.filter(application__call=call, status=SHORTLISTED):
        services_decisions.decide(choice=choice, to=Choice.Status.SELECTED, by=staff)
    services_decisions.publish_results(call=call, now=call.publication_at)
    offers = Offer.objects.filter(choice__application__call=call).select_related(
        "choice__application__candidate"
    )
    for offer in offers:
        candidate = offer.choice.application.candidate
        answered_at = call.publication_at + timedelta(days=OFFER_ANSWERS[candidate.email])
        if answered_at <= now:
            services_decisions.answer_offer(offer=offer, accept=True, by=candidate, now=answered_at)


def _application(call, challenges, candidate, profile, years, status, choices, *, now):
    """Filled in while the call was open, as the candidate would have (the forms refuse it
    after the deadline); never dated after `now`."""
    started = min(call.deadline - timedelta(days=12 + years), now - timedelta(hours=1 + years))
    started = max(started, call.opens_at)
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
        submitted_at=None if draft else min(started + timedelta(days=3), now),
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


def _reviews(application, *, staff, mentor, now):
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
            submitted_at=min(application.call.deadline + timedelta(days=days), now),
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
