"""The jury desk: one admin page per call where staff compose the panels, read the
timetable as a grid, solve what blocks the convocations, and send, re-send and cancel
them; juror onboarding from a list."""

from datetime import time, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from challenges import notifications as events
from challenges import services
from challenges.jury import onboarding as jury_onboarding
from challenges.jury import services as jury
from challenges.models import (
    AdministrationContact,
    Audition,
    Challenge,
    ConflictOfInterest,
    JuryMember,
    JuryPanel,
)
from eig import reminders
from eig.models import OutboxMessage, Role, User
from tests.conftest import make_user
from tests.factories import (
    AdministrationFactory,
    DraftChallengeFactory,
    UserFactory,
    with_second_factor,
)

pytestmark = pytest.mark.django_db
Profile = JuryMember.Profile


def future_call():
    """A call whose two jury days lie ahead (kits closed): the time to prepare the jury."""
    from tests.factories import call_for_projects

    return call_for_projects(phase="preselection")


def shortlisted(call, **kwargs):
    return DraftChallengeFactory(
        call=call, status=Challenge.Status.SHORTLISTED, complete=False, **kwargs
    )


def members(call, count, **kwargs):
    profiles = list(Profile)
    return [
        JuryMember.objects.create(
            call=call, user=UserFactory(), profile=profiles[n % len(profiles)], **kwargs
        )
        for n in range(count)
    ]


def ready_jury(call, *, panels=2, challenges=4, jurors=10):
    """Members invited, panels composed with lead and room, challenges placed and timed."""
    members(call, jurors)
    for _n in range(challenges):
        challenge = shortlisted(call)
        challenge.editors.add(UserFactory())
    jury.compose_panels(call=call, panel_count=panels)
    jury.assign_challenges(call=call)
    jury.lay_out_timetable(call=call)
    for panel in call.panels.all():
        panel.lead = panel.members.order_by("pk").first()
        panel.video_link = f"https://visio.exemple.gouv.fr/{panel.pk}"
        panel.save()
    return call


def desk_url(call):
    return reverse("admin:challenges_jury_desk", args=[call.pk])


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(Role.STAFF), backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- The desk ------------------------------------------------------------------------


def test_the_desk_shows_panels_the_timetable_grid_and_what_blocks_sending(staff_client):
    call = ready_jury(future_call())
    panel = call.panels.order_by("pk").first()
    panel.lead = None
    panel.save()

    page = staff_client.get(desk_url(call)).content.decode()

    assert "Bureau du jury" in page
    assert f"{panel.name} n&#x27;a pas de président·e." in page or "pas de président" in page
    for audition in Audition.objects.filter(panel__call=call).select_related("challenge"):
        assert audition.challenge.title in page
    # Both jury days, morning and afternoon, as the grid's rows.
    assert page.count('scope="row"') >= 4
    assert "matin" in page and "après-midi" in page
    assert 'class="scroll"' in page  # the grid scrolls at 390 px


def test_the_desk_is_linked_from_the_calls_admin(staff_client):
    call = future_call()
    changelist = staff_client.get(reverse("admin:challenges_callforprojects_changelist"))
    change = staff_client.get(reverse("admin:challenges_callforprojects_change", args=[call.pk]))
    assert desk_url(call) in changelist.content.decode()
    assert desk_url(call) in change.content.decode()


def desk_queries(staff_client, call):
    staff_client.get(desk_url(call))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(desk_url(call))
    assert response.status_code == 200
    return len(queries)


