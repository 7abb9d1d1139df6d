"""Staff qualify submitted challenges in the admin: filter, score, shortlist, export."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges import services
from challenges.models import Assessment, Challenge, ChallengeTransition
from tests.factories import DraftChallengeFactory, UserFactory, call_for_projects

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:challenges_challenge_changelist")


def submitted_challenges(call, count, **fields):
    editor = UserFactory()
    challenges = DraftChallengeFactory.create_batch(count, call=call, **fields)
    for challenge in challenges:
        challenge.editors.add(editor)
        services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    return challenges


def close_submissions(call):
    call.closed_at = timezone.now()
    call.save()


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_staff_list_runs_the_same_queries_for_5_and_100_challenges(client_as):
    client = client_as("staff")
    call = call_for_projects()
    submitted_challenges(call, 5)
    with_five = queries_for(client, CHANGELIST, status="submitted")
    submitted_challenges(call, 95)
    assert queries_for(client, CHANGELIST, status="submitted") == with_five


def test_staff_filter_and_search_submitted_challenges(client_as):
    client = client_as("staff")
    call = call_for_projects()
    submitted_challenges(call, 2, location="Lyon (69001)")
    DraftChallengeFactory(call=call, title="Brouillon")
    response = client.get(CHANGELIST, {"status": "submitted", "q": "Lyon"})
    assert response.context["cl"].result_count == 2


def test_shortlisting_with_a_reason_goes_through_the_lifecycle_and_is_logged(client_as):
    client = client_as("staff")
    call = call_for_projects()
    challenge = submitted_challenges(call, 1)[0]
    close_submissions(call)
    ask = client.post(
        CHANGELIST, {"action": "move_to_declined", "_selected_action": [challenge.pk]}
    )
    assert ask.status_code == 200 and "Motif" in ask.content.decode()
    client.post(
        CHANGELIST,
        {
            "action": "move_to_declined",
            "_selected_action": [challenge.pk],
            "apply": "1",
            "reason": "Pas de données",
        },
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DECLINED
    assert challenge.decision_reason == "Pas de données"
    assert (
        ChallengeTransition.objects.filter(challenge=challenge, target="declined").get().by.is_staff
    )


def test_an_impossible_bulk_move_is_reported_not_applied(client_as):
    client = client_as("staff")
    challenge = DraftChallengeFactory(call=call_for_projects())
    client.post(
        CHANGELIST, {"action": "move_to_selected", "_selected_action": [challenge.pk], "apply": "1"}
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_the_weighted_score_comes_from_the_criteria_weights(client_as):
    client = client_as("staff")
    call = call_for_projects()
    challenge = submitted_challenges(call, 1)[0]
    staff = UserFactory(is_staff=True)
    need, scope = call.criteria.all()[:2]  # weights 3 and 2
    Assessment.objects.create(challenge=challenge, criterion=need, assessor=staff, score=5)
    Assessment.objects.create(challenge=challenge, criterion=scope, assessor=staff, score=0 + 2)
    listed = client.get(CHANGELIST).context["cl"].result_list[0]
    assert listed.weighted_score == pytest.approx((5 * 3 + 2 * 2) / 5)


def test_exports_keep_text_as_text(client_as):
    client = client_as("staff")
    challenge = submitted_challenges(call_for_projects(), 1, title='=HYPERLINK("http://x","clic")')[
        0
    ]
    response = client.get(reverse("admin:challenges_challenge_export_list", args=["csv"]))
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    assert "'=HYPERLINK" in body
    assert str(challenge.pk) in body


def test_html_in_a_challenge_title_is_escaped_in_the_admin(client_as):
    client = client_as("staff")
    submitted_challenges(call_for_projects(), 1, title="<script>alert(1)</script>")
    html = client.get(CHANGELIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
