"""Mentors and host administrations are followed up too, 6 and 12 months after the
promotion: is the product still used, adopted elsewhere, made permanent, did the
administration recruit. "I don't know" is an answer; their answers feed the impact."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve, reverse

from challenges.models import AdministrationContact, Challenge
from cohorts.alumni import notifications as notifications_alumni
from cohorts.alumni.services import answer_partner_survey, end_promotion
from cohorts.impact import programme_impact
from cohorts.models import PartnerSurvey
from eig import reminders
from eig.models import OutboxMessage, Role
from tests.factories import (
    ChallengeFactory,
    ChallengeMentorFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SIX = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)
TWELVE = datetime(2027, 6, 30, 9, 0, tzinfo=PARIS)
EVENT = notifications_alumni.PARTNER_SURVEY.code


@pytest.fixture(autouse=True)
def survey_rules():
    reminders.register(*notifications_alumni.REMINDERS)


def challenge_with_partners(promotion):
    """A selected challenge with a team, a mentor with an account, one without, an active
    contact of its administration and one whose request is still pending."""
    challenge = ChallengeFactory(promotion=promotion, status=Challenge.Status.SELECTED)
    TeamMemberFactory(team=TeamFactory(challenge=challenge))
    mentor = ChallengeMentorFactory(challenge=challenge, person=PersonFactory(user=UserFactory()))
    ChallengeMentorFactory(challenge=challenge)  # historical person, no account
    contact = AdministrationContact.objects.create(
        administration=challenge.administration, user=UserFactory()
    )
    AdministrationContact.objects.create(
        administration=challenge.administration,
        user=UserFactory(),
        status=AdministrationContact.Status.PENDING,
    )
    return challenge, mentor.person.user, contact.user


def ended(promotion):
    return end_promotion(promotion=promotion, by=UserFactory(is_staff=True))


def test_mentors_and_administration_contacts_get_two_surveys_each_at_the_end():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    challenge, mentor, contact = challenge_with_partners(promotion)

    result = ended(promotion)

    surveys = PartnerSurvey.objects.filter(challenge=challenge)
    assert sorted(surveys.values_list("user", "respondent", "months_after")) == sorted(
        [
            (mentor.pk, "mentor", 6),
            (mentor.pk, "mentor", 12),
            (contact.pk, "administration", 6),
            (contact.pk, "administration", 12),
        ]
    )
    assert result.partner_surveys == 4
    assert ended(promotion).partner_surveys == 4  # again: nothing more


def test_someone_both_mentor_and_contact_is_asked_once():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    challenge, mentor, _contact = challenge_with_partners(promotion)
    AdministrationContact.objects.create(administration=challenge.administration, user=mentor)
    ended(promotion)
    mine = PartnerSurvey.objects.filter(user=mentor)
    assert set(mine.values_list("respondent", "months_after")) == {("mentor", 6), ("mentor", 12)}


def test_partner_surveys_go_out_six_and_twelve_months_after_at_nine_with_a_personal_link():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    challenge, mentor, contact = challenge_with_partners(promotion)
    ended(promotion)

    reminders.sweep(now=SIX - timedelta(minutes=1))
    assert not OutboxMessage.objects.filter(event=EVENT).exists()
    reminders.sweep(now=SIX)
    reminders.sweep(now=SIX + timedelta(minutes=1))
    sent = OutboxMessage.objects.filter(event=EVENT)
    assert {m.to_email for m in sent} == {mentor.email, contact.email}
    for message in sent:
        survey = PartnerSurvey.objects.get(pk=message.object_id)
        assert survey.months_after == 6 and survey.sent_at == SIX
        assert survey.expires_at == SIX + timedelta(days=60)
        link = f"/suivi/questionnaire/{survey.token}/"
        assert link in message.body_text and link in message.body_html
        assert resolve(link).url_name == "partner_survey"
        assert challenge.title in message.subject
    reminders.sweep(now=TWELVE)
    assert OutboxMessage.objects.filter(event=EVENT).count() == 4


def test_a_partner_answers_with_dont_know_and_free_text_once(client, settings):
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    challenge, _mentor, contact = challenge_with_partners(promotion)
    ended(promotion)
    survey = PartnerSurvey.objects.get(user=contact, months_after=6)
    survey.sent_at = datetime.now(PARIS)
    survey.expires_at = survey.sent_at + timedelta(days=60)
    survey.save()
    url = reverse("cohorts:partner_survey", kwargs={"token": survey.token})

    page = client.get(url)  # no account needed: the token is the key
    assert page.status_code == 200
    content = page.content.decode()
    assert challenge.title in content and challenge.administration.name in content
    for question in ("product_in_use", "product_adopted_elsewhere", "made_permanent"):
        assert f'name="{question}"' in content
    assert "Je ne sais pas" in content

    answers = {
        "product_in_use": "yes",
        "product_adopted_elsewhere": "unknown",
        "made_permanent": "yes",
        "administration_recruited": "no",
        "comments": "Repris par la direction du numérique, deux développeurs recrutés.",
    }
    assert client.post(url, answers).status_code == 200
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert (survey.product_in_use, survey.product_adopted_elsewhere) == (True, None)
    assert (survey.made_permanent, survey.administration_recruited) == (True, False)
    assert survey.comments.startswith("Repris")
    assert client.post(url, {**answers, "made_permanent": "no"}).status_code == 410
    survey.refresh_from_db()
    assert survey.made_permanent is True
    assert (
        client.get(reverse("cohorts:partner_survey", kwargs={"token": "inconnu"})).status_code
        == 404
    )


def answer(challenge, user, months, **answers):
    survey = PartnerSurvey.objects.get(challenge=challenge, user=user, months_after=months)
    when = SIX if months == 6 else TWELVE
    return answer_partner_survey(survey=survey, now=when + timedelta(days=1), **answers)


def test_a_challenge_made_permanent_counts_from_the_partners_latest_answer_with_its_base():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    kept, kept_mentor, _kept_contact = challenge_with_partners(promotion)
    unknown, _unknown_mentor, unknown_contact = challenge_with_partners(promotion)
    dropped, dropped_mentor, _dropped_contact = challenge_with_partners(promotion)
    challenge_with_partners(promotion)  # nobody answers: not in the base
    ended(promotion)
    reminders.sweep(now=SIX)
    answer(kept, kept_mentor, 6, made_permanent=True, product_in_use=True)
    answer(unknown, unknown_contact, 6, made_permanent=None, administration_recruited=True)
    answer(dropped, dropped_mentor, 6, made_permanent=True)

    cell = programme_impact().promotions[0].values["made_permanent"]
    assert (cell.value, cell.base) == (2, 2)  # "don't know" is no knowledge of the fate

    reminders.sweep(now=TWELVE)
    answer(dropped, dropped_mentor, 12, made_permanent=False)  # the latest answer counts
    cell = programme_impact().overall["made_permanent"]
    assert (cell.value, cell.base) == (1, 2)
    page = (
        PartnerSurvey.objects.filter(answered_at__isnull=False, made_permanent__isnull=False)
        .values("challenge")
        .distinct()
        .count()
    )
    assert page == 2  # the base, counted another way


def test_staff_read_the_partners_answers_on_the_impact_dashboard(client_as):
    promotion = PromotionFactory(ends_on=date(2026, 6, 30), name="EIG 43")
    challenge, mentor, contact = challenge_with_partners(promotion)
    ended(promotion)
    reminders.sweep(now=SIX)
    answer(challenge, mentor, 6, product_in_use=True, made_permanent=True)
    answer(challenge, contact, 6, product_in_use=True, administration_recruited=None)

    page = client_as(Role.STAFF).get(reverse("cohorts:impact_dashboard"))

    content = page.content.decode()
    assert "Questionnaires des mentors et des administrations" in content
    row = content[content.index('<th scope="row">EIG 43</th>', content.index("mentors et des")) :]
    row = "".join(row[: row.index("</tr>")].split())
    # sent / planned, answered (rate), in use, adopted elsewhere, permanent, recruited
    assert "<td>2/2</td><td>2(100%)</td><td>2</td><td>0</td><td>1</td><td>0</td>" in row
    assert reverse("admin:cohorts_partnersurvey_changelist") in content
