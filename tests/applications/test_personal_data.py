"""Personal data: erasure and retention reach every copy of what describes a
candidate (interview slot, conflicts, reviews, outbox, history tables); the
outbox keeps an email's text three months; the candidate confirms an erasure,
is told by email, and reads what is kept and why."""

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.core import mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import registered_models

from applications import notifications as events
from applications import retention
from applications.candidate import services as services_candidate
from applications.interviews import services as interviews
from applications.models import (
    Application,
    CallForApplications,
    InterviewScore,
    InterviewSlot,
    Review,
    ReviewConflict,
    ReviewCriterion,
    ReviewScore,
)
from challenges.models import CallForProjects, SelectionCriterion
from cohorts.models import HandbookPage
from eig import notifications
from eig import retention as eig_retention
from eig.models import FaqEntry, OutboxMessage
from mentoring.models import WeeklyUpdate
from tests.applications.test_interviews import applicant, interview_call, slot_for, staff_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOVE_REASON = "Le mariage de ma sœur Albertine Quenouille ce jour-là"
APPRAISAL = "Camille Durand a convaincu le jury par sa connaissance du terrain"
CONFLICT = "Camille Durand est ma cousine germaine"
REVIEW = "Dossier solide de Camille Durand"
TRACES = (MOVE_REASON, APPRAISAL, CONFLICT, REVIEW, "Albertine", "Camille")


def interviewed_candidate():
    """A shortlisted candidate booked for an interview, about whom staff, a reviewer
    and the jury have written; the move request has emailed staff."""
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    staff_user()  # who is told of a move request
    candidate = UserFactory(first_name="Camille", last_name="Durand")
    application, [choice, _] = applicant(call, [first, second], candidate=candidate)
    slot = slot_for(call, first, 10)
    InterviewSlot.objects.filter(pk=slot.pk).update(choice=choice)
    interviews.request_move(choice=choice, reason=MOVE_REASON)
    InterviewSlot.objects.filter(pk=slot.pk).update(
        recommendation="select", recommendation_comment=APPRAISAL
    )
    criterion = ReviewCriterion.objects.create(call=call, name="Motivation", weight=1)
    member = slot.jury.get()
    InterviewScore.objects.create(slot=slot, member=member, criterion=criterion, score=4)
    review = Review.objects.create(
        application=application, reviewer=member, comment=REVIEW, weighted_score=4
    )
    ReviewScore.objects.create(review=review, criterion=criterion, score=4)
    ReviewConflict.objects.create(application=application, reviewer=UserFactory(), reason=CONFLICT)
    LogEntry.objects.log_actions(
        user_id=member.pk, queryset=[application], action_flag=CHANGE, change_message="Motivation"
    )
    return application, slot


def outbox_rows_mentioning(*texts):
    match = Q(pk__in=[])
    for text in texts:
        for field in ("subject", "body_text", "body_html"):
            match |= Q(**{f"{field}__icontains": text})
    return OutboxMessage.objects.filter(match)


def assert_nothing_written_about_the_candidate_remains(application, slot):
    slot.refresh_from_db()
    assert (slot.move_requested, slot.recommendation_comment) == ("", "")
    assert list(ReviewConflict.objects.filter(application=application).values_list("reason")) == [
        ("",)
    ]
    assert list(Review.objects.filter(application=application).values_list("comment")) == [("",)]
    assert not outbox_rows_mentioning(*TRACES).exclude(event=events.ERASURE_DONE.code).exists()
    assert not LogEntry.objects.filter(object_repr__icontains="Durand").exists()


def test_the_move_request_and_the_admin_log_name_the_candidate_before_any_erasure():
    interviewed_candidate()
    assert outbox_rows_mentioning(MOVE_REASON).exists()
    assert LogEntry.objects.filter(object_repr__icontains="Durand").exists()


def test_retention_erases_the_interview_texts_the_conflicts_and_the_emails_about_the_candidate(
    django_capture_on_commit_callbacks,
):
    application, slot = interviewed_candidate()
    cv = application.cv
    later = application.call.deadline + retention.RETENTION + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        purge = retention.purge_expired_applications(now=later)
    assert application in purge.applications
    assert_nothing_written_about_the_candidate_remains(application, slot)
    assert not cv.storage.exists(cv.name)
    assert InterviewScore.objects.filter(slot=slot).count() == 1, "scores are kept"
    assert ReviewScore.objects.filter(review__application=application).count() == 1


def test_the_candidates_erasure_erases_every_copy_and_the_confirmation_email_survives_it(
    client, eager_celery, django_capture_on_commit_callbacks
):
    application, slot = interviewed_candidate()
    candidate = application.candidate
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:candidate_erasure"), {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN and application.anonymised_at
    assert_nothing_written_about_the_candidate_remains(application, slot)

    confirmation = OutboxMessage.objects.get(event=events.ERASURE_DONE.code)
    assert confirmation.to_email == candidate.email
    assert confirmation.status == OutboxMessage.Status.SENT
    assert str(application.call) in confirmation.body_text
    [sent] = [m for m in mail.outbox if m.to == [candidate.email]]
    assert sent.subject == "Vos données de candidature au programme EIG sont effacées"
    assert "notes chiffrées des relecteurs et du jury" in sent.body