def crowded_call(size):
    """`size` jurors and `size` shortlisted challenges, heard by 8 panels (what the days hold)."""
    call = future_call()
    members(call, size)
    panel_count = min(8, size // JuryPanel.MIN_MEMBERS)
    jury.compose_panels(call=call, panel_count=panel_count)
    panels = list(call.panels.order_by("pk"))
    start = reminders.paris_time(call.jury_starts_on, time(9))
    for n in range(size):
        challenge = shortlisted(call)
        challenge.editors.add(UserFactory())
        Audition.objects.create(
            panel=panels[n % len(panels)],
            challenge=challenge,
            starts_at=start + timedelta(minutes=50 * (n // len(panels))),
        )
    for panel in panels:
        panel.lead = panel.members.first()
        panel.save()
    return call


def test_the_desk_reads_in_the_same_number_of_queries_for_5_and_50(staff_client):
    """5 jurors and 5 challenges, then 50 and 50 (17 queries each, session and user included)."""
    small = desk_queries(staff_client, crowded_call(5))
    large = desk_queries(staff_client, crowded_call(50))
    assert small == large
    assert large <= 20


# --- Composition ----------------------------------------------------------------------


def test_more_panels_than_the_days_hold_are_refused_at_composition_in_one_sentence():
    call = future_call()
    members(call, 60)
    with pytest.raises(ValidationError) as refused:
        jury.compose_panels(call=call, panel_count=10)
    assert len(refused.value.messages) == 1
    assert "10 panels ne tiennent pas" in refused.value.messages[0]
    assert "8 panels au plus" in refused.value.messages[0]
    assert not call.panels.exists()


def test_recomposing_either_changes_the_panels_or_says_why_not():
    call = future_call()
    members(call, 12)
    jury.compose_panels(call=call, panel_count=2)
    with pytest.raises(ValidationError, match="Rien à changer"):
        jury.compose_panels(call=call, panel_count=2)

    jury.compose_panels(call=call, panel_count=2, start_over=True)
    assert not call.jury_members.filter(panel__isnull=True).exists()

    newcomer = members(call, 1)[0]
    jury.compose_panels(call=call, panel_count=2)
    newcomer.refresh_from_db()
    assert newcomer.panel is not None


def test_recomposing_into_fewer_panels_refuses_while_a_panel_to_remove_hears_challenges():
    call = ready_jury(future_call(), panels=2, challenges=4, jurors=10)
    with pytest.raises(ValidationError, match="Panel 2"):
        jury.compose_panels(call=call, panel_count=1, start_over=True)
    assert call.panels.count() == 2


def test_deleting_a_panel_never_deletes_its_auditions(staff_client):
    call = ready_jury(future_call())
    panel = call.panels.order_by("pk").first()
    with pytest.raises(ProtectedError):
        panel.delete()
    page = staff_client.get(reverse("admin:challenges_jurypanel_delete", args=[panel.pk]))
    assert "audition" in page.content.decode().lower()
    staff_client.post(
        reverse("admin:challenges_jurypanel_delete", args=[panel.pk]), {"post": "yes"}
    )
    assert JuryPanel.objects.filter(pk=panel.pk).exists()
    assert Audition.objects.filter(panel=panel).count() == 2


# --- Readiness -------------------------------------------------------------------------


def test_each_readiness_problem_blocks_sending_until_solved():
    call = ready_jury(future_call())
    first, second = call.panels.order_by("pk")
    audition = first.auditions.order_by("starts_at").first()
    lead = first.lead
    first.lead = None
    second.video_link = ""
    second.save()
    first.save()
    heard_by_nobody = shortlisted(call, title="Défi oublié")

    problems = jury.readiness_problems(call=call)
    assert f"{first} n'a pas de président·e." in problems
    assert f"{second} n'a ni lieu ni lien de visioconférence." in problems
    assert any("« Défi oublié »" in p for p in problems)
    with pytest.raises(ValidationError):
        jury.send_convocations(call=call)
    assert not OutboxMessage.objects.exists()

    # The lead chosen is in conflict with a challenge of their panel.
    ConflictOfInterest.objects.create(member=lead, challenge=audition.challenge, reason="Ancien")
    first.lead = lead
    first.save()
    assert any(
        "conflit d'intérêts" in p and str(lead.user) in p
        for p in jury.readiness_problems(call=call)
    )

    # Past auditions: once the jury has begun, an unsent audition cannot be convoked.
    after_start = audition.starts_at + timedelta(minutes=1)
    assert any("déjà passées" in p for p in jury.readiness_problems(call=call, now=after_start))

    # Solved one by one: nothing blocks any more.
    ConflictOfInterest.objects.all().delete()
    second.place = "Ministère, salle 4"
    second.save()
    heard_by_nobody.delete()
    assert jury.readiness_problems(call=call) == []
    assert jury.send_convocations(call=call)


def test_too_many_panels_sitting_are_reported_once():
    call = future_call()
    members(call, 50)
    start = reminders.paris_time(call.jury_starts_on, time(9))
    for n in range(10):
        panel = JuryPanel.objects.create(call=call, name=f"P{n}", place="Salle")
        Audition.objects.create(panel=panel, challenge=shortlisted(call), starts_at=start)
    problems = jury.readiness_problems(call=call)
    crowded = [p for p in problems if "panels" in p and "tiennent" in p]
    assert len(crowded) == 1
    assert not any("Plus de deux panels" in p for p in problems)


# --- Convocations: draft, send, re-send ----------------------------------------------------


def convocations_of(audition, event):
    return OutboxMessage.objects.filter(event=event.code, object_id=str(audition.pk))


def vevent_of(row):
    [attachment] = row.attachments
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_a_moved_audition_is_sent_again_to_the_administration_and_the_panel():
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).order_by("starts_at").first()
    contact = UserFactory()
    AdministrationContact.objects.create(
        administration=audition.challenge.administration, user=contact
    )
    assert jury.convocation_state(audition) == jury.Convocation.DRAFT

    jury.send_convocations(call=call)
    first = convocations_of(audition, events.CONVOCATION)
    editor = audition.challenge.editors.get()
    assert {row.to_email for row in first} == {editor.email, contact.email}
    audition.refresh_from_db()
    assert jury.convocation_state(audition) == jury.Convocation.SENT

    # Staff move it later in the morning: the desk shows it to send again.
    audition.starts_at += timedelta(minutes=100)  # after the panel's second audition
    audition.save()
    assert jury.convocation_state(audition) == jury.Convocation.CHANGED
    jury.send_convocations(call=call)

    updates = convocations_of(audition, events.CONVOCATION_UPDATE)
    assert {row.to_email for row in updates} == {editor.email, contact.email}
    calendar, event = vevent_of(updates.first())
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"audition-{audition.pk}@eig"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == audition.administration_joins_at
    assert str(event["LOCATION"]) == audition.panel.video_link
    # The panel's members get their own entry moved.
    panel_rows = convocations_of(audition, events.JURY_SESSION_CHANGED)
    assert {row.to_email for row in panel_rows} == {
        m.user.email for m in audition.panel.members.select_related("user")
    }
    _calendar, panel_event = vevent_of(panel_rows.first())
    assert str(panel_event["UID"]) == f"audition-{audition.pk}-panel@eig"
    assert panel_event["SEQUENCE"] == 1

    # Clicking again sends nothing more.
    count = OutboxMessage.objects.count()
    assert jury.send_convocations(call=call) == []
    assert OutboxMessage.objects.count() == count


def test_a_moved_audition_greets_each_person_by_name_and_links_to_where_they_follow_it(settings):
    settings.SITE_URL = "https://eig.exemple.gouv.fr"
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).order_by("starts_at").first()
    jury.send_convocations(call=call)
    audition.refresh_from_db()
    audition.starts_at += timedelta(minutes=100)
    audition.save()
    jury.send_convocations(call=call)

    editor = audition.challenge.editors.get()
    update = convocations_of(audition, events.CONVOCATION_UPDATE).get(to_email=editor.email)
    assert update.body_text.startswith(f"Bonjour {editor.salutation},")
    challenge_page = reverse("challenges:challenge_edit", kwargs={"pk": audition.challenge_id})
    assert f"https://eig.exemple.gouv.fr{challenge_page}" in update.body_text
    member = audition.panel.members.select_related("user").first().user
    session = convocations_of(audition, events.JURY_SESSION_CHANGED).get(to_email=member.email)
    assert f"https://eig.exemple.gouv.fr{reverse('challenges:jury_home')}" in session.body_text


def test_a_changed_room_is_sent_again_too():
    call = ready_jury(future_call())
    jury.send_convocations(call=call)
    panel = call.panels.order_by("pk").first()
    panel.place = "Ministère, salle 12"
    panel.save()
    for audition in panel.auditions.all():
        assert jury.convocation_state(audition) == jury.Convocation.CHANGED
    jury.send_convocations(call=call)
    row = OutboxMessage.objects.filter(event=events.CONVOCATION_UPDATE.code).first()
    assert "Ministère, salle 12" in row.body_text


def test_a_cancelled_audition_sends_a_cancel():
    call = ready_jury(future_call())
    jury.send_convocations(call=call)
    audition = Audition.objects.filter(panel__call=call).select_related("challenge").first()
    # The administration withdraws its challenge: its audition is cancelled.
    services.set_challenge_status(
        challenge=audition.challenge,
        to=Challenge.Status.WITHDRAWN,
        by=audition.challenge.editors.get(),
    )
    audition.refresh_from_db()
    assert jury.convocation_state(audition) == jury.Convocation.CANCEL

    jury.send_convocations(call=call)
    [row] = convocations_of(audition, events.CONVOCATION_CANCELLED)
    calendar, event = vevent_of(row)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == f"audition-{audition.pk}@eig"
    assert event["SEQUENCE"] == 1
    assert convocations_of(audition, events.JURY_SESSION_CHANGED).count() == 5
    audition.refresh_from_db()
    assert jury.convocation_state(audition) == jury.Convocation.CANCELLED


def test_jurors_are_told_of_their_panel_and_of_open_kits_with_their_sessions():
    from challenges.services import open_kits

    call = ready_jury(future_call())
    jury.send_convocations(call=call)
    member = call.jury_members.select_related("panel").order_by("pk").first()
    [told] = OutboxMessage.objects.filter(
        event=events.JURY_PANEL_ASSIGNED.code, to_email=member.user.email
    )
    assert member.panel.name in told.subject
    calendar = icalendar.Calendar.from_ical(told.attachments[0]["content"])
    assert len(calendar.walk("VEVENT")) == member.panel.auditions.count()

    # Moved to another panel: told again, of the new one.
    other = call.panels.exclude(pk=member.panel_id).first()
    member.panel = other
    member.save()
    assert member in jury.members_to_tell(call=call)

    open_kits(call=call)
    opened = OutboxMessage.objects.filter(event=events.JURY_KITS_OPENED.code)
    assert opened.count() == call.jury_members.count()
    assert all(row.attachments for row in opened)


def test_the_send_page_shows_what_will_go_and_refuses_while_blocked(staff_client):
    call = ready_jury(future_call())
    url = reverse("admin:challenges_jury_send", args=[call.pk])
    page = staff_client.get(url).content.decode()
    assert "brouillon" in page
    assert not OutboxMessage.objects.exists()  # a GET sends nothing

    panel = call.panels.first()
    panel.video_link = ""
    panel.save()
    response = staff_client.post(url, follow=True)
    assert "ni lieu ni lien" in response.content.decode()
    assert not OutboxMessage.objects.exists()

    panel.place = "Salle 2"
    panel.save()
    staff_client.post(url)
    assert OutboxMessage.objects.filter(event=events.CONVOCATION.code).count() == 4


def test_the_desk_steps_compose_assign_and_lay_out(staff_client):
    call = future_call()
    members(call, 10)
    for _n in range(4):
        shortlisted(call)
    staff_client.post(
        reverse("admin:challenges_jury_compose", args=[call.pk]), {"panel_count": "2"}
    )
    assert call.panels.count() == 2
    again = staff_client.post(
        reverse("admin:challenges_jury_compose", args=[call.pk]), {"panel_count": "2"}
    )
    assert "Rien à changer" in again.content.decode()
    staff_client.post(reverse("admin:challenges_jury_assign", args=[call.pk]))
    staff_client.post(reverse("admin:challenges_jury_timetable", args=[call.pk]))
    assert Audition.objects.filter(panel__call=call).count() == 4
    assert jury.timetable_conflicts(call=call) == []


# --- Onboarding -------------------------------------------------------------------------

LIST = """nom;email;profil;organisation
Camille Durand;camille.durand@exemple.gouv.fr;alumni;Etalab
Léa;Martin;lea.martin@exemple.gouv.fr;Agent public;{administration}
Dominique Martin1;pas-une-adresse;alumni;Etalab
Sam Petit;sam.petit@exemple.gouv.fr;astronaute;Etalab
Alex Roy;{existing};société civile;Association X
"""


def test_a_pasted_list_is_previewed_then_invited_once():
    call = future_call()
    administration = AdministrationFactory(name="Direction du numérique")
    existing = UserFactory(first_name="Alex", last_name="Autre-Nom")
    text = LIST.format(administration="direction du numerique", existing=existing.email.upper())

    lines = jury_onboarding.preview(call=call, text=text)
    kinds = [line.kind for line in lines]
    assert kinds == ["new", "new", "invalid", "invalid", "existing"]
    assert "n'est pas une adresse" in lines[2].errors[0]
    assert "Profil « astronaute » inconnu" in lines[3].errors[0]
    assert lines[1].administration == administration
    assert not JuryMember.objects.exists()  # a preview changes nothing

    jury_onboarding.invite(call=call, text=text)
    assert call.jury_members.count() == 3
    camille = User.objects.get(email="camille.durand@exemple.gouv.fr")
    assert (camille.first_name, camille.last_name) == ("Camille", "Durand")
    assert not camille.has_usable_password()
    # Their first sign-in: the invitation's link to choose a password.
    invitation = OutboxMessage.objects.get(
        event=events.JURY_INVITATION.code, to_email=camille.email
    )
    assert reverse("account_reset_password") in invitation.body_text
    lea = call.jury_members.get(user__email="lea.martin@exemple.gouv.fr")
    assert lea.profile == Profile.CIVIL_SERVANT and lea.administration == administration
    # Linked by email, never by name: the existing account keeps its own name.
    existing.refresh_from_db()
    assert call.jury_members.filter(user=existing).exists()
    assert existing.last_name == "Autre-Nom"
    assert OutboxMessage.objects.filter(event=events.JURY_INVITATION.code).count() == 3

    # The same list again creates nothing and sends nothing.
    users = User.objects.count()
    again = jury_onboarding.invite(call=call, text=text)
    assert [line.kind for line in again].count("already") == 3
    assert User.objects.count() == users
    assert OutboxMessage.objects.filter(event=events.JURY_INVITATION.code).count() == 3


def test_a_french_list_is_read_the_same_by_staff_reading_the_admin_in_english():
    text = (
        "Léa Martin, lea@exemple.gouv.fr, agent public, X\n"
        "Sam Roy, sam@exemple.gouv.fr, spécialiste des données, Y\n"
        "Kim Lee, kim@exemple.gouv.fr, civil servant, Z\n"
    )
    with translation.override("en"):
        lines = jury_onboarding.parse(text)
    assert [line.profile for line in lines] == [
        Profile.CIVIL_SERVANT,
        Profile.DATA_SPECIALIST,
        Profile.CIVIL_SERVANT,
    ]
    assert not any(line.errors for line in lines)


def test_a_duplicate_line_is_refused_with_its_line_number():
    lines = jury_onboarding.parse(
        "A B,a@exemple.gouv.fr,alumni,X\nC D,A@exemple.gouv.fr,alumni,Y\n"
    )
    assert "ligne 1" in lines[1].errors[0]


def test_staff_invite_a_list_through_the_desk_in_one_confirmation(staff_client):
    call = future_call()
    url = reverse("admin:challenges_jury_onboard", args=[call.pk])
    text = "\n".join(f"Juré {n};jure{n}@exemple.gouv.fr;alumni;Organisation {n}" for n in range(50))
    preview = staff_client.post(url, {"text": text}).content.decode()
    assert "50 nouvelles personnes" in preview
    assert not JuryMember.objects.exists()
    staff_client.post(url, {"text": text, "confirm": "1"})
    assert call.jury_members.count() == 50
    staff_client.post(url, {"text": text, "confirm": "1"})
    assert call.jury_members.count() == 50


def test_a_csv_file_can_be_uploaded(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = future_call()
    url = reverse("admin:challenges_jury_onboard", args=[call.pk])
    upload = SimpleUploadedFile(
        "jury.csv",
        "nom,email,profil,organisation\nRené Éluard,rene@exemple.gouv.fr,alumni,DINUM\n".encode(
            "cp1252"
        ),
        content_type="text/csv",
    )
    page = staff_client.post(url, {"file": upload}).content.decode()
    assert "René" in page and "1 nouvelles personnes" in page


# --- Conflicts, withdrawn by staff --------------------------------------------------------


def test_staff_withdraw_a_conflict_after_a_confirmation(staff_client):
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).first()
    member = audition.panel.members.exclude(pk=audition.panel.lead_id).first()
    conflict = jury.declare_conflict(member=member, challenge=audition.challenge, reason="Erreur")
    assert jury.hearing_member(audition.challenge, member.user_id) is None
    url = reverse("admin:challenges_conflictofinterest_changelist")
    data = {"action": "confirmed_withdraw", "_selected_action": [conflict.pk]}

    confirm = staff_client.post(url, data)
    assert confirm.status_code == 200
    assert "verront de nouveau le dossier" in confirm.content.decode()
    assert ConflictOfInterest.objects.filter(pk=conflict.pk).exists()

    staff_client.post(url, {**data, "apply": "1"})
    assert not ConflictOfInterest.objects.exists()
    audition.challenge.__dict__.pop("_hearing_members", None)
    assert jury.hearing_member(audition.challenge, member.user_id) is not None


def test_staff_cancel_an_audition_from_its_list_after_a_confirmation(staff_client):
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).first()
    url = reverse("admin:challenges_audition_changelist")
    data = {"action": "confirmed_cancel", "_selected_action": [audition.pk]}
    assert "n’auront pas lieu" in staff_client.post(url, data).content.decode()
    audition.refresh_from_db()
    assert audition.cancelled_at is None
    staff_client.post(url, {**data, "apply": "1"})
    audition.refresh_from_db()
    assert audition.cancelled_at is not None


