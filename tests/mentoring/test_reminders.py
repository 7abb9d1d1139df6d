"""The teams are reminded to write their update; staff get the Friday digest.
Both come from the database at Paris wall-clock time, once each."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eig import reminders
from eig.models import OutboxMessage
from mentoring import notifications as events
from mentoring.reminders import REMINDERS
from tests.factories import TeamMemberFactory, UserFactory
from tests.mentoring.scenario import MONDAY, eig_of, promotion_in_residence, team_of, update_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
REMINDER = events.UPDATE_REMINDER.code
DIGEST = events.WEEKLY_DIGEST.code


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def sent(event, **filters):
    return OutboxMessage.objects.filter(event=event, **filters)


def reminded_for(iso_week):
    rows = sent(REMINDER, idempotency_key__endswith=f"|{iso_week}")
    return sorted(rows.values_list("to_email", flat=True))


def test_the_mentoring_rules_are_in_the_sweep_once():
    assert all(reminders.RULES.count(rule) == 1 for rule in REMINDERS)


def test_teams_without_update_are_reminded_from_monday_noon():
    promotion = promotion_in_residence(MONDAY)
    silent = team_of(promotion, title="Signaux <faibles>", pk=12345)  # no "12 345" in links
    first, second = eig_of(silent), eig_of(silent)
    eig_of(silent, is_active=False)
    TeamMemberFactory(team=silent)  # an EIG without an account
    wrote = team_of(promotion)
    diligent = eig_of(wrote)
    update_of(wrote, MONDAY)
    eig_of(team_of(promotion_in_residence(MONDAY - timedelta(days=500))))  # a past promotion

    reminders.sweep(now=at(MONDAY, 11, 59))
    assert not sent(REMINDER).exists()

    reminders.sweep(now=at(MONDAY, 12, 0))
    rows = sent(REMINDER).order_by("to_email")
    assert [row.to_email for row in rows] == sorted([first.email, second.email])
    assert {row.idempotency_key.split("|")[3] for row in rows} == {"2026-W20"}
    assert {row.object_id for row in rows} == {str(silent.pk)}
    row = rows[0]
    assert row.subject == "Bulletin de la semaine : Signaux <faibles> ne l’a pas encore écrit"
    assert "/equipes/12345/" in row.body_text and 'equipes/12345/"' in row.body_html
    assert "Signaux &lt;faibles&gt;" in row.body_html

    # Once a week: the sweeps of the week create nothing more.
    for day, hour in (
        (MONDAY, 12),
        (MONDAY + timedelta(days=1), 9),
        (MONDAY + timedelta(days=4), 14),
    ):
        reminders.sweep(now=at(day, hour, 30))
    assert sent(REMINDER).count() == 2

    # A team formed during the week is reminded at the next sweep, until the week
    # closes on Friday 15:00; after that, what it writes goes into the next week.
    late = team_of(promotion)
    latecomer = eig_of(late)
    reminders.sweep(now=at(MONDAY + timedelta(days=4), 14, 59))
    assert sent(REMINDER, to_email=latecomer.email).count() == 1
    later = eig_of(team_of(promotion))
    reminders.sweep(now=at(MONDAY + timedelta(days=4), 15, 0))
    reminders.sweep(now=at(MONDAY + timedelta(days=6), 23, 59))
    assert not sent(REMINDER, to_email=later.email).exists()

    # The next week, from Monday noon, a new reminder to whoever has not written.
    next_monday = MONDAY + timedelta(weeks=1)
    update_of(silent, next_monday)
    reminders.sweep(now=at(next_monday, 11, 0))
    assert sent(REMINDER).count() == 3
    reminders.sweep(now=at(next_monday, 12, 0))
    assert reminded_for("2026-W21") == sorted([diligent.email, latecomer.email, later.email])
    assert sent(REMINDER, to_email=first.email).count() == 1


def test_an_eig_who_refused_optional_reminders_is_not_reminded():
    team = team_of(promotion_in_residence(MONDAY))
    eig_of(team, receives_optional_reminders=False)
    reminders.sweep(now=at(MONDAY, 12, 0))
    assert not sent(REMINDER).exists()


@pytest.mark.parametrize(
    "friday, utc_hour",
    [(date(2026, 6, 12), 13), (date(2026, 12, 11), 14)],
    ids=["summer", "winter"],
)
def test_the_friday_digest_goes_at_15h_paris_in_summer_and_winter(friday, utc_hour):
    promotion = promotion_in_residence(friday)
    update_of(team_of(promotion), friday)
    staff = [UserFactory(is_staff=True) for _ in range(2)]
    UserFactory(is_staff=True, is_active=False)
    UserFactory(is_staff=True, receives_optional_reminders=False)
    UserFactory()

    def instant(hour, minute=0):
        return datetime(friday.year, friday.month, friday.day, hour, minute, tzinfo=UTC)

    reminders.sweep(now=instant(utc_hour - 1, 59))
    assert not sent(DIGEST).exists()
    reminders.sweep(now=instant(utc_hour, 0))
    assert sorted(sent(DIGEST).values_list("to_email", flat=True)) == sorted(
        user.email for user in staff
    )
    week = friday.isocalendar().week
    assert all(
        key.endswith(f"|eig.promotion:{promotion.pk}|{user.email}|{friday.year}-W{week}")
        for key, user in zip(
            sent(DIGEST).order_by("to_email").values_list("idempotency_key", flat=True),
            sorted(staff, key=lambda u: u.email),
            strict=True,
        )
    )
    # Once: the weekend's sweeps add nothing; the Thursday before had nothing to send.
    reminders.sweep(now=instant(utc_hour + 5))
    reminders.sweep(now=instant(utc_hour, 0) + timedelta(days=2))
    assert sent(DIGEST).count() == 2


def test_no_digest_before_friday_or_without_a_promotion_in_residence():
    friday = MONDAY + timedelta(days=4)
    UserFactory(is_staff=True)
    reminders.sweep(now=at(friday, 15, 0))  # no promotion in residence
    assert not sent(DIGEST).exists()
    team_of(promotion_in_residence(friday))
    reminders.sweep(now=at(friday - timedelta(days=1), 15, 0))
    assert not sent(DIGEST).exists()
    reminders.sweep(now=at(friday, 15, 0))
    assert sent(DIGEST).count() == 1


def test_the_digest_lists_help_requests_first_and_escapes_text():
    friday = MONDAY + timedelta(days=4)
    promotion = promotion_in_residence(friday)
    update_of(
        team_of(promotion, title="Alpha"),
        MONDAY,
        spirit=5,
        priorities="Tout va <b>bien</b>",
    )
    update_of(
        team_of(promotion, title="Bravo"),
        MONDAY,
        spirit=2,
        priorities="Déployer",
        help_needed="<script>alert('aide')</script> & un serveur",
    )
    team_of(promotion, title="Charlie")  # nothing this week
    update_of(team_of(promotion, title="Delta"), MONDAY - timedelta(weeks=1))  # last week's only
    staff = UserFactory(is_staff=True)

    reminders.sweep(now=at(friday, 15, 0))
    digest = sent(DIGEST).get(to_email=staff.email)

    assert digest.subject == "Bulletins de la semaine du 11 mai 2026 : 1 demande d’aide"
    html, text = digest.body_html, digest.body_text
    assert html.index("Bravo") < html.index("Alpha")
    assert text.index("Bravo") < text.index("Alpha")
    assert "&lt;script&gt;alert(&#x27;aide&#x27;)&lt;/script&gt; &amp; un serveur" in html
    assert "<script>" not in html and "<b>bien</b>" not in html
    assert "Tout va &lt;b&gt;bien&lt;/b&gt;" in html
    # Plain text is not HTML: the reader sees what the team wrote.
    assert "BESOIN D’AIDE : <script>alert('aide')</script> & un serveur" in text
    missing = html.split("Équipes sans bulletin cette semaine")[1]
    assert "Charlie" in missing and "Delta" in missing and "Alpha" not in missing
    assert "Charlie" in text.split("Équipes sans bulletin cette semaine :")[1]
