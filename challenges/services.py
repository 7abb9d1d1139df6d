"""The rules of the call for projects, as plain functions.

Views, admin actions, commands and tasks all call these; none of them takes a
request. Deadlines are compared with aware datetimes (stored in UTC, entered
and shown in Europe/Paris), so the minute is the same for everyone.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from challenges import notifications as events
from challenges.jury import services as jury
from challenges.models import (
    Administration,
    AdministrationContact,
    Audition,
    CallForProjects,
    Challenge,
    ChallengeInvitation,
    ChallengeMentor,
    ChallengeTransition,
    JuryMember,
    KeyFigure,
)
from eig import calls, imports, limits, notifications, transitions
from eig.models import Role, RoleGrant

DEFAULT_CRITERIA = [
    (
        "Un besoin clair, à fort impact, porté au plus haut niveau",
        "Le problème public est précis, ses bénéficiaires identifiés, et la direction s'engage.",
        3,
    ),
    (
        "Un périmètre réaliste pour 10 mois et 2 ou 3 personnes",
        "Le défi est bien délimité et un premier produit utile est atteignable dans le temps du programme.",
        2,
    ),
    (
        "Des données disponibles",
        "Les données existent, sont accessibles à l'équipe dès son arrivée.",
        2,
    ),
    (
        "Une équipe dédiée et les bons mentors",
        "Des mentors opérationnels disponibles au quotidien et un mentor stratégique qui porte le projet.",
        2,
    ),
    ("L'ouverture", "Code publié sous licence libre, données ouvertes quand c'est possible.", 1),
]


class DeadlinePassed(PermissionDenied):
    """After the deadline a challenge is read-only for its administration."""


# --- The call ---------------------------------------------------------------------


def open_call(*, promotion, **dates):
    """A call for projects with the programme's default selection grid."""
    return calls.open_call(
        model=CallForProjects, grid=DEFAULT_CRITERIA, promotion=promotion, **dates
    )


def current_call(now=None):
    """The call administrations work on: the open one, else the latest."""
    return CallForProjects.objects.current(now)


# --- Administrations and their contacts ------------------------------------------


