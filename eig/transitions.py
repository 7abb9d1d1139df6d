"""One way to move anything that has a status: challenges, applications, choices, offers.

Each model declares its moves with django-fsm (`@transition`) and keeps a log
model (`eig.models.StatusLog`); each stage has one function per state machine
(`set_challenge_status`, `set_application_status`, `set_choice_status`,
`set_offer_status`) that locks the row, checks what the move needs, calls
`move` here and queues its emails (the outbox sends them on commit). `move` is
the only code that changes a status: it refuses a move the model does not
declare, saves with `update_fields` and writes who, when and why.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MoveRefused(ValidationError):
    """The state machine has no move from the current status to the one asked."""


def move(obj, *, to, by, log, reason="", fields=(), refusal=None):
    """Run the declared transition of `obj` to `to`, save it and log it. Returns the source.

    Call it inside the transaction that holds the row's lock. `fields` are the
    other columns the transition method sets (e.g. `submitted_at`); `refusal`
    is the message shown when the move is not allowed, with %(source)s and
    %(target)s.
    """
    status = type(obj).Status
    source = obj.status
    declared = next((t for t in obj.get_available_status_transitions() if t.target == to), None)
    if declared is None:
        message = refusal or _("Le statut « %(source)s » ne peut pas passer à « %(target)s ».")
        raise MoveRefused(message % {"source": status(source).label, "target": status(to).label})
    getattr(obj, declared.name)()
    obj.save(update_fields=["status", *fields])
    log.objects.create(**{log.subject: obj}, source=source, target=to, by=by, reason=reason)
    return source


def moves(model):
    """The moves a model declares, source → targets: for screens that offer only what is allowed."""
    declared = {}
    for t in model._meta.get_field("status").get_all_transitions(model):
        declared.setdefault(t.source, set()).add(t.target)
    return declared
