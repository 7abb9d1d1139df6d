"""The call's dates in the admin: each one out of order named in a sentence, interviews
after pre-selection; staff extend the deadline in one confirmed action that tells the
candidates with a draft."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from applications import notifications_call as events
from applications import services_call
from applications.models import Application, CallForApplications
from eig.models import OutboxMessage
from tests.factories import UserFactory, call_for_applications

pytestmark = pytest.mark.django_db


def staff():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def admin_form(call, **changes):
    """The call's change form in the admin, posted with `changes`."""
    request = RequestFactory().post("/")
    request.user = staff()
    model_admin = admin.site._registry[CallForApplications]
    form_class = model_admin.get_form(request, call, change=True)
    data = {}
    for name, value in {**model_to_dict(call), **changes}.items():
        if isinstance(value, datetime):  # the admin splits a moment into a day and a time
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), f"{local:%H:%M:%S}"
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    return form_class(data=data, instance=call)


def test_interviews_before_the_end_of_preselection_are_refused_with_a_sentence():
    call = call_for_applications(phase="open")
    too_early = timezone.localdate(call.preselection_ends_at) - timedelta(days=1)
    call.interviews_start_on = too_early

    with pytest.raises(ValidationError) as refused:
        call.full_clean()

    [message] = refused.value.message_dict["interviews_start_on"]
    assert message.startswith("La date « premier jour d'entretiens » (")
    assert "ne peut pas précéder « fin de la présélection »" in message
    assert "dates_in_order" not in str(refused.value)


def test_the_admin_names_the_wrong_date_not_the_constraint():
    call = call_for_applications(phase="open")
    form = admin_form(call, deadline=call.opens_at - timedelta(days=1))

    assert not form.is_valid()
    errors = str(form.errors)
    assert "call_for_applications_dates_in_order" not in errors
    assert "La date « date limite de candidature » (" in str(form.errors["deadline"])
    assert "doit venir après « ouverture »" in str(form.errors["deadline"])


def test_results_come_after_the_last_interview_day():
    call = call_for_applications(phase="open")
    form = admin_form(
        call,
        interviews_end_on=timezone.localdate(call.publication_at) + timedelta(days=2),
    )
    assert not form.is_valid()
    assert "« publication des résultats »" in str(form.errors["publication_at"])


def test_dates_in_order_pass():
    call = call_for_applications(phase="open")
    assert admin_form(call).is_valid(), admin_form(call).errors


def applications_of(call):
    draft = Application.objects.create(call=call, candidate=UserFactory())
    other_draft = Application.objects.create(call=call, candidate=UserFactory())
    sent = Application.objects.create(
        call=call, candidate=UserFactory(), status=Application.Status.SUBMITTED
    )
    return draft, other_draft, sent


def test_staff_extend_the_deadline_in_one_confirmed_action_and_drafts_are_told(client):
    call = call_for_applications(phase="open")
    draft, other_draft, sent = applications_of(call)
    client.force_login(staff(), backend="django.contrib.auth.backends.ModelBackend")
    changelist = reverse("admin:applications_callforapplications_changelist")
    chosen = {"action": "extend_deadline", "_selected_action": [call.pk]}

    page = client.post(changelist, chosen)
    assert page.status_code == 200
    assert "2 candidatures sont en brouillon" in page.text
    assert CallForApplications.objects.get(pk=call.pk).deadline == call.deadline  # not yet

    new_deadline = timezone.localtime(call.deadline + timedelta(days=3)).replace(
        second=0, microsecond=0
    )
    done = client.post(
        changelist,
        {**chosen, "apply": "1", "new_deadline": new_deadline.strftime("%Y-%m-%dT%H:%M")},
    )

    assert done.status_code == 302
    call.refresh_from_db()
    assert call.deadline == new_deadline
    told = OutboxMessage.objects.filter(event=events.DEADLINE_EXTENDED.code)
    assert sorted(told.values_list("to_email", flat=True)) == sorted(
        [draft.candidate.email, other_draft.candidate.email]
    )
    assert all(new_deadline.strftime("%H:%M") in row.body_text for row in told)
    history = call.history.order_by("-history_date").first()
    assert history.history_change_reason.startswith("Date limite prolongée du ")

    # The same confirmation posted twice tells nobody twice (and says why).
    again = client.post(
        changelist,
        {**chosen, "apply": "1", "new_deadline": new_deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert again.status_code == 200 and "doit venir après l&#x27;actuelle" in again.text
    assert told.count() == 2


def test_a_deadline_past_the_end_of_preselection_is_refused_naming_both_dates():
    call = call_for_applications(phase="open")
    applications_of(call)
    with pytest.raises(ValidationError) as refused:
        services_call.extend_deadline(
            call=call, new_deadline=call.preselection_ends_at + timedelta(days=1), by=staff()
        )
    assert "ne peut pas précéder « date limite de candidature »" in " ".join(refused.value.messages)
    assert not OutboxMessage.objects.filter(event=events.DEADLINE_EXTENDED.code).exists()