@transaction.atomic
def create_administration(*, name, kind, website="", by):
    """Register an administration with `by` as its contact.

    The same person posting twice at once (a double click) gets the one
    administration back; someone else registering the same name at the same
    instant is told it exists, as the form would have told them a moment later.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                administration = Administration.objects.create(
                    name=name,
                    slug=_unique_slug(name),
                    kind=kind,
                    website=website,
                    awaiting_validation=True,
                )
                _make_contact(administration, by, AdministrationContact.Status.ACTIVE)
                return administration
        except IntegrityError:
            existing = Administration.objects.filter(name=name).first()
            if existing is None:
                continue  # only the slug was taken, by another name at the same instant
            if existing.contacts.filter(user=by, status=AdministrationContact.Status.ACTIVE):
                return existing
            break
    raise ValidationError(
        _("Cette administration existe déjà : demandez plutôt à la rejoindre."), code="unique"
    )


def administration_already_registered_by(user, name):
    """The administration of that very name `user` already acts for: a second post of the
    same registration (a double click) finds it instead of being offered it as a duplicate."""
    return Administration.objects.filter(
        name=name.strip(),
        contacts__user=user,
        contacts__status=AdministrationContact.Status.ACTIVE,
    ).first()


# What a person's own requests may send to others in a day (the contacts of the
# administrations they ask to join, the colleagues they invite), in their words or not.
JOIN_REQUESTS_PER_DAY = 5
COEDITOR_INVITATIONS_PER_DAY = 20


@transaction.atomic
def request_to_join(*, administration, by):
    """A pending request: a contact of the administration, or staff, accepts it.

    The contacts are told once, when the request is made: asking again while it is
    pending sends nothing more."""
    if not AdministrationContact.objects.filter(administration=administration, user=by).exists():
        limits.count_email_request(
            user=by,
            action="join_administration",
            per_day=JOIN_REQUESTS_PER_DAY,
            message=_(
                "Vous avez demandé à rejoindre %(limit)s administrations aujourd’hui, le "
                "maximum par jour : vous pourrez en demander d’autres demain."
            )
            % {"limit": JOIN_REQUESTS_PER_DAY},
        )
    contact, created = AdministrationContact.objects.get_or_create(
        administration=administration,
        user=by,
        defaults={"status": AdministrationContact.Status.PENDING},
    )
    if created:
        for colleague in administration.contacts.filter(status=AdministrationContact.Status.ACTIVE):
            notifications.queue_email(
                event=events.JOIN_REQUESTED,
                recipient=colleague.user,
                obj=contact,
                context={"contact": contact},
            )
    return contact


def administrations_awaiting_validation():
    return Administration.objects.filter(awaiting_validation=True)


@transaction.atomic
def validate_administration(*, administration, by):
    """Staff checked it is a real public body: its challenges may be submitted. Its
    active contacts are told once. Safe to run twice."""
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    if not administration.awaiting_validation:
        return administration
    administration.awaiting_validation = False
    administration.validated_at, administration.validated_by = timezone.now(), by
    administration.save(update_fields=["awaiting_validation", "validated_at", "validated_by"])
    active = administration.contacts.filter(status=AdministrationContact.Status.ACTIVE)
    for contact in active.select_related("user"):
        notifications.queue_email(
            event=events.ADMINISTRATION_VALIDATED,
            recipient=contact.user,
            obj=administration,
            occasion="validated",
            context={"administration": administration},
        )
    return administration


@transaction.atomic
def accept_contact(*, contact, by):
    """The requester becomes a contact, and is told."""
    contact.status = AdministrationContact.Status.ACTIVE
    contact.save(update_fields=["status"])
    RoleGrant.objects.get_or_create(
        user=contact.user, role=Role.ADMINISTRATION_CONTACT, promotion=None
    )
    _tell_requester(contact, events.JOIN_ACCEPTED, occasion=f"accepted:{contact.pk}")
    return contact


@transaction.atomic
def refuse_contact(*, contact, by):
    """A pending request is refused: the row goes (the person may ask again), the
    requester is told. An active contact is never removed this way."""
    if contact.status != AdministrationContact.Status.PENDING:
        raise ValidationError(_("Cette personne est déjà contact de l’administration."))
    _tell_requester(contact, events.JOIN_REFUSED, occasion=f"refused:{contact.pk}")
    contact.delete()


def _tell_requester(contact, event, occasion):
    notifications.queue_email(
        event=event,
        recipient=contact.user,
        obj=contact.administration,
        occasion=occasion,
        context={"administration": contact.administration, "contact": contact},
    )


def contacts_of(administration_ids):
    """{administration id: its contacts, active first}, in one query."""
    grouped = {pk: [] for pk in administration_ids}
    rows = (
        AdministrationContact.objects.filter(administration_id__in=administration_ids)
        .select_related("user")
        .order_by("status", "user__last_name", "user__first_name", "user__email")
    )
    for contact in rows:
        grouped[contact.administration_id].append(contact)
    return grouped


def _make_contact(administration, user, status):
    contact, _created = AdministrationContact.objects.update_or_create(
        administration=administration, user=user, defaults={"status": status}
    )
    if status == AdministrationContact.Status.ACTIVE:
        RoleGrant.objects.get_or_create(user=user, role=Role.ADMINISTRATION_CONTACT, promotion=None)
    return contact


def _unique_slug(name):
    base = slugify(name)[:180] or "administration"
    slug, n = base, 2
    while Administration.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Drafting a challenge ---------------------------------------------------------


EDITABLE_STATUSES = (Challenge.Status.DRAFT, Challenge.Status.SUBMITTED)


def is_editable_now(challenge, now=None):
    """Before the deadline, as a draft or submitted *as the administration sees it*: a
    challenge shortlisted before its deadline stays editable, or the refusal would tell
    of a decision not yet public."""
    call = challenge.call
    return bool(
        call is not None
        and call.accepts_submissions(now)
        and status_for_administration(challenge, now) in EDITABLE_STATUSES
    )


def ensure_editable(challenge, now=None):
    """Administrations edit their challenge only before the deadline, only as a draft or submitted."""
    call = challenge.call
    if call is None or not call.accepts_submissions(now):
        raise DeadlinePassed(
            _("La date limite de dépôt est passée : le défi ne peut plus être modifié.")
        )
    if not is_editable_now(challenge, now):
        raise PermissionDenied(_("Ce défi n'est plus modifiable."))


@transaction.atomic
def start_challenge(*, call, administration, title, by, now=None):
    if not call.accepts_submissions(now):
        raise DeadlinePassed(_("L'appel à projets n'accepte pas de dépôt en ce moment."))
    challenge = Challenge.objects.create(
        call=call,
        promotion=call.promotion,
        administration=administration,
        title=title,
        slug=_challenge_slug(call, title),
    )
    challenge.editors.add(by)
    return challenge


def _challenge_slug(call, title):
    base = slugify(title)[:180] or "defi"
    slug, n = base, 2
    while Challenge.objects.filter(promotion=call.promotion, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def missing_for_submission(challenge):
    """What a challenge still lacks before it can be submitted, in the form's words."""
    missing = [
        label
        for field, label in [
            ("problem", _("le problème public")),
            ("challenge_text", _("le défi")),
            ("data_description", _("les données")),
            ("expected_impact", _("l'impact attendu")),
            ("location", _("le lieu")),
            ("funding", _("le financement")),
        ]
        if not getattr(challenge, field)
    ]
    if challenge.team_size not in (2, 3):
        missing.append(_("la taille de l'équipe (2 ou 3)"))
    if not challenge.skills.exists():
        missing.append(_("les profils recherchés"))
    kinds = [m.kind for m in challenge.mentorships.all()]
    if not 1 <= kinds.count("operational") <= 2:
        missing.append(_("un ou deux mentors opérationnels"))
    if kinds.count("strategic") != 1:
        missing.append(_("un mentor stratégique"))
    if not challenge.open_commitment:
        missing.append(_("l'engagement open source et open data"))
    return missing


