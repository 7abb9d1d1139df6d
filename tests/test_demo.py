"""`make run`'s demo data: every role has something to see, and loading twice is safe.

The demo follows the programme's calendar (`eig.demo.Season`), so what it holds depends
on the day it is loaded: each test loads it on a day of the season, with the clock
frozen there (EIG 7 in residence from September 2026 to June 2027; EIG 8 recruited in
2027: projects February–April, applications May–June, start in September).
"""

import html
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from challenges.jury import services as jury
from challenges.models import CallForProjects, Challenge, Phase
from eig.models import Promotion, User

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
IN_RESIDENCE = date(2027, 3, 10)  # EIG 7 in residence, EIG 8's call for projects open
JURY_DAY = date(2027, 4, 27)  # EIG 8's call for projects at its jury
INTERVIEW_DAY = date(2027, 7, 1)  # EIG 8's first day of interviews; EIG 7 has ended
AFTER_RESULTS = date(2027, 7, 16)  # EIG 8's results out a week ago, offers being answered
AUTUMN = date(2026, 10, 15)  # EIG 7 has just started; EIG 8's calls are next year
DECEMBER = date(2026, 12, 7)  # EIG 8's calls only announced: the EIG 7 season is the record
MID_MARCH = date(2027, 3, 15)  # EIG 8's call for projects open, no jury yet