def test_a_declared_conflict_tells_staff():
    staff = UserFactory(is_staff=True)
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).first()
    lead = audition.panel.lead
    jury.declare_conflict(member=lead, challenge=audition.challenge, reason="J'y travaillais")
    [row] = OutboxMessage.objects.filter(event=events.CONFLICT_DECLARED.code)
    assert row.to_email == staff.email
    assert "J'y travaillais" in row.body_text
    assert "préside" in row.body_text


# --- The juror's side ------------------------------------------------------------------------


def juror_client(client, member):
    with_second_factor(member.user)
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_lead_sees_the_weighted_total_and_the_home_which_grids_are_done(client):
    from challenges.services import open_kits

    call = ready_jury(future_call())
    open_kits(call=call)
    criteria = list(call.criteria.all())
    first = criteria[0]
    first.weight = 3
    first.save()
    panel = call.panels.order_by("pk").first()
    heard = list(panel.auditions.order_by("starts_at").select_related("challenge"))
    challenge = heard[0].challenge
    client = juror_client(client, panel.lead)
    home = client.get(reverse("challenges:jury_home")).content.decode()
    assert f"Grilles du panel remplies : 0 sur {len(heard)}." in home

    jury.record_panel_evaluation(
        member=panel.lead,
        challenge=challenge,
        scores={c.pk: 4 for c in criteria},
        recommendation="select",
    )
    page = client.get(reverse("challenges:panel_grid", args=[challenge.pk])).content.decode()
    weights = sum(c.weight for c in criteria)
    # Counted another way: every criterion scored 4, so 4 points per unit of weight.
    assert f"<output data-grid-total>{4 * weights}</output> / {5 * weights}" in page
    assert "moyenne pondérée 4" in page
    home = client.get(reverse("challenges:jury_home")).content.decode()
    assert f"Grilles du panel remplies : 1 sur {len(heard)}." in home
    assert "Remplie" in home and "À remplir" in home


