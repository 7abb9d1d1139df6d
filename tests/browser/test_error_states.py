"""Every role's main pages, in their error states, in French and in English: axe finds no
critical, serious or moderate violation; after a refused submission the focus lands on the
error summary, whose links lead to the fields, and each invalid field says it is invalid
and points to its message."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from applications import services
from applications.models import Application
from challenges.models import AdministrationContact
from cohorts.services import join_team
from eig.models import Person, Role
from mentoring.services import paris_today
from tests.applications.test_candidate_screens import complete
from tests.applications.test_decisions import interview_call, offers_of, staff_user
from tests.conftest import make_user
from tests.factories import (
    DraftChallengeFactory,
    UserFactory,
    call_for_applications,
    call_for_projects,
)
from tests.mentoring.scenario import promotion_in_residence, team_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "en"]
BLOCKING = ("critical", "serious", "moderate")


def violations(page):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


def as_user(page, live_server, user, language):
    """The browser holds a session of `user` (None: anonymous) and speaks `language`."""
    page.context.clear_cookies()
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.cookies["sessionid"].value
        cookies.append({"name": "sessionid", "value": session, "url": live_server.url})
    page.context.add_cookies(cookies)


def submit(page, button="main form [type=submit]"):
    page.locator(button).first.click()
    page.wait_for_load_state()


def error_state_problems(page, language):
    """What a refused form gets wrong for a keyboard or screen-reader user."""
    problems = []
    summary = page.locator("[data-error-summary]").first
    expect(summary).to_be_visible()
    if not page.evaluate("document.activeElement.hasAttribute('data-error-summary')"):
        problems.append("the focus is not on the error summary")
    if language == "fr" and not page.title().startswith("Erreur"):
        problems.append(f"the title does not start with Erreur: {page.title()}")
    for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
        if not page.locator(href).count():
            problems.append(f"the summary links to {href}, which does not exist")
    invalid = page.locator("[aria-invalid=true]")
    if not invalid.count() and not summary.locator("li").count():
        problems.append("no field is marked invalid")
    for described in invalid.evaluate_all(
        "fields => fields.map(f => [f.id, f.getAttribute('aria-describedby') || ''])"
    ):
        field_id, ids = described
        if not ids:
            problems.append(f"{field_id} is invalid but describes nothing")
        for target in ids.split():
            if not page.locator(f"[id='{target}']").count():
                problems.append(f"{field_id} points to {target}, which does not exist")
    return problems


def check(found, name, page, language, *, error_state=True):
    key = f"{name} [{language}]"
    problems = violations(page)
    if error_state:
        problems += error_state_problems(page, language)
    if problems:
        found[key] = problems
    return key


@pytest.fixture
def people():
    call = call_for_applications(challenges=2)
    newcomer = UserFactory(email="nouvelle@exemple.fr")
    applicant = UserFactory(email="candidate@exemple.fr")
    for user in (newcomer, applicant):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    # Sent: withdrawing is offered for a sent application only.
    services.set_application_status(
        application=complete(
            services.start_application(
                call=call, candidate=applicant, studies_completed=True, is_civil_servant=False
            )
        ),
        to=Application.Status.SUBMITTED,
        by=applicant,
    )
    interviews = interview_call()
    offer = offers_of(interviews, interviews.challenges().first(), staff_user(), count=1)[0]
    projects = call_for_projects(phase="open")
    contact = make_user(Role.ADMINISTRATION_CONTACT)
    challenge = DraftChallengeFactory(call=projects)
    challenge.editors.add(contact)
    AdministrationContact.objects.create(administration=challenge.administration, user=contact)
    team = team_of(promotion_in_residence(paris_today()), title="Signaux faibles")
    eig = make_user(Role.EIG)
    join_team(person=Person.of_account(eig), team=team)
    return {
        "newcomer": newcomer,
        "applicant": applicant,
        "offer": offer,
        "contact": contact,
        "challenge": challenge,
        "eig": eig,
        "team": team,
        "mentor": make_user(Role.MENTOR),
        "staff": make_user(Role.STAFF),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_roles_pages_in_their_error_states_are_accessible(
    live_server, page, people, language
):
    url = live_server.url
    found, covered = {}, []

    # Anyone: signing up and logging in refused, an unknown address.
    as_user(page, live_server, None, language)
    page.goto(f"{url}/accounts/signup/")
    submit(page)
    covered.append(check(found, "signup refused", page, language))
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=login]").fill("personne@exemple.fr")
    page.locator("input[name=password]").fill("faux-mot-de-passe")
    submit(page)
    covered.append(check(found, "login refused", page, language))
    page.goto(f"{url}/une-adresse-inconnue/")
    covered.append(check(found, "404", page, language, error_state=False))

    # A candidate: the eligibility questions unanswered.
    as_user(page, live_server, people["newcomer"], language)
    page.goto(f"{url}/candidater/eligibilite/")
    submit(page)
    covered.append(check(found, "eligibility refused", page, language))

    # A candidate: the application with a wrong address, a withdrawal not confirmed.
    as_user(page, live_server, people["applicant"], language)
    page.goto(f"{url}/candidater/ma-candidature/")
    page.locator("input[name=forge_url]").fill("pas une adresse")
    submit(page)
    covered.append(check(found, "application refused", page, language))
    page.goto(f"{url}/candidater/ma-candidature/")
    submit(page, "form[action$='/retirer/'] [type=submit]")
    covered.append(check(found, "withdrawal not confirmed", page, language))

    # A selected candidate: the offer answered without choosing.
    offer = people["offer"]
    as_user(page, live_server, offer.choice.application.candidate, language)
    page.goto(f"{url}/entretiens/offre/{offer.pk}/")
    submit(page)
    covered.append(check(found, "offer answer refused", page, language))

    # An administration: a draft challenge without its title.
    as_user(page, live_server, people["contact"], language)
    page.goto(f"{url}/appel-a-projets/mes-defis/{people['challenge'].pk}/")
    page.locator("input[name=title]").fill("")
    submit(page, "main form[enctype] button[type=submit]")
    covered.append(check(found, "challenge draft refused", page, language))

    # An EIG: the weekly update sent empty.
    as_user(page, live_server, people["eig"], language)
    page.goto(f"{url}/equipes/{people['team'].pk}/")
    submit(page, f"form[action$='/equipes/{people['team'].pk}/'] [type=submit]")
    covered.append(check(found, "weekly update refused", page, language))

    # A mentor: their space, and a page that is not theirs.
    as_user(page, live_server, people["mentor"], language)
    page.goto(f"{url}/mon-espace/")
    covered.append(check(found, "mentor's space", page, language, error_state=False))
    page.goto(f"{url}/entretiens/jury/")
    covered.append(check(found, "403", page, language, error_state=False))

    # Staff: the teams' dashboard.
    as_user(page, live_server, people["staff"], language)
    page.goto(f"{url}/equipes/tableau-de-bord/")
    covered.append(check(found, "staff dashboard", page, language, error_state=False))

    assert len(covered) == 12
    assert found == {}


def test_on_a_narrow_screen_the_menu_skip_link_leads_to_the_menu_button(live_server, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/defis/")
    page.keyboard.press("Tab")  # "Contenu"
    page.keyboard.press("Tab")  # "Menu"
    expect(page.locator(".fr-skiplinks a").nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#bouton-menu-mobile")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#navigation-principale")).to_be_visible()
