"""A pre-selection rejection can be taken back by staff until the results are published:
confirmed on its own page, logged through the choice's transition."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Choice, ChoiceTransition
from applications.review import services as review
from tests.applications.test_preselection import (
    logged_in,
    mentor_of,
    preselection_call,
    staff_member,
    submitted,
)

pytestmark = pytest.mark.django_db


def rejected_choice():
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge)
    choice = application.choices.get()
    review.reject_at_preselection(choice=choice, by=staff_member())
    return call, challenge, Choice.objects.get(pk=choice.pk)


def test_staff_undo_a_rejection_after_a_confirmation_page_and_it_is_logged(client):
    call, challenge, choice = rejected_choice()
    staff = staff_member()
    client = logged_in(client, staff)
    url = reverse("applications:review_undo_rejection", args=[choice.pk])

    ranking = client.get(reverse("applications:review_ranking", args=[challenge.pk]))
    assert url in ranking.text

    page = client.get(url)
    assert page.status_code == 200
    assert "redeviendra « en cours d’examen »" in page.text
    assert (
        Choice.objects.get(pk=choice.pk).status == Choice.Status.NOT_SHORTLISTED
    )  # GET changes nothing

    response = client.post(url, {"reason": "Dossier relu : le refus était une erreur."})
    assert response.status_code == 302
    assert response.url == reverse("applications:review_ranking", args=[challenge.pk])
    assert Choice.objects.get(pk=choice.pk).status == Choice.Status.PENDING
    log = ChoiceTransition.objects.filter(choice=choice).order_by("at", "pk").last()
    assert (log.source, log.target, log.by, log.reason) == (
        Choice.Status.NOT_SHORTLISTED,
        Choice.Status.PENDING,
        staff,
        "Dossier relu : le refus était une erreur.",
    )

    # A second submit (double click, back button) takes nothing back twice.
    client.post(url, {})
    assert ChoiceTransition.objects.filter(choice=choice, target=Choice.Status.PENDING).count() == 1


def test_a_rejection_no_longer_undoes_once_the_results_are_published(client):
    call, challenge, choice = rejected_choice()
    call.published_at = call.publication_at
    call.save(update_fields=["published_at"])
    staff = staff_member()

    with pytest.raises(ValidationError):
        review.undo_preselection_rejection(choice=choice, by=staff)

    client = logged_in(client, staff)
    url = reverse("applications:review_undo_rejection", args=[choice.pk])
    assert "ne s’annule plus" in client.get(url).text
    assert url not in client.get(reverse("applications:review_ranking", args=[challenge.pk])).text
    client.post(url, {})
    assert Choice.objects.get(pk=choice.pk).status == Choice.Status.NOT_SHORTLISTED


def test_only_staff_undo_a_rejection(client):
    call, challenge, choice = rejected_choice()
    mentor = mentor_of(challenge)
    url = reverse("applications:review_undo_rejection", args=[choice.pk])
    assert logged_in(client, mentor).post(url, {}).status_code == 404
    assert Choice.objects.get(pk=choice.pk).status == Choice.Status.NOT_SHORTLISTED