# --- The lifecycle: one function for every transition -----------------------------


def set_challenge_status(*, challenge, to, by, reason="", now=None, note=""):
    """Move a challenge to `to`: checks the move is allowed, saves, logs who and
    when, and decides the emails that go with it. Decisions are not announced
    here: `publish_results` does it on the publication date. `note` goes to the
    status log only (what staff did, not what the administration reads)."""
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        source = challenge.status
        if to == source:
            return challenge
        if to == Challenge.Status.SUBMITTED and status_for_administration(challenge, now) == to:
            return challenge  # submitted again as far as the administration can tell
        if to == Challenge.Status.SUBMITTED:
            _check_can_submit(challenge, now)
        if to in STAFF_DECISIONS and source != Challenge.Status.DRAFT:
            _check_deadline_passed(challenge, now)
        if reason:
            challenge.decision_reason = reason
        transitions.move(
            challenge,
            to=to,
            by=by,
            log=ChallengeTransition,
            reason="\n".join(part for part in (reason, note) if part),
            fields=["submitted_at", "decision_reason"],
            refusal=_("Un défi « %(source)s » ne peut pas passer à « %(target)s »."),
        )
        _announce(challenge, source, to)
    return challenge


def _check_can_submit(challenge, now):
    ensure_editable(challenge, now)
    if Administration.objects.filter(pk=challenge.administration_id, awaiting_validation=True):
        raise ValidationError(
            _(
                "L’administration « %(name)s » attend la validation de l’équipe du programme : "
                "le défi pourra être déposé dès qu’elle sera validée (vous recevrez un email). "
                "Votre brouillon est conservé."
            )
            % {"name": challenge.administration.name},
            code="administration_not_validated",
        )
    missing = missing_for_submission(challenge)
    if missing:
        raise ValidationError(
            _("Il manque encore : %(missing)s.") % {"missing": ", ".join(missing)}
        )


# Staff decide on the challenge as it stands at the deadline, never on a version its
# administration may still change: until then, these moves are refused with a sentence.
STAFF_DECISIONS = (*Challenge.PRESELECTION_OUTCOMES, *Challenge.DECISIONS)


def _check_deadline_passed(challenge, now):
    call = challenge.call
    if call is not None and call.accepts_submissions(now):
        raise ValidationError(
            _(
                "Les dépôts sont ouverts jusqu’au %(deadline)s (heure de Paris) : « %(title)s » "
                "peut encore changer. La présélection et les décisions attendent la date limite "
                "(ou la clôture des dépôts)."
            )
            % {
                "deadline": formats.date_format(
                    timezone.localtime(call.submission_deadline), "DATETIME_FORMAT"
                ),
                "title": challenge.title,
            },
            code="before_deadline",
        )


