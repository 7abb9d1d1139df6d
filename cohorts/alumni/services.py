"""After the promotion: what a team delivered, the end of the promotion, the
alumni's profiles and the follow-up surveys sent 6 and 12 months later.

Plain functions with keyword-only arguments: views, the admin, commands and the
reminder sweep call them alike. None of them reads a request.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges import services as challenge_services
from challenges.models import AdministrationContact, Challenge, ChallengeMentor
from challenges.services import set_challenge_status
from cohorts.models import (
    AlumniProfile,
    FollowUpSurvey,
    OpenedDataset,
    PartnerSurvey,
    TeamMember,
)
from eig import public_cache
from eig.jury_pool import AvailablePerson
from eig.models import Person, Promotion, Role, RoleGrant
from eig.reminders import paris_time

SURVEY_MILESTONES = (6, 12)  # months after the end of the promotion
SURVEY_SENT_AT = time(9, 0)  # Paris wall-clock time

_validate_url = URLValidator()


# --- What a team delivered -----------------------------------------------------------


def record_team_deliverables(*, team, by, **deliverables):
    """The team (or its mentors, or staff) records what it delivered, during the promotion."""
    if not rules.has_perm("cohorts.record_deliverables", by, team):
        raise PermissionDenied(
            _("Seuls l'équipe, ses mentors et l'équipe du programme en décrivent les livrables.")
        )
    return record_deliverables(team=team, by=by, **deliverables)


@transaction.atomic
def record_deliverables(
    *, team, product_url="", source_code_url="", datasets=(), key_figures=(), summary=None, by
):
    """The team's product, its open source code, the datasets it opened and its key
    figures, in the shape of the imported history. Each list replaces the previous one.
    The end-of-promotion summary is kept unless given.

    `by` is the person recording them (staff or the team), kept for symmetry with
    the other services; the rows themselves carry no author. Callers that act for
    a user go through `record_team_deliverables`, which checks who may.
    """
    if summary is not None:
        summary = summary.strip()
        if len(summary) > 2000:
            raise ValidationError(_("Le bilan tient en 2 000 caractères au plus."))
        team.end_summary = summary
        team.save(update_fields=["end_summary"])
    product_url = _checked_url(product_url, _("l'adresse du produit"))
    source_code_url = _checked_url(source_code_url, _("l'adresse du code source"))
    figures = [_key_figure(*item) for item in key_figures]
    opened = [_dataset(team, name, url) for name, url in datasets]
    challenge = challenge_services.record_outcome(
        challenge_id=team.challenge_id,
        product_url=product_url,
        source_code_url=source_code_url,
        key_figures=figures,
    )
    OpenedDataset.objects.filter(team=team).delete()
    OpenedDataset.objects.bulk_create(opened)
    team.challenge = challenge
    return team


def _checked_url(url, what, max_length=300):
    url = (url or "").strip()
    if not url:
        return ""
    try:
        _validate_url(url)
    except ValidationError:
        raise ValidationError(
            _("%(what)s n'est pas une adresse valide.") % {"what": what}
        ) from None
    if len(url) > max_length:
        raise ValidationError(_("%(what)s est trop longue.") % {"what": what})
    return url


def _key_figure(amount, description):
    description = " ".join(str(description or "").split())
    try:
        amount = Decimal(str(amount).replace(",", ".").replace(" ", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("« %(amount)s » n'est pas un nombre.") % {"amount": amount}
        ) from None
    if not description or len(description) > 300 or abs(amount) >= 10**14:
        raise ValidationError(
            _("Un chiffre clé a besoin d'une valeur et d'une description courte.")
        )
    return amount, description


def _dataset(team, name, url):
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200:
        raise ValidationError(_("Un jeu de données a besoin d'un nom (200 caractères au plus)."))
    url = _checked_url(url, _("l'adresse du jeu de données"))
    if not url:
        raise ValidationError(_("Un jeu de données a besoin d'une adresse."))
    return OpenedDataset(team=team, name=name, url=url)


# --- The end of the promotion ------------------------------------------------------------


@dataclass(frozen=True)
class EndOfPromotion:
    completed: int  # challenges moved to COMPLETED by this call
    alumni: int  # accounts that hold the alumni role of the promotion
    profiles: int  # alumni profiles of the promotion's EIGs
    surveys: int  # follow-up surveys of the promotion
    partner_surveys: int = 0  # follow-up surveys of its mentors and host administrations


@transaction.atomic
def end_promotion(*, promotion, by, now=None):
    """The promotion is over: its challenges are completed, its EIGs become alumni.

    Each EIG gets an alumni profile that stays out of the directory until they opt
    in, and two follow-up surveys (6 and 12 months after the end) that the reminder
    sweep sends on time; so do the challenges' mentors and their host administrations'
    contacts who have an account. Running it again only adds what is missing.
    """
    now = now or timezone.now()
    if promotion.ends_on is None:
        promotion.ends_on = timezone.localdate(now)
        promotion.save(update_fields=["ends_on"])
    selected = Challenge.objects.filter(promotion=promotion, status=Challenge.Status.SELECTED)
    completed = 0
    for challenge in selected.order_by("pk"):
        set_challenge_status(challenge=challenge, to=Challenge.Status.COMPLETED, by=by)
        completed += 1
    members = list(
        TeamMember.objects.filter(
            team__challenge__promotion=promotion,
            team__challenge__status=Challenge.Status.COMPLETED,
        ).select_related("person")
    )
    users = {m.person.user_id for m in members if m.person.user_id}
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=u, role=Role.ALUMNI, promotion=promotion) for u in sorted(users)],
        ignore_conflicts=True,
    )
    AlumniProfile.objects.bulk_create(
        [AlumniProfile(person_id=p) for p in sorted({m.person_id for m in members})],
        ignore_conflicts=True,
    )
    FollowUpSurvey.objects.bulk_create(
        [FollowUpSurvey(member=m, months_after=n) for m in members for n in SURVEY_MILESTONES],
        ignore_conflicts=True,
    )
    PartnerSurvey.objects.bulk_create(
        [
            PartnerSurvey(challenge_id=c, user_id=u, respondent=r, months_after=n)
            for c, u, r in partners_of(promotion)
            for n in SURVEY_MILESTONES
        ],
        ignore_conflicts=True,
    )
    return EndOfPromotion(
        completed=completed,
        alumni=RoleGrant.objects.filter(role=Role.ALUMNI, promotion=promotion).count(),
        profiles=AlumniProfile.objects.filter(person__in={m.person_id for m in members}).count(),
        surveys=FollowUpSurvey.objects.filter(member__in=members).count(),
        partner_surveys=PartnerSurvey.objects.filter(challenge__promotion=promotion).count(),
    )


def partners_of(promotion):
    """(challenge id, user id, respondent) of the completed challenges' mentors and
    active host administration contacts who have an account: three queries. Someone both
    mentor and contact of a challenge is asked once, as its mentor."""
    completed = Challenge.objects.filter(promotion=promotion, status=Challenge.Status.COMPLETED)
    mentors = ChallengeMentor.objects.filter(
        challenge__in=completed, person__user__isnull=False, person__user__is_active=True
    ).order_by("challenge_id", "position")
    contacts = {}
    for administration_id, user_id in (
        AdministrationContact.objects.filter(
            administration__in=completed.values("administration"),
            status=AdministrationContact.Status.ACTIVE,
            user__is_active=True,
        )
        .values_list("administration_id", "user_id")
        .order_by("user_id")
    ):
        contacts.setdefault(administration_id, []).append(user_id)
    rows = [
        (challenge_id, user_id, PartnerSurvey.Respondent.MENTOR)
        for challenge_id, user_id in mentors.values_list("challenge_id", "person__user_id")
    ]
    for challenge_id, administration_id in completed.values_list("pk", "administration_id"):
        rows += [
            (challenge_id, user_id, PartnerSurvey.Respondent.ADMINISTRATION)
            for user_id in contacts.get(administration_id, ())
        ]
    seen, partners = set(), []
    for challenge_id, user_id, respondent in rows:
        if (challenge_id, user_id) not in seen:
            seen.add((challenge_id, user_id))
            partners.append((challenge_id, user_id, respondent))
    return partners


# --- The alumni's profiles ------------------------------------------------------------------


def alumni_profile_of(user):
    """The profile an alum edits, created if staff granted the role by hand."""

    profile, _created = AlumniProfile.objects.get_or_create(person=Person.of_account(user))
    return profile


def directory_profiles():
    """The alumni who chose to appear in the directory."""
    return AlumniProfile.objects.filter(in_directory=True)


def directory_promotions():
    """The promotions that have someone in the directory: no empty choice to offer."""
    in_directory = directory_profiles().values("person")
    return (
        Promotion.objects.filter(challenges__team__members__person__in=in_directory)
        .distinct()
        .order_by("year", "code")
    )


def search_directory(*, words="", promotion=None, skill=None, available=""):
    """The directory narrowed by words (name, position, bio), promotion, skill, availability."""
    profiles = directory_profiles()
    for word in words.split():
        profiles = profiles.filter(
            Q(person__full_name__icontains=word)
            | Q(current_position__icontains=word)
            | Q(bio__icontains=word)
        )
    if promotion is not None:
        profiles = profiles.filter(
            person__in=TeamMember.objects.filter(team__challenge__promotion=promotion).values(
                "person"
            )
        )
    if skill is not None:
        profiles = profiles.filter(skills=skill)
    if available == "jury":
        profiles = profiles.filter(available_for_jury=True)
    elif available == "mentorat":
        profiles = profiles.filter(available_for_mentoring=True)
    return profiles


def available_for_jury():
    """The alumni who said they are available for a jury, for the jury screens
    (`eig.jury_pool`): four queries, however many alumni."""
    memberships = TeamMember.objects.select_related("team__challenge__promotion").order_by(
        "team__challenge__promotion__year"
    )
    profiles = (
        AlumniProfile.objects.filter(available_for_jury=True)
        .select_related("person__user")
        .prefetch_related(Prefetch("person__team_memberships", queryset=memberships), "skills")
        .order_by("person__full_name", "pk")
    )
    people = []
    for profile in profiles:
        person = profile.person
        if person.user_id is not None and not person.user.is_active:
            continue
        teams = [
            f"{m.team.challenge.promotion.name} ({m.team.challenge.title})"
            for m in person.team_memberships.all()
        ]
        people.append(
            AvailablePerson(
                name=person.full_name,
                email=person.user.email if person.user_id else "",
                why=_("alumni %(teams)s") % {"teams": ", ".join(teams)} if teams else _("alumni"),
                detail=profile.current_position,
                skills=tuple(skill.label for skill in profile.skills.all()),
                link=reverse("admin:cohorts_alumniprofile_change", args=[profile.pk]),
            )
        )
    return people


# --- Follow-up surveys ------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 August + 6 → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def survey_send_at(*, ends_on: date, months: int) -> datetime:
    """09:00 in Paris, `months` after the last day of the promotion."""
    return paris_time(add_months(ends_on, months), SURVEY_SENT_AT)


def surveys_to_send(now):
    """Surveys whose day has come, for an EIG with an account, not answered yet.

    Already sent ones stay in the list until they expire: the outbox's
    idempotency key keeps a single email, and a sweep that failed after marking
    a survey sent still gets its email created by the next one.
    """
    last_milestone = max(SURVEY_MILESTONES)
    oldest_end = add_months(timezone.localdate(now), -last_milestone) - FollowUpSurvey.VALIDITY
    oldest_end -= timedelta(days=1)  # the last sending window may still be open
    surveys = (
        FollowUpSurvey.objects.filter(
            answered_at__isnull=True,
            member__person__user__isnull=False,
            member__person__user__is_active=True,
            member__team__challenge__promotion__ends_on__gte=oldest_end,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related(
            "member__person__user",
            "member__team__challenge__promotion",
            "member__team__challenge__administration",
        )
        .order_by("pk")
    )
    due = []
    for survey in surveys:
        ends_on = survey.member.team.challenge.promotion.ends_on
        send_at = survey_send_at(ends_on=ends_on, months=survey.months_after)
        if send_at <= now < send_at + FollowUpSurvey.VALIDITY:
            due.append(survey)
    return due


def mark_surveys_sent(*, surveys, now, model=FollowUpSurvey):
    """A survey's link is valid for 60 days from its sending; sending again changes nothing."""
    expires_at = now + model.VALIDITY
    fresh = [s.pk for s in surveys if s.sent_at is None]
    if fresh:
        model.objects.filter(pk__in=fresh, sent_at__isnull=True).update(
            sent_at=now, expires_at=expires_at
        )
    for survey in surveys:
        if survey.sent_at is None:
            survey.sent_at, survey.expires_at = now, expires_at
    return surveys


