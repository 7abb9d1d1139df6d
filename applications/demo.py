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

`load_previous` holds, whatever the day, the finished EIG 7 call for applications
that recruited the promotion in residence, down to its teams' handover.

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
from eig.demo import Season, recruiting_season, residence_year
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


def _reviews(application, *, staff, mentor, now, reviews=None):
    """Staff and the challenges' mentor review every file; the mentor has some left to do.
    `mentor` None: the file chose none of the mentor's challenges."""
    staff_scores, mentor_scores = (reviews or REVIEWS)[application.candidate.email]
    criteria = list(application.call.criteria.all())
    for reviewer, scores, days in ((staff, staff_scores, 2), (mentor, mentor_scores, 5)):
        if reviewer is None:
            continue
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


def _slots(call, challenges, *, jury, bookings=BOOKINGS, link="eig8"):
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
                        "video_link": f"https://webinaire.numerique.gouv.fr/{link}-{challenge.pk}"
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
    for email, index, day_index, time_index in bookings:
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


# --- The previous season: the EIG 7 call for applications, finished ---------------------
#
# The call that recruited the promotion in residence (May–June of the year it started,
# interviews early July, results a week later), run through to its handover: its
# selected candidates are the EIG 7 teams' EIGs (`cohorts.promotion.demo`: the demo EIG
# and two other accounts in team 1; teams 2 and 3's EIGs, whose people the later stage
# finds by their slugs); one offer declined and its place given to the next on the
# waiting list; a candidate still waitlisted, others not retained at pre-selection or
# not selected after their interview, the demo candidate among those.

SELECTED, WAITLISTED, NOT_SELECTED = (
    Choice.Status.SELECTED,
    Choice.Status.WAITLISTED,
    Choice.Status.NOT_SELECTED,
)
# email, first name, last name, profile, years, person slug (people of teams 2 and 3),
# [(challenge index, final status)]
PREVIOUS_CANDIDATES = [
    ("eig@demo.eig.test", "Eden", "Entrepreneur", "datascience", 5, None, [(0, SELECTED)]),
    ("eig2@demo.eig.test", "Alma", "Durand", "dev", 4, None,
     [(0, SELECTED), (1, NOT_SHORTLISTED)]),
    ("eig3@demo.eig.test", "Noé", "Petit", "dev", 3, None, [(0, SELECTED)]),
    ("lina.roux@demo.eig.test", "Lina", "Roux", "dev", 6, "demo-eig7-lina-roux",
     [(1, SELECTED)]),
    ("mehdi.fontaine@demo.eig.test", "Mehdi", "Fontaine", "dev", 9, None, [(1, SELECTED)]),
    ("omar.diallo@demo.eig.test", "Omar", "Diallo", "design", 7, "demo-eig7-omar-diallo",
     [(1, WAITLISTED)]),
    ("jade.faure@demo.eig.test", "Jade", "Faure", "geomatique", 4, "demo-eig7-jade-faure",
     [(2, SELECTED)]),
    ("theo.blanc@demo.eig.test", "Théo", "Blanc", "dataengineering", 5, "demo-eig7-theo-blanc",
     [(2, SELECTED)]),
    ("ana.silva@demo.eig.test", "Ana", "Silva", "dev", 3, "demo-eig7-ana-silva",
     [(2, SELECTED)]),
    ("candidat@demo.eig.test", "Charlie", "Candidat", "dev", 6, None,
     [(0, NOT_SELECTED), (2, NOT_SHORTLISTED)]),
    ("zoe.attente@demo.eig.test", "Zoé", "Attente", "datascience", 4, None, [(2, WAITLISTED)]),
    ("marc.tri@demo.eig.test", "Marc", "Tri", "dev", 1, None, [(0, NOT_SHORTLISTED)]),
]  # fmt: skip
PREVIOUS_PROFILES = {
    "demo-eig7-lina-roux": "Développeuse",
    "demo-eig7-omar-diallo": "Designer",
    "demo-eig7-jade-faure": "Géomaticienne",
    "demo-eig7-theo-blanc": "Data engineer",
    "demo-eig7-ana-silva": "Développeuse",
}
# Staff's scores, then the mentor's (who reviews the files choosing its challenge).
PREVIOUS_REVIEWS = {
    "eig@demo.eig.test": ([5, 5, 4, 5, 4], [5, 4, 5, 4, 5]),
    "eig2@demo.eig.test": ([4, 4, 5, 4, 4], [4, 5, 4, 4, 4]),
    "eig3@demo.eig.test": ([4, 4, 4, 4, 5], [4, 4, 4, 5, 4]),
    "lina.roux@demo.eig.test": ([5, 4, 4, 5, 4], None),
    "mehdi.fontaine@demo.eig.test": ([5, 5, 4, 4, 4], None),
    "omar.diallo@demo.eig.test": ([4, 4, 4, 4, 4], None),
    "jade.faure@demo.eig.test": ([4, 5, 4, 4, 5], None),
    "theo.blanc@demo.eig.test": ([4, 4, 5, 4, 4], None),
    "ana.silva@demo.eig.test": ([4, 4, 4, 5, 4], None),
    "candidat@demo.eig.test": ([4, 3, 4, 3, 4], [3, 4, 3, 3, 4]),
    "zoe.attente@demo.eig.test": ([4, 3, 4, 4, 3], None),
    "marc.tri@demo.eig.test": ([2, 2, 3, 2, 2], [2, 3, 2, 2, 2]),
}
# Each shortlisted candidate's interview: (email, challenge index, day index, time index).
PREVIOUS_BOOKINGS = [
    ("eig@demo.eig.test", 0, 0, 0),
    ("eig2@demo.eig.test", 0, 0, 1),
    ("eig3@demo.eig.test", 0, 0, 2),
    ("candidat@demo.eig.test", 0, 1, 0),
    ("lina.roux@demo.eig.test", 1, 0, 0),
    ("mehdi.fontaine@demo.eig.test", 1, 0, 1),
    ("omar.diallo@demo.eig.test", 1, 1, 0),
    ("jade.faure@demo.eig.test", 2, 0, 0),
    ("theo.blanc@demo.eig.test", 2, 0, 1),
    ("ana.silva@demo.eig.test", 2, 1, 0),
    ("zoe.attente@demo.eig.test", 2, 1, 1),
]
NOT_SELECTED_REASON = (
    "Un bon entretien, mais d'autres profils répondaient mieux aux besoins du défi."
)
DECLINED_OFFER = "mehdi.fontaine@demo.eig.test"
PROMOTED = "omar.diallo@demo.eig.test"


