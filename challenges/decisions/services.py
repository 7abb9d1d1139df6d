"""Staff qualify the submitted challenges, decide after the jury and publish: the rules.

Plain functions called by the admin's screens (`challenges.decisions.admin`); none takes
a request. Statuses move only through `services.set_challenge_status`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _

from challenges import notifications as events
from challenges import services
from challenges.models import (
    Assessment,
    Challenge,
    JuryRemark,
    PanelScore,
    SelectionCriterion,
)
from eig import notifications
from eig.models import OutboxMessage

SCORES = range(1, 6)


def weighted_mean(pairs):
    """(score, weight) pairs → the weighted mean on the grid's 1–5 scale, None without scores."""
    pairs = [(score, weight) for score, weight in pairs if score is not None]
    total_weight = sum(weight for _score, weight in pairs)
    if not total_weight:
        return None
    return sum(score * weight for score, weight in pairs) / total_weight


def _weighted_subquery(model, challenge_path, group_by):
    """The weighted mean of `model`'s scores for the outer challenge, as one subquery."""
    return Subquery(
        model.objects.filter(**{challenge_path: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(
            mean=ExpressionWrapper(
                Sum(F("score") * F("criterion__weight")) * 1.0 / Sum("criterion__weight"),
                output_field=FloatField(),
            )
        )
        .values("mean")[:1],
        output_field=FloatField(),
    )


def with_scores(challenges):
    """Challenges annotated with their qualification score (every staff assessment,
    weighted) and their panel's grid total (weighted), each one subquery."""
    return challenges.annotate(
        qualification_score=_weighted_subquery(Assessment, "challenge", "challenge"),
        panel_score=_weighted_subquery(PanelScore, "evaluation__audition__challenge", "evaluation"),
    )


# --- Qualification -------------------------------------------------------------------


def qualification_sequence(challenge):
    """The challenges of the same call that staff qualify (submitted or past it), in the
    change list's order: (previous id, next id, position, count)."""
    ids = list(
        Challenge.objects.filter(call_id=challenge.call_id)
        .exclude(status__in=[Challenge.Status.DRAFT, Challenge.Status.WITHDRAWN])
        .order_by("title", "pk")
        .values_list("pk", flat=True)
    )
    if challenge.pk not in ids:
        return None, None, None, len(ids)
    i = ids.index(challenge.pk)
    previous = ids[i - 1] if i > 0 else None
    following = ids[i + 1] if i + 1 < len(ids) else None
    return previous, following, i + 1, len(ids)


def qualification_grid(challenge, assessor):
    """Every criterion of the call's grid with the assessor's score and comment, and the
    other staff members' scores: [{criterion, score, comment, others}]."""
    criteria = list(SelectionCriterion.objects.filter(call_id=challenge.call_id))
    assessments = Assessment.objects.filter(challenge=challenge).select_related("assessor")
    own, others = {}, {}
    for assessment in assessments:
        if assessment.assessor_id == assessor.pk:
            own[assessment.criterion_id] = assessment
        else:
            others.setdefault(assessment.criterion_id, []).append(assessment)
    return [
        {
            "criterion": criterion,
            "score": own[criterion.pk].score if criterion.pk in own else None,
            "comment": own[criterion.pk].comment if criterion.pk in own else "",
            "others": others.get(criterion.pk, []),
        }
        for criterion in criteria
    ]


@transaction.atomic
def save_qualification(*, challenge, by, scores, internal_notes=None):
    """The assessor's grid: {criterion id: (score or None, comment)}. A criterion left
    without a score removes the assessor's earlier score on it; the same grid posted
    twice leaves one assessment per criterion."""
    criteria = {c.pk: c for c in SelectionCriterion.objects.filter(call_id=challenge.call_id)}
    errors = []
    for criterion_id, (score, comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(_("Ce critère n’appartient pas à la grille de l’appel."))
        elif score is None and comment.strip():
            errors.append(
                _("« %(criterion)s » : un commentaire accompagne une note de 1 à 5.")
                % {"criterion": criterion.name}
            )
        elif score is not None and score not in SCORES:
            errors.append(
                _("« %(criterion)s » : la note va de 1 à 5.") % {"criterion": criterion.name}
            )
    if errors:
        raise ValidationError(errors)
    for criterion_id, (score, comment) in scores.items():
        if score is None:
            Assessment.objects.filter(
                challenge=challenge, criterion_id=criterion_id, assessor=by
            ).delete()
        else:
            Assessment.objects.update_or_create(
                challenge=challenge,
                criterion_id=criterion_id,
                assessor=by,
                defaults={"score": score, "comment": comment.strip()},
            )
    if internal_notes is not None and internal_notes != challenge.internal_notes:
        challenge.internal_notes = internal_notes
        challenge.save(update_fields=["internal_notes"])
    return challenge


# --- Decisions -----------------------------------------------------------------------


DECIDED_OR_WAITING = (Challenge.Status.SHORTLISTED, *Challenge.DECISIONS)


def decision_rows(call):
    """The shortlisted challenges of a call, decided or not, with what staff decide on:
    the panel, its grid total and recommendation, its appreciation, the jurors' remarks.
    A fixed number of queries, whatever the number of challenges."""
    remarks = JuryRemark.objects.select_related("member__user").order_by("updated_at")
    return with_scores(
        Challenge.objects.filter(call=call, status__in=DECIDED_OR_WAITING)
        .select_related(
            "administration", "audition__panel", "audition__evaluation", "call__promotion"
        )
        .prefetch_related(Prefetch("jury_remarks", queryset=remarks))
        .order_by("audition__starts_at", "title", "pk")
    )


def has_panel_grid(challenge):
    """The panel that heard the challenge recorded its grid and recommendation."""
    audition = getattr(challenge, "audition", None)
    return audition is not None and getattr(audition, "evaluation", None) is not None


def record_decision(*, challenge, decision, reason, by, override=False):
    """Staff's decision on a shortlisted challenge, through the lifecycle.

    A challenge not selected needs a reason (the administration reads it); deciding
    for a challenge whose panel recorded no grid needs an explicit override, written
    into the status log. The reason replaces any earlier one: the administration reads
    the reason of its decision, not of its pre-selection."""
    reason = (reason or "").strip()
    if challenge.status not in DECIDED_OR_WAITING:
        raise ValidationError(
            _("Seul un défi présélectionné reçoit une décision : celui-ci est « %(status)s ».")
            % {"status": challenge.get_status_display()}
        )
    if decision not in Challenge.DECISIONS:
        raise ValidationError(_("Choisissez une décision."))
    if decision == Challenge.Status.NOT_SELECTED and not reason:
        raise ValidationError(
            _("Un défi non sélectionné reçoit un motif : l’administration le lira.")
        )
    if not has_panel_grid(challenge) and not override:
        raise ValidationError(
            _(
                "Le panel n’a pas rempli sa grille pour ce défi : cochez « décider sans "
                "grille » pour décider quand même."
            )
        )
    with transaction.atomic():
        if challenge.status != decision:
            challenge = services.set_challenge_status(
                challenge=challenge,
                to=decision,
                by=by,
                reason=reason,
                note=""
                if has_panel_grid(challenge)
                else _("Décision enregistrée sans grille du panel (dérogation de l’équipe)."),
            )
        if challenge.decision_reason != reason:
            challenge.decision_reason = reason
            challenge.save(update_fields=["decision_reason"])
    return challenge


# --- Publication ---------------------------------------------------------------------


def missing_decisions(call):
    """The shortlisted challenges still waiting for staff's decision."""
    return Challenge.objects.filter(call=call, status=Challenge.Status.SHORTLISTED).order_by(
        "title"
    )


def publication_plan(call):
    """What publishing will do: the decided challenges with their recipients, the
    administrations told, the emails queued, what is missing."""
    decided = list(
        Challenge.objects.filter(call=call, status__in=Challenge.DECISIONS)
        .select_related("administration", "promotion")
        .prefetch_related("editors")
        .order_by("status", "title")
    )
    counts = dict(
        Challenge.objects.filter(call=call, status__in=Challenge.DECISIONS)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    keys = {
        (challenge.pk, editor.email): notifications.idempotency_key(
            events.DECISION_PUBLISHED,
            challenge,
            editor.email,
            services.decision_occasion(challenge),
        )
        for challenge in decided
        for editor in challenge.editors.all()
    }
    queued = set(
        OutboxMessage.objects.filter(idempotency_key__in=keys.values()).values_list(
            "idempotency_key", flat=True
        )
    )
    for challenge in decided:
        challenge.new_recipients = [
            e for e in challenge.editors.all() if keys[(challenge.pk, e.email)] not in queued
        ]
    return {
        "decided": decided,
        "already_sent": len(queued),
        "missing": list(missing_decisions(call).select_related("administration")),
        "administrations": len({c.administration_id for c in decided}),
        "emails": len(keys) - len(queued),
        "without_editor": [c for c in decided if not c.editors.all()],
        "selected": [c for c in decided if c.status == Challenge.Status.SELECTED],
        "counts": {status: counts.get(status, 0) for status in Challenge.DECISIONS},
    }


def publish(*, call, by):
    """Publish the call's results from staff's confirmation page: refused while a
    shortlisted challenge waits for its decision. Safe to post twice."""
    missing = list(missing_decisions(call).values_list("title", flat=True))
    if missing:
        raise ValidationError(
            _("Décision manquante pour : %(titles)s.") % {"titles": ", ".join(missing)}
        )
    return services.publish_results(call=call, by=by)


def sample_email(call, decided):
    """The decision email of the first decided challenge, as its first editor will read it."""
    for challenge in decided:
        for editor in challenge.editors.all():
            subject, text, _html = notifications.render_email(
                events.DECISION_PUBLISHED,
                {"challenge": challenge, "call": call, "recipient": editor},
                editor.preferred_language,
            )
            return {"to": editor.email, "subject": subject, "text": text}
    return None


def decision_for_administration(challenge, now=None):
    """The decision and its reason as the administration may read them: None until the
    call's results are public (the pages of the administration show this)."""
    status = services.status_for_administration(challenge, now)
    if status not in (*Challenge.DECISIONS, Challenge.Status.DECLINED):
        return None
    return {
        "status": status,
        "label": Challenge.Status(status).label,
        "reason": challenge.decision_reason,
    }


def decided_count(call):
    return Challenge.objects.filter(call=call).aggregate(
        decided=Count("pk", filter=Q(status__in=Challenge.DECISIONS)),
        waiting=Count("pk", filter=Q(status=Challenge.Status.SHORTLISTED)),
    )