def survey_with_token(token):
    """The survey of a link, whatever its state; None for a link that was never sent."""
    if not token:
        return None
    return (
        FollowUpSurvey.objects.filter(token=token, sent_at__isnull=False)
        .select_related("member__person", "member__team__challenge__promotion")
        .first()
    )


def survey_is_open(survey, now=None):
    now = now or timezone.now()
    return (
        survey.answered_at is None
        and survey.sent_at is not None
        and survey.expires_at is not None
        and now < survey.expires_at
    )


def survey_by_token(token, now=None):
    """The survey a link opens, or None when it is unknown, expired or already answered."""
    survey = survey_with_token(token)
    return survey if survey is not None and survey_is_open(survey, now) else None


class SurveyClosed(Exception):
    """The survey was answered (maybe a second ago, in another tab) or has expired."""


def answer_survey(
    *,
    survey,
    sector,
    still_with_host,
    product_in_use,
    product_maintained,
    product_adopted_elsewhere=None,
    employer="",
    comments="",
    now=None,
):
    """Record the answers, once: a second answer, or one after expiry, is refused.
    None for a yes/no question is "I don't know"."""
    now = now or timezone.now()
    if sector not in FollowUpSurvey.Sector.values:
        raise ValidationError(_("Secteur inconnu : %(sector)s") % {"sector": sector})
    answers = {
        "sector": sector,
        "still_with_host": still_with_host,
        "product_in_use": product_in_use,
        "product_maintained": product_maintained,
        "product_adopted_elsewhere": product_adopted_elsewhere,
        "employer": (employer or "").strip()[:200],
        "comments": (comments or "").strip()[:2000],
    }
    # One statement that checks and writes: two tabs cannot both answer.
    updated = FollowUpSurvey.objects.filter(
        pk=survey.pk, answered_at__isnull=True, sent_at__isnull=False, expires_at__gt=now
    ).update(answered_at=now, **answers)
    if not updated:
        raise SurveyClosed
    public_cache.stale()  # the impact figures count the answers
    for name, value in {**answers, "answered_at": now}.items():
        setattr(survey, name, value)
    return survey