def _previous_challenges(promotion):
    """The challenges the EIG 7 call for projects selected, in the demo's order."""
    titles = [title for title, *_rest in challenges_demo.PREVIOUS_SELECTED]
    found = {
        c.title: c
        for c in Challenge.objects.filter(
            promotion=promotion,
            call__isnull=False,
            status=Challenge.Status.SELECTED,
            title__in=titles,
        )
    }
    return [found[title] for title in titles if title in found]


def _team_person(slug, user):
    """The EIG's person record, with their account: the later stage finds it by its slug."""
    found, _created = Person.objects.get_or_create(
        slug=slug,
        defaults={"full_name": user.get_full_name(), "profile": PREVIOUS_PROFILES[slug]},
    )
    if found.user_id is None and not Person.objects.filter(user=user).exists():
        found.user = user
        found.save(update_fields=["user"])
    return found


@transaction.atomic
def load_previous():
    """The EIG 7 call for applications, from its opening to the teams' handover; returns it
    (None without the EIG 7 call for projects' selected challenges)."""
    staff = staff_account()
    mentor = mentor_account()
    jury = account("jury@demo.eig.test", "Jules", "Jury", Role.JURY_MEMBER)
    now = timezone.now()
    season = Season(residence_year(timezone.localdate(now)))
    promotion = challenges_demo.previous_promotion(timezone.localdate(now))
    challenges = _previous_challenges(promotion)
    if len(challenges) < len(challenges_demo.PREVIOUS_SELECTED):
        return None  # no EIG 7 call for projects (an earlier demo's database)
    call = _call(promotion, season)
    if call.applications.exists():
        return call  # laid out already, as people changed it since
    outcomes = {}
    for email, first, last, profile, years, slug, choices in PREVIOUS_CANDIDATES:
        candidate = account(email, first, last, Role.CANDIDATE)
        RoleGrant.objects.get_or_create(user=candidate, role=Role.CANDIDATE, promotion=promotion)
        if slug:
            _team_person(slug, candidate)
        wanted = [
            (index, NOT_SHORTLISTED if outcome == NOT_SHORTLISTED else SHORTLISTED)
            for index, outcome in choices
        ]
        application = _application(
            call, challenges, candidate, profile, years, SUBMITTED, wanted, now=now
        )
        reviewed_by_mentor = any(index == 0 for index, _outcome in choices)
        _reviews(
            application,
            staff=staff,
            mentor=mentor if reviewed_by_mentor else None,
            now=now,
            reviews=PREVIOUS_REVIEWS,
        )
        _preselection(application, challenges, wanted, staff=staff)
        for index, outcome in choices:
            outcomes[email, challenges[index].pk] = outcome
    _slots(call, challenges, jury=[staff, jury, mentor], bookings=PREVIOUS_BOOKINGS, link="eig7")
    shortlisted = Choice.objects.filter(application__call=call, status=SHORTLISTED).select_related(
        "application__candidate"
    )
    for choice in shortlisted.order_by("application__created_at"):
        outcome = outcomes[choice.application.candidate.email, choice.challenge_id]
        if outcome == NOT_SELECTED:
            services_decisions.decide(
                choice=choice, to=outcome, by=staff, reason=NOT_SELECTED_REASON
            )
        else:
            services_decisions.decide_after_interview(choice=choice, to=outcome, by=staff, now=now)
    services_decisions.publish_results(call=call, now=call.publication_at)
    _previous_offers(call, staff=staff)
    return call


def _previous_offers(call, *, staff):
    """Every offer answered within two days of the publication, one declined; its place
    went to the next on the waiting list, who accepted."""
    answered_at = call.publication_at + timedelta(days=2)
    offers = Offer.objects.filter(choice__application__call=call).select_related(
        "choice__application__candidate"
    )
    order = [email for email, *_rest in PREVIOUS_CANDIDATES]
    for offer in sorted(offers, key=lambda o: order.index(o.choice.application.candidate.email)):
        candidate = offer.choice.application.candidate
        services_decisions.answer_offer(
            offer=offer, accept=candidate.email != DECLINED_OFFER, by=candidate, now=answered_at
        )
    waiting = Choice.objects.filter(
        application__call=call, application__candidate__email=PROMOTED, status=WAITLISTED
    ).first()
    if waiting is None:
        return
    offered_at = answered_at + timedelta(days=1)
    offer = services_decisions.promote_from_waitlist(choice=waiting, by=staff, now=offered_at)
    services_decisions.answer_offer(
        offer=offer,
        accept=True,
        by=waiting.application.candidate,
        now=offered_at + timedelta(days=1),
    )