def test_a_juror_downloads_their_sessions_as_ics(client):
    call = ready_jury(future_call())
    member = call.jury_members.filter(panel__isnull=False).select_related("panel").first()
    response = juror_client(client, member).get(reverse("challenges:jury_sessions_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"audition-{a.pk}-panel@eig" for a in member.panel.auditions.all()}
    home = client.get(reverse("challenges:jury_home")).content.decode()
    assert reverse("challenges:jury_sessions_ics") in home


# --- English -------------------------------------------------------------------------------


def test_the_desk_speaks_english(staff_client):
    call = ready_jury(future_call())
    panel = call.panels.order_by("pk").first()
    panel.video_link = ""
    panel.save()
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = staff_client.get(desk_url(call)).content.decode()
    assert "Jury desk" in page
    assert "Audition timetable" in page and "morning" in page
    assert f"{panel.name} has neither a room nor a video link." in page
    onboarding = staff_client.get(reverse("admin:challenges_jury_onboard", args=[call.pk]))
    assert "Check the list" in onboarding.content.decode()


def test_a_juror_who_reads_english_gets_the_panel_email_in_english():
    call = ready_jury(future_call())
    member = call.jury_members.filter(panel__isnull=False).select_related("user").first()
    member.user.preferred_language = "en"
    member.user.save()
    jury.send_convocations(call=call)
    row = OutboxMessage.objects.get(
        event=events.JURY_PANEL_ASSIGNED.code, to_email=member.user.email
    )
    assert row.subject.startswith("Jury: you sit on")
    assert "Paris time" in row.body_text


def test_the_calls_list_action_leads_to_the_desk(staff_client):
    call = future_call()
    response = staff_client.post(
        reverse("admin:challenges_callforprojects_changelist"),
        {"action": "open_jury_desk", "_selected_action": [call.pk]},
    )
    assert response.status_code == 302 and response["Location"] == desk_url(call)


def test_an_administration_sees_its_audition_once_convoked_and_not_once_cancelled():
    call = ready_jury(future_call())
    audition = Audition.objects.filter(panel__call=call).select_related("challenge").first()
    assert jury.convoked_audition(audition.challenge) is None
    jury.send_convocations(call=call)
    assert jury.convoked_audition(audition.challenge) == audition
    jury.cancel_audition(audition=audition)
    assert jury.convoked_audition(audition.challenge) is None


def test_a_new_juror_gets_the_password_link_at_the_address_staff_typed(client):
    call = future_call()
    jury_onboarding.invite(call=call, text="Nadia Kader;nadia@exemple.gouv.fr;alumni;Etalab")
    client.post(reverse("account_reset_password"), {"email": "nadia@exemple.gouv.fr"})
    reset = OutboxMessage.objects.filter(event="account.email", to_email="nadia@exemple.gouv.fr")
    assert reset.count() == 1
    assert "/accounts/password/reset/key/" in reset.get().body_text
