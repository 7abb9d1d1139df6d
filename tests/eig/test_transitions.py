"""eig/transitions.py: the one mechanism that moves every state machine of the programme."""

import pytest
from django.core.exceptions import PermissionDenied

from applications import services
from applications.models import (
    Application,
    ApplicationTransition,
    Choice,
    ChoiceTransition,
    Offer,
)
from challenges.models import Challenge
from eig import transitions
from tests.applications.test_applying import complete, eligible_start
from tests.factories import UserFactory, call_for_applications

pytestmark = pytest.mark.django_db


def test_who_submitted_and_who_withdrew_an_application_is_recorded():
    call = call_for_applications()
    application = eligible_start(call)
    complete(application)
    candidate = application.candidate

    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=candidate
    )
    services.set_application_status(
        application=application, to=Application.Status.WITHDRAWN, by=candidate, reason="autre poste"
    )

    log = application.transitions.values_list("source", "target", "by", "reason")
    assert list(log) == [
        ("draft", "submitted", candidate.pk, ""),
        ("submitted", "withdrawn", candidate.pk, "autre poste"),
    ]


def test_a_withdrawn_application_cannot_be_submitted_and_nothing_is_logged():
    call = call_for_applications()
    application = eligible_start(call)
    services.set_application_status(
        application=application, to=Application.Status.WITHDRAWN, by=application.candidate
    )

    with pytest.raises(PermissionDenied, match="retirée"):
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=application.candidate
        )

    assert ApplicationTransition.objects.filter(application=application).count() == 1


def test_a_move_the_model_does_not_declare_is_refused_before_anything_is_saved():
    call = call_for_applications()
    application = eligible_start(call)
    complete(application)
    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=None
    )
    choice = application.choices.first()  # pending: never shortlisted, so never selected
    staff = UserFactory(is_staff=True)

    with pytest.raises(transitions.MoveRefused, match="ne peut pas passer"):
        services.set_choice_status(choice=choice, to=Choice.Status.SELECTED, by=staff)

    choice.refresh_from_db()
    assert choice.status == Choice.Status.PENDING
    assert not ChoiceTransition.objects.exists()


@pytest.mark.parametrize("model", [Challenge, Application, Choice, Offer])
def test_each_state_machine_declares_its_moves_on_its_model(model):
    declared = transitions.moves(model)

    assert declared, f"{model.__name__} declares no move"
    targets = {target for targets in declared.values() for target in targets}
    assert targets <= set(model.Status.values)
