"""Staff export the challenges as the admin's list shows them: its filters, human headers
in the interface language, real numbers, what staff need to run the call."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from challenges.decisions import services as decisions
from challenges.models import AdministrationContact, Assessment, Challenge
from tests.challenges.test_staff_decisions import heard, submitted
from tests.factories import ChallengeFactory, UserFactory, call_for_projects

pytestmark = pytest.mark.django_db


def export(client, fmt, **filters):
    url = reverse("admin:challenges_challenge_export_list", args=[fmt])
    response = client.get(url, filters)
    assert response.status_code == 200
    return response


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_follows_the_lists_filter(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    ours = submitted(call, 3)
    ChallengeFactory.create_batch(4)  # the history, and other promotions
    submitted(call_for_projects(phase="deliberation"), 2)
    rows = xlsx_rows(export(client, "xlsx", call__id__exact=call.pk))
    assert sorted(row[0] for row in rows[1:]) == sorted(c.pk for c in ours)
    text = export(client, "csv", call__id__exact=call.pk, q=ours[0].title).content.decode()
    assert len(list(csv.reader(io.StringIO(text)))) == 2


def test_the_change_list_links_carry_its_filters(client_as):
    client = client_as("staff")
    call = call_for_projects()
    page = client.get(
        reverse("admin:challenges_challenge_changelist"), {"call__id__exact": call.pk}
    ).content.decode()
    url = reverse("admin:challenges_challenge_export_list", args=["xlsx"])
    assert f"{url}?call__id__exact={call.pk}" in page


def test_the_headers_are_human_and_follow_the_interface_language(client_as):
    client = client_as("staff")
    submitted(call_for_projects(), 1)
    french = xlsx_rows(export(client, "xlsx"))[0]
    assert "titre" in french and "motif de la décision" in french
    assert "décision" in french and "mentor stratégique" in french
    client.cookies["django_language"] = "en"
    english = next(csv.reader(io.StringIO(export(client, "csv").content.decode())))
    assert "title" in english and "reason for the decision" in english


def test_numbers_and_dates_are_cells_of_their_type_in_xlsx(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    Challenge.objects.filter(pk=challenge.pk).update(submitted_at=call.submission_deadline)
    staff = UserFactory(is_staff=True)
    for criterion in call.criteria.all():
        Assessment.objects.create(challenge=challenge, criterion=criterion, assessor=staff, score=3)
    heard(call, [challenge])
    header, row = xlsx_rows(export(client, "xlsx"))
    line = dict(zip(header, row, strict=True))
    assert line["numéro"] == challenge.pk
    assert line["taille de l'équipe"] == 2 and isinstance(line["taille de l'équipe"], int)
    assert line["note de qualification (sur 5)"] == pytest.approx(3.0)
    assert line["note du panel (sur 5)"] == pytest.approx(4.0)
    assert isinstance(line["déposé le (heure de Paris)"], datetime)


def test_the_export_holds_the_file_mentors_contacts_scores_decision_and_reason(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    contact = UserFactory(first_name="Sacha", last_name="Bernard")
    AdministrationContact.objects.create(
        administration=challenge.administration, user=contact, job_title="Cheffe de projet"
    )
    heard(call, [challenge], recommendation="not_select")
    decisions.record_decision(
        challenge=challenge,
        decision="not_selected",
        reason="Les données ne sont pas prêtes.",
        by=UserFactory(is_staff=True),
    )
    header, row = xlsx_rows(export(client, "xlsx"))
    line = dict(zip(header, row, strict=True))
    assert line["le problème public"] == challenge.problem
    assert line["les données"] == challenge.data_description
    assert "mentor0." in line["mentors opérationnels"]
    assert "mentor1." in line["mentor stratégique"]
    assert challenge.editors.get().email in line["rédacteurs du défi"]
    assert "Sacha Bernard" in line["contacts de l'administration"]
    assert line["recommandation du panel"] == "ne pas sélectionner"
    assert line["décision"] == "non sélectionné"
    assert line["motif de la décision"] == "Les données ne sont pas prêtes."


def test_ticked_challenges_export_from_an_action(client_as):
    client = client_as("staff")
    first, _second = submitted(call_for_projects(), 2)
    response = client.post(
        reverse("admin:challenges_challenge_changelist"),
        {"action": "export_ticked_xlsx", "_selected_action": [first.pk]},
    )
    assert [row[0] for row in xlsx_rows(response)[1:]] == [first.pk]


def queries_of_export(client):
    with CaptureQueriesContext(connection) as queries:
        export(client, "xlsx")
    return len(queries)


def test_the_export_takes_the_same_queries_for_5_and_50_challenges(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    heard(call, submitted(call, 5, status=Challenge.Status.SHORTLISTED))
    few = queries_of_export(client)
    heard(call, submitted(call, 45, status=Challenge.Status.SHORTLISTED))
    assert queries_of_export(client) == few
