"""`make run`'s demo data: every role has something to see, and loading twice is safe."""

import html
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from challenges import jury
from challenges.models import CallForProjects, Challenge, Phase
from eig.models import Promotion, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED = False  # as in `make run`
    call_command("create_demo_accounts")
    call_command("load_demo_data")
    call_command("load_demo_data")


def login(client, email):
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def test_the_demo_has_an_open_call_and_a_call_at_its_jury(demo):
    open_call = CallForProjects.objects.get(promotion__code="10")
    jury_call = CallForProjects.objects.get(promotion__code="9")
    assert open_call.phase() == Phase.OPEN
    assert jury_call.phase() == Phase.JURY
    statuses = set(open_call.challenges.values_list("status", flat=True))
    assert statuses == {Challenge.Status.DRAFT, Challenge.Status.SUBMITTED}
    assert jury_call.panels.count() == 2
    assert not jury_call.challenges.filter(audition__isnull=True).exists()
    assert jury.timetable_conflicts(call=jury_call) == []


def test_demo_logins_show_each_roles_view(demo, client):
    assert (
        login(client, "administration@demo.eig.test").get(reverse("my_challenges")).status_code
        == 200
    )
    assert login(client, "jury@demo.eig.test").get(reverse("jury_home")).status_code == 200
    assert (
        login(client, "equipe@demo.eig.test")
        .get(reverse("admin:challenges_challenge_changelist"))
        .status_code
        == 200
    )


# --- The later stages: applications, the promotion in residence, the alumni, mentoring ---


