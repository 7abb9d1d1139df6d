"""Staff see the funnel of a call and export applications; data is not kept forever."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications import funnel, retention, services
from applications.models import Application, Choice
from tests.applications.test_applying import complete, eligible_start
from tests.factories import call_for_applications

pytestmark = pytest.mark.django_db


def submitted_application(call):
    application = complete(eligible_start(call))
    return services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=None
    )


def test_the_funnel_counts_each_stage_by_challenge_and_by_profile():
    call = call_for_applications()
    first = submitted_application(call)
    submitted_application(call)
    services.set_choice_status(
        choice=first.choices.get(rank=1), to=Choice.Status.SHORTLISTED, by=None
    )
    rows = {row["challenge__title"]: row for row in funnel.by_challenge(call)}
    assert sum(row["submitted"] for row in rows.values()) == 4  # two applications, two choices each
    assert sum(row["preselected"] for row in rows.values()) == 1
    (profile_row,) = funnel.by_profile(call)
    assert (profile_row["submitted"], profile_row["preselected"]) == (2, 1)


def test_staff_open_the_funnel_and_export_applications_as_text(client_as):
    client = client_as("staff")
    call = call_for_applications()
    application = submitted_application(call)
    application.motivation = "=2+3 et <b>gras</b>"
    application.save()
    assert (
        client.get(
            reverse("admin:applications_callforapplications_funnel", args=[call.pk])
        ).status_code
        == 200
    )
    response = client.post(
        reverse("admin:applications_application_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"applicationresource_{f}": "on" for f in ["id", "email", "first_choice"]},
        },
    )
    assert response.status_code == 200
    assert application.candidate.email in response.content.decode()


def test_files_of_people_not_selected_are_anonymised_three_months_after_the_call(
    django_capture_on_commit_callbacks,
):
    call = call_for_applications()
    kept = submitted_application(call)
    kept.talent_pool_consent = True
    kept.save()
    gone = submitted_application(call)
    cv_path = gone.cv.path
    later = call.deadline + timedelta(days=92)
    assert (
        retention.purge_expired_applications(now=call.deadline + timedelta(days=30)).applications
        == []
    )
    dry = retention.purge_expired_applications(now=later, dry_run=True)
    assert [a.pk for a in dry.applications] == [gone.pk]
    gone.refresh_from_db()
    assert gone.anonymised_at is None
    with django_capture_on_commit_callbacks(execute=True):  # the CV goes on commit
        retention.purge_expired_applications(now=later)
    gone.refresh_from_db()
    assert gone.anonymised_at is not None and gone.motivation == "" and not gone.cv
    assert not __import__("os").path.exists(cv_path)
    assert all(c.motivation == "" for c in gone.choices.all())
    kept.refresh_from_db()
    assert kept.anonymised_at is None


def test_the_purge_command_has_a_dry_run(capsys):
    call_command("purge_applications", "--dry-run")
    assert "seraient anonymisées" in capsys.readouterr().out


def test_draft_applications_are_reminded_before_the_deadline():
    from eig import reminders

    call = call_for_applications()
    eligible_start(call)
    assert reminders.sweep(now=call.deadline - timedelta(days=7))[0] == 1
    assert reminders.sweep(now=call.deadline - timedelta(days=7))[0] == 0
