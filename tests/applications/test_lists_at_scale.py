"""Staff's lists cost the same whatever the number of applications: the streamed CSV
export, the paginated ranking, the admin's list."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from applications.review import services as review
from applications.review.views import RankingView
from tests.applications.test_preselection import (
    assigned,
    preselection_call,
    staff_member,
    submitted,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _staff_client(client):
    staff = staff_member()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return client, staff


def _export(client, query=""):
    response = client.get(reverse("admin:applications_application_export_csv") + query)
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_staff_export_every_application_as_a_streamed_csv_read_as_text(client):
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    candidate = UserFactory(first_name="=HYPERLINK(1)", last_name="Durand")
    application = submitted(call, challenge, other, candidate=candidate)
    client, staff = _staff_client(client)
    assigned(application, staff)
    rows = _export(client)
    header, line = rows[0], rows[1]
    assert header[:4] == ["id", "email", "prénom", "nom"] and len(rows) == 2
    assert line[0] == str(application.pk) and line[1] == candidate.email
    assert line[2] == "'=HYPERLINK(1)"  # a formula reaches the spreadsheet as text
    assert line[8].startswith(challenge.title) and line[9].startswith(other.title)
    assert line[11] == "0"  # assigned, not yet reviewed


def test_the_export_takes_the_same_queries_for_one_or_many_applications(client):
    call = preselection_call()
    challenge, _other = call.challenges().order_by("pk")
    submitted(call, challenge)
    client, _staff = _staff_client(client)
    _export(client)
    with CaptureQueriesContext(connection) as one:
        _export(client)
    for _ in range(4):
        submitted(call, challenge)
    with CaptureQueriesContext(connection) as five:
        rows = _export(client)
    assert len(rows) == 6 and len(one) == len(five)


def test_the_export_follows_the_filters_of_the_list(client):
    call = preselection_call()
    challenge, _other = call.challenges().order_by("pk")
    kept = submitted(call, challenge)
    draft = submitted(call, challenge)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.DRAFT)
    client, _staff = _staff_client(client)
    rows = _export(client, "?status__exact=submitted")
    assert [row[0] for row in rows[1:]] == [str(kept.pk)]


def test_a_non_staff_user_gets_no_export(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:applications_application_export_csv"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_ranking_is_paginated_and_numbered_across_pages(client, monkeypatch):
    monkeypatch.setattr(RankingView, "paginate_by", 2)
    call = preselection_call()
    challenge, _other = call.challenges().order_by("pk")
    applications = [submitted(call, challenge) for _ in range(3)]
    client, _staff = _staff_client(client)
    url = reverse("applications:review_ranking", args=[challenge.pk])
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert [row.pk for row in first.context["rows"]] == [a.pk for a in applications[:2]]
    assert [row.pk for row in second.context["rows"]] == [applications[2].pk]
    assert first.context["page_obj"].paginator.num_pages == 2
    assert [row.rank for row in second.context["rows"]] == [3]
    assert review.ranking_size(challenge, reviewer=_staff) == (3, 0)


def test_the_ranking_and_the_admin_list_take_the_same_queries_for_few_or_many(client):
    call = preselection_call()
    challenge, _other = call.challenges().order_by("pk")
    submitted(call, challenge)
    client, _staff = _staff_client(client)
    urls = [
        reverse("applications:review_ranking", args=[challenge.pk]),
        reverse("admin:applications_application_changelist") + f"?call__id__exact={call.pk}",
    ]

    def count():
        counts = []
        for url in urls:
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts.append(len(queries))
        return counts

    few = count()
    for _ in range(6):
        submitted(call, challenge)
    assert count() == few


def test_the_admin_list_filters_by_the_challenges_of_the_chosen_call_and_rows_keep_the_filters(
    client,
):
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    application = submitted(call, challenge)
    client, _staff = _staff_client(client)
    query = f"?call__id__exact={call.pk}&status__exact=submitted"
    response = client.get(reverse("admin:applications_application_changelist") + query)
    assert response.status_code == 200
    by_title = {spec.title: spec for spec in response.context["cl"].filter_specs}
    offered = {title for _pk, title in by_title["défi choisi"].lookup_choices}
    assert offered == {str(challenge), str(other)}
    change = reverse("admin:applications_application_change", args=[application.pk])
    assert (
        f'href="{change}?_changelist_filters=call__id__exact%3D{call.pk}%26status__exact%3Dsubmitted"'
        in response.content.decode()
    )


def test_the_admin_shows_every_model_on_its_index_and_no_sidebar(client):
    client, _staff = _staff_client(client)
    _staff.is_superuser = True
    _staff.save(update_fields=["is_superuser"])
    index = client.get(reverse("admin:index"))
    assert reverse("admin:applications_application_changelist") in index.content.decode()
    listing = client.get(reverse("admin:applications_application_changelist"))
    assert listing.context["available_apps"] == []
    assert 'id="nav-sidebar"' not in listing.content.decode()