def test_the_demo_call_for_applications_is_at_its_interviews(demo):
    from applications.models import Application, CallForApplications, Choice, Review
    from applications.models import Phase as ApplicationPhase

    call = CallForApplications.objects.get(promotion__code="8")
    assert call.phase() == ApplicationPhase.INTERVIEWS
    assert call.challenges().count() == 3
    statuses = set(call.applications.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    choices = set(Choice.objects.filter(application__call=call).values_list("status", flat=True))
    assert {
        Choice.Status.PENDING,
        Choice.Status.SHORTLISTED,
        Choice.Status.NOT_SHORTLISTED,
    } <= choices
    reviewers = set(
        Review.objects.filter(application__call=call).values_list("reviewer__email", flat=True)
    )
    assert reviewers == {"equipe@demo.eig.test", "mentor@demo.eig.test"}


def test_the_demo_candidate_is_under_review_with_an_interview_tomorrow(demo, client):
    from applications.models import Application, InterviewSlot

    application = Application.objects.get(
        call__promotion__code="8", candidate__email="candidat@demo.eig.test"
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.cv and application.choices.count() == 2
    slot = InterviewSlot.objects.get(choice__application=application)
    assert timezone.localdate(slot.starts_at) == timezone.localdate() + timedelta(days=1)
    response = login(client, "candidat@demo.eig.test").get(reverse("candidate_dashboard"))
    assert response.status_code == 200
    views = [view for view in response.context["applications"] if view.application == application]
    assert [str(view.status) for view in views] == ["en cours d'examen"]
    page = html.unescape(response.content.decode())
    # The dashboard is the timeline: the interview, not a decision.
    assert "Votre dossier est retenu pour un entretien avec le jury." in page
    assert reverse("candidate_interview_ics", kwargs={"rank": slot.choice.rank}) in page
    assert client.get(reverse("my_interview")).status_code == 200


def test_the_demo_mentor_has_files_to_review(demo, client):
    response = login(client, "mentor@demo.eig.test").get(reverse("review_home"))
    assert response.status_code == 200
    challenges = list(response.context["challenges"])
    assert len(challenges) == 3
    assert sum(challenge.application_count for challenge in challenges) > 0
    assert sum(challenge.pending_for_me for challenge in challenges) > 0
    files = client.get(reverse("review_challenge", args=[challenges[0].pk]))
    assert files.status_code == 200
    assert len(files.context["rows"]) > 0


def test_the_demo_jury_has_interview_slots(demo, client):
    response = login(client, "jury@demo.eig.test").get(reverse("interview_jury_home"))
    assert response.status_code == 200
    slots = list(response.context["slots"])
    assert slots and any(slot.choice_id for slot in slots)


def test_the_demo_eig_sees_their_team(demo, client):
    from cohorts.models import Team

    team = Team.objects.get(members__person__user__email="eig@demo.eig.test")
    assert team.challenge.promotion.code == "7"
    assert team.members.count() == 3
    login(client, "eig@demo.eig.test")
    response = client.get(reverse("my_teams"))
    assert response.status_code == 200
    assert team in list(response.context["teams"])
    assert client.get(reverse("team_page", args=[team.pk])).status_code == 200
    assert client.get(reverse("team_updates", args=[team.pk])).status_code == 200
    assert client.get(reverse("my_calendar")).status_code == 200


def test_the_demo_running_promotion_has_teams_events_and_onboarding(demo):
    from cohorts.models import CoachingEvent, EventInvitation, OnboardingStep, Team

    promotion = Promotion.objects.get(code="7")
    assert promotion.starts_on <= timezone.localdate() <= promotion.ends_on
    teams = Team.objects.filter(challenge__promotion=promotion)
    assert teams.count() == 3
    assert (
        teams.filter(
            challenge__mentorships__person__user__email="mentor@demo.eig.test",
            challenge__mentorships__kind="operational",
        ).count()
        == 1
    )
    steps = OnboardingStep.objects.filter(member__team__in=teams)
    assert steps.filter(done_at__isnull=False).exists()
    assert steps.filter(done_at__isnull=True).exists()
    events = CoachingEvent.objects.filter(promotion=promotion)
    assert events.count() == 3
    assert events.filter(starts_at__lt=timezone.now()).count() == 1
    invitations = EventInvitation.objects.filter(event__promotion=promotion)
    assert set(invitations.values_list("answer", flat=True)) == {"", "yes", "no"}
    assert invitations.filter(attended=True).exists()


def test_the_demo_dashboard_shows_silence_and_help(demo, client):
    from cohorts.demo_promotion import RUNNING

    response = login(client, "equipe@demo.eig.test").get(reverse("mentoring_dashboard"))
    assert response.status_code == 200
    assert response.context["promotion"].code == "7"
    silent = [team.challenge.title for team in response.context["silent_teams"]]
    assert silent == [RUNNING[2][0]]
    help_requests = response.context["help_requests"]
    assert [update.team.challenge.title for update in help_requests] == [RUNNING[1][0]] * 2
    assert escape(RUNNING[2][0]) in response.content.decode()


def test_the_demo_mentor_commented_and_took_notes(demo):
    from cohorts.models import Team
    from mentoring.models import MentorNote, UpdateComment, monday_of
    from mentoring.services import paris_today

    team = Team.objects.get(members__person__user__email="eig@demo.eig.test")
    latest = team.weekly_updates.order_by("-week").first()
    assert latest.week == monday_of(paris_today())
    assert team.weekly_updates.count() == 8
    assert UpdateComment.objects.filter(update=latest, author__email="mentor@demo.eig.test")
    assert MentorNote.objects.filter(team=team, author__email="mentor@demo.eig.test").count() == 2


def test_the_demo_ended_promotion_shows_its_impact_and_alumni(demo, client):
    from cohorts.models import FollowUpSurvey, Team

    promotion = Promotion.objects.get(code="6")
    assert promotion.has_ended
    assert set(promotion.challenges.values_list("status", flat=True)) == {
        Challenge.Status.COMPLETED
    }
    assert Team.objects.filter(challenge__promotion=promotion, made_permanent=True).count() == 1
    answered = FollowUpSurvey.objects.filter(
        member__team__challenge__promotion=promotion, months_after=6, answered_at__isnull=False
    )
    assert set(answered.values_list("sector", flat=True)) == {"public", "private"}
    response = client.get(reverse("impact"))
    assert response.status_code == 200
    assert "EIG 6" in response.content.decode()
    response = login(client, "equipe@demo.eig.test").get(reverse("alumni_directory"))
    assert response.status_code == 200
    emails = [
        profile.person.user.email for profile in response.context["profiles"] if profile.person.user
    ]
    assert "alumni@demo.eig.test" in emails
    assert "Ali Alumni" in response.content.decode()


def test_loading_the_demo_again_changes_nothing(demo):
    from django.apps import apps

    def counts():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label
            in {"eig", "challenges", "applications", "cohorts", "mentoring"}
        }

    before = counts()
    call_command("load_demo_data")
    assert counts() == before


def test_the_demo_promotions_are_numbered_in_the_order_of_their_years(demo):
    years = list(
        Promotion.objects.filter(code__in=["6", "7", "8", "9", "10"])
        .order_by("year")
        .values_list("code", "year")
    )
    assert [code for code, _year in years] == ["6", "7", "8", "9", "10"]
    assert len({year for _code, year in years}) == 5
    for promotion in Promotion.objects.filter(starts_on__isnull=False):
        assert (promotion.starts_on.month, promotion.starts_on.day) == (9, 1), promotion


def test_the_demo_s_coming_promotion_is_not_in_the_public_totals(demo, client):
    from cohorts.figures import programme_figures

    figures = programme_figures()
    started = Promotion.objects.started()
    assert set(
        started.filter(code__in=["6", "7", "8", "9", "10"]).values_list("code", flat=True)
    ) == {
        "6",
        "7",
    }
    public = Challenge.objects.public().filter(promotion__in=started)
    assert figures.challenges == public.count()
    assert Challenge.objects.public().filter(promotion__code="8").exists()  # listed, not counted