def test_an_erasure_must_be_confirmed(client):
    application, _ = interviewed_candidate()
    client.force_login(application.candidate, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("applications:candidate_erasure"), {})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer l’effacement." in response.content.decode()
    application.refresh_from_db()
    assert application.anonymised_at is None and application.cv and application.motivation
    assert application.status == Application.Status.SUBMITTED
    assert not OutboxMessage.objects.filter(event=events.ERASURE_DONE.code).exists()


def test_the_erasure_page_says_what_is_kept_and_why(client):
    application, _ = interviewed_candidate()
    client.force_login(application.candidate, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("applications:candidate_erasure")).content.decode()
    assert "Ce qui reste, et pourquoi" in page
    assert "les notes chiffrées des relecteurs et du jury (sans commentaire)" in page
    assert "l’appréciation écrite du jury d’entretien" in page
    assert 'name="confirm"' in page


def test_the_erasure_email_is_decided_after_the_erasure_of_the_emails_about_the_application():
    application, _ = interviewed_candidate()
    services_candidate.request_erasure(user=application.candidate)
    confirmation = OutboxMessage.objects.get(event=events.ERASURE_DONE.code)
    assert confirmation.status == OutboxMessage.Status.PENDING
    assert "Restent, sans texte ni CV" in confirmation.body_text


def test_the_outbox_keeps_an_emails_text_three_months_then_only_its_trace():
    now = timezone.now()

    def row(key, status, age):
        return OutboxMessage.objects.create(
            event="applications.application_submitted",
            idempotency_key=key,
            to_email="camille@exemple.fr",
            subject="Votre candidature, Camille",
            body_text="Bonjour Camille Durand",
            body_html="<p>Bonjour Camille Durand</p>",
            status=status,
            created_at=now - age,
        )

    old_sent = row("old-sent", OutboxMessage.Status.SENT, timedelta(days=92))
    old_failed = row("old-failed", OutboxMessage.Status.FAILED, timedelta(days=120))
    recent = row("recent", OutboxMessage.Status.SENT, timedelta(days=90))
    waiting = row("waiting", OutboxMessage.Status.PENDING, timedelta(days=92))

    purge = retention.purge_expired_applications(now=now)

    assert purge.traces.outbox_bodies == 2
    for message in (old_sent, old_failed):
        message.refresh_from_db()
        assert (message.subject, message.body_text, message.body_html) == ("", "", "")
        assert message.to_email and message.idempotency_key, "the trace stays: nothing resent"
    for message in (recent, waiting):
        message.refresh_from_db()
        assert message.body_text == "Bonjour Camille Durand"


def test_every_history_table_holds_no_candidate_data_or_is_erased():
    """A model tracked by django-simple-history copies its rows: tracking a model that
    holds a candidate's data must come with its erasure (retention._erase_copies does
    it for the application and what hangs on it) and a line in docs/personal-data.md."""
    tracked = set(registered_models.values())
    # The FAQ and the handbook are staff's texts; a weekly update is an EIG's, kept with
    # the promotion (docs/personal-data.md), never a candidate's.
    without_candidate_data = {
        CallForApplications,
        CallForProjects,
        SelectionCriterion,
        FaqEntry,
        HandbookPage,
        WeeklyUpdate,
    }
    assert tracked <= without_candidate_data | retention.ERASED_WITH_THE_APPLICATION


def test_the_retention_job_deletes_connection_logs_after_six_months_and_expired_sessions():
    now = timezone.now()
    old, recent = (
        AccessLog.objects.create(
            username="camille@exemple.fr", ip_address="192.0.2.7", user_agent="Firefox"
        )
        for _ in range(2)
    )
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=now - eig_retention.LOGIN_TRACES_RETENTION - timedelta(days=1)
    )
    Session.objects.create(session_key="x" * 40, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="y" * 40, session_data="", expire_date=now + timedelta(1))

    purge = retention.purge_expired_applications(now=now)

    assert (purge.traces.login_records, purge.traces.sessions) == (1, 1)
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 40]


def test_an_email_whose_text_was_erased_cannot_be_sent_again():
    application, slot = interviewed_candidate()
    retention.anonymise(application)
    erased = OutboxMessage.objects.filter(
        content_type__model="interviewslot", object_id=str(slot.pk)
    ).first()
    assert erased.status == OutboxMessage.Status.CANCELLED and erased.body_text == ""
    notifications.resend(erased)
    erased.refresh_from_db()
    assert erased.status == OutboxMessage.Status.CANCELLED