def _announce(challenge, source, to):
    if to == Challenge.Status.SUBMITTED:
        _email_editors(challenge, events.CHALLENGE_SUBMITTED, occasion="submitted")
    elif to == Challenge.Status.WITHDRAWN:
        notifications.cancel_pending_for(challenge, reason="défi retiré")
        # A withdrawn challenge is not heard: its audition is cancelled (its reminders
        # go), kept so that the next convocations carry the CANCEL to whoever got it.
        for audition in Audition.objects.filter(challenge=challenge):
            jury.cancel_audition(audition=audition)
        _email_editors(challenge, events.CHALLENGE_WITHDRAWN, occasion="withdrawn")


def challenge_link(challenge):
    """The challenge's page for its administration, as an absolute address for emails."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "challenges:challenge_edit", kwargs={"pk": challenge.pk}
    )


def _email_editors(challenge, event, occasion, context=None, attachments=()):
    context = {"challenge_url": challenge_link(challenge), **(context or {})}
    for editor in challenge.editors.all():
        notifications.queue_email(
            event=event,
            recipient=editor,
            obj=challenge,
            occasion=occasion,
            context={"challenge": challenge, **context},
            attachments=attachments,
        )


# --- Co-editing -------------------------------------------------------------------


def invite_coeditor(*, challenge, email, by):
    ensure_editable(challenge)
    email = email.strip().lower()
    # An invitation is emailed once, when it is made (see the occasion below).
    if not ChallengeInvitation.objects.filter(challenge=challenge, email=email).exists():
        limits.count_email_request(
            user=by,
            action="coeditor_invitation",
            per_day=COEDITOR_INVITATIONS_PER_DAY,
            message=_(
                "Vous avez envoyé %(limit)s invitations aujourd’hui, le maximum par jour : "
                "vous pourrez en envoyer d’autres demain."
            )
            % {"limit": COEDITOR_INVITATIONS_PER_DAY},
        )
    invitation, _created = ChallengeInvitation.objects.get_or_create(
        challenge=challenge, email=email, defaults={"invited_by": by}
    )
    notifications.queue_email(
        event=events.COEDITOR_INVITED,
        to_email=email,
        obj=invitation,
        occasion=str(invitation.created_at.date()),
        context={"invitation": invitation, "challenge": challenge, "inviter": by},
    )
    return invitation


def invitations_waiting_for(user):
    """Valid invitations addressed to the user's email, to challenges they do not edit yet."""
    return (
        ChallengeInvitation.objects.filter(
            email__iexact=user.email,
            accepted_at__isnull=True,
            created_at__gt=timezone.now() - ChallengeInvitation.VALIDITY,
        )
        .exclude(challenge__editors=user)
        .select_related("challenge")
        .order_by("-created_at")
    )


def pending_invitations(challenge):
    """Invitations not yet accepted, newest first (expired ones too: they say so)."""
    return challenge.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


@transaction.atomic
def revoke_invitation(*, invitation, by):
    """The link stops working and its email, if not sent yet, is not sent."""
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("Cette invitation a déjà été acceptée : elle ne peut plus être retirée.")
        )
    invitation.delete()


@transaction.atomic
def remove_pitch_deck(*, challenge, by):
    """The presentation goes; its file is deleted once the change is committed (eig.files)."""
    ensure_editable(challenge)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.pitch_deck:
        challenge.pitch_deck = ""
        challenge.save(update_fields=["pitch_deck"])
    return challenge


@transaction.atomic
def accept_invitation(*, invitation, by):
    """The invited colleague joins the administration and co-edits the challenge."""
    if not invitation.is_valid:
        raise PermissionDenied(_("Cette invitation a expiré ou a déjà été utilisée."))
    if by.email.lower() != invitation.email:
        raise PermissionDenied(_("Cette invitation a été envoyée à une autre adresse."))
    _make_contact(invitation.challenge.administration, by, AdministrationContact.Status.ACTIVE)
    invitation.challenge.editors.add(by)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.challenge


# --- What an administration may know ------------------------------------------------


