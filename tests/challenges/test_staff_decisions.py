"""Staff qualify each challenge beside its file, decide after the jury from one table, and
publish through a confirmation page that says what will happen."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.decisions import services as decisions
from challenges.models import (
    Assessment,
    Audition,
    Challenge,
    ChallengeTransition,
    JuryMember,
    JuryPanel,
    JuryRemark,
    PanelEvaluation,
    PanelScore,
)
from eig.models import OutboxMessage, Role
from tests.conftest import MATRIX_ROLES, make_user
from tests.factories import DraftChallengeFactory, UserFactory, call_for_projects

pytestmark = pytest.mark.django_db


def qualification_url(challenge):
    return reverse("admin:challenges_challenge_qualification", args=[challenge.pk])


def decisions_url(call):
    return reverse("admin:challenges_callforprojects_decisions", args=[call.pk])


def publication_url(call):
    return reverse("admin:challenges_callforprojects_publication", args=[call.pk])


def submitted(call, count, status=Challenge.Status.SUBMITTED):
    """`count` challenges of the call, each with its editor, in `status`."""
    challenges, start = [], Challenge.objects.count()
    for n in range(start, start + count):
        challenge = DraftChallengeFactory(call=call, title=f"Défi {n:03d}")
        challenge.editors.add(UserFactory())
        challenges.append(challenge)
    Challenge.objects.filter(pk__in=[c.pk for c in challenges]).update(status=status)
    for challenge in challenges:
        challenge.refresh_from_db()
    return challenges


def heard(call, challenges, *, grid=True, recommendation="select"):
    """Each challenge heard by a panel of the call, its grid recorded when `grid`."""
    index = JuryPanel.objects.filter(call=call).count()
    panel = JuryPanel.objects.create(call=call, name=f"Panel {index + 1}")
    member = JuryMember.objects.create(
        call=call, user=UserFactory(first_name="Alex"), profile="alumni", panel=panel
    )
    panel.lead = member
    panel.save()
    # Two panels sit in parallel, each a morning or an afternoon, over the jury's days.
    day = call.jury_starts_on + timedelta(days=index // 4)
    start = timezone.make_aware(datetime.combine(day, time(9 if index // 2 % 2 == 0 else 14)))
    for n, challenge in enumerate(challenges):
        audition = Audition.objects.create(
            panel=panel, challenge=challenge, starts_at=start + n * Audition.LENGTH
        )
        JuryRemark.objects.create(member=member, challenge=challenge, text="Données riches.")
        if grid:
            evaluation = PanelEvaluation.objects.create(
                audition=audition,
                recommendation=recommendation,
                comment="Un besoin porté par la direction.",
                recorded_by=member,
            )
            PanelScore.objects.bulk_create(
                PanelScore(evaluation=evaluation, criterion=criterion, score=4)
                for criterion in call.criteria.all()
            )
    return panel


def grid_post(call, score=4, comment="Clair", **extra):
    data = {}
    for criterion in call.criteria.all():
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = comment
    return {**data, **extra}


# --- 4. Qualification --------------------------------------------------------------


def test_the_qualification_screen_shows_the_file_and_every_criterion_of_the_grid(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    Challenge.objects.filter(pk=challenge.pk).update(problem="Des délais de trois semaines.")
    page = client.get(qualification_url(challenge))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Des délais de trois semaines." in html
    assert challenge.administration.name in html
    for criterion in call.criteria.all():
        assert criterion.name.replace("'", "&#x27;") in html
        for score in range(1, 6):
            assert f'name="score_{criterion.pk}" value="{score}"' in html
        assert f'name="comment_{criterion.pk}"' in html


def test_staff_score_each_criterion_and_read_the_weighted_total(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    need, scope, *rest = call.criteria.all()  # weights 3, 2, 2, 2, 1
    data = grid_post(call, score=3)
    data[f"score_{need.pk}"] = "5"
    response = client.post(qualification_url(challenge), data)
    assert response.status_code == 302
    assert Assessment.objects.filter(challenge=challenge).count() == 5
    page = client.get(qualification_url(challenge))
    expected = (5 * 3 + 3 * 2 + 3 * 2 + 3 * 2 + 3 * 1) / 10
    assert page.context["own_total"] == pytest.approx(expected)
    assert "3,60" in page.content.decode()


def test_posting_the_grid_twice_keeps_one_assessment_per_criterion(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    client.post(qualification_url(challenge), grid_post(call, score=2))
    client.post(qualification_url(challenge), grid_post(call, score=4))
    assert sorted(Assessment.objects.values_list("score", flat=True)) == [4] * 5


def test_a_comment_without_a_score_is_refused_and_nothing_is_saved(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    data = grid_post(call)
    first = call.criteria.first()
    data[f"score_{first.pk}"] = ""
    response = client.post(qualification_url(challenge), data)
    assert response.status_code == 200
    assert "un commentaire accompagne une note" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_score_outside_1_to_5_is_refused(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    response = client.post(qualification_url(challenge), grid_post(call, score=7))
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_staff_go_from_one_challenge_to_the_next_of_the_call(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    first, second, third = submitted(call, 3)
    DraftChallengeFactory(call=call, title="Défi 000 brouillon")  # drafts are not qualified
    page = client.get(qualification_url(second))
    assert page.context["previous"] == first.pk and page.context["following"] == third.pk
    saved = client.post(qualification_url(first), {**grid_post(call), "_next": "1"})
    assert saved["Location"] == qualification_url(second)
    assert client.get(qualification_url(third)).context["following"] is None


def test_each_staff_member_has_their_own_grid_and_sees_the_others(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenge = submitted(call, 1)[0]
    colleague = UserFactory(is_staff=True, first_name="Camille", last_name="Petit")
    for criterion in call.criteria.all():
        Assessment.objects.create(
            challenge=challenge, criterion=criterion, assessor=colleague, score=2, comment="Flou"
        )
    page = client.get(qualification_url(challenge))
    assert page.context["own_total"] is None
    assert page.context["overall_total"] == pytest.approx(2)
    assert "Camille Petit : 2" in page.content.decode()


def test_the_challenge_list_and_form_lead_to_the_qualification_screen(client_as):
    client = client_as("staff")
    challenge = submitted(call_for_projects(phase="preselection"), 1)[0]
    listing = client.get(reverse("admin:challenges_challenge_changelist")).content.decode()
    assert qualification_url(challenge) in listing
    form = client.get(reverse("admin:challenges_challenge_change", args=[challenge.pk]))
    assert qualification_url(challenge) in form.content.decode()
    assert "assessments-TOTAL_FORMS" not in form.content.decode()  # no empty inline any more


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_qualification_screen_runs_the_same_queries_for_5_and_50_challenges(
    client_as, django_assert_num_queries
):
    client = client_as("staff")
    call = call_for_projects(phase="preselection")
    challenges = submitted(call, 5)
    staff = UserFactory(is_staff=True)
    for challenge in challenges:
        for criterion in call.criteria.all():
            Assessment.objects.create(
                challenge=challenge, criterion=criterion, assessor=staff, score=3
            )
    few = queries_of(client, qualification_url(challenges[2]))
    more = submitted(call, 45)
    for challenge in more:
        Assessment.objects.create(
            challenge=challenge, criterion=call.criteria.first(), assessor=staff, score=3
        )
    with django_assert_num_queries(few):
        client.get(qualification_url(challenges[2]))


# --- 5. Decisions --------------------------------------------------------------------


def decision_post(challenge, decision="", reason="", override=False):
    data = {f"d{challenge.pk}-decision": decision, f"d{challenge.pk}-reason": reason}
    if override:
        data[f"d{challenge.pk}-override"] = "on"
    return data


def test_the_decisions_table_lists_each_shortlisted_challenge_with_its_panel_grid(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    shortlisted = submitted(call, 2, status=Challenge.Status.SHORTLISTED)
    declined = submitted(call, 1, status=Challenge.Status.DECLINED)[0]
    heard(call, shortlisted[:1], recommendation="waitlist")
    heard(call, shortlisted[1:], grid=False)
    page = client.get(decisions_url(call))
    html = page.content.decode()
    assert [row["challenge"] for row in page.context["rows"]] == shortlisted
    assert declined.title not in html
    first, second = page.context["rows"]
    assert first["challenge"].panel_score == pytest.approx(4)
    assert "4,00 / 5" in html and "liste d&#x27;attente" in html
    assert "Un besoin porté par la direction." in html and "Données riches." in html
    assert "pas de grille" in html
    assert "override" not in first["form"].fields  # asked only without a grid
    assert "override" in second["form"].fields


def test_a_decision_goes_through_the_lifecycle_with_its_reason(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    response = client.post(
        decisions_url(call), decision_post(challenge, "selected", "Un défi porté au plus haut")
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SELECTED
    assert challenge.decision_reason == "Un défi porté au plus haut"
    log = ChallengeTransition.objects.get(challenge=challenge, target="selected")
    assert log.by.is_staff and log.reason == "Un défi porté au plus haut"


def test_a_decline_without_a_reason_is_refused(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    response = client.post(decisions_url(call), decision_post(challenge, "not_selected", "  "))
    assert response.status_code == 200
    assert "reçoit un motif" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SHORTLISTED
    with pytest.raises(ValidationError):
        decisions.record_decision(
            challenge=challenge, decision="not_selected", reason="", by=UserFactory()
        )


def test_no_decision_without_the_panel_grid_unless_staff_override_it_and_it_is_logged(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge], grid=False)
    refused = client.post(decisions_url(call), decision_post(challenge, "selected", "Solide"))
    assert refused.status_code == 200
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SHORTLISTED
    client.post(decisions_url(call), decision_post(challenge, "selected", "Solide", override=True))
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SELECTED
    log = ChallengeTransition.objects.get(challenge=challenge, target="selected")
    assert "sans grille du panel" in log.reason
    assert challenge.decision_reason == "Solide"  # the administration reads no staff note


def test_a_challenge_heard_by_no_panel_also_needs_the_override(client_as):
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    with pytest.raises(ValidationError):
        decisions.record_decision(
            challenge=challenge, decision="selected", reason="", by=UserFactory()
        )


def test_the_decision_reason_replaces_the_preselection_reason(client_as):
    staff = UserFactory(is_staff=True)
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    Challenge.objects.filter(pk=challenge.pk).update(decision_reason="Bon dossier (interne)")
    challenge.refresh_from_db()
    heard(call, [challenge])
    decisions.record_decision(challenge=challenge, decision="selected", reason="", by=staff)
    challenge.refresh_from_db()
    assert challenge.decision_reason == ""


def test_posting_the_table_twice_records_each_decision_once(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    data = decision_post(challenge, "waitlisted", "Second choix")
    client.post(decisions_url(call), data)
    client.post(decisions_url(call), data)
    assert ChallengeTransition.objects.filter(challenge=challenge).count() == 1


def test_staff_change_a_decision_and_its_reason(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    client.post(decisions_url(call), decision_post(challenge, "waitlisted", "Second choix"))
    client.post(decisions_url(call), decision_post(challenge, "waitlisted", "Premier en attente"))
    client.post(decisions_url(call), decision_post(challenge, "selected", "Une place libérée"))
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SELECTED
    assert challenge.decision_reason == "Une place libérée"


def staff_screens(call, challenge):
    return {
        "qualification": qualification_url(challenge),
        "decisions": decisions_url(call),
        "publication": publication_url(call),
        "export": reverse("admin:challenges_challenge_export_list", args=["xlsx"]),
    }


@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_the_new_screens_are_for_staff_only(client, role):
    """Admin URLs with an object in them are outside the global matrix's GET rows: each
    role is checked here, for a GET and a POST that would act."""
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    if role is not None:
        client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
    expected = 200 if role == Role.STAFF else 302
    for name, url in staff_screens(call, challenge).items():
        response = client.get(url)
        assert response.status_code == expected, name
        if role != Role.STAFF:
            assert "/login/" in response["Location"], name
    if role == Role.STAFF:
        return
    client.post(decisions_url(call), decision_post(challenge, "selected"))
    client.post(publication_url(call))
    client.post(qualification_url(challenge), grid_post(call))
    challenge.refresh_from_db()
    call.refresh_from_db()
    assert challenge.status == Challenge.Status.SHORTLISTED and call.published_at is None
    assert not Assessment.objects.exists()


def test_the_decisions_table_runs_the_same_queries_for_5_and_50_challenges(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    first = submitted(call, 5, status=Challenge.Status.SHORTLISTED)
    heard(call, first[:3])
    heard(call, first[3:], grid=False)
    few = queries_of(client, decisions_url(call))
    more = submitted(call, 45, status=Challenge.Status.SHORTLISTED)
    for start in range(0, 45, 3):
        heard(call, more[start : start + 3], grid=start % 2 == 0)
    assert queries_of(client, decisions_url(call)) == few


def test_the_calls_list_leads_to_the_decisions_and_the_publication(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    listing = client.get(reverse("admin:challenges_callforprojects_changelist")).content.decode()
    assert decisions_url(call) in listing and publication_url(call) in listing


# --- 6. Publication -------------------------------------------------------------------


def decided_call():
    call = call_for_projects(phase="deliberation")
    selected, refused = submitted(call, 2, status=Challenge.Status.SHORTLISTED)
    heard(call, [selected, refused])
    staff = UserFactory(is_staff=True)
    decisions.record_decision(
        challenge=selected, decision="selected", reason="Un besoin clair", by=staff
    )
    decisions.record_decision(
        challenge=refused,
        decision="not_selected",
        reason="Les données ne seront pas prêtes en septembre.",
        by=staff,
    )
    return call, selected, refused


def test_the_confirmation_page_says_what_publishing_will_do_and_changes_nothing(client_as):
    client = client_as("staff")
    call, selected, refused = decided_call()
    page = client.get(publication_url(call))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 administrations apprennent la décision" in html
    assert "2 emails « Décision du jury sur un défi »" in html
    assert selected.get_absolute_url() in html
    assert reverse("cohorts:promotion_detail", args=[call.promotion.code]) in html
    assert "Les données ne seront pas prêtes en septembre." in html
    assert "Oui, publier les résultats" in html
    call.refresh_from_db()
    assert call.published_at is None
    assert not OutboxMessage.objects.filter(event="challenges.decision_published").exists()


def test_publication_is_refused_while_a_decision_is_missing(client_as):
    client = client_as("staff")
    call, selected, refused = decided_call()
    waiting = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    page = client.get(publication_url(call)).content.decode()
    assert "des décisions manquent" in page and waiting.title in page
    assert "Oui, publier les résultats" not in page
    client.post(publication_url(call))
    call.refresh_from_db()
    assert call.published_at is None
    assert not OutboxMessage.objects.filter(event="challenges.decision_published").exists()


def test_publishing_tells_each_administration_its_decision_and_its_reason(
    client_as, eager_celery, django_capture_on_commit_callbacks
):
    client = client_as("staff")
    call, selected, refused = decided_call()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publication_url(call))
        client.post(publication_url(call))  # a double submit sends nothing twice
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.published_at is not None
    letters = {m.to[0]: m for m in mail.outbox if "Décision" in m.subject}
    assert len(letters) == 2
    refusal = letters[refused.editors.get().email]
    assert "Les données ne seront pas prêtes en septembre." in refusal.body
    assert "Les données ne seront pas prêtes en septembre." in refusal.alternatives[0][0]
    assert "Un besoin clair" in letters[selected.editors.get().email].body
    assert decisions.decision_for_administration(Challenge.objects.get(pk=refused.pk)) == {
        "status": "not_selected",
        "label": Challenge.Status.NOT_SELECTED.label,
        "reason": "Les données ne seront pas prêtes en septembre.",
    }


def test_the_administration_reads_no_decision_before_publication():
    call, selected, refused = decided_call()
    assert decisions.decision_for_administration(refused) is None


def test_the_publish_action_leads_to_the_confirmation_page(client_as):
    client = client_as("staff")
    call, *_ = decided_call()
    response = client.post(
        reverse("admin:challenges_callforprojects_changelist"),
        {"action": "publish_now", "_selected_action": [call.pk]},
    )
    assert response["Location"] == publication_url(call)
    call.refresh_from_db()
    assert call.published_at is None


def test_the_new_screens_speak_english(client_as):
    client = client_as("staff")
    call, selected, refused = decided_call()
    client.cookies["django_language"] = "en"
    table = client.get(decisions_url(call)).content.decode()
    assert "Save the decisions" in table and "Reason (sent to the administration)" in table
    publication = client.get(publication_url(call)).content.decode()
    assert "What publishing will do" in publication
    qualification = client.get(qualification_url(selected)).content.decode()
    assert "The call’s grid" in qualification and "Next challenge" in qualification


def test_the_calls_form_leads_to_the_decisions_and_the_publication(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    form = client.get(reverse("admin:challenges_callforprojects_change", args=[call.pk]))
    assert decisions_url(call) in form.content.decode()
    assert client.get(reverse("admin:challenges_callforprojects_add")).status_code == 200


# The change list's actions keep the same rules as the table.

CHANGELIST = reverse("admin:challenges_challenge_changelist")


def test_a_refusal_from_the_list_asks_for_its_reason(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    challenge = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [challenge])
    action = {"action": "move_to_not_selected", "_selected_action": [challenge.pk]}
    asked = client.post(CHANGELIST, {**action, "apply": "1", "reason": ""})
    assert asked.status_code == 200 and "errorlist" in asked.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SHORTLISTED
    client.post(CHANGELIST, {**action, "apply": "1", "reason": "Périmètre trop large"})
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.NOT_SELECTED
    assert challenge.decision_reason == "Périmètre trop large"


def test_a_decision_from_the_list_without_a_panel_grid_needs_the_override(client_as):
    client = client_as("staff")
    call = call_for_projects(phase="deliberation")
    with_grid, without = submitted(call, 2, status=Challenge.Status.SHORTLISTED)
    heard(call, [with_grid])
    heard(call, [without], grid=False)
    action = {"action": "move_to_selected", "_selected_action": [with_grid.pk, without.pk]}
    client.post(CHANGELIST, {**action, "apply": "1"})
    assert Challenge.objects.get(pk=with_grid.pk).status == Challenge.Status.SELECTED
    assert Challenge.objects.get(pk=without.pk).status == Challenge.Status.SHORTLISTED
    client.post(CHANGELIST, {**action, "apply": "1", "override": "on"})
    assert Challenge.objects.get(pk=without.pk).status == Challenge.Status.SELECTED
    log = ChallengeTransition.objects.get(challenge=without, target="selected")
    assert "sans grille du panel" in log.reason


def test_a_decision_changed_after_publication_is_told_when_published_again(client_as):
    client = client_as("staff")
    call, selected, refused = decided_call()
    waitlisted = submitted(call, 1, status=Challenge.Status.SHORTLISTED)[0]
    heard(call, [waitlisted])
    staff = UserFactory(is_staff=True)
    decisions.record_decision(challenge=waitlisted, decision="waitlisted", reason="", by=staff)
    client.post(publication_url(call))
    letters = OutboxMessage.objects.filter(event="challenges.decision_published")
    assert letters.count() == 3
    decisions.record_decision(
        challenge=waitlisted, decision="selected", reason="Une place libérée", by=staff
    )
    page = client.get(publication_url(call))
    assert page.context["plan"]["emails"] == 1 and page.context["plan"]["already_sent"] == 2
    client.post(publication_url(call))
    assert letters.count() == 4
    assert "Une place libérée" in letters.latest("pk").body_text


def test_the_preselection_is_asked_from_the_qualification_screen_through_its_confirmation(
    client_as,
):
    client = client_as("staff")
    challenge = submitted(call_for_projects(phase="preselection"), 1)[0]
    page = client.get(qualification_url(challenge)).content.decode()
    assert 'value="move_to_declined"' in page
    asked = client.post(
        CHANGELIST, {"action": "move_to_declined", "_selected_action": [challenge.pk]}
    )
    assert asked.status_code == 200 and "Motif" in asked.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SUBMITTED
