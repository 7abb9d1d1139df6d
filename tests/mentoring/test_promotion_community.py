"""The promotion as a community: every team reads the others' updates, the week closes
on Friday 15:00 (Paris) and its recap goes to the whole promotion, help arrives the
same day, and the recap tells the truth about help and silence."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from challenges.models import ChallengeMentor
from eig import reminders
from eig.models import OutboxMessage, Role
from eig.reminders import paris_time
from mentoring import notifications as events
from mentoring import services
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.mentoring.scenario import (
    MONDAY,
    eig_of,
    log_in,
    mentor_of,
    promotion_in_residence,
    team_of,
    update_of,
)

pytestmark = pytest.mark.django_db

FRIDAY = MONDAY + timedelta(days=4)


def post(team, by, now, **fields):
    return services.post_update(
        team=team,
        by=by,
        spirit=fields.pop("spirit", 4),
        priorities=fields.pop("priorities", "Ouvrir l’API"),
        now=now,
        **fields,
    )


def emails(event, **filters):
    return OutboxMessage.objects.filter(event=event.code, **filters)


def promotion_page(client, promotion, week=None):
    url = reverse("mentoring:promotion_updates", kwargs={"code": promotion.code})
    return client.get(url, {"semaine": week.isoformat()} if week else {})


# --- 1. The promotion reads each other's updates -----------------------------------


def test_an_eig_reads_the_other_teams_updates_but_never_the_mentors_notes(promotion, client):
    mine, other = team_of(promotion, title="Signaux faibles"), team_of(promotion, title="LexImpact")
    eig = eig_of(mine)
    update_of(other, services.current_week(), priorities="Publier le simulateur")
    services.add_note(team=other, by=mentor_of(other), text="Tension dans l’équipe")
    silent = team_of(promotion, title="Équipe discrète")
    team_of(promotion_in_residence(promotion.starts_on), title="Autre promotion")

    html = promotion_page(log_in(client, eig), promotion).content.decode()
    assert "Publier le simulateur" in html and "LexImpact" in html
    assert silent.challenge.title in html and "Pas de bulletin cette semaine." in html
    assert "Tension dans l’équipe" not in html
    assert "Autre promotion" not in html
    # Its own team is a link; the others' pages (comments, notes) stay theirs.
    assert reverse("mentoring:team_updates", kwargs={"team_pk": mine.pk}) in html
    assert reverse("mentoring:team_updates", kwargs={"team_pk": other.pk}) not in html


def test_a_mentor_of_the_promotion_reads_it_and_an_outsider_does_not(promotion, client):
    team = team_of(promotion)
    assert promotion_page(log_in(client, mentor_of(team)), promotion).status_code == 200
    outsider = eig_of(team_of(promotion_in_residence(promotion.starts_on)))
    assert promotion_page(log_in(client, outsider), promotion).status_code == 404


def test_staff_stop_sharing_and_only_staff_read_the_promotions_week(promotion, client):
    team = team_of(promotion)
    eig, staff = eig_of(team), make_user(Role.STAFF)
    assert services.updates_shared(promotion)  # shared by default

    url = reverse("mentoring:promotion_update_sharing", kwargs={"code": promotion.code})
    assert log_in(client, eig).post(url, {}).status_code == 404
    assert services.updates_shared(promotion)
    response = log_in(client, staff).post(url, {})  # box unchecked
    assert response.status_code == 302
    assert not services.updates_shared(promotion)
    assert promotion_page(client, promotion).status_code == 200
    assert promotion_page(log_in(client, eig), promotion).status_code == 404
    # The team still reads its own updates.
    assert (
        client.get(reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})).status_code
        == 200
    )

    log_in(client, staff).post(url, {"shared": "on"})
    assert services.updates_shared(promotion)


@pytest.mark.parametrize("teams", [2, 12])
def test_the_promotion_page_reads_a_fixed_number_of_queries(
    promotion, client, django_assert_num_queries, teams
):
    week = services.current_week()
    mine = team_of(promotion)
    eig = eig_of(mine)
    for number in range(teams):
        team = team_of(promotion, title=f"Défi {number}")
        update_of(team, week, help_needed="Un serveur" if number % 2 else "")
    log_in(client, eig)
    # session, user, roles, promotion, membership, sharing (twice), teams, updates, own
    # teams, and the permissions the base template reads: none per team
    with django_assert_num_queries(12):
        assert promotion_page(client, promotion).status_code == 200


# --- 2. The week closes on Friday 15:00, Paris time -----------------------------------


def test_the_week_closes_on_friday_at_15h_paris():
    assert services.current_week(paris_time(FRIDAY, time(14, 59))) == MONDAY
    assert services.current_week(paris_time(FRIDAY, time(15, 0))) == MONDAY + timedelta(weeks=1)
    assert services.current_week(paris_time(MONDAY + timedelta(days=6), time(23))) == (
        MONDAY + timedelta(weeks=1)
    )


def test_an_update_posted_after_the_digest_goes_in_the_next_one():
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion, title="Signaux faibles")
    eig, staff = eig_of(team), UserFactory(is_staff=True)
    reminders.sweep(now=paris_time(FRIDAY, time(15, 0)))
    late = post(team, eig, now=paris_time(FRIDAY, time(16, 0)), priorities="Écrit après 15 h")
    assert late.week == MONDAY + timedelta(weeks=1)

    next_friday = FRIDAY + timedelta(weeks=1)
    reminders.sweep(now=paris_time(next_friday, time(15, 0)))
    digests = emails(events.WEEKLY_DIGEST, to_email=staff.email).order_by("created_at", "pk")
    assert [d.idempotency_key.rsplit("|", 1)[1] for d in digests] == ["2026-W20", "2026-W21"]
    assert "Écrit après 15 h" not in digests[0].body_text
    assert "Écrit après 15 h" in digests[1].body_text


def test_the_recap_goes_to_the_whole_promotion_except_who_opted_out():
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion)
    update_of(team, MONDAY)
    eig, mentor = eig_of(team), mentor_of(team, kind=ChallengeMentor.Kind.STRATEGIC)
    eig_of(team, receives_optional_reminders=False)
    staff = UserFactory(is_staff=True)
    outsider = eig_of(team_of(promotion_in_residence(MONDAY - timedelta(days=500))))

    reminders.sweep(now=paris_time(FRIDAY, time(15, 0)))
    recipients = set(emails(events.WEEKLY_DIGEST).values_list("to_email", flat=True))
    assert recipients == {eig.email, mentor.email, staff.email}
    assert outsider.email not in recipients


def test_a_promotion_that_does_not_share_sends_its_recap_to_staff_only():
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion)
    update_of(team, MONDAY)
    eig_of(team), mentor_of(team)
    staff = UserFactory(is_staff=True)
    services.share_updates(promotion=promotion, shared=False, by=staff)
    reminders.sweep(now=paris_time(FRIDAY, time(15, 0)))
    assert list(emails(events.WEEKLY_DIGEST).values_list("to_email", flat=True)) == [staff.email]


# --- 4. The digest tells the truth ---------------------------------------------------


def test_the_digest_keeps_old_requests_until_handled_and_counts_silent_weeks():
    promotion = promotion_in_residence(MONDAY)
    asking = team_of(promotion, title="Alpha")
    update_of(asking, MONDAY - timedelta(weeks=2), help_needed="Accès à la base SIRENE")
    handled = update_of(team_of(promotion, title="Bravo"), MONDAY, help_needed="Un serveur")
    quiet = team_of(promotion, title="Charlie")
    update_of(quiet, MONDAY - timedelta(weeks=3))
    update_of(asking, MONDAY)
    staff = UserFactory(is_staff=True)
    services.mark_help_handled(update=handled, by=staff)

    reminders.sweep(now=paris_time(FRIDAY, time(15, 0)))
    digest = emails(events.WEEKLY_DIGEST).get(to_email=staff.email)
    assert digest.subject.endswith(": 1 demande d’aide")
    pending = digest.body_text.split("DEMANDES D’AIDE EN ATTENTE")[1].split("==")[0]
    assert "Accès à la base SIRENE" in pending and "4 mai" not in pending
    assert "27 avril 2026" in pending  # the week it was asked, two weeks ago
    assert "Un serveur" not in pending
    assert "Aide demandée (prise en charge) : Un serveur" in digest.body_text
    assert "Charlie : sans bulletin depuis 3 semaines" in digest.body_text
    assert "pas de bulletin cette semaine" not in digest.body_text

    # Handled, the old request leaves the next recap.
    services.mark_help_handled(
        update=asking.weekly_updates.get(help_needed__startswith="Accès"), by=staff
    )
    reminders.sweep(now=paris_time(FRIDAY + timedelta(weeks=1), time(15, 0)))
    later = emails(events.WEEKLY_DIGEST).exclude(pk=digest.pk).get(to_email=staff.email)
    assert "Aucune demande d’aide en attente." in later.body_text
    assert "Charlie : sans bulletin depuis 4 semaines" in later.body_text


# --- 3. Help arrives the same day ----------------------------------------------------


def test_a_help_request_alerts_staff_and_the_teams_mentors_at_once(client):
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion, title="Signaux faibles")
    eig, teammate = eig_of(team), eig_of(team)
    mentor = mentor_of(team)
    mentor_of(team_of(promotion))  # another team's mentor
    staff = make_user(Role.STAFF)
    tuesday = paris_time(MONDAY + timedelta(days=1), time(10))

    update = post(team, eig, now=tuesday, help_needed="Un accès à la base")
    alerts = emails(events.HELP_REQUESTED)
    assert set(alerts.values_list("to_email", flat=True)) == {staff.email, mentor.email}
    alert = alerts.get(to_email=mentor.email)
    assert alert.subject == "Demande d’aide de l’équipe Signaux faibles"
    assert f"/equipes/{team.pk}/#bulletin-{update.pk}" in alert.body_text
    # The same request edited without change alerts nobody again; a new one does.
    post(team, teammate, now=tuesday, help_needed="Un accès à la base", victories="Démo")
    assert alerts.count() == 2
    post(team, eig, now=tuesday, help_needed="Un accès à la base et un poste")
    assert alerts.count() == 4

    # The team is told who picked it up, by email and on its page.
    update.refresh_from_db()
    services.mark_help_handled(update=update, by=staff)
    told = emails(events.HELP_PICKED_UP)
    assert set(told.values_list("to_email", flat=True)) == {eig.email, teammate.email}
    assert str(staff) in told.first().subject
    html = log_in(client, eig).get(reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}))
    assert f"Demande prise en charge par {staff}" in html.content.decode()


def test_a_mentors_comment_notifies_the_team(client):
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion)
    eig, mentor = eig_of(team), mentor_of(team)
    eig_of(team, receives_optional_reminders=False)
    update = update_of(team, services.current_week())
    log_in(client, mentor).post(
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}),
        {"text": "Bravo, on en parle jeudi"},
    )
    told = emails(events.COMMENT_POSTED)
    assert list(told.values_list("to_email", flat=True)) == [eig.email]
    assert "Bravo, on en parle jeudi" in told.get().body_text
    assert told.get().subject == f"{mentor} a commenté votre bulletin"


# --- 5. Who wrote what -----------------------------------------------------------------


def test_an_update_edited_by_a_second_eig_shows_who_wrote_what(client):
    promotion = promotion_in_residence(MONDAY)
    team = team_of(promotion)
    first = eig_of(team, first_name="Awa", last_name="Diallo")
    second = eig_of(team, first_name="Louis", last_name="Martin")
    tuesday = paris_time(MONDAY + timedelta(days=1), time(10))
    update = post(team, first, now=tuesday, priorities="Rencontrer les usagers")
    post(team, second, now=tuesday, priorities="Prototyper le tableau de bord")
    post(team, second, now=tuesday, priorities="Prototyper le tableau de bord")  # unchanged

    update.refresh_from_db()
    assert (update.author, update.edited_by) == (first, second)
    versions = list(services.update_versions(update))
    assert [(v.history_user, v.priorities) for v in versions] == [
        (second, "Prototyper le tableau de bord"),
        (first, "Rencontrer les usagers"),
    ]

    log_in(client, eig_of(team))
    page = client.get(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    ).content.decode()
    assert "Écrit par Awa Diallo" in page and "modifié par Louis Martin" in page
    history = client.get(reverse("mentoring:update_history", kwargs={"update_pk": update.pk}))
    html = history.content.decode()
    assert html.index("Version de Louis Martin") < html.index("Version de Awa Diallo")
    assert "Rencontrer les usagers" in html
    # Another team's EIG does not read it.
    outsider = eig_of(team_of(promotion))
    assert (
        log_in(client, outsider)
        .get(reverse("mentoring:update_history", kwargs={"update_pk": update.pk}))
        .status_code
        == 404
    )


# --- 6. The staff grid opens on the current week --------------------------------------


def test_the_staff_grid_opens_on_the_current_week_and_skips_weeks_before_the_promotion(client):
    today = services.paris_today()
    current = services.current_week()
    promotion = promotion_in_residence(today)
    promotion.starts_on = current - timedelta(weeks=2)
    promotion.save(update_fields=["starts_on"])
    update_of(team_of(promotion), current - timedelta(weeks=1), help_needed="Un serveur")
    log_in(client, make_user(Role.STAFF))
    html = client.get(
        reverse("mentoring:mentoring_dashboard"), {"promotion": promotion.code}
    ).content
    html = html.decode()
    columns = html.split('id="grille-titre"')[1].split("</thead>")[0].split("</abbr>")[:-1]
    assert [column[-5:] for column in columns] == [
        f"{week:%d/%m}"
        for week in (current, current - timedelta(weeks=1), current - timedelta(weeks=2))
    ]
    # The "mark as handled" button is not the last column of a table a phone scrolls away.
    help_section = html.split('id="aide-titre"')[1].split("</section>")[0]
    assert "<table" not in help_section and "Marquer comme traitée" in help_section


def test_the_recap_links_each_update_on_the_promotion_page_every_member_may_open(client):
    promotion = promotion_in_residence(MONDAY)
    mine, other = team_of(promotion), team_of(promotion, title="LexImpact")
    eig = eig_of(mine)
    update_of(other, MONDAY, priorities="Publier le simulateur")
    reminders.sweep(now=paris_time(FRIDAY, time(15, 0)))
    digest = emails(events.WEEKLY_DIGEST).get(to_email=eig.email)
    link = f"/equipes/promotion/{promotion.code}/?semaine={MONDAY.isoformat()}#equipe-{other.pk}"
    assert link in digest.body_text and link in digest.body_html
    page = log_in(client, eig).get(link.split("#")[0])
    assert page.status_code == 200 and "Publier le simulateur" in page.content.decode()