def status_for_administration(challenge, now=None):
    """The status an administration sees: decisions only once they are public."""
    call = challenge.call
    if call is None:
        return challenge.status
    if challenge.status in Challenge.DECISIONS and not call.results_are_public(now):
        return (
            Challenge.Status.SHORTLISTED
            if call.preselection_is_public(now)
            else Challenge.Status.SUBMITTED
        )
    if challenge.status in Challenge.PRESELECTION_OUTCOMES and not call.preselection_is_public(now):
        return Challenge.Status.SUBMITTED
    return challenge.status


# --- Publication --------------------------------------------------------------------


@transaction.atomic
def publish_results(*, call, by=None, now=None):
    """Make the decisions public and tell each administration. Safe to run twice."""
    now = now or timezone.now()
    if call.published_at is None:
        call.published_at = now
        call.save(update_fields=["published_at"])
    decided = call.challenges.filter(status__in=Challenge.DECISIONS).prefetch_related("editors")
    for challenge in decided:
        _email_editors(
            challenge,
            events.DECISION_PUBLISHED,
            occasion=decision_occasion(challenge),
            context={"call": call},
        )
    return call


def decision_occasion(challenge):
    """One decision email per decision: publishing again after staff changed a decision
    (a waitlisted challenge selected) tells the administration; otherwise nothing repeats."""
    return f"decision:{challenge.status}"


def publish_due_calls(now=None):
    """Calls whose publication date has come are published (run by beat)."""
    now = now or timezone.now()
    due = CallForProjects.objects.filter(published_at__isnull=True, publication_at__lte=now)
    return [publish_results(call=call, now=now) for call in due]


@transaction.atomic
@transaction.atomic
def open_kits(*, call, by=None):
    """Members see their panel's kits from now on; each hears it, with their sessions."""
    if call.kits_opened_at is None:
        call.kits_opened_at = timezone.now()
        call.save(update_fields=["kits_opened_at"])
        jury.tell_members_kits_are_open(call=call)
    return call


# --- What a challenge delivered, and the imported history ------------------------------
# Later stages (cohorts' alumni and history import) write challenges' tables only here.


@transaction.atomic
def record_outcome(*, challenge_id, product_url, source_code_url, key_figures):
    """A completed challenge's product, open source code and key figures
    [(amount, description)], replacing the previous ones. Checked by the caller."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
    challenge.product_url, challenge.source_code_url = product_url, source_code_url
    challenge.save(update_fields=["product_url", "source_code_url"])
    replace_key_figures({challenge.pk: key_figures})
    return challenge


def replace_key_figures(figures):
    """{challenge id: [(amount, description)]}: each challenge's key figures become these, in order."""
    KeyFigure.objects.filter(challenge_id__in=list(figures)).delete()
    KeyFigure.objects.bulk_create(
        KeyFigure(challenge_id=challenge_id, position=i, amount=amount, description=description)
        for challenge_id, rows in figures.items()
        for i, (amount, description) in enumerate(rows)
    )


def import_administrations(*, existing, wanted, on_create=None):
    return imports.sync_rows(Administration, existing, wanted, on_create=on_create)


def import_challenges(*, existing, wanted):
    return imports.sync_rows(Challenge, existing, wanted)


def delete_unused_administrations(*, names):
    """The administrations of these names that nothing uses (no challenge, contact or
    juror): deleted, their names returned."""
    unused = (
        Administration.objects.filter(name__in=names)
        .filter(challenges__isnull=True, contacts__isnull=True)
        .exclude(pk__in=JuryMember.objects.values("administration"))
    )
    deleted = list(unused.values_list("name", flat=True))
    unused.delete()
    return deleted


def remove_challenge_mentors(*, ids):
    ChallengeMentor.objects.filter(pk__in=ids).delete()


def import_challenge_mentors(*, existing, wanted, on_create=None):
    return imports.sync_rows(ChallengeMentor, existing, wanted, on_create=on_create)


def set_challenge_skills(*, added, removed):
    """`added` [(challenge id, skill id)]; `removed` {challenge id: skill ids}."""
    through = Challenge.skills.through
    for challenge_id, skill_ids in removed.items():
        through.objects.filter(challenge_id=challenge_id, skill_id__in=skill_ids).delete()
    through.objects.bulk_create(
        through(challenge_id=challenge_id, skill_id=skill_id) for challenge_id, skill_id in added
    )
