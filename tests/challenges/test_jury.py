"""The jury of the call for projects: panels, kits, conflicts, the grid, convocations, reminders."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from challenges import notifications as events

# challenges/admin.py imports admin_jury in the project; importing it here too
# registers the jury's admin before the admin's URLs are first built.
from challenges.jury import admin as admin_jury
from challenges.jury import services as jury
from challenges.jury.views import pitch_deck_url
from challenges.models import (
    Audition,
    Challenge,
    ConflictOfInterest,
    JuryMember,
    JuryPanel,
    JuryRemark,
    KitReading,
    PanelEvaluation,
)
from challenges.services import open_kits
from eig import reminders
from eig.models import OutboxMessage
from tests.challenges.matrix_jury import sample_jury_objects
from tests.factories import (
    AdministrationFactory,
    ChallengeMentorFactory,
    DraftChallengeFactory,
    KeyFigureFactory,
    SkillFactory,
    UserFactory,
    call_for_projects,
    with_second_factor,
)

PARIS = ZoneInfo("Europe/Paris")
Profile = JuryMember.Profile

pytestmark = pytest.mark.django_db


# --- A jury, laid out the way staff do it ----------------------------------------------


def jury_call(*, kits_open=True, **kwargs):
    call = call_for_projects(phase="jury", **kwargs)
    if kits_open:
        open_kits(call=call)
    return call


def member_of(call, *, profile=Profile.ALUMNI, panel=None, administration=None, user=None):
    return JuryMember.objects.create(
        call=call,
        user=with_second_factor(user or UserFactory()),
        profile=profile,
        panel=panel,
        administration=administration,
    )


def shortlisted(call, **kwargs):
    kwargs.setdefault("complete", False)
    return DraftChallengeFactory(call=call, status=Challenge.Status.SHORTLISTED, **kwargs)


def panel_hearing(call, *, members=5, challenges=2, name="Panel 1", at=None):
    """A panel of `members` with its lead, hearing `challenges` shortlisted challenges from `at`."""
    panel = JuryPanel.objects.create(call=call, name=name)
    profiles = list(Profile)
    seated = [
        member_of(call, profile=profiles[i % len(profiles)], panel=panel) for i in range(members)
    ]
    panel.lead = seated[0]
    panel.save(update_fields=["lead"])
    starts = jury.audition_starts(
        at or reminders.paris_time(call.jury_starts_on, time(9)), challenges
    )
    for starts_at in starts:
        Audition.objects.create(panel=panel, challenge=shortlisted(call), starts_at=starts_at)
    return panel


def logged_in(client, member):
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def count_queries(client, url):
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Panels --------------------------------------------------------------------------------


def test_panels_have_five_to_eight_members_balanced_by_profile():
    call = jury_call()
    staffing = {
        Profile.STAFF: 6,
        Profile.ALUMNI: 5,
        Profile.CIVIL_SERVANT: 5,
        Profile.CIVIL_SOCIETY: 3,
        Profile.DATA_SPECIALIST: 1,
    }
    for profile, count in staffing.items():
        for _n in range(count):
            member_of(call, profile=profile)

    panels = jury.compose_panels(call=call, panel_count=3)

    assert [p.name for p in panels] == ["Panel 1", "Panel 2", "Panel 3"]
    sizes = [p.members.count() for p in panels]
    assert sorted(sizes) == [6, 7, 7]
    for profile in staffing:
        per_panel = [p.members.filter(profile=profile).count() for p in panels]
        assert max(per_panel) - min(per_panel) <= 1, (profile, per_panel)
    assert not call.jury_members.filter(panel__isnull=True).exists()


@pytest.mark.parametrize("members, panels", [(14, 3), (17, 2)])
def test_panels_cannot_be_smaller_than_five_or_larger_than_eight(members, panels):
    call = jury_call()
    for _n in range(members):
        member_of(call)
    with pytest.raises(ValidationError, match="de 5 à 8 membres"):
        jury.compose_panels(call=call, panel_count=panels)
    assert not JuryMember.objects.filter(panel__isnull=False).exists()


def test_a_member_never_sits_on_the_panel_of_their_own_administration():
    call = jury_call()
    ministry, agency = AdministrationFactory(), AdministrationFactory()
    first = JuryPanel.objects.create(call=call, name="Panel 1")
    second = JuryPanel.objects.create(call=call, name="Panel 2")
    for panel, administration in ((first, ministry), (second, agency)):
        member_of(call, panel=panel, administration=administration)
        for _n in range(4):
            member_of(call, panel=panel)
    of_ministry = [shortlisted(call, administration=ministry) for _n in range(2)]
    of_agency = [shortlisted(call, administration=agency) for _n in range(3)]

    jury.assign_challenges(call=call)

    assert {Audition.objects.get(challenge=c).panel for c in of_ministry} == {second}
    assert {Audition.objects.get(challenge=c).panel for c in of_agency} == {first}

    # Members joining later avoid the panels that hear their administration.
    newcomers = [member_of(call, administration=ministry) for _n in range(3)]
    jury.compose_panels(call=call, panel_count=2)
    assert {JuryMember.objects.get(pk=m.pk).panel for m in newcomers} == {first}


def test_a_declared_conflict_keeps_a_challenge_away_from_the_panel():
    call = jury_call()
    panels = [JuryPanel.objects.create(call=call, name=f"Panel {n}") for n in (1, 2)]
    seated = [[member_of(call, panel=panel) for _n in range(5)] for panel in panels]
    challenges = [shortlisted(call) for _n in range(4)]
    ConflictOfInterest.objects.create(
        member=seated[0][2], challenge=challenges[0], reason="ancien poste"
    )

    jury.assign_challenges(call=call)

    assert Audition.objects.get(challenge=challenges[0]).panel == panels[1]
    assert Counter(a.panel_id for a in Audition.objects.all()) == {panels[0].pk: 2, panels[1].pk: 2}


def test_assignment_refuses_when_no_panel_can_hear_a_challenge():
    call = jury_call()
    ministry = AdministrationFactory()
    for n in (1, 2):
        panel = JuryPanel.objects.create(call=call, name=f"Panel {n}")
        member_of(call, panel=panel, administration=ministry)
    challenges = [shortlisted(call) for _n in range(3)] + [
        shortlisted(call, administration=ministry)
    ]
    with pytest.raises(ValidationError, match="Aucun panel ne peut auditionner"):
        jury.assign_challenges(call=call)
    assert not Audition.objects.filter(challenge__in=challenges).exists()


def test_each_panel_hears_two_or_three_challenges():
    call = jury_call()
    for n in (1, 2, 3):
        JuryPanel.objects.create(call=call, name=f"Panel {n}")
    for _n in range(5):
        shortlisted(call)
    with pytest.raises(ValidationError, match="entre 2 et 2 panels"):
        jury.assign_challenges(call=call)
    for _n in range(3):
        shortlisted(call)
    jury.assign_challenges(call=call)
    assert sorted(Counter(Audition.objects.values_list("panel", flat=True)).values()) == [2, 3, 3]


def test_bounded_matching_moves_challenges_to_give_every_panel_two():
    # "c" can only go to A: "a" and "b" must make room for it in B.
    choices = {"a": ["A", "B"], "b": ["A", "B"], "c": ["A"], "d": ["B"]}
    placed = jury.match_with_bounds(choices, low=2, high=3, bins=["A", "B"])
    assert placed["c"] == "A" and placed["d"] == "B"
    assert Counter(placed.values()) == {"A": 2, "B": 2}
    assert (
        jury.match_with_bounds(
            {"a": ["A"], "b": ["A"], "c": ["A"], "d": ["A"]}, low=2, high=3, bins=["A", "B"]
        )
        is None
    )


# --- Kits ------------------------------------------------------------------------------


def test_kits_are_hidden_until_staff_open_them(client):
    call = jury_call(kits_open=False)
    panel = panel_hearing(call)
    member = panel.members.exclude(pk=panel.lead_id).first()
    challenge = panel.auditions.first().challenge
    client = logged_in(client, member)

    home = client.get(reverse("challenges:jury_home"))
    assert home.status_code == 200
    assert "Les dossiers ne sont pas encore ouverts" in home.content.decode()
    assert challenge.title not in home.content.decode()
    assert client.get(reverse("challenges:jury_kit", args=[challenge.pk])).status_code == 404
    assert not KitReading.objects.exists()

    open_kits(call=call)
    home = client.get(reverse("challenges:jury_home"))
    assert challenge.title in home.content.decode()
    assert client.get(reverse("challenges:jury_kit", args=[challenge.pk])).status_code == 200


def test_opening_a_kit_records_the_first_reading_only(client):
    call = jury_call()
    panel = panel_hearing(call)
    member = panel.members.last()
    challenge = panel.auditions.first().challenge
    client = logged_in(client, member)
    client.get(reverse("challenges:jury_kit", args=[challenge.pk]))
    first = KitReading.objects.get(member=member, challenge=challenge).first_read_at
    client.get(reverse("challenges:jury_kit", args=[challenge.pk]))
    assert KitReading.objects.get(member=member, challenge=challenge).first_read_at == first
    assert "Lu" in client.get(reverse("challenges:jury_home")).content.decode()


def test_a_member_leaves_and_edits_remarks_on_a_kit(client):
    call = jury_call()
    panel = panel_hearing(call)
    member = panel.members.last()
    challenge = panel.auditions.first().challenge
    client = logged_in(client, member)
    url = reverse("challenges:jury_kit", args=[challenge.pk])

    assert client.post(url, {"text": "Données peu décrites."}).status_code == 302
    assert client.post(url, {"text": "Données bien décrites."}).status_code == 302
    assert (
        JuryRemark.objects.get(member=member, challenge=challenge).text == "Données bien décrites."
    )
    assert "Données bien décrites." in client.get(url).content.decode()
    client.post(url, {"text": "  "})
    assert not JuryRemark.objects.filter(member=member).exists()


def test_a_member_of_another_panel_does_not_see_the_kit(client):
    call = jury_call()
    panel = panel_hearing(call)
    other = panel_hearing(call, name="Panel 2")
    challenge = panel.auditions.first().challenge
    client = logged_in(client, other.members.first())
    assert client.get(reverse("challenges:jury_kit", args=[challenge.pk])).status_code == 404
    assert client.get(reverse("challenges:panel_grid", args=[challenge.pk])).status_code == 404


def test_a_declared_conflict_hides_the_kit(client):
    call = jury_call()
    panel = panel_hearing(call)
    member = panel.members.last()
    challenge = panel.auditions.first().challenge
    client = logged_in(client, member)
    kit = reverse("challenges:jury_kit", args=[challenge.pk])
    conflict = reverse("challenges:jury_conflict", args=[challenge.pk])
    client.post(kit, {"text": "Un avis."})

    assert client.get(kit).status_code == 200
    assert client.get(conflict).status_code == 405
    refused = client.post(conflict, {"reason": ""})
    assert refused.status_code == 200
    assert not ConflictOfInterest.objects.exists()

    reason = "J'ai travaillé dans ce service en 2024."
    # First what it means, to confirm: nothing is recorded yet.
    confirmation = client.post(conflict, {"reason": reason})
    assert confirmation.status_code == 200
    assert "Confirmer le conflit" in confirmation.content.decode()
    assert not ConflictOfInterest.objects.exists()
    unconfirmed = client.post(conflict, {"reason": reason, "confirm_step": "1"})
    assert unconfirmed.status_code == 200 and not ConflictOfInterest.objects.exists()

    response = client.post(conflict, {"reason": reason, "confirm_step": "1", "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("challenges:jury_home")
    assert ConflictOfInterest.objects.filter(member=member, challenge=challenge).exists()
    assert client.get(kit).status_code == 404
    assert client.post(kit, {"text": "Encore un avis."}).status_code == 404
    assert not JuryRemark.objects.filter(member=member, challenge=challenge).exists()
    home = client.get(reverse("challenges:jury_home")).content.decode()
    assert "Conflit d’intérêts déclaré" in home
    assert kit not in home
    with pytest.raises(PermissionDenied):
        jury.save_remark(member=member, challenge=challenge, text="malgré tout")


def test_a_conflict_takes_effect_at_once_even_for_a_challenge_already_read():
    call = jury_call()
    panel = panel_hearing(call)
    member = panel.members.last()
    challenge = panel.auditions.first().challenge
    jury.record_reading(member=member, challenge=challenge)  # its membership is read once

    jury.declare_conflict(member=member, challenge=challenge, reason="Un proche y travaille.")

    with pytest.raises(PermissionDenied):
        jury.record_reading(member=member, challenge=challenge)
    with pytest.raises(PermissionDenied):
        jury.save_remark(member=member, challenge=challenge, text="Un avis.")


def test_text_in_a_kit_is_escaped(client):
    call = jury_call()
    panel = panel_hearing(call)
    challenge = panel.auditions.first().challenge
    challenge.problem = '<script>alert("défi")</script>'
    challenge.title = "<b>Défi</b> & données"
    challenge.save()
    client = logged_in(client, panel.members.last())
    client.post(
        reverse("challenges:jury_kit", args=[challenge.pk]),
        {"text": "<img src=x onerror=alert(1)>"},
    )

    page = client.get(reverse("challenges:jury_kit", args=[challenge.pk])).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;défi&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Défi&lt;/b&gt; &amp; données" in page
    assert "<img src=x" not in page


def test_the_kit_shows_the_file_the_grid_and_the_pitch_deck(client):
    call = jury_call()
    panel = panel_hearing(call)
    challenge = panel.auditions.first().challenge
    challenge.pitch_deck.name = "pitch-decks/presentation.pdf"
    challenge.save(update_fields=["pitch_deck"])
    page = logged_in(client, panel.members.last()).get(
        reverse("challenges:jury_kit", args=[challenge.pk])
    )
    content = page.content.decode()
    assert challenge.problem in content
    assert challenge.data_description in content
    for criterion in call.criteria.all():
        assert criterion.name.replace("'", "&#x27;") in content
    assert pitch_deck_url(challenge) in content


def test_the_kit_lists_partners_skills_mentors_figures_and_criteria_in_order(client):
    """The file's lists, read in SQL for speed, match what the models hold (read here
    through the ORM), in the order staff set them."""
    call = jury_call()
    panel = panel_hearing(call)
    challenge = panel.auditions.first().challenge
    administration = challenge.administration
    administration.partners.add(
        AdministrationFactory(name="Météo-France"), AdministrationFactory(name="Agence bio")
    )
    challenge.skills.add(
        SkillFactory(key="design", label="Design"), SkillFactory(key="dev", label="Développement")
    )
    ChallengeMentorFactory(
        challenge=challenge, kind="strategic", job_title="Directrice", position=2
    )
    ChallengeMentorFactory(challenge=challenge, kind="operational", position=1)
    KeyFigureFactory(challenge=challenge, amount=Decimal("1288"), position=2)
    KeyFigureFactory(
        challenge=challenge, amount=Decimal("12.5"), description="millions d'euros", position=1
    )

    page = (
        logged_in(client, panel.members.last())
        .get(reverse("challenges:jury_kit", args=[challenge.pk]))
        .content.decode()
    )

    def in_order(texts):
        places = [page.index(text) for text in texts]
        return places == sorted(places)

    partners = administration.partners.order_by("name").values_list("name", flat=True)
    assert f"(avec {', '.join(escape(p) for p in partners)})" in page
    assert ", ".join(challenge.skills.order_by("label").values_list("label", flat=True)) in page
    mentors = challenge.mentorships.select_related("person").order_by("position")
    lines = [
        f"{m.person.full_name} — {m.get_kind_display()}"
        + (f" ({m.job_title})" if m.job_title else "")
        for m in mentors
    ]
    assert in_order([escape(line) for line in lines])
    # French numbers: a decimal comma, a non-breaking space between thousands.
    assert in_order(["12,50 " + escape("millions d'euros"), "1\xa0288 déclarations analysées"])
    criteria = call.criteria.order_by("position").values_list("name", flat=True)
    assert in_order([escape(name) for name in criteria])


# --- The panel's grid --------------------------------------------------------------------


def test_only_the_panel_lead_records_the_grid(client):
    call = jury_call()
    panel = panel_hearing(call)
    lead = panel.lead
    fellow = panel.members.exclude(pk=lead.pk).first()
    challenge = panel.auditions.first().challenge
    JuryRemark.objects.create(member=fellow, challenge=challenge, text="Porté par la direction.")
    criteria = list(call.criteria.all())
    url = reverse("challenges:panel_grid", args=[challenge.pk])

    assert logged_in(client, fellow).get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    with pytest.raises(PermissionDenied):
        jury.record_panel_evaluation(
            member=fellow,
            challenge=challenge,
            scores={c.pk: 3 for c in criteria},
            recommendation="select",
            comment="",
        )

    client = logged_in(client, lead)
    page = client.get(url)
    assert page.status_code == 200
    assert "Porté par la direction." in page.content.decode()
    incomplete = client.post(url, {"recommendation": "select"})
    assert incomplete.status_code == 200 and not PanelEvaluation.objects.exists()
    data = {f"score_{c.pk}": str(1 + i % 5) for i, c in enumerate(criteria)}
    response = client.post(url, {**data, "recommendation": "waitlist", "comment": "Solide."})
    assert response.status_code == 302

    evaluation = PanelEvaluation.objects.get(audition__challenge=challenge)
    assert evaluation.recommendation == "waitlist" and evaluation.recorded_by == lead
    assert {s.criterion_id: s.score for s in evaluation.scores.all()} == {
        c.pk: 1 + i % 5 for i, c in enumerate(criteria)
    }
    # Recording again updates the same grid.
    client.post(url, {**data, "recommendation": "select", "comment": "Solide."})
    assert PanelEvaluation.objects.get().recommendation == "select"
    assert evaluation.scores.count() == len(criteria)


@pytest.mark.parametrize("score", [0, 6, "3"])
def test_the_grid_takes_a_score_from_one_to_five_for_each_criterion(score):
    call = jury_call()
    panel = panel_hearing(call)
    challenge = panel.auditions.first().challenge
    scores = {c.pk: 3 for c in call.criteria.all()}
    scores[next(iter(scores))] = score
    with pytest.raises(ValidationError, match="de 1 à 5"):
        jury.record_panel_evaluation(
            member=panel.lead, challenge=challenge, scores=scores, recommendation="select"
        )
    with pytest.raises(ValidationError):
        jury.record_panel_evaluation(
            member=panel.lead,
            challenge=challenge,
            scores={c.pk: 3 for c in call.criteria.all()},
            recommendation="maybe",
        )


# --- Convocations -----------------------------------------------------------------------


def test_convocation_carries_an_ics_file():
    call = jury_call()
    panel = panel_hearing(call, challenges=2)
    panel.video_link = "https://visio.exemple.gouv.fr/panel-1"
    panel.save(update_fields=["video_link"])
    jury.lay_out_timetable(call=call)
    audition = panel.auditions.order_by("starts_at").first()
    editors = [UserFactory(), UserFactory()]
    audition.challenge.editors.add(*editors)

    before = panel.auditions.earliest("starts_at").starts_at - timedelta(hours=1)
    rows = jury.send_convocations(call=call, now=before)

    rows = [row for row in rows if row.event == events.CONVOCATION.code]
    assert len(rows) == 2
    assert {row.to_email for row in rows} == {e.email for e in editors}
    row = rows[0]
    assert row.event == events.CONVOCATION.code and row.object_id == str(audition.pk)
    [attachment] = row.attachments
    assert attachment["mimetype"] == "text/calendar"
    assert attachment["filename"].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"audition-{audition.pk}@eig"
    assert event.decoded("DTSTART") == audition.administration_joins_at
    assert event.decoded("DTEND") == audition.administration_leaves_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=20)
    assert str(event["LOCATION"]) == panel.video_link
    assert audition.challenge.title in str(event["SUMMARY"])
    assert "questions" in str(event["DESCRIPTION"])
    assert audition.challenge.title in row.subject

    # Sent once, however often staff click.
    jury.send_convocations(call=call, now=before)
    assert OutboxMessage.objects.filter(event=events.CONVOCATION.code).count() == 2


def test_convocations_wait_for_a_sound_timetable():
    call = jury_call()
    panel = panel_hearing(call, challenges=2)
    first, second = panel.auditions.order_by("starts_at")
    second.starts_at = first.starts_at + timedelta(minutes=20)
    second.save()
    first.challenge.editors.add(UserFactory())
    with pytest.raises(ValidationError, match="se chevauchent"):
        jury.send_convocations(call=call, now=first.starts_at - timedelta(days=1))
    assert not OutboxMessage.objects.exists()


# --- Reminders --------------------------------------------------------------------------


@pytest.fixture
def jury_rules(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    reminders.register(*jury.REMINDERS)
    reminders.register(*jury.REMINDERS)  # twice changes nothing
    assert len(reminders.RULES) == 2


def test_jury_kit_reminder_goes_two_days_before_to_those_with_unread_kits_only(jury_rules):
    call = jury_call()
    session = datetime(2026, 3, 30, 14, 0, tzinfo=PARIS)
    panel = panel_hearing(call, members=5, challenges=3, at=session)
    first, second, third = (a.challenge for a in panel.auditions.order_by("starts_at"))
    diligent, one_remark_short, idle, conflicted, opted_out = panel.members.order_by("pk")
    for challenge in (first, second, third):
        KitReading.objects.create(member=diligent, challenge=challenge)
        JuryRemark.objects.create(member=diligent, challenge=challenge, text="Vu.")
        KitReading.objects.create(member=one_remark_short, challenge=challenge)
    JuryRemark.objects.create(member=one_remark_short, challenge=first, text="Vu.")
    JuryRemark.objects.create(member=one_remark_short, challenge=second, text="Vu.")
    ConflictOfInterest.objects.create(member=conflicted, challenge=first, reason="ancien poste")
    for challenge in (second, third):
        KitReading.objects.create(member=conflicted, challenge=challenge)
        JuryRemark.objects.create(member=conflicted, challenge=challenge, text="Vu.")
    opted_out.user.receives_optional_reminders = False
    opted_out.user.save()
    two_days_before = session - timedelta(days=2)

    assert reminders.sweep(now=two_days_before - timedelta(minutes=1))[0] == 0
    due = list(jury.kits_left_behind(two_days_before))
    assert {d.obj for d in due} == {one_remark_short, idle, opted_out}
    left = {d.obj: d.context["challenges"] for d in due}
    assert left[one_remark_short] == [third]
    assert left[idle] == [first, second, third]
    assert {d.occasion for d in due} == {"kit-2026-03-30"}

    assert reminders.sweep(now=two_days_before)[0] == 2  # the opted-out member gets none
    assert reminders.sweep(now=two_days_before + timedelta(hours=5))[0] == 0
    message = OutboxMessage.objects.get(to_email=idle.user.email)
    assert message.event == events.JURY_KIT_REMINDER.code
    assert third.title in message.body_text
    assert reminders.sweep(now=session + timedelta(minutes=1))[0] == 0


def test_no_kit_reminder_before_staff_open_the_kits(jury_rules):
    call = jury_call(kits_open=False)
    session = datetime(2026, 3, 30, 9, 0, tzinfo=PARIS)
    panel_hearing(call, at=session)
    assert list(jury.kits_left_behind(session - timedelta(days=1))) == []


def test_convocation_reminder_goes_the_day_before_at_nine(jury_rules):
    call = jury_call()
    # The audition is on the Monday after the change to summer time.
    starts_at = datetime(2026, 3, 30, 14, 0, tzinfo=PARIS)
    panel = panel_hearing(call, challenges=2, at=starts_at)
    for audition in panel.auditions.all():
        audition.challenge.editors.add(UserFactory(), UserFactory())
    # Every member has read and commented: only the convocation reminders are due.
    for member in panel.members.all():
        for audition in panel.auditions.all():
            KitReading.objects.create(member=member, challenge=audition.challenge)
            JuryRemark.objects.create(member=member, challenge=audition.challenge, text="Vu.")
    eve = date(2026, 3, 29)

    assert reminders.sweep(now=datetime(2026, 3, 29, 8, 59, tzinfo=PARIS))[0] == 0
    assert reminders.sweep(now=datetime(2026, 3, 29, 9, 0, tzinfo=PARIS))[0] == 4
    assert reminders.paris_time(eve, time(9)).astimezone(ZoneInfo("UTC")).hour == 7
    assert reminders.sweep(now=datetime(2026, 3, 30, 13, 0, tzinfo=PARIS))[0] == 0
    messages = OutboxMessage.objects.filter(event=events.CONVOCATION_REMINDER.code)
    assert messages.count() == 4
    assert all(m.idempotency_key.endswith("|eve") for m in messages)


def test_no_convocation_reminder_once_the_audition_has_started(jury_rules):
    call = jury_call()
    starts_at = datetime(2026, 3, 30, 9, 0, tzinfo=PARIS)
    panel = panel_hearing(call, challenges=2, at=starts_at)
    for audition in panel.auditions.all():
        audition.challenge.editors.add(UserFactory())
    # The sweeps missed the whole eve: the first audition has started, too late for it.
    due = list(jury.convocations_of_tomorrow(starts_at + timedelta(minutes=1)))
    assert [d.obj.starts_at for d in due] == [starts_at + timedelta(minutes=50)]


def test_reminder_rules_run_a_constant_number_of_queries(django_assert_max_num_queries):
    call = jury_call()
    session = datetime(2026, 3, 30, 9, 0, tzinfo=PARIS)
    for n in range(4):
        panel_hearing(call, name=f"Panel {n}", members=6, challenges=3, at=session)
    for audition in Audition.objects.all():
        audition.challenge.editors.add(UserFactory())
    with django_assert_max_num_queries(5):
        assert len(list(jury.kits_left_behind(session - timedelta(days=2)))) == 24
    with django_assert_max_num_queries(2):
        assert len(list(jury.convocations_of_tomorrow(session - timedelta(hours=20)))) == 12


def test_a_member_s_home_lists_the_sessions_they_sat_in_earlier_calls_with_the_panel_s_grid(
    client,
):
    from django.utils import timezone

    earlier = jury_call(now=timezone.now() - timedelta(days=365))
    past_panel = panel_hearing(earlier, challenges=2, name="Panel 2")
    heard = past_panel.auditions.order_by("starts_at").first()
    PanelEvaluation.objects.create(
        audition=heard,
        recommendation=PanelEvaluation.Recommendation.SELECT,
        comment="Un défi mûr.",
        recorded_by=past_panel.lead,
    )
    member = past_panel.members.last()
    current = call_for_projects(phase="open")
    member_of(current, user=member.user)

    home = logged_in(client, member).get(reverse("challenges:jury_home")).content.decode()

    assert "Mes sessions précédentes" in home
    assert str(earlier) in home and "Panel 2" in home
    assert heard.challenge.title in home
    assert "Sélectionner" in home and "Un défi mûr." in home
    assert "Grille non remplie" in home  # the other challenge the panel heard


# --- Query counts ------------------------------------------------------------------------


def test_jury_home_runs_the_same_queries_for_small_and_large_panels(client):
    counts = []
    for members, heard in ((5, 2), (8, 3)):
        call = jury_call()
        panel = panel_hearing(call, members=members, challenges=heard)
        member = panel.members.last()
        ConflictOfInterest.objects.create(
            member=member, challenge=panel.auditions.first().challenge, reason="lien"
        )
        for audition in panel.auditions.all()[1:]:
            KitReading.objects.create(member=member, challenge=audition.challenge)
        counts.append(count_queries(logged_in(client, member), reverse("challenges:jury_home")))
    assert counts[0] == counts[1]


def test_jury_home_runs_the_same_queries_for_one_or_three_earlier_calls(client):
    from django.utils import timezone

    counts = []
    for earlier_calls in (1, 3):
        user = UserFactory()
        for years in range(1, earlier_calls + 1):
            earlier = jury_call(now=timezone.now() - timedelta(days=365 * years))
            panel = panel_hearing(earlier, members=5, challenges=2 + years)
            member_of(earlier, user=user, panel=panel)
        member = member_of(call_for_projects(phase="open"), user=user)
        counts.append(count_queries(logged_in(client, member), reverse("challenges:jury_home")))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "changelist",
    ["admin:challenges_jurypanel_changelist", "admin:challenges_jurymember_changelist"],
)
def test_jury_changelists_run_the_same_queries_for_five_and_fifty_rows(client_as, changelist):
    assert isinstance(admin.site._registry[JuryPanel], admin_jury.JuryPanelAdmin)
    client = client_as("staff")
    call = jury_call()
    url = reverse(changelist)
    counts = []
    for rows in (5, 50):
        while JuryPanel.objects.count() < rows:
            panel = panel_hearing(
                call, name=f"Panel {JuryPanel.objects.count() + 1}", members=1, challenges=0
            )
            panel.organiser = UserFactory()
            panel.save()
        while JuryMember.objects.count() < rows:
            member_of(call, panel=panel, administration=AdministrationFactory())
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


# --- Who may open what ------------------------------------------------------------------


def test_the_jury_sample_objects_merge_with_the_matrix_ones():
    from tests.test_access_matrix import sample_objects

    assert set(sample_jury_objects()) <= set(sample_objects())


def test_the_file_and_grid_of_a_kit_are_drawn_once_for_the_whole_panel(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EIG_CACHE_SECONDS = 60
    call = jury_call()
    panel = panel_hearing(call)
    challenge = panel.auditions.first().challenge
    url = reverse("challenges:jury_kit", args=[challenge.pk])

    def visit(member):
        client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return len(queries), page

    first, second = panel.members.all()[:2]
    drawing, _page = visit(first)
    reading, page = visit(second)

    # The administration's partners, the skills, figures, mentors and the call's grid
    # (the administration is read with the challenge).
    assert drawing - reading == 5
    assert call.criteria.first().name in page and challenge.title in page


def test_opening_a_kit_records_the_first_reading_and_gives_back_ones_remarks():
    call = jury_call()
    panel = panel_hearing(call)
    member = panel.members.last()
    challenge = panel.auditions.first().challenge

    assert jury.open_kit(member=member, challenge=challenge) == ""
    first = KitReading.objects.get(member=member, challenge=challenge).first_read_at
    jury.save_remark(member=member, challenge=challenge, text="Des données bien décrites.")

    with CaptureQueriesContext(connection) as queries:
        assert jury.open_kit(member=member, challenge=challenge) == "Des données bien décrites."
    assert len(queries) == 1
    assert KitReading.objects.get(member=member, challenge=challenge).first_read_at == first
