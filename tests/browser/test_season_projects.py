"""The season rehearsal of the call for projects, in the browser, at EIG 4's volume.

A call opens; 32 administrations submit (three through the browser); the programme's
staff, alone in the Django admin, qualify every challenge beside its file, decline 11
(each with its reason) and shortlist 21, bring 50 jurors in from one pasted list, compose 8 panels, fix what
the jury desk's readiness checks flag, send the convocations, move one audition (its
administration gets the update: same calendar entry, next SEQUENCE), open the kits;
jurors read and remark, leads fill the panels' grids; staff decide in the decisions
table (17 selected, as in EIG 4) and publish through the confirmation page; administrations read the decision and
its reason on their challenge's page.

Every page the staff's browser loads and every form it submits is counted: the season
must stay an afternoon of clicks for one person (today, without the desk, jurors alone
took about 300 form actions). Time is data: the call's dates are moved server-side
from one stage to the next, the browser always acts "now".
"""

from dataclasses import dataclass, field
from datetime import timedelta

import icalendar
import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from challenges import notifications as events
from challenges import services
from challenges.jury import services as jury
from challenges.models import (
    AdministrationContact,
    Audition,
    CallForProjects,
    Challenge,
    JuryMember,
    PanelEvaluation,
)
from eig.models import OutboxMessage, Role
from tests.browser.test_challenge_drafting import log_in
from tests.conftest import make_user
from tests.factories import (
    AdministrationFactory,
    DraftChallengeFactory,
    UserFactory,
    call_for_projects,
    with_second_factor,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMITTED, SHORTLISTED, SELECTED, PANELS, JURORS = 32, 21, 17, 8, 50
# One person, one afternoon: well under what jurors alone cost before (about 300).
STAFF_ACTIONS_BUDGET = 150
PROFILES = ["alumni", "agent public", "société civile", "spécialiste des données", "équipe"]
Recommendation = PanelEvaluation.Recommendation
DECISION_OF = {
    Recommendation.SELECT: Challenge.Status.SELECTED,
    Recommendation.WAITLIST: Challenge.Status.WAITLISTED,
    Recommendation.NOT_SELECT: Challenge.Status.NOT_SELECTED,
}


# --- Counting the staff's actions ------------------------------------------------------


@dataclass
class StaffActions:
    """What the staff's browser did: forms submitted, pages asked for (typed or clicked),
    and pages that followed a submission by themselves (redirects)."""

    submissions: int = 0
    page_loads: int = 0
    redirected: int = 0
    log: list = field(default_factory=list)

    def watch(self, page):
        page.on("request", lambda request: self._seen(page, request))

    def _seen(self, page, request):
        if not request.is_navigation_request() or request.frame != page.main_frame:
            return
        if request.method == "POST":
            self.submissions += 1
        elif request.redirected_from is not None:
            self.redirected += 1
            return
        else:
            self.page_loads += 1
        self.log.append(f"{request.method} {request.url}")

    @property
    def total(self):
        return self.submissions + self.page_loads


# --- The people and the calendar ----------------------------------------------------------


def session_for(page, live_server, user):
    """Sign in as `user` with two factors: a session that passed them, as in the other
    browser tests (typing a TOTP code would race the code's 30 seconds on a busy machine)."""
    with_second_factor(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def as_administration(page, live_server, contact):
    """An administration's contact signs in with their password (no second factor)."""
    page.context.clear_cookies()
    log_in(page, live_server, contact.email)


def administrations_draft(call):
    """32 administrations, each with its contact (a verified address) and its complete
    draft: titles numbered so the qualification screen's order is the list's."""
    drafts = []
    for n in range(1, SUBMITTED + 1):
        administration = AdministrationFactory(name=f"Direction des données n°{n:02d}")
        contact = UserFactory(email=f"contact{n:02d}@exemple.gouv.fr", first_name=f"Contact {n}")
        EmailAddress.objects.create(user=contact, email=contact.email, verified=True, primary=True)
        AdministrationContact.objects.create(administration=administration, user=contact)
        challenge = DraftChallengeFactory(
            call=call, administration=administration, title=f"Défi {n:02d} des données"
        )
        challenge.editors.add(contact)
        drafts.append((challenge, contact))
    return drafts


def the_deadline_passes(call):
    CallForProjects.objects.filter(pk=call.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )


def the_preselection_ends(call):
    """The shortlist is public; the two jury days still lie ahead."""
    CallForProjects.objects.filter(pk=call.pk).update(
        preselection_ends_at=timezone.now() - timedelta(minutes=1)
    )


def juror_list(drafts):
    """The list staff keep in a spreadsheet, pasted as is: 50 lines, two jurors from
    administrations that submitted (the platform must not seat them on their own)."""
    lines = []
    for n in range(JURORS):
        organisation = drafts[n][0].administration.name if n < 2 else f"Organisation {n}"
        lines.append(
            f"Juré·e {n:02d} Martin\tjure{n:02d}@exemple.fr\t{PROFILES[n % 5]}\t{organisation}"
        )
    return "\n".join(lines)


def messages_of(page):
    return page.locator(".messagelist")


# --- The season -----------------------------------------------------------------------------


def test_a_whole_call_for_projects_season_from_the_platform_alone(live_server, page, browser):
    base = live_server.url
    call = call_for_projects(phase="open")
    criteria = list(call.criteria.all())
    drafts = administrations_draft(call)

    # 1. Three administrations submit through the browser, the others through the service.
    for challenge, contact in drafts[:3]:
        as_administration(page, live_server, contact)
        page.goto(f"{base}/appel-a-projets/mes-defis/{challenge.pk}/")
        page.get_by_role("button", name="Déposer le défi").click()
        expect(page.get_by_role("status").first).to_contain_text("Votre défi est déposé")
    for challenge, contact in drafts[3:]:
        services.set_challenge_status(
            challenge=challenge, to=Challenge.Status.SUBMITTED, by=contact
        )
    assert Challenge.objects.filter(call=call, status="submitted").count() == SUBMITTED

    # Staff work in their own browser window, every navigation counted.
    staff = make_user(Role.STAFF)
    staff_context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    desk = staff_context.new_page()
    actions = StaffActions()
    actions.watch(desk)
    session_for(desk, live_server, staff)
    the_deadline_passes(call)

    # 2. Qualification: each challenge beside its file, saved and on to the next one.
    first = drafts[0][0]
    desk.goto(f"{base}/admin/challenges/challenge/{first.pk}/qualification/")
    for n, (challenge, _contact) in enumerate(drafts, start=1):
        expect(desk.get_by_role("heading", name=f"Qualifier « {challenge.title} »")).to_be_visible()
        score = 2 if n > SHORTLISTED else 3 + n % 3
        for criterion in criteria:
            desk.locator(f"input[name=score_{criterion.pk}][value='{score}']").check()
        button = "Enregistrer et passer au défi suivant" if n < SUBMITTED else "Enregistrer"
        desk.get_by_role("button", name=button, exact=True).click()
        expect(messages_of(desk)).to_contain_text(f"Qualification de « {challenge.title} »")
    assert all(c.assessments.count() == len(criteria) for c, _ in drafts)

    # The weakest are declined from their screen, each with its reason, asked on confirmation.
    for challenge, _contact in drafts[SHORTLISTED:]:
        desk.goto(f"{base}/admin/challenges/challenge/{challenge.pk}/qualification/")
        desk.get_by_role("button", name="Ne pas retenir…").click()
        desk.get_by_label("Motif (communiqué à l'administration)").fill(
            f"Le besoin de « {challenge.title} » est déjà couvert par un service existant."
        )
        desk.get_by_role("button", name="Confirmer").click()
        expect(messages_of(desk)).to_contain_text("1 défi(s) mis à jour.")

    # The 21 others are shortlisted at once from the filtered list, through its confirmation.
    desk.goto(
        f"{base}/admin/challenges/challenge/?call__id__exact={call.pk}&status__exact=submitted"
    )
    desk.locator("#action-toggle").check()
    desk.locator("select[name=action]").select_option("move_to_shortlisted")
    desk.locator("button[name=index]").click()
    expect(desk.get_by_text("Défis concernés")).to_be_visible()
    desk.get_by_role("button", name="Confirmer").click()
    expect(messages_of(desk)).to_contain_text(f"{SHORTLISTED} défi(s) mis à jour.")
    assert Challenge.objects.filter(call=call, status="shortlisted").count() == SHORTLISTED
    assert Challenge.objects.filter(call=call, status="declined").count() == SUBMITTED - SHORTLISTED
    the_preselection_ends(call)

    # 3. The jury desk: 50 jurors from one pasted list, previewed, then invited.
    desk_url = f"{base}/admin/challenges/jurypanel/bureau/{call.pk}/"
    desk.goto(desk_url)
    desk.get_by_role("link", name="Inviter des membres (liste)").click()
    desk.get_by_label("Liste des membres du jury").fill(juror_list(drafts))
    desk.get_by_role("button", name="Vérifier la liste").click()
    expect(desk.get_by_text(f"{JURORS} nouvelles personnes")).to_be_visible()
    desk.get_by_role("button", name=f"Inviter {JURORS} personnes").click()
    expect(messages_of(desk)).to_contain_text(f"{JURORS} invitations envoyées")
    assert JuryMember.objects.filter(call=call).count() == JURORS
    assert OutboxMessage.objects.filter(event=events.JURY_INVITATION.code).count() == JURORS
    assert JuryMember.objects.filter(call=call, administration__isnull=False).count() == 2

    # Panels, the challenges among them, the timetable: each a page saying what it does.
    desk.get_by_role("link", name="Composer les panels").click()
    desk.get_by_label("Nombre de panels").fill(str(PANELS))
    desk.get_by_role("button", name="Composer").click()
    expect(messages_of(desk)).to_contain_text(f"{PANELS} panels composés")
    desk.get_by_role("link", name="Répartir les défis").click()
    desk.get_by_role("button", name="Répartir les défis présélectionnés").click()
    expect(messages_of(desk)).to_contain_text(f"{SHORTLISTED} défis répartis.")
    desk.get_by_role("link", name="Établir le calendrier").click()
    desk.get_by_role("button", name="Établir le calendrier des auditions").click()
    expect(messages_of(desk)).to_contain_text(f"{SHORTLISTED} auditions placées")

    # The readiness checks flag every panel without its lead and its room: staff fix them.
    expect(desk.get_by_text(f"{2 * PANELS} points bloquent l’envoi")).to_be_visible()
    panels = list(call.panels.order_by("pk"))
    desk.goto(f"{base}/admin/challenges/jurypanel/?call__id__exact={call.pk}")
    for n, panel in enumerate(panels):
        desk.get_by_role("link", name=panel.name, exact=True).click()
        lead = desk.locator("#id_lead option").nth(1).get_attribute("value")
        desk.locator("#id_lead").select_option(lead)
        if n % 2:
            desk.locator("#id_video_link").fill(f"https://webconf.exemple.gouv.fr/jury-{n}")
        else:
            desk.locator("#id_place").fill(f"20 avenue de Ségur, Paris, salle {n + 1}")
        desk.locator("input[name=_save]").click()
        expect(messages_of(desk)).to_contain_text(panel.name)
    desk.goto(desk_url)
    expect(desk.get_by_text("Rien ne bloque l’envoi.")).to_be_visible()
    assert jury.readiness_problems(call=call) == []
    # No juror hears a challenge of their own administration.
    for member in JuryMember.objects.filter(call=call, administration__isnull=False):
        heard = Challenge.objects.filter(audition__panel=member.panel)
        assert not heard.filter(administration=member.administration).exists()

    # 4. Convocations: drafts sent, each administration with its .ics.
    desk.get_by_role("link", name="Envoyer les convocations").click()
    desk.get_by_role("button", name="Envoyer les convocations").click()
    expect(messages_of(desk)).to_contain_text("emails mis en file d’envoi")
    convocations = OutboxMessage.objects.filter(event=events.CONVOCATION.code)
    assert convocations.count() == SHORTLISTED  # one contact, editor of its challenge, each
    told = OutboxMessage.objects.filter(event=events.JURY_PANEL_ASSIGNED.code)
    assert told.count() == JURORS

    # One audition moves ten minutes later: the desk says to send it again, and it goes out
    # as an update of the same calendar entry.
    moved = max(
        Audition.objects.filter(panel=panels[0]).select_related("challenge"),
        key=lambda audition: audition.starts_at,
    )
    new_start = timezone.localtime(moved.starts_at + timedelta(minutes=10))
    desk.get_by_role("link", name=f"Déplacer l’audition de « {moved.challenge.title} »").click()
    desk.locator("#id_starts_at_1").fill(new_start.strftime("%H:%M"))
    desk.locator("input[name=_save]").click()
    expect(messages_of(desk)).to_be_visible()
    desk.goto(desk_url)
    expect(desk.get_by_text("modifiée depuis l'envoi : à renvoyer")).to_be_visible()
    desk.get_by_role("link", name="Envoyer les convocations").click()
    desk.get_by_role("button", name="Envoyer les convocations").click()
    expect(messages_of(desk)).to_contain_text("emails mis en file d’envoi")
    contact = moved.challenge.editors.get()
    first_sent = OutboxMessage.objects.get(
        event=events.CONVOCATION.code, object_id=str(moved.pk), to_email=contact.email
    )
    update = OutboxMessage.objects.get(
        event=events.CONVOCATION_UPDATE.code, object_id=str(moved.pk), to_email=contact.email
    )
    before, after = (vevent(row) for row in (first_sent, update))
    assert str(after["UID"]) == str(before["UID"]) == f"audition-{moved.pk}@eig"
    assert (before.get("SEQUENCE", 0), after["SEQUENCE"]) == (0, 1)  # 0 is iCal's default
    assert "SEQUENCE:1" in update.attachments[0]["content"]
    assert after.decoded("DTSTART") == moved.starts_at + timedelta(minutes=10) + Audition.READING
    assert OutboxMessage.objects.filter(event=events.CONVOCATION_UPDATE.code).count() == 1

    # The administration reads the new time on its challenge's page.
    as_administration(page, live_server, contact)
    page.goto(f"{base}/appel-a-projets/mes-defis/{moved.challenge.pk}/")
    expect(page.get_by_role("heading", name="Votre audition devant le jury")).to_be_visible()
    joins = timezone.localtime(moved.starts_at + timedelta(minutes=10) + Audition.READING)
    expect(page.get_by_text(f"de {joins:%H:%M} à")).to_be_visible()

    # The kits open to the jury.
    desk.get_by_role("link", name="Ouvrir les dossiers").click()
    desk.get_by_role("button", name="Ouvrir les dossiers au jury").click()
    expect(messages_of(desk)).to_contain_text("voient désormais les dossiers")
    assert OutboxMessage.objects.filter(event=events.JURY_KITS_OPENED.code).count() == JURORS

    # 5. Jurors read and remark; each lead fills the grid. One panel in the browser.
    # The panels recommend 17 for selection, 2 for the waiting list, 2 not to select.
    ranked = Challenge.objects.filter(call=call, status="shortlisted").order_by("pk")
    recommendations = {
        pk: Recommendation.SELECT
        if i < SELECTED
        else Recommendation.WAITLIST
        if i < SELECTED + 2
        else Recommendation.NOT_SELECT
        for i, pk in enumerate(ranked.values_list("pk", flat=True))
    }
    for n, panel in enumerate(panels):
        panel.refresh_from_db()
        heard = list(Challenge.objects.filter(audition__panel=panel).order_by("pk"))
        if n == 0:
            jurors_in_the_browser(page, live_server, panel, heard, recommendations, criteria)
            continue
        for member in panel.members.all():
            for challenge in heard:
                jury.record_reading(member=member, challenge=challenge)
                jury.save_remark(member=member, challenge=challenge, text="Données riches.")
        for challenge in heard:
            jury.record_panel_evaluation(
                member=panel.lead,
                challenge=challenge,
                scores={criterion.pk: 4 for criterion in criteria},
                recommendation=recommendations[challenge.pk],
                comment="Un besoin porté par la direction.",
            )
    assert PanelEvaluation.objects.filter(audition__panel__call=call).count() == SHORTLISTED

    # 6. Staff decide in one table, following the panels, a reason for each.
    desk.goto(f"{base}/admin/challenges/callforprojects/{call.pk}/decisions/")
    shortlisted = Challenge.objects.filter(call=call, status="shortlisted").order_by("pk")
    for challenge in shortlisted:
        decision = DECISION_OF[recommendations[challenge.pk]]
        desk.get_by_label(f"Décision pour « {challenge.title} »").select_option(decision)
        desk.get_by_label(f"Motif pour « {challenge.title} »").fill(
            f"Motif du jury pour le défi {challenge.pk}."
        )
    desk.get_by_role("button", name="Enregistrer les décisions").click()
    expect(desk.get_by_text(f"{SHORTLISTED} décision(s) enregistrée(s).")).to_be_visible()

    # Publication, through the page that says what will happen.
    desk.goto(f"{base}/admin/challenges/callforprojects/{call.pk}/publication/")
    expect(
        desk.get_by_text(f"{SHORTLISTED} administrations apprennent la décision")
    ).to_be_visible()
    desk.get_by_role("button", name="Oui, publier les résultats").click()
    expect(desk.get_by_text("Résultats publiés : les administrations")).to_be_visible()
    letters = OutboxMessage.objects.filter(event=events.DECISION_PUBLISHED.code)
    assert letters.count() == SHORTLISTED
    assert Challenge.objects.filter(call=call, status="selected").count() == SELECTED

    # 7. Administrations read the decision and its reason on their challenge's page.
    shortlisted_drafts = [challenge for challenge, _contact in drafts[:SHORTLISTED]]
    refused, chosen = (
        next(c for c in shortlisted_drafts if recommendations[c.pk] == wanted)
        for wanted in (Recommendation.NOT_SELECT, Recommendation.SELECT)
    )
    for challenge, decision in ((refused, "non sélectionné"), (chosen, "sélectionné")):
        as_administration(page, live_server, challenge.editors.get())
        page.goto(f"{base}/appel-a-projets/mes-defis/{challenge.pk}/")
        expect(page.get_by_role("heading", name=f"Décision : {decision}")).to_be_visible()
        expect(page.get_by_text(f"Motif du jury pour le défi {challenge.pk}.")).to_be_visible()
    declined = drafts[-1][0]
    as_administration(page, live_server, declined.editors.get())
    page.goto(f"{base}/appel-a-projets/mes-defis/{declined.pk}/")
    expect(page.get_by_text(f"Le besoin de « {declined.title} » est déjà couvert")).to_be_visible()

    print(
        f"\nStaff's season: {actions.total} actions — {actions.submissions} form submissions, "
        f"{actions.page_loads} pages opened (and {actions.redirected} pages shown after a "
        f"submission)."
    )
    assert actions.total < STAFF_ACTIONS_BUDGET, "\n".join(actions.log)
    staff_context.close()


def vevent(row):
    [attachment] = row.attachments
    [event] = icalendar.Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return event


def jurors_in_the_browser(page, live_server, panel, heard, recommendations, criteria):
    """Two members read every kit of their panel and leave remarks; the lead reads the
    remarks beside the grid and records the panel's scores and recommendation."""
    base = live_server.url
    lead = panel.lead
    others = [m for m in panel.members.select_related("user").order_by("pk") if m != lead]
    for member in [others[0], lead]:
        session_for(page, live_server, member.user)
        for challenge in heard:
            page.goto(f"{base}/jury/")
            page.get_by_role("link", name=challenge.title, exact=True).click()
            page.get_by_label("Mes remarques sur ce défi").fill(
                f"{member.user.first_name} : des données riches, une équipe motivée."
            )
            page.get_by_role("button", name="Enregistrer mes remarques").click()
            expect(page.get_by_role("status").first).to_have_text(
                "Vos remarques sont enregistrées."
            )
    for member in others[1:]:
        for challenge in heard:
            jury.record_reading(member=member, challenge=challenge)
    session_for(page, live_server, lead.user)
    for challenge in heard:
        page.goto(f"{base}/jury/defis/{challenge.pk}/grille/")
        expect(page.get_by_text("des données riches, une équipe motivée.").first).to_be_visible()
        for criterion in criteria:
            page.locator(f"input[name=score_{criterion.pk}][value='4']").check(force=True)
        page.get_by_label("Recommandation du panel").select_option(recommendations[challenge.pk])
        page.get_by_label("Appréciation du panel").fill("Un besoin porté par la direction.")
        page.get_by_role("button", name="Enregistrer la grille").click()
        expect(page.get_by_role("status").first).to_have_text("La grille du panel est enregistrée.")
    page.goto(f"{base}/jury/")
    expect(
        page.get_by_text(f"Grilles du panel remplies : {len(heard)} sur {len(heard)}.")
    ).to_be_visible()


# --- The staff's screens of the season, on a phone and in English ----------------------------

PHONE = {"width": 390, "height": 844}
SCROLL_CUES = ("Scroll the table sideways", "The table scrolls sideways")


def wider_than_the_phone(page):
    """What sticks out (for the failure's message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > 391)
        .slice(0, 8).map(el => `${el.tagName}.${el.className}`)"""
    )


def fits_the_phone(page):
    """The page never scrolls sideways; each table that does not fit scrolls inside its
    own wrapper, which the keyboard reaches, which is named, and which a visible
    sentence announces (no column hidden off-screen without a cue)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, (
        wider_than_the_phone(page)
    )
    wrappers = page.locator(".scroll, .table-scroll").all()
    assert wrappers, "no table wrapper on the page"
    for wrapper in wrappers:
        if not wrapper.evaluate("el => el.scrollWidth > el.clientWidth + 1"):
            continue
        assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
        assert wrapper.get_attribute("tabindex") == "0"
        assert wrapper.get_attribute("role") == "region"
        assert wrapper.get_attribute("aria-labelledby") or wrapper.get_attribute("aria-label")
        cue = wrapper.evaluate(
            "el => { const p = el.previousElementSibling;"
            " return p && p.offsetParent !== null ? p.textContent : '' }"
        )
        assert cue.startswith(SCROLL_CUES), f"no visible scroll cue before {wrapper}"
    found = serious_violations(page)
    assert not found, (page.url, found)


def serious_violations(page):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def in_english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_staff_run_the_desk_and_the_decisions_on_a_phone_in_english(live_server, page):
    from tests.browser.test_jury_desk import season_jury
    from tests.challenges.test_staff_decisions import heard, submitted

    base = live_server.url
    jury_call = season_jury()  # 21 shortlisted, 50 jurors, 8 panels, one without a room
    deciding = call_for_projects(phase="deliberation")
    challenges = submitted(deciding, SHORTLISTED, status=Challenge.Status.SHORTLISTED)
    for start in range(0, SHORTLISTED, 3):
        heard(deciding, challenges[start : start + 3])
    session_for(page, live_server, make_user(Role.STAFF))
    in_english(page, live_server)
    page.set_viewport_size(PHONE)

    # The jury desk: its readiness checks, the timetable and the panels.
    desk_url = f"{base}/admin/challenges/jurypanel/bureau/{jury_call.pk}/"
    page.goto(desk_url)
    expect(page.get_by_role("heading", name="Audition timetable")).to_be_visible()
    expect(page.get_by_text("has neither a room nor a video link.")).to_be_visible()
    fits_the_phone(page)

    # The send page lists every convocation; sending is refused while a check fails.
    page.get_by_role("link", name="Send the convocations").click()
    expect(page.get_by_role("button", name="Send the convocations")).to_be_disabled()
    fits_the_phone(page)

    # Onboarding: the preview of a pasted list of 50.
    page.goto(f"{base}/admin/challenges/jurypanel/bureau/{jury_call.pk}/inviter/")
    page.get_by_label("List of jury members").fill(
        "\n".join(
            f"Juror {n}, juror{n}@exemple.fr, {PROFILES[n % 5]}, Organisation {n}"
            for n in range(JURORS)
        )
    )
    page.get_by_role("button", name="Check the list").click()
    expect(page.get_by_role("button", name=f"Invite {JURORS} people")).to_be_visible()
    fits_the_phone(page)

    # The decisions table, then the publication's confirmation page.
    page.goto(f"{base}/admin/challenges/callforprojects/{deciding.pk}/decisions/")
    expect(page.get_by_role("button", name="Save the decisions")).to_be_visible()
    region = page.get_by_role("region", name="Shortlisted challenges")
    region.focus()
    page.keyboard.press("End")
    expect(region).to_be_focused()
    fits_the_phone(page)
    page.goto(f"{base}/admin/challenges/callforprojects/{deciding.pk}/publication/")
    expect(page.get_by_role("heading", name="What publishing will do")).to_be_visible()
    fits_the_phone(page)

    # The qualification screen: the file above the grid, nothing wider than the phone.
    page.goto(f"{base}/admin/challenges/challenge/{challenges[0].pk}/qualification/")
    expect(page.get_by_role("heading", name="The call’s grid")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert serious_violations(page) == []
