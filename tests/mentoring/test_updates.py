"""The weekly update: one per team and week, written by its EIGs, commented by its
mentors; the mentors' notes, which the team never reads."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from challenges.models import ChallengeMentor
from eig.models import Role
from eig.reminders import paris_time
from mentoring import services
from mentoring.models import MentorNote, UpdateComment, WeeklyUpdate, monday_of
from tests.conftest import make_user, postgresql_only
from tests.factories import UserFactory
from tests.mentoring.scenario import MONDAY, eig_of, log_in, mentor_of, team_of, update_of

pytestmark = pytest.mark.django_db


def post(team, by, today=MONDAY, at=time(12, 0), **fields):
    """Post as `by` on `today` at `at`, Paris time."""
    return services.post_update(
        team=team,
        by=by,
        spirit=fields.pop("spirit", 4),
        priorities=fields.pop("priorities", "Ouvrir l’API"),
        victories=fields.pop("victories", ""),
        help_needed=fields.pop("help_needed", ""),
        now=paris_time(today, at),
        **fields,
    )


# --- One update per team and week ---------------------------------------------------


def test_one_update_per_team_and_week_enforced_by_the_database(team):
    update_of(team, MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyUpdate.objects.create(team=team, week=MONDAY, spirit=2, priorities="Encore")
    # Any day of the week files under its Monday: the same update, edited.
    eig = eig_of(team)
    assert post(team, eig, today=MONDAY + timedelta(days=3)).week == MONDAY
    assert WeeklyUpdate.objects.filter(team=team).count() == 1


def test_a_week_is_named_by_a_monday_in_the_database(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyUpdate.objects.create(
            team=team, week=MONDAY + timedelta(days=1), spirit=3, priorities="Mardi"
        )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_members_posting_at_the_same_instant_edit_one_update(promotion):
    team = team_of(promotion)
    members = [eig_of(team) for _ in range(4)]
    start = threading.Barrier(len(members))
    errors = []

    def write(member):
        try:
            start.wait()
            post(team, member, priorities=f"Priorités de {member.email}")
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert WeeklyUpdate.objects.filter(team=team, week=MONDAY).count() == 1


def test_any_member_edits_this_weeks_update(team, client):
    first, second = eig_of(team), eig_of(team)
    written = post(team, first, priorities="Rencontrer les usagers")
    edited = post(
        team,
        second,
        today=MONDAY + timedelta(days=4),  # Friday, before the week closes at 15:00
        at=time(14, 59),
        priorities="Rencontrer les usagers, puis prototyper",
        victories="Premier export des données",
    )
    assert edited.pk == written.pk
    written.refresh_from_db()
    assert written.priorities == "Rencontrer les usagers, puis prototyper"
    assert written.victories == "Premier export des données"
    assert written.author == first

    # Through the screen, this week's update is in the form, ready to edit.
    this_week = update_of(team, services.paris_today(), priorities="Livrer la v1")
    url = reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    page = log_in(client, second).get(url).content.decode()
    assert "Mettre à jour le bulletin" in page and "Livrer la v1" in page
    response = client.post(
        url,
        {"week": this_week.week.isoformat(), "spirit": "5", "priorities": "Livrer la v1.1"},
    )
    assert response.status_code == 302
    this_week.refresh_from_db()
    assert (this_week.spirit, this_week.priorities) == (5, "Livrer la v1.1")


def test_only_the_teams_eigs_write_its_update(team, promotion):
    with pytest.raises(PermissionDenied):
        post(team, mentor_of(team))
    with pytest.raises(PermissionDenied):
        post(team, eig_of(team_of(promotion)))
    with pytest.raises(PermissionDenied):
        post(team, UserFactory(is_staff=True))
    assert not WeeklyUpdate.objects.exists()


def test_a_mentor_cannot_post_an_update_through_the_screen(team, client):
    response = log_in(client, mentor_of(team)).post(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}),
        {"week": monday_of(services.paris_today()).isoformat(), "spirit": "1", "priorities": "x"},
    )
    assert response.status_code == 404
    assert not WeeklyUpdate.objects.exists()


def test_staff_read_but_do_not_write_a_teams_update_even_as_superusers(team, client):
    staff = make_user(Role.STAFF)
    assert staff.is_superuser
    url = reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    page = log_in(client, staff).get(url).content.decode()
    assert "Publier le bulletin" not in page and "Notes des mentors" in page
    week = monday_of(services.paris_today()).isoformat()
    response = client.post(url, {"week": week, "spirit": "3", "priorities": "À leur place"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        post(team, staff)
    assert not WeeklyUpdate.objects.exists()


def test_a_past_weeks_update_is_refused_with_a_clear_message(team, client):
    eig = eig_of(team)
    last_week = MONDAY - timedelta(weeks=1)
    past = update_of(team, last_week, priorities="Ce qui a été écrit")
    with pytest.raises(ValidationError) as refused:
        post(team, eig, week=last_week, priorities="Réécrire l’histoire")
    assert refused.value.messages == [
        "Le bulletin de la semaine du 4 mai 2026 est clos : seul celui de la semaine en cours "
        "(du 11 mai 2026) peut encore être écrit ou modifié."
    ]
    past.refresh_from_db()
    assert past.priorities == "Ce qui a été écrit"

    # A form opened last week and sent this week is refused on the screen, with that message.
    today = services.paris_today()
    previous = monday_of(today) - timedelta(weeks=1)
    response = log_in(client, eig).post(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}),
        {"week": previous.isoformat(), "spirit": "3", "priorities": "Trop tard"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "est clos : seul celui de la semaine en cours" in html
    assert not WeeklyUpdate.objects.filter(priorities="Trop tard").exists()
    # The text is kept and the form now files under this week: sending it again works.
    assert "Trop tard" in html
    assert f'name="week" value="{monday_of(today).isoformat()}"' in html


def test_the_week_is_the_week_in_paris():
    # Sunday 22:30 UTC is already Monday 00:30 in Paris (summer time).
    sunday_night = datetime(2026, 5, 10, 22, 30, tzinfo=UTC)
    assert monday_of(services.paris_today(sunday_night)) == MONDAY


def test_a_changed_help_request_is_open_again(team):
    eig, staff = eig_of(team), UserFactory(is_staff=True)
    update = post(team, eig, help_needed="Un accès à la base")
    services.mark_help_handled(update=update, by=staff)
    post(team, eig, help_needed="Un accès à la base")  # unchanged: stays handled
    assert WeeklyUpdate.objects.open_help_requests().count() == 0
    post(team, eig, help_needed="Un accès à la base, et un poste de travail")
    assert list(WeeklyUpdate.objects.open_help_requests()) == [update]


# --- Comments -----------------------------------------------------------------------


def test_mentors_and_staff_comment_and_the_team_reads_it(team, client):
    eig, mentor = eig_of(team), mentor_of(team, kind=ChallengeMentor.Kind.STRATEGIC)
    update = update_of(team, services.paris_today())
    log_in(client, mentor).post(
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}),
        {"text": "Bravo <b>l’équipe</b> !"},
    )
    services.comment(update=update, by=UserFactory(is_staff=True), text="On en parle jeudi.")
    assert UpdateComment.objects.filter(update=update).count() == 2

    page = log_in(client, eig).get(reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}))
    html = page.content.decode()
    assert "Bravo &lt;b&gt;l’équipe&lt;/b&gt; !" in html
    assert "On en parle jeudi." in html
    assert 'action="/equipes/bulletins/' not in html  # no comment form for the team itself


def test_an_eig_does_not_comment(team, client):
    eig = eig_of(team)
    update = update_of(team, services.paris_today())
    with pytest.raises(PermissionDenied):
        services.comment(update=update, by=eig, text="Auto-congratulation")
    response = log_in(client, eig).post(
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}), {"text": "Hop"}
    )
    assert response.status_code == 404
    assert not UpdateComment.objects.exists()


# --- The mentors' notes -----------------------------------------------------------------


def test_an_eig_never_sees_mentor_notes(team, client):
    eig, mentor = eig_of(team), mentor_of(team)
    services.add_note(team=team, by=mentor, text="Tension dans l’équipe à surveiller")
    assert list(services.visible_notes(team=team, user=eig)) == []
    with pytest.raises(PermissionDenied):
        services.add_note(team=team, by=eig, text="Je lis ?")

    log_in(client, eig)
    page = client.get(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    ).content.decode()
    assert "Tension dans l’équipe" not in page
    assert "Notes des mentors" not in page
    notes_url = reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk})
    assert client.get(notes_url).status_code == 404
    assert client.post(notes_url, {"text": "Intrusion"}).status_code == 404
    assert MentorNote.objects.count() == 1


def test_an_eig_who_also_mentors_the_team_still_never_sees_its_notes(team):
    eig = eig_of(team)
    ChallengeMentor.objects.create(challenge=team.challenge, person=eig.person)
    services.add_note(team=team, by=mentor_of(team), text="Privé")
    assert list(services.visible_notes(team=team, user=eig)) == []


def test_another_teams_mentor_notes_are_404(team, promotion, client):
    other_mentor = mentor_of(team_of(promotion))
    services.add_note(team=team, by=mentor_of(team), text="Réservé aux mentors de l’équipe")
    assert list(services.visible_notes(team=team, user=other_mentor)) == []
    with pytest.raises(PermissionDenied):
        services.add_note(team=team, by=other_mentor, text="Je m’invite")

    log_in(client, other_mentor)
    assert (
        client.get(reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk})).status_code
        == 404
    )
    assert (
        client.get(reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})).status_code
        == 404
    )


def test_operational_and_strategic_mentors_share_their_teams_notes(team, client):
    operational = mentor_of(team, kind=ChallengeMentor.Kind.OPERATIONAL)
    strategic = mentor_of(team, kind=ChallengeMentor.Kind.STRATEGIC)
    log_in(client, operational).post(
        reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk}),
        {"text": "Point <i>budget</i>"},
    )
    assert [note.text for note in services.visible_notes(team=team, user=strategic)] == [
        "Point <i>budget</i>"
    ]
    page = log_in(client, strategic).get(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    )
    assert "Point &lt;i&gt;budget&lt;/i&gt;" in page.content.decode()


def test_staff_see_all_notes(team, promotion, client):
    other = team_of(promotion)
    services.add_note(team=team, by=mentor_of(team), text="Note sur l’équipe")
    services.add_note(
        team=team, by=mentor_of(team, kind=ChallengeMentor.Kind.STRATEGIC), text="Autre note"
    )
    services.add_note(team=other, by=mentor_of(other), text="Note sur l’autre équipe")
    staff = make_user(Role.STAFF)
    assert {n.text for n in services.visible_notes(team=team, user=staff)} == {
        "Note sur l’équipe",
        "Autre note",
    }
    assert [n.text for n in services.visible_notes(team=other, user=staff)] == [
        "Note sur l’autre équipe"
    ]
    page = log_in(client, staff).get(reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk}))
    assert page.status_code == 200
    assert "Note sur l’équipe" in page.content.decode()
    assert "Autre note" in page.content.decode()


# --- The screens -------------------------------------------------------------------------


def test_my_teams_lists_an_eigs_team_and_a_mentors_teams(team, promotion, client):
    eig, mentor = eig_of(team), mentor_of(team)
    other = team_of(promotion, title="CartoBio")
    ChallengeMentor.objects.create(challenge=other.challenge, person=mentor.person)

    page = log_in(client, eig).get(reverse("mentoring:my_teams")).content.decode()
    assert "Signaux faibles" in page and "CartoBio" not in page
    page = log_in(client, mentor).get(reverse("mentoring:my_teams")).content.decode()
    assert "Signaux faibles" in page and "CartoBio" in page

    response = log_in(client, make_user(Role.STAFF)).get(reverse("mentoring:my_teams"))
    assert response.url == reverse("mentoring:mentoring_dashboard")


def test_the_team_page_shows_the_updates_latest_first(team, client):
    today = services.paris_today()
    update_of(team, today - timedelta(weeks=2), priorities="Bulletin ancien")
    update_of(team, today - timedelta(weeks=1), priorities="Bulletin récent <script>")
    page = log_in(client, mentor_of(team)).get(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk})
    )
    html = page.content.decode()
    assert html.index("Bulletin récent") < html.index("Bulletin ancien")
    assert "Bulletin récent &lt;script&gt;" in html
    assert "Notes des mentors" in html
    assert "Publier le bulletin" not in html  # mentors do not write the update