# --- Follow-up surveys of the mentors and host administrations ------------------------------


def partner_surveys_to_send(now):
    """The mentors' and administrations' surveys whose day has come, as `surveys_to_send`."""
    last_milestone = max(SURVEY_MILESTONES)
    oldest_end = add_months(timezone.localdate(now), -last_milestone) - PartnerSurvey.VALIDITY
    oldest_end -= timedelta(days=1)
    surveys = (
        PartnerSurvey.objects.filter(
            answered_at__isnull=True,
            user__is_active=True,
            challenge__promotion__ends_on__gte=oldest_end,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user", "challenge__promotion", "challenge__administration")
        .order_by("pk")
    )
    due = []
    for survey in surveys:
        send_at = survey_send_at(
            ends_on=survey.challenge.promotion.ends_on, months=survey.months_after
        )
        if send_at <= now < send_at + PartnerSurvey.VALIDITY:
            due.append(survey)
    return due


def partner_survey_with_token(token):
    """The survey of a link, whatever its state; None for a link that was never sent."""
    if not token:
        return None
    return (
        PartnerSurvey.objects.filter(token=token, sent_at__isnull=False)
        .select_related("user", "challenge__promotion", "challenge__administration")
        .first()
    )


PARTNER_ANSWERS = (
    "product_in_use",
    "product_adopted_elsewhere",
    "made_permanent",
    "administration_recruited",
)


def answer_partner_survey(*, survey, comments="", now=None, **answers):
    """Record a mentor's or an administration's answers, once. None is "I don't know"."""
    now = now or timezone.now()
    unknown = set(answers) - set(PARTNER_ANSWERS)
    if unknown:
        raise ValidationError(_("Question inconnue : %(name)s") % {"name": ", ".join(unknown)})
    answers = {name: answers.get(name) for name in PARTNER_ANSWERS}
    answers["comments"] = (comments or "").strip()[:2000]
    updated = PartnerSurvey.objects.filter(
        pk=survey.pk, answered_at__isnull=True, sent_at__isnull=False, expires_at__gt=now
    ).update(answered_at=now, **answers)
    if not updated:
        raise SurveyClosed
    public_cache.stale()  # the impact figures count the answers
    for name, value in {**answers, "answered_at": now}.items():
        setattr(survey, name, value)
    return survey
