"""After the promotion: its end, the follow-up surveys, the alumni directory."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from challenges.models import Challenge, ChallengeTransition
from cohorts.alumni import notifications as notifications_alumni
from cohorts.alumni.services import (
    SurveyClosed,
    add_months,
    answer_survey,
    end_promotion,
    survey_by_token,
    survey_send_at,
)
from cohorts.models import AlumniProfile, FollowUpSurvey
from eig import reminders
from eig.models import OutboxMessage, Role, RoleGrant
from tests.cohorts.matrix_alumni import MATRIX_ALUMNI
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
EVENT = notifications_alumni.FOLLOWUP_SURVEY.code
ANSWERS = {
    "sector": "public",
    "still_with_host": "yes",
    "product_in_use": "yes",
    "product_maintained": "no",
    "product_adopted_elsewhere": "unknown",
}


# --- A promotion laid out from its last day ------------------------------------------------


def promotion_in_residence(*, ends_on, with_account=2, without_account=1):
    """One selected challenge whose team has EIGs with and without an account."""
    promotion = PromotionFactory(ends_on=ends_on, starts_on=ends_on - timedelta(days=300))
    challenge = ChallengeFactory(promotion=promotion, status=Challenge.Status.SELECTED)
    team = TeamFactory(challenge=challenge)
    eigs = [
        TeamMemberFactory(team=team, person=PersonFactory(user=UserFactory(roles=[Role.EIG])))
        for _ in range(with_account)
    ]
    eigs += [TeamMemberFactory(team=team) for _ in range(without_account)]
    return promotion, team, eigs


def ended_promotion(*, ends_on, **kwargs):
    promotion, team, eigs = promotion_in_residence(ends_on=ends_on, **kwargs)
    end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    return promotion, team, eigs


def sent_survey(*, days_ago=2, months=6):
    """A survey whose email went out about `days_ago` days ago, by the sweep."""
    today = timezone.localdate()
    ends_on = add_months(today - timedelta(days=days_ago), -months)
    _promotion, _team, eigs = ended_promotion(ends_on=ends_on, with_account=1, without_account=0)
    send_at = survey_send_at(ends_on=ends_on, months=months)
    assert reminders.sweep(now=send_at)[0] == 1
    return FollowUpSurvey.objects.get(member=eigs[0], months_after=months)


def survey_url(survey):
    return reverse("cohorts:followup_survey", kwargs={"token": survey.token})


# --- The end of the promotion ----------------------------------------------------------------


def test_ending_a_promotion_makes_eigs_alumni_and_challenges_completed(client):
    promotion, team, eigs = promotion_in_residence(ends_on=date(2026, 6, 30))
    second = ChallengeFactory(promotion=promotion, status=Challenge.Status.SELECTED)
    TeamMemberFactory(team=TeamFactory(challenge=second))
    left_out = ChallengeFactory(promotion=promotion, status=Challenge.Status.NOT_SELECTED)
    staff = UserFactory(is_staff=True)

    result = end_promotion(promotion=promotion, by=staff)

    assert set(promotion.challenges.values_list("pk", "status")) == {
        (team.challenge_id, Challenge.Status.COMPLETED),
        (second.pk, Challenge.Status.COMPLETED),
        (left_out.pk, Challenge.Status.NOT_SELECTED),
    }
    moves = ChallengeTransition.objects.filter(challenge__promotion=promotion, by=staff)
    assert moves.filter(target=Challenge.Status.COMPLETED).count() == 2
    with_account = [m.person.user for m in eigs if m.person.user_id]
    alumni = RoleGrant.objects.filter(role=Role.ALUMNI, promotion=promotion)
    assert set(alumni.values_list("user", flat=True)) == {u.pk for u in with_account}
    # Every EIG of the promotion gets a profile, hidden until they opt in.
    profiles = AlumniProfile.objects.filter(
        person__team_memberships__team__challenge__promotion=promotion
    )
    assert profiles.count() == 4
    assert not profiles.filter(in_directory=True).exists()
    surveys = FollowUpSurvey.objects.filter(member__team__challenge__promotion=promotion)
    assert sorted(surveys.values_list("months_after", flat=True)) == [6] * 4 + [12] * 4
    assert not surveys.filter(sent_at__isnull=False).exists()
    assert (result.completed, result.alumni, result.profiles, result.surveys) == (2, 2, 4, 8)

    # Running it again adds nothing.
    again = end_promotion(promotion=promotion, by=staff)
    assert (again.completed, again.alumni, again.profiles, again.surveys) == (0, 2, 4, 8)

    # The new alum opens the directory and their profile.
    client.force_login(with_account[0], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("cohorts:alumni_directory")).status_code == 200
    assert client.get(reverse("cohorts:alumni_profile_edit")).status_code == 200


def test_ending_a_promotion_without_an_end_date_ends_it_today():
    promotion, _team, _eigs = promotion_in_residence(ends_on=date(2026, 6, 30))
    promotion.ends_on = None
    promotion.save()
    end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    promotion.refresh_from_db()
    assert promotion.ends_on == timezone.localdate()


# --- Sending the surveys ---------------------------------------------------------------------


def test_surveys_are_sent_six_and_twelve_months_after_the_end_at_nine():
    promotion, _team, eigs = ended_promotion(ends_on=date(2026, 6, 30))
    emails = {m.person.user.email for m in eigs if m.person.user_id}
    six = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)  # winter: 08:00 UTC
    twelve = datetime(2027, 6, 30, 9, 0, tzinfo=PARIS)  # summer: 07:00 UTC

    assert reminders.sweep(now=six - timedelta(minutes=1))[0] == 0
    assert reminders.sweep(now=six)[0] == 2  # the EIGs with an account
    assert reminders.sweep(now=six + timedelta(minutes=1))[0] == 0  # once only
    assert reminders.sweep(now=six + timedelta(days=30))[0] == 0

    sent = OutboxMessage.objects.filter(event=EVENT)
    assert {m.to_email for m in sent} == emails
    assert set(sent.values_list("idempotency_key", flat=True)) == {
        f"{EVENT}|cohorts.followupsurvey:{s.pk}|{s.member.person.user.email}|6"
        for s in FollowUpSurvey.objects.filter(months_after=6, member__person__user__isnull=False)
    }
    six_months = FollowUpSurvey.objects.filter(months_after=6, sent_at__isnull=False)
    assert six_months.count() == 2
    for survey in six_months:
        assert survey.sent_at.astimezone(UTC).hour == 8
        assert survey.expires_at == survey.sent_at + timedelta(days=60)
        message = sent.get(object_id=str(survey.pk))
        assert message.content_type == ContentType.objects.get_for_model(FollowUpSurvey)
        link = f"/alumni/questionnaire/{survey.token}/"
        assert link in message.body_text and link in message.body_html
        assert resolve(link).url_name == "followup_survey"
        assert "6 mois" in message.subject
    # Nobody without an account is written to, and the 12-month surveys wait.
    assert not FollowUpSurvey.objects.filter(
        member__person__user__isnull=True, sent_at__isnull=False
    ).exists()
    assert not FollowUpSurvey.objects.filter(months_after=12, sent_at__isnull=False).exists()

    assert reminders.sweep(now=twelve - timedelta(minutes=1))[0] == 0
    assert reminders.sweep(now=twelve)[0] == 2
    for survey in FollowUpSurvey.objects.filter(months_after=12, sent_at__isnull=False):
        assert survey.sent_at == twelve
        assert survey.sent_at.astimezone(UTC).hour == 7
    assert OutboxMessage.objects.filter(event=EVENT).count() == 4


def test_a_late_sweep_still_sends_the_survey_and_its_60_days_start_then():
    promotion, _team, eigs = ended_promotion(
        ends_on=date(2026, 6, 30), with_account=2, without_account=0
    )
    six = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)
    # The beat was down for three days: the survey still goes, and its 60 days start then.
    assert reminders.sweep(now=six + timedelta(days=3))[0] == 2
    survey = FollowUpSurvey.objects.filter(months_after=6).first()
    assert survey.expires_at == six + timedelta(days=63)


def test_a_survey_email_follows_the_person_who_links_an_account_later():
    promotion, _team, eigs = ended_promotion(
        ends_on=date(2026, 6, 30), with_account=0, without_account=1
    )
    six = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)
    assert reminders.sweep(now=six)[0] == 0
    person = eigs[0].person
    person.user = UserFactory()
    person.save()
    assert reminders.sweep(now=six + timedelta(days=10))[0] == 1


# --- The survey link -------------------------------------------------------------------------


def test_the_survey_link_needs_no_password_and_expires(client):
    survey = sent_survey(days_ago=2)
    page = client.get(survey_url(survey))  # nobody is logged in
    assert page.status_code == 200
    content = page.content.decode()
    assert survey.member.person.full_name in content
    assert survey.member.team.challenge.title in content
    assert 'name="sector"' in content and 'name="product_maintained"' in content
    assert page["Cache-Control"].startswith("max-age=0")

    assert survey_by_token(survey.token, survey.expires_at - timedelta(seconds=1)) == survey
    assert survey_by_token(survey.token, survey.expires_at) is None

    expired = sent_survey(days_ago=70)
    assert expired.expires_at < timezone.now()
    assert survey_by_token(expired.token, timezone.now()) is None
    page = client.get(survey_url(expired))
    assert page.status_code == 410
    assert "a expiré" in page.content.decode()
    answer = client.post(survey_url(expired), ANSWERS)
    assert answer.status_code == 410
    expired.refresh_from_db()
    assert expired.answered_at is None


def test_an_unknown_or_unsent_survey_link_is_not_found(client):
    page = client.get(reverse("cohorts:followup_survey", kwargs={"token": "lien-inconnu"}))
    assert page.status_code == 404
    assert "aucun questionnaire" in page.content.decode()
    _promotion, _team, eigs = ended_promotion(ends_on=date(2026, 6, 30))
    unsent = FollowUpSurvey.objects.filter(member=eigs[0]).first()
    assert client.get(survey_url(unsent)).status_code == 404
    assert survey_by_token(unsent.token, timezone.now()) is None


def test_a_survey_link_works_only_once(client):
    survey = sent_survey()
    thanks = client.post(survey_url(survey), ANSWERS)
    assert thanks.status_code == 200
    assert "Merci pour vos réponses" in thanks.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert (survey.sector, survey.still_with_host, survey.product_in_use) == ("public", True, True)
    assert survey.product_maintained is False

    again = client.post(survey_url(survey), {**ANSWERS, "sector": "private"})
    assert again.status_code == 410
    assert "déjà répondu" in again.content.decode()
    assert client.get(survey_url(survey)).status_code == 410
    survey.refresh_from_db()
    assert survey.sector == "public"
    with pytest.raises(SurveyClosed):
        answer_survey(
            survey=survey,
            sector="other",
            still_with_host=False,
            product_in_use=False,
            product_maintained=False,
        )
    assert survey_by_token(survey.token, timezone.now()) is None


def test_an_incomplete_survey_answer_is_asked_again(client):
    survey = sent_survey()
    page = client.post(survey_url(survey), {"sector": "public"})
    assert page.status_code == 200
    assert "fr-fieldset--error" in page.content.decode()
    assert "data-error-summary" in page.content.decode()  # each unanswered question listed
    survey.refresh_from_db()
    assert survey.answered_at is None


# --- The directory ---------------------------------------------------------------------------


def alum(*, name, share_email=False, in_directory=True, promotion=None, position="", bio=""):
    user = UserFactory(roles=[Role.ALUMNI])
    person = PersonFactory(full_name=name, user=user)
    challenge = ChallengeFactory(promotion=promotion or PromotionFactory())
    TeamMemberFactory(team=TeamFactory(challenge=challenge), person=person)
    AlumniProfile.objects.create(
        person=person,
        in_directory=in_directory,
        share_email=share_email,
        current_position=position,
        bio=bio,
    )
    return user


def test_the_directory_shows_only_what_each_alum_shares(client_as):
    promotion = PromotionFactory(code="3", name="EIG 3", year=2019)
    open_alum = alum(
        name="Aline Ouverte",
        share_email=True,
        promotion=promotion,
        position="Data scientist, ministère de la Culture",
        bio="J’aime les données <b>ouvertes</b>.",
    )
    discreet = alum(name="Bruno Discret", promotion=promotion, position="Développeur")
    hidden = alum(name="Chloé Cachée", share_email=True, in_directory=False, position="Secret")
    client = client_as(Role.STAFF)
    content = client.get(reverse("cohorts:alumni_directory")).content.decode()

    assert "Aline Ouverte" in content and open_alum.email in content
    assert "Data scientist, ministère de la Culture" in content
    assert "&lt;b&gt;ouvertes&lt;/b&gt;" in content  # their words, never their markup
    assert "EIG 3" in content
    assert open_alum.person.team_memberships.get().team.challenge.title in content
    assert "Bruno Discret" in content and "Développeur" in content
    assert discreet.email not in content
    assert "Chloé Cachée" not in content and hidden.email not in content and "Secret" not in content

    filtered = client.get(reverse("cohorts:alumni_directory"), {"promotion": "3"}).content.decode()
    assert "Aline Ouverte" in filtered and "Chloé" not in filtered


@pytest.mark.parametrize(
    "role, status",
    [(Role.ALUMNI, 200), (Role.EIG, 200), (Role.STAFF, 200), (Role.CANDIDATE, 404), (None, 302)],
)
def test_the_directory_is_for_alumni_eigs_and_staff(client_as, role, status):
    assert client_as(role).get(reverse("cohorts:alumni_directory")).status_code == status


def test_an_alum_edits_their_profile_and_opts_in(client):
    user = alum(name="Dora Discrète", in_directory=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("cohorts:alumni_profile_edit")
    assert client.get(url).status_code == 200
    assert "Dora" not in client.get(reverse("cohorts:alumni_directory")).content.decode()
    response = client.post(
        url, {"in_directory": "on", "current_position": "Product manager", "bio": "Bonjour"}
    )
    assert response.status_code == 302
    profile = AlumniProfile.objects.get(person__user=user)
    assert profile.in_directory and not profile.share_email
    assert profile.current_position == "Product manager"
    content = client.get(reverse("cohorts:alumni_directory")).content.decode()
    assert "Dora Discrète" in content and user.email not in content


def test_an_alum_without_a_profile_gets_one_on_first_visit(client):
    user = UserFactory(roles=[Role.ALUMNI])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("cohorts:alumni_profile_edit")).status_code == 200
    assert AlumniProfile.objects.filter(person__user=user, in_directory=False).exists()


def directory_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cohorts:alumni_directory")).status_code == 200
    return len(queries)


def test_the_directory_runs_the_same_queries_for_5_and_50_alumni(client):
    viewer = alum(name="Victor Lecteur")
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    promotion = PromotionFactory()
    for n in range(4):
        alum(name=f"Alum{n} Test", share_email=n % 2 == 0, promotion=promotion)
    with_five = directory_queries(client)
    for n in range(4, 49):
        alum(name=f"Alum{n} Test", share_email=n % 2 == 0, promotion=promotion)
    with_fifty = directory_queries(client)
    assert with_five == with_fifty


# --- The admin ----------------------------------------------------------------------------------


def test_staff_follow_the_surveys_in_the_admin(client_as):
    survey = sent_survey()
    client = client_as(Role.STAFF)
    changelist = reverse("admin:cohorts_followupsurvey_changelist")
    for query in (
        {},
        {"answered": "no"},
        {"months_after__exact": "6"},
        {"sector__exact": "public"},
    ):
        assert client.get(changelist, query).status_code == 200, query
    listed = client.get(changelist, {"answered": "no"}).content.decode()
    assert survey.member.person.full_name in listed
    change = client.get(reverse("admin:cohorts_followupsurvey_change", args=[survey.pk]))
    assert change.status_code == 200
    assert survey.token in change.content.decode()
    assert 'name="token"' not in change.content.decode()
    for name in ("cohorts_alumniprofile_changelist", "cohorts_openeddataset_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200


# --- Who may open what ---------------------------------------------------------------------------


def test_the_matrix_covers_every_url_of_the_alumni_and_impact():
    from cohorts.alumni.urls import urlpatterns

    assert {f"cohorts:{p.name}" for p in urlpatterns} == set(MATRIX_ALUMNI)


# --- Available alumni, a searchable directory (issue 15, item 13) -----------------------------


def test_an_alum_says_they_are_available_and_staff_see_it_in_the_directory(client_as, client):
    from eig.models import Skill

    data, design = (
        Skill.objects.get_or_create(key="data-science", defaults={"label": "Data science"})[0],
        Skill.objects.get_or_create(key="design", defaults={"label": "Design"})[0],
    )
    user = alum(name="Inès Disponible")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(
        reverse("cohorts:alumni_profile_edit"),
        {"in_directory": "on", "skills": [data.pk], "available_for_jury": "on"},
    )
    profile = AlumniProfile.objects.get(person__user=user)
    assert profile.available_for_jury and not profile.available_for_mentoring
    assert list(profile.skills.all()) == [data]

    staff = client_as(Role.STAFF)
    jury = staff.get(reverse("cohorts:alumni_directory"), {"disponible": "jury"}).content.decode()
    assert "Inès Disponible" in jury and "disponible pour un jury" in jury
    assert (
        "Inès"
        not in staff.get(
            reverse("cohorts:alumni_directory"), {"disponible": "mentorat"}
        ).content.decode()
    )
    assert (
        "Inès"
        in staff.get(
            reverse("cohorts:alumni_directory"), {"competence": "data-science"}
        ).content.decode()
    )
    assert (
        "Inès"
        not in staff.get(
            reverse("cohorts:alumni_directory"), {"competence": design.key}
        ).content.decode()
    )
    # Another alum reads the directory but not who is available for juries.
    peer = alum(name="Paul Pair")
    client.force_login(peer, backend="django.contrib.auth.backends.ModelBackend")
    assert (
        "disponible pour un jury"
        not in client.get(reverse("cohorts:alumni_directory")).content.decode()
    )


def test_the_directory_searches_words_and_offers_only_promotions_with_alumni(client_as):
    with_alumni = PromotionFactory(code="2", name="EIG 2", year=2018)
    PromotionFactory(code="9", name="EIG 9", year=2025)  # nobody in the directory
    alum(name="Aline Ouverte", promotion=with_alumni, position="Data scientist, Culture")
    alum(name="Bruno Discret", promotion=with_alumni, position="Développeur")
    alum(
        name="Chloé Cachée",
        in_directory=False,
        promotion=PromotionFactory(code="8", name="EIG 8", year=2024),
    )
    client = client_as(Role.STAFF)
    html = client.get(reverse("cohorts:alumni_directory")).content.decode()
    select = html.split('name="promotion"')[1].split("</select>")[0]
    assert "EIG 2" in select and "EIG 9" not in select and "EIG 8" not in select
    found = client.get(reverse("cohorts:alumni_directory"), {"q": "culture"}).content.decode()
    assert "Aline Ouverte" in found and "Bruno" not in found


def test_the_searched_directory_runs_the_same_queries_for_5_and_50_alumni(client):
    viewer = alum(name="Victor Lecteur")
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    promotion = PromotionFactory(code="5", name="EIG 5", year=2021)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("cohorts:alumni_directory"), {"q": "Test", "promotion": "5"}
            )
            assert response.status_code == 200
        return len(queries)

    for n in range(5):
        alum(name=f"Alum{n} Test", promotion=promotion)
    few = count()
    for n in range(5, 50):
        alum(name=f"Alum{n} Test", promotion=promotion)
    assert count() == few


def test_a_survey_takes_dont_know_where_one_works_now_and_free_text(client):
    survey = sent_survey()
    answers = {
        **ANSWERS,
        "product_in_use": "unknown",
        "product_adopted_elsewhere": "yes",
        "employer": "Ministère de la Culture, service du numérique",
        "comments": "Le produit est repris par <b>deux</b> régions.",
    }
    assert client.post(survey_url(survey), answers).status_code == 200
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert survey.product_in_use is None  # "I don't know", in an answered survey
    assert survey.product_adopted_elsewhere is True
    assert survey.employer == "Ministère de la Culture, service du numérique"
    assert survey.comments == "Le produit est repris par <b>deux</b> régions."