def freeze(monkeypatch, day, at=time(11)):
    """The clock stops at `at` on `day`, Paris time, for the rest of the test."""
    moment = datetime.combine(day, at, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def load_demo(settings, monkeypatch):
    settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED = False  # as in `make run`

    def load(day):
        freeze(monkeypatch, day)
        call_command("create_demo_accounts")
        call_command("load_demo_data")
        call_command("load_demo_data")

    return load


@pytest.fixture
def demo(load_demo):
    """A day of the promotion in residence, EIG 8's call for projects open."""
    load_demo(IN_RESIDENCE)


@pytest.fixture
def interviews(load_demo):
    load_demo(INTERVIEW_DAY)


def login(client, email):
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def test_in_march_the_call_for_projects_is_open_and_applications_are_ahead(demo):
    from applications.models import CallForApplications
    from applications.models import Phase as ApplicationPhase

    call = CallForProjects.objects.get(promotion__code="8")
    assert call.phase() == Phase.OPEN
    statuses = set(call.challenges.values_list("status", flat=True))
    assert statuses == {Challenge.Status.DRAFT, Challenge.Status.SUBMITTED}
    applications = CallForApplications.objects.get(promotion__code="8")
    assert applications.phase() == ApplicationPhase.UPCOMING
    assert not applications.applications.exists()
    # The only other call is the one that recruited the promotion in residence, finished.
    previous = CallForProjects.objects.exclude(promotion__code="8").get()
    assert previous.promotion.code == "7"
    assert previous.phase() == Phase.PUBLISHED


def test_on_the_jury_day_the_shortlisted_challenges_are_heard_by_panels(load_demo, client):
    load_demo(JURY_DAY)
    call = CallForProjects.objects.get(promotion__code="8")
    assert call.phase() == Phase.JURY
    assert set(call.challenges.values_list("status", flat=True)) == {
        Challenge.Status.DRAFT,
        Challenge.Status.DECLINED,
        Challenge.Status.SHORTLISTED,
    }
    assert call.panels.count() == 2
    assert not call.challenges.filter(
        status=Challenge.Status.SHORTLISTED, audition__isnull=True
    ).exists()
    assert jury.timetable_conflicts(call=call) == []
    assert (
        login(client, "jury@demo.eig.test").get(reverse("challenges:jury_home")).status_code == 200
    )


def test_demo_logins_show_each_roles_view(demo, client):
    assert (
        login(client, "administration@demo.eig.test")
        .get(reverse("challenges:my_challenges"))
        .status_code
        == 200
    )
    # The jury's space opens with the jury (see the jury day's test), not in March.
    assert (
        login(client, "equipe@demo.eig.test")
        .get(reverse("admin:challenges_challenge_changelist"))
        .status_code
        == 200
    )


# --- The later stages: applications, the promotion in residence, the alumni, mentoring ---


def test_the_demo_call_for_applications_is_at_its_interviews(interviews):
    from applications.models import Application, CallForApplications, Choice, Review
    from applications.models import Phase as ApplicationPhase

    call = CallForApplications.objects.get(promotion__code="8")
    assert call.phase() == ApplicationPhase.INTERVIEWS
    # It recruits for the three challenges EIG 8's call for projects selected.
    assert set(call.challenges()) == set(
        Challenge.objects.filter(call__promotion__code="8", status=Challenge.Status.SELECTED)
    )
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


def test_the_demo_candidate_is_under_review_with_an_interview_tomorrow(interviews, client):
    from applications.models import Application, InterviewSlot

    application = Application.objects.get(
        call__promotion__code="8", candidate__email="candidat@demo.eig.test"
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.cv and application.choices.count() == 2
    slot = InterviewSlot.objects.get(choice__application=application)
    assert timezone.localdate(slot.starts_at) == timezone.localdate() + timedelta(days=1)
    response = login(client, "candidat@demo.eig.test").get(
        reverse("applications:candidate_dashboard")
    )
    assert response.status_code == 200
    views = [view for view in response.context["applications"] if view.application == application]
    assert [str(view.status) for view in views] == ["en cours d'examen"]
    page = html.unescape(response.content.decode())
    # The dashboard is the timeline: the interview, not a decision.
    assert "Votre dossier est retenu pour un entretien avec le jury." in page
    assert (
        reverse("applications:candidate_interview_ics", kwargs={"rank": slot.choice.rank}) in page
    )
    assert client.get(reverse("applications:my_interview")).status_code == 200


def test_the_demo_mentor_has_files_to_review(interviews, client):
    response = login(client, "mentor@demo.eig.test").get(reverse("applications:review_home"))
    assert response.status_code == 200
    challenges = list(response.context["challenges"])
    assert len(challenges) == 3
    assert sum(challenge.application_count for challenge in challenges) > 0
    assert sum(challenge.pending_for_me for challenge in challenges) > 0
    files = client.get(reverse("applications:review_challenge", args=[challenges[0].pk]))
    assert files.status_code == 200
    assert len(files.context["rows"]) > 0


def test_the_demo_jury_has_interview_slots(interviews, client):
    response = login(client, "jury@demo.eig.test").get(reverse("applications:interview_jury_home"))
    assert response.status_code == 200
    slots = list(response.context["slots"])
    assert slots and any(slot.choice_id for slot in slots)


def test_the_demo_eig_sees_their_team(demo, client):
    from cohorts.models import Team

    team = Team.objects.get(members__person__user__email="eig@demo.eig.test")
    assert team.challenge.promotion.code == "7"
    assert team.members.count() == 3
    login(client, "eig@demo.eig.test")
    response = client.get(reverse("mentoring:my_teams"))
    assert response.status_code == 200
    assert team in list(response.context["teams"])
    assert client.get(reverse("cohorts:team_page", args=[team.pk])).status_code == 200
    assert client.get(reverse("mentoring:team_updates", args=[team.pk])).status_code == 200
    assert client.get(reverse("cohorts:my_calendar")).status_code == 200


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
    from cohorts.promotion.demo import RUNNING

    response = login(client, "equipe@demo.eig.test").get(reverse("mentoring:mentoring_dashboard"))
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
    response = client.get(reverse("cohorts:impact"))
    assert response.status_code == 200
    assert "EIG 6" in response.content.decode()
    response = login(client, "equipe@demo.eig.test").get(reverse("cohorts:alumni_directory"))
    assert response.status_code == 200
    emails = [
        profile.person.user.email for profile in response.context["profiles"] if profile.person.user
    ]
    assert "alumni@demo.eig.test" in emails
    assert "Ali Alumni" in response.content.decode()


def test_the_demo_s_follow_up_answers_come_six_months_after_the_end(load_demo, client):
    from cohorts.impact import programme_impact
    from cohorts.models import FollowUpSurvey, PartnerSurvey

    load_demo(AUTUMN)  # EIG 6 ended on 30 June: its surveys go out on 30 December
    assert not FollowUpSurvey.objects.filter(sent_at__isnull=False).exists()
    assert not PartnerSurvey.objects.filter(sent_at__isnull=False).exists()
    assert not programme_impact().overall["public_service"].measured


def test_the_demo_s_host_administration_answered_and_the_alum_is_offered_to_juries(demo, client):
    from cohorts.models import PartnerSurvey

    answered = PartnerSurvey.objects.get(challenge__promotion__code="6", answered_at__isnull=False)
    assert answered.user.email == "administration@demo.eig.test"
    assert answered.made_permanent is True and answered.product_adopted_elsewhere is None
    page = login(client, "equipe@demo.eig.test").get(reverse("admin:challenges_jurymember_add"))
    assert "Ali Alumni" in page.content.decode()


@pytest.mark.parametrize("day", [DECEMBER, IN_RESIDENCE, INTERVIEW_DAY, AFTER_RESULTS])
def test_loading_the_demo_again_changes_nothing(load_demo, day):
    from django.apps import apps

    load_demo(day)

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


@pytest.mark.parametrize("day", [AUTUMN, IN_RESIDENCE, AFTER_RESULTS])
def test_the_demo_follows_the_programme_s_calendar(load_demo, day):
    """Projects February–April, applications May–June, start in September; promotions
    numbered in the order of their years; the one in residence began last September,
    the one before it has ended."""
    from applications.models import CallForApplications

    load_demo(day)
    promotions = list(
        Promotion.objects.filter(code__in=["6", "7", "8"])
        .order_by("year")
        .values_list("code", "year")
    )
    assert [code for code, _year in promotions] == ["6", "7", "8"]
    assert [year for _code, year in promotions] == [2025, 2026, 2027]
    for promotion in Promotion.objects.filter(starts_on__isnull=False):
        assert promotion.starts_on == date(promotion.year, 9, 1), promotion
    assert Promotion.objects.get(code="6").has_ended
    assert Promotion.objects.get(code="7").starts_on == date(2026, 9, 1)
    projects = CallForProjects.objects.get(promotion__code="8")
    applications = CallForApplications.objects.get(promotion__code="8")
    local = timezone.localtime
    assert local(projects.opens_at).date() == date(2027, 2, 1)
    assert local(projects.submission_deadline).date() == date(2027, 4, 7)
    assert projects.jury_ends_on.month == 4
    assert local(applications.opens_at).month == 5
    assert local(applications.deadline).date() == date(2027, 6, 15)
    assert projects.publication_at < applications.opens_at  # no call beside another
    assert applications.promotion_starts_on == date(2027, 9, 1)


def public_totals_counted_otherwise():
    """Challenges, EIGs of the public record whose promotion has started (a start date
    past, or for the undated history, a year over), counted without cohorts.figures."""
    from cohorts.models import TeamMember

    today = timezone.localdate()
    started = [
        p.pk
        for p in Promotion.objects.all()
        if (p.starts_on and p.starts_on <= today)
        or (not p.starts_on and ((p.ends_on and p.ends_on <= today) or p.year < today.year))
    ]
    public = [
        c
        for c in Challenge.objects.all()
        if c.promotion_id in started
        and (
            c.status == Challenge.Status.COMPLETED
            or (
                c.status == Challenge.Status.SELECTED
                and (c.call is None or c.call.publication_at <= timezone.now())
            )
        )
    ]
    eigs = {m.person_id for m in TeamMember.objects.filter(team__challenge__in=public)}
    return len(public), len(eigs)


@pytest.mark.parametrize("day", [AUTUMN, DECEMBER, IN_RESIDENCE, AFTER_RESULTS])
def test_the_public_totals_count_only_started_promotions_whatever_the_day(load_demo, client, day):
    from cohorts.figures import programme_figures

    load_demo(day)
    figures = programme_figures()
    assert (figures.challenges, figures.eigs) == public_totals_counted_otherwise()
    assert set(
        Promotion.objects.started().filter(code__in=["6", "7", "8"]).values_list("code", flat=True)
    ) == {"6", "7"}
    home = html.unescape(client.get(reverse("cohorts:home")).content.decode())
    assert f"{figures.challenges}" in home


def test_after_the_results_eig_8_has_its_teams_but_is_not_counted_yet(load_demo, client):
    from applications.models import Offer
    from cohorts.figures import programme_figures
    from cohorts.models import TeamMember

    load_demo(AFTER_RESULTS)
    offers = Offer.objects.filter(choice__application__call__promotion__code="8")
    assert set(offers.values_list("status", flat=True)) == {
        Offer.Status.ACCEPTED,
        Offer.Status.PENDING,
    }
    pending = offers.get(status=Offer.Status.PENDING)
    assert pending.choice.application.candidate.email == "candidat@demo.eig.test"
    assert pending.respond_by > timezone.now()
    new_eigs = TeamMember.objects.filter(team__challenge__promotion__code="8")
    assert new_eigs.count() == 3
    counted = programme_figures().eigs
    assert counted == public_totals_counted_otherwise()[1]
    assert not new_eigs.filter(
        person__in=TeamMember.objects.exclude(team__challenge__promotion__code="8").values("person")
    ).exists()


@pytest.mark.parametrize(
    "day",
    [date(2027, 2, 1), date(2027, 4, 8), date(2027, 5, 6), date(2027, 6, 20), date(2027, 7, 30)],
)
def test_on_any_day_of_the_season_nothing_in_the_demo_has_happened_yet(load_demo, day):
    """Whatever the day it is loaded, the demo holds only what its calendar has reached."""
    from applications.models import Application, CallForApplications, Review

    load_demo(day)
    now = timezone.now()
    projects = CallForProjects.objects.get(promotion__code="8")
    applications = CallForApplications.objects.get(promotion__code="8")
    assert not Challenge.objects.filter(submitted_at__gt=now).exists()
    assert not Application.objects.filter(submitted_at__gt=now).exists()
    assert not Review.objects.filter(submitted_at__gt=now).exists()
    if not projects.results_are_public(now):
        assert not Challenge.objects.filter(call=projects, status__in=Challenge.DECISIONS).exists()
        assert not applications.applications.exists()
    if now < projects.preselection_ends_at:
        assert not projects.challenges.filter(status=Challenge.Status.SHORTLISTED).exists()
    if now < applications.opens_at:
        assert not applications.applications.exists()
    if now < applications.preselection_ends_at:
        assert not applications.applications.filter(choices__interview__isnull=False).exists()
    from cohorts.models import CoachingEvent

    for event in CoachingEvent.objects.select_related("promotion"):
        assert timezone.localdate(event.starts_at) <= event.promotion.ends_on, event


# --- The previous season: what recruited the promotion in residence -------------------


def test_the_season_that_recruited_eig_7_is_there_finished_with_its_full_record(load_demo):
    """In December EIG 8's calls are only announced: EIG 7's calls, run through the
    services on their real dates, are what every role's pages show."""
    from applications.models import CallForApplications, Choice, InterviewSlot, Offer
    from challenges.models import Audition, PanelEvaluation
    from cohorts.models import Team

    load_demo(DECEMBER)
    projects = CallForProjects.objects.get(promotion__code="7")
    local = timezone.localtime
    assert local(projects.opens_at).date() == date(2026, 2, 1)
    assert local(projects.submission_deadline).date() == date(2026, 4, 7)
    assert projects.phase() == Phase.PUBLISHED
    statuses = list(projects.challenges.values_list("status", flat=True))
    assert sorted(statuses) == sorted(
        [Challenge.Status.DECLINED] * 2
        + [Challenge.Status.SELECTED] * 3
        + [Challenge.Status.NOT_SELECTED]
    )
    assert not projects.challenges.filter(decision_reason="").exists()  # each decision says why
    assert projects.panels.count() == 2
    auditions = Audition.objects.filter(challenge__call=projects)
    assert auditions.count() == 4
    assert not auditions.filter(sent_at__isnull=True).exists()  # convocations sent
    assert PanelEvaluation.objects.filter(audition__in=auditions).count() == 4
    assert projects.jury_members.filter(user__email="jury@demo.eig.test").exists()

    call = CallForApplications.objects.get(promotion__code="7")
    assert call.phase() == Phase.PUBLISHED
    assert local(call.opens_at).month == 5
    assert local(call.deadline).date() == date(2026, 6, 15)
    choices = Choice.objects.filter(application__call=call)
    assert set(choices.values_list("status", flat=True)) == {
        Choice.Status.SELECTED,
        Choice.Status.WAITLISTED,
        Choice.Status.NOT_SHORTLISTED,
        Choice.Status.NOT_SELECTED,
    }
    held = InterviewSlot.objects.filter(challenge__call=projects, choice__isnull=False)
    assert held.count() == 11
    assert all(slot.starts_at < timezone.now() for slot in held)
    offers = Offer.objects.filter(choice__application__call=call)
    assert offers.filter(status=Offer.Status.ACCEPTED).count() == 8
    assert offers.filter(status=Offer.Status.DECLINED).count() == 1
    # The teams in residence are the accepted offers, handed over on the last acceptance.
    for team in Team.objects.filter(challenge__promotion__code="7").select_related("challenge"):
        accepted = set(
            offers.filter(
                choice__challenge=team.challenge, status=Offer.Status.ACCEPTED
            ).values_list("choice__application__candidate", flat=True)
        )
        assert set(team.members.values_list("person__user", flat=True)) == accepted
        assert team.handed_over_at is not None
        assert team.handed_over_at < timezone.now() - timedelta(days=60)
    assert Challenge.objects.filter(promotion__code="7").count() == 6  # no team outside the call


def text_of(response):
    """The page's main content as a reader sees it (tags removed, entities decoded)."""
    assert response.status_code == 200
    page = response.content.decode()
    main = page.split('id="contenu"', 1)[-1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.mark.parametrize("day", [DECEMBER, MID_MARCH, INTERVIEW_DAY])
def test_every_demo_account_has_something_real_to_see_whatever_the_day(load_demo, client, day):
    from applications.models import CallForApplications

    load_demo(day)
    jury_home = text_of(login(client, "jury@demo.eig.test").get(reverse("challenges:jury_home")))
    assert "Votre panel" in jury_home
    assert "n’est encore attribué" not in jury_home
    if day == INTERVIEW_DAY:  # EIG 8's panel on top, EIG 7's sessions below with their grids
        assert "Appel à projets EIG 8" in jury_home
        assert "Mes sessions précédentes" in jury_home
        assert "Appel à projets EIG 7 — Panel" in jury_home
        assert "Sélectionner" in jury_home
    else:  # EIG 7's panel, sessions and grids
        assert "Appel à projets EIG 7" in jury_home
        assert "Grilles du panel remplies : 2 sur 2" in jury_home

    mine = text_of(
        login(client, "administration@demo.eig.test").get(reverse("challenges:my_challenges"))
    )
    assert "Anticiper les pénuries de médicaments" in mine
    assert "sélectionné" in mine
    selected = Challenge.objects.get(title="Anticiper les pénuries de médicaments")
    page = text_of(client.get(reverse("challenges:challenge_edit", args=[selected.pk])))
    assert "Décision : sélectionné" in page
    assert selected.decision_reason in page
    assert "Votre audition devant le jury" in page  # the audition it had, heard in April
    team_page = text_of(client.get(reverse("cohorts:team_page", args=[selected.team.pk])))
    assert "Eden Entrepreneur" in team_page

    dashboard = text_of(
        login(client, "candidat@demo.eig.test").get(reverse("applications:candidate_dashboard"))
    )
    assert "pas encore candidaté" not in dashboard
    assert "EIG 7" in dashboard
    assert "le jury ne vous a pas retenu" in dashboard

    for email in ("eig@demo.eig.test", "mentor@demo.eig.test"):
        teams = text_of(login(client, email).get(reverse("mentoring:my_teams")))
        assert "Anticiper les pénuries de médicaments" in teams, email

    staff = login(client, "equipe@demo.eig.test")
    projects = CallForProjects.objects.filter(panels__isnull=False).latest("opens_at")
    desk = text_of(staff.get(reverse("admin:challenges_jury_desk", args=[projects.pk])))
    assert "Panel 1" in desk
    decided = CallForProjects.objects.filter(published_at__isnull=False).latest("opens_at")
    table = text_of(
        staff.get(reverse("admin:challenges_callforprojects_decisions", args=[decided.pk]))
    )
    assert "sélectionné" in table
    recruited = CallForApplications.objects.filter(published_at__isnull=False).latest("opens_at")
    hub = text_of(staff.get(reverse("applications:decisions_hub", args=[recruited.pk])))
    assert "Eden Entrepreneur" in hub or "Charlie Candidat" in hub


def test_a_database_loaded_by_an_earlier_demo_keeps_its_eig_7_and_loads_again(
    settings, monkeypatch
):
    """EIG 7's teams made without their calls (the demo before the previous season was
    added) stay as they are: no second set of challenges beside them."""
    from applications.models import CallForApplications
    from cohorts.promotion import demo as cohorts_demo

    settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED = False
    freeze(monkeypatch, DECEMBER)
    call_command("create_demo_accounts")
    cohorts_demo.load()  # what the earlier demo made of EIG 7
    before = Challenge.objects.filter(promotion__code="7").count()
    call_command("load_demo_data")
    assert Challenge.objects.filter(promotion__code="7").count() == before
    assert not CallForProjects.objects.filter(promotion__code="7").exists()
    assert not CallForApplications.objects.filter(promotion__code="7").exists()
