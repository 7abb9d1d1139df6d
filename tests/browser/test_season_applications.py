"""The season rehearsal of the call for applications, in the browser, from a stranger's
sign-up to a team handed over to its host administration.

Three challenges ask for their teams (2, 2 and 3 EIGs); thirty people apply, ten per
challenge as first choice. Two strangers sign up through the browser with their names
(one saves a half-empty draft first, the other ranks two challenges); the others apply
through the services. Two mentors review the files blind, staff shortlist four people
per challenge from each ranking, open the interview slots in bulk (days × times × jury),
candidates book and one asks to move (staff move them), juries score, staff decide in the
decisions hub (one double selection kept by preference, a freed place filled from the
waiting list), publish through the confirmation page; candidates answer their offers and
the host administration finds its team on its team page and in its handover email.

Every page the staff's browser loads and every form it submits is counted. Time is data:
the call's dates are moved server-side from one stage to the next, the browser always
acts "now".
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.decisions import services as decisions
from applications.interviews import notifications as events
from applications.interviews import services as interviews
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewSlot,
    Offer,
    Review,
)
from applications.review import services as review
from challenges.models import AdministrationContact
from cohorts.models import Team
from cohorts.notifications_handover import TEAM_HANDOVER
from eig.models import OutboxMessage, Role
from tests.browser.test_challenge_drafting import log_in
from tests.browser.test_season_projects import StaffActions, session_for
from tests.conftest import make_user
from tests.factories import (
    ChallengeMentorFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    call_for_applications,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEAM_SIZES = (2, 2, 3)
PER_CHALLENGE = 10  # first choices per challenge
SHORTLIST = 4  # per challenge
# One person, one afternoon: files given to reviewers, three rankings shortlisted, slots
# opened and invitations sent, a move handled, three teams decided in the hub, the results
# published, a freed place offered (62 counted when this was written).
STAFF_ACTIONS_BUDGET = 75
FIRST_NAMES = ["Léa", "Karim", "Inès", "Hugo", "Chloé", "Yanis", "Manon", "Théo", "Sarah", "Noé"]
LAST_NAMES = ["Martin", "Benali", "Moreau", "Lefèvre", "Dubois", "Girard", "Roux", "Faure"]


@pytest.fixture(autouse=True)
def patient_expectations():
    """A busy machine may take a few seconds to answer a page of thirty rows: wait for
    each condition longer than Playwright's five seconds (never a sleep)."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


# --- The people and the calendar ---------------------------------------------------------


def messages_of(page):
    return page.locator(".messagelist, .fr-alert, [role=status]")


def verified(user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def the_season(call):
    """The call's challenges, each with its requested team size, its administration's
    contact, and its mentors: two who review every challenge's files, two of its own who
    sit on its interview jury."""
    challenges = list(call.challenges().order_by("pk"))
    reviewers = [
        verified(UserFactory(email=email, first_name=first, last_name=last))
        for first, last, email in (
            ("Camille", "Roussel", "camille.roussel@mentors.exemple.fr"),
            ("Dominique", "Perrin", "dominique.perrin@mentors.exemple.fr"),
        )
    ]
    people = [PersonFactory(full_name=r.get_full_name(), user=r) for r in reviewers]
    contacts, juries = [], []
    for n, (challenge, size) in enumerate(zip(challenges, TEAM_SIZES, strict=True)):
        challenge.title = f"Défi {n + 1} : les données de l'eau"
        challenge.team_size = size
        challenge.save(update_fields=["title", "team_size"])
        jury = [
            verified(
                UserFactory(
                    email=f"jure{n + 1}{k}@mentors.exemple.fr",
                    first_name=("Alix", "Sacha")[k],
                    last_name=f"Juré-{n + 1}",
                )
            )
            for k in range(2)
        ]
        for person in people + [PersonFactory(full_name=j.get_full_name(), user=j) for j in jury]:
            ChallengeMentorFactory(challenge=challenge, person=person)
        contact = verified(UserFactory(email=f"contact{n + 1}@administration.gouv.fr"))
        AdministrationContact.objects.create(administration=challenge.administration, user=contact)
        contacts.append(contact)
        juries.append(jury)
    return challenges, reviewers, contacts, juries


def applies_through_the_services(call, challenges, n, skills):
    """Someone who applied while the call was open: first choice `challenges[0]`."""
    during = call.opens_at + timedelta(days=1, minutes=n)
    candidate = verified(
        UserFactory(
            email=f"candidat{n:02d}@exemple.fr",
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}-{n:02d}",
        )
    )
    application = services.start_application(
        call=call, candidate=candidate, studies_completed=True, is_civil_servant=False, now=during
    )
    application.profile = skills[n % len(skills)]
    application.years_of_experience = 2 + n % 9
    application.motivation = "Servir l'intérêt général avec les données."
    application.cv.save("cv.pdf", ContentFile(PDF), save=False)
    application.save()
    services.set_choices(
        application=application,
        choices=[(c, f"Pourquoi « {c.title} » : les données publiques.") for c in challenges],
        now=during,
    )
    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=None, now=during
    )
    return application


def update_call(call, **dates):
    CallForApplications.objects.filter(pk=call.pk).update(**dates)
    call.refresh_from_db()


def the_deadline_passes(call):
    """Pre-selection: blind, a week to go."""
    now = timezone.now()
    update_call(
        call, deadline=now - timedelta(minutes=1), preselection_ends_at=now + timedelta(days=7)
    )


def the_preselection_ends(call):
    """Names are shown again; the interview days (still ahead) open to booking."""
    update_call(call, preselection_ends_at=timezone.now() - timedelta(minutes=1))


def the_interview_days_pass(call):
    """The two interview days are over: the call's days and its slots move back together."""
    shift = call.interviews_end_on - (timezone.localdate() - timedelta(days=1))
    update_call(
        call,
        interviews_start_on=call.interviews_start_on - shift,
        interviews_end_on=call.interviews_end_on - shift,
    )
    InterviewSlot.objects.filter(challenge__in=call.challenges()).update(
        starts_at=F("starts_at") - shift
    )


def link_in(row, pattern):
    return "/" + re.search(rf"https?://[^/]+/(\S*{pattern}\S*)", row.body_text).group(1)


# --- Strangers in the browser --------------------------------------------------------------


def signs_up(page, base, *, first, last, email, address="madame"):
    """A stranger signs up with their names, then follows the link of their email."""
    page.context.clear_cookies()
    page.goto(f"{base}/candidater/")
    page.locator("main").get_by_role("link", name="Créer un compte").click()
    page.get_by_role("textbox", name="Prénom").fill(first)
    page.get_by_role("textbox", name="Nom", exact=True).fill(last)
    page.locator(f"input[name=form_of_address][value={address}]").check(force=True)
    page.get_by_label("Courriel").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    letter = OutboxMessage.objects.get(event="account.email", to_email=email)
    assert "Entrepreneurs d'intérêt général" in letter.body_text  # the platform's name
    assert f"{first} {last}" in letter.body_text
    page.goto(base + link_in(letter, "confirm-email/"))
    page.locator("main form button[type=submit]").first.click()
    # Back where they were going: the eligibility questions.
    expect(page.get_by_role("heading", level=1)).to_have_text("Puis-je candidater ?")


def eligible(page):
    page.get_by_role("group", name="Avez-vous terminé vos études ?").get_by_text("Oui").click()
    page.get_by_role("group", name="Êtes-vous aujourd’hui agent public en fonction ?").get_by_text(
        "Non"
    ).click()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma candidature")


def option(challenge):
    return f"{challenge.title} — {challenge.administration.name}"


def fills_the_file(page, cv, challenges, skill):
    page.get_by_role("group", name="Le profil qui vous décrit le mieux").get_by_text(
        skill.label
    ).click()
    page.get_by_label("Années d’expérience professionnelle").fill("6")
    page.get_by_label("Votre CV (obligatoire pour envoyer)").set_input_files(cv)
    page.get_by_label("Lettre de motivation").fill("Mettre les données au service du public.")
    page.get_by_label("Disponible à partir du").fill("2027-09-01")
    page.get_by_label("Premier choix").select_option(label=option(challenges[0]))
    page.get_by_label("Pourquoi ce défi ?").fill("Les données de l'eau me passionnent.")
    if len(challenges) > 1:
        page.get_by_label("Second choix").select_option(label=option(challenges[1]))
        page.get_by_label("Pourquoi ce second défi ?").fill("Un beau défi aussi.")


def sends(page):
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le suivi de ma candidature")
    expect(page.get_by_text("Votre candidature est en cours d’examen.")).to_be_visible()


# --- The season ----------------------------------------------------------------------------


def test_a_whole_call_for_applications_season_from_sign_up_to_handover(
    live_server, page, browser, tmp_path
):
    base = live_server.url
    call = call_for_applications(phase="open", challenges=3)
    update_call(call, blind_preselection=True)
    challenges, reviewers, contacts, juries = the_season(call)
    skills = [SkillFactory(label=label) for label in ("Développement", "Données", "Design")]
    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(PDF)

    # 1. Two strangers sign up with their names. Léa saves a half-empty draft first.
    signs_up(page, base, first="Léa", last="Martin", email="lea.martin@exemple.fr")
    eligible(page)
    page.get_by_label("Lettre de motivation").fill("Un premier jet de ma lettre.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(messages_of(page).filter(has_text="Votre brouillon est enregistré.")).to_be_visible()
    lea = Application.objects.get(candidate__email="lea.martin@exemple.fr")
    assert (lea.status, lea.motivation) == (
        Application.Status.DRAFT,
        "Un premier jet de ma lettre.",
    )
    assert not lea.choices.exists()
    fills_the_file(page, cv, challenges[:1], skills[0])
    sends(page)

    # Karim ranks two challenges: both will want him.
    signs_up(
        page,
        base,
        first="Karim",
        last="Benali",
        email="karim.benali@exemple.fr",
        address="monsieur",
    )
    eligible(page)
    fills_the_file(page, cv, challenges[:2], skills[1])
    sends(page)
    karim = Application.objects.get(candidate__email="karim.benali@exemple.fr")
    lea.refresh_from_db()
    assert lea.candidate.get_full_name() == "Léa Martin"

    # The others, ten first choices per challenge in all; every third ranks the next
    # challenge second.
    others = []
    for n in range(3 * PER_CHALLENGE - 2):
        first = (n + 2) // PER_CHALLENGE
        ranked = [challenges[first]] + ([challenges[(first + 1) % 3]] if n % 3 == 0 else [])
        others.append(applies_through_the_services(call, ranked, n, skills))
    assert Application.objects.submitted().filter(call=call).count() == 3 * PER_CHALLENGE

    # Staff work in their own browser window, every navigation counted.
    staff = make_user(Role.STAFF)
    staff_context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    desk = staff_context.new_page()
    actions = StaffActions()
    actions.watch(desk)
    session_for(desk, live_server, staff)
    the_deadline_passes(call)

    # 2. Staff give every file of each challenge to its two mentors.
    for challenge in challenges:
        desk.goto(f"{base}/preselection/defis/{challenge.pk}/")
        for reviewer in reviewers:
            for box in desk.locator("input[name=applications]").all():
                box.check(force=True)
            desk.get_by_label("Relecteur ou relectrice").select_option(str(reviewer.pk))
            desk.get_by_role("button", name="Attribuer").click()
            expect(
                messages_of(desk).filter(has_text=f"attribué(s) à {reviewer.get_full_name()}")
            ).to_be_visible()
    criteria = list(call.criteria.all())
    assert review.is_blind(call)

    # Both mentors review the two strangers' files blind in the browser (numbers, never
    # names); once her review is in, each reads the other's. The rest is scored through
    # the services (the two strangers' files are the strongest).
    for reviewer in reviewers:
        session_for(page, live_server, reviewer)
        for application in (lea, karim):
            label = f"Candidature n°{application.pk}"
            page.goto(f"{base}/preselection/")
            page.get_by_role("link", name=challenges[0].title).click()
            page.get_by_role("link", name=label, exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(label)
            expect(page.locator("main")).not_to_contain_text(application.candidate.last_name)
            for criterion in criteria:
                page.locator(f"input[name=score_{criterion.pk}][value='5']").check(force=True)
            page.get_by_label("Commentaire").fill(f"{reviewer.first_name} : un parcours solide.")
            page.get_by_role("button", name="Enregistrer mon évaluation").click()
            expect(
                messages_of(page).filter(has_text="Votre évaluation est enregistrée.")
            ).to_be_visible()
    expect(page.get_by_text("Camille : un parcours solide.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Benali")
    for n, application in enumerate([lea, karim, *others]):
        for choice in application.choices.select_related("challenge"):
            for reviewer in reviewers:
                if application in (lea, karim) and choice.rank == 1:
                    continue  # reviewed in the browser
                # The others' second choices fit their challenge less (scored 1).
                score = 5 if application in (lea, karim) else 2 + n % 3 if choice.rank == 1 else 1
                review.submit_review(
                    application=application,
                    reviewer=reviewer,
                    scores={c.pk: score for c in criteria},
                    comment="Lu.",
                    challenge=choice.challenge,
                )
    assert (
        Review.objects.filter(application__call=call).count()
        == 2 * Choice.objects.filter(application__call=call).count()
    )

    # 3. Staff shortlist the four first of each ranking.
    for challenge in challenges:
        desk.goto(f"{base}/preselection/defis/{challenge.pk}/classement/")
        for _ in range(SHORTLIST):
            button = desk.locator("button[title^='Présélectionner']").first
            label = button.get_attribute("title").removeprefix("Présélectionner ")
            button.click()
            expect(
                messages_of(desk).filter(has_text=f"{label} : retenue pour un entretien.")
            ).to_be_visible()
    shortlisted = Choice.objects.filter(application__call=call, status=Choice.Status.SHORTLISTED)
    assert shortlisted.count() == 3 * SHORTLIST
    # Léa for her only challenge; Karim for both of his.
    assert sorted(
        shortlisted.filter(application__in=[lea, karim]).values_list("application", "challenge")
    ) == sorted(
        [(lea.pk, challenges[0].pk), (karim.pk, challenges[0].pk), (karim.pk, challenges[1].pk)]
    )
    the_preselection_ends(call)

    # 4. Slots in bulk for each challenge: both interview days × the usual times, one jury.
    for challenge, jury in zip(challenges, juries, strict=True):
        desk.goto(f"{base}/admin/applications/interviewslot/creer-en-lot/")
        desk.get_by_role("link", name=f"Ouvrir des créneaux pour « {challenge.title} »").click()
        for day in desk.locator("input[name=days]").all():
            day.check()
        for juror in jury:
            desk.get_by_label(re.compile(re.escape(juror.email))).check()
        desk.get_by_label("Lien de visioconférence").fill("https://visio.exemple.gouv.fr/eig")
        desk.get_by_role("button", name="Ouvrir les créneaux").click()
        expect(messages_of(desk).filter(has_text="16 créneaux ouverts")).to_be_visible()
        # The shortlisted are invited to choose theirs, from the challenge's team screen.
        desk.goto(f"{base}/entretiens/equipes/{challenge.pk}/")
        desk.get_by_role("button", name="Inviter les présélectionnés à choisir un créneau").click()
        expect(messages_of(desk).filter(has_text=f"{SHORTLIST} personne(s)")).to_be_visible()
    invited = OutboxMessage.objects.filter(event=events.INTERVIEW_INVITATION.code)
    assert invited.count() == 3 * SHORTLIST

    # 5. Léa follows her invitation and books; then asks to move. Karim books both.
    logs_in(page, live_server, lea.candidate.email)
    page.goto(base + link_in(invited.get(to_email=lea.candidate.email), "entretiens/"))
    books_the_first_free_slot(page, challenges[0])
    page.get_by_label("Pourquoi demandez-vous un autre créneau ?").fill(
        "Je passe un oral de concours ce matin-là."
    )
    page.get_by_role("button", name="Demander un autre créneau").click()
    expect(page.get_by_text("Votre demande de déplacement est transmise")).to_be_visible()
    logs_in(page, live_server, karim.candidate.email)
    page.goto(f"{base}/entretiens/mon-entretien/")
    books_the_first_free_slot(page, challenges[0])
    books_the_first_free_slot(page, challenges[1])
    for choice in shortlisted.exclude(application__in=[lea, karim]).order_by("pk"):
        free = InterviewSlot.objects.filter(challenge=choice.challenge, choice=None)
        interviews.book(
            choice=choice, slot=free.order_by("starts_at").last(), by=choice.application.candidate
        )
    assert InterviewSlot.objects.exclude(choice=None).count() == 3 * SHORTLIST

    # Staff move Léa from the team screen, where her request shows.
    lea_choice = lea.choices.get()
    before = InterviewSlot.objects.get(choice=lea_choice)
    desk.goto(f"{base}/entretiens/equipes/{challenges[0].pk}/")
    expect(desk.get_by_text("Je passe un oral de concours ce matin-là.")).to_be_visible()
    desk.locator(f"#slot-{lea_choice.pk}").select_option(index=2)
    desk.locator(f"#slot-{lea_choice.pk}").locator("xpath=..").get_by_role(
        "button", name="Valider"
    ).click()
    expect(messages_of(desk).filter(has_text="Entretien réservé")).to_be_visible()
    after = InterviewSlot.objects.get(choice=lea_choice)
    assert after.pk != before.pk and not after.move_requested
    assert InterviewSlot.objects.get(pk=before.pk).choice is None
    # Her confirmation carries the new time and cancels the old one in her calendar.
    moved = OutboxMessage.objects.filter(
        event=events.INTERVIEW_BOOKED.code, to_email=lea.candidate.email
    ).latest("pk")
    new_entry, old_entry = (a["content"] for a in moved.attachments)
    assert f"UID:interview-{after.pk}@eig" in new_entry
    assert f"UID:interview-{before.pk}@eig" in old_entry and "METHOD:CANCEL" in old_entry

    # 6. The interview days pass; the juries score. Alix scores Léa in the browser.
    the_interview_days_pass(call)
    juror = juries[0][0]
    session_for(page, live_server, juror)
    page.goto(f"{base}/entretiens/jury/")
    page.get_by_role("link", name="Léa Martin", exact=True).click()
    for criterion in criteria:
        page.locator(f"input[name=score_{criterion.pk}][value='5']").check(force=True)
    page.get_by_role("button", name="Enregistrer mes notes").click()
    expect(messages_of(page).filter(has_text="Vos notes sont enregistrées.")).to_be_visible()
    page.get_by_label("Recommandation du jury").select_option("select")
    page.get_by_label("Appréciation du jury").fill("Une vraie connaissance des données de l'eau.")
    page.get_by_role("button", name="Enregistrer la recommandation").click()
    expect(
        messages_of(page).filter(has_text="La recommandation du jury est enregistrée.")
    ).to_be_visible()
    for slot in InterviewSlot.objects.exclude(choice=None).prefetch_related("jury"):
        for member in slot.jury.all():
            if (slot.pk, member.pk) != (after.pk, juror.pk):
                interviews.score_interview(
                    slot=slot, member=member, scores={c.pk: 4 for c in criteria}
                )
        if slot.pk != after.pk:
            interviews.record_recommendation(
                slot=slot, recommendation="select", comment="", by=slot.jury.first()
            )

    # 7. Staff decide in the hub: each challenge's team, its waiting list, the others.
    people = {
        challenge.pk: list(
            shortlisted.filter(challenge=challenge)
            .exclude(application__in=[lea, karim])
            .order_by("pk")
        )
        for challenge in challenges
    }
    lea_c1 = lea_choice
    karim_c1, karim_c2 = karim.choices.order_by("rank")
    plan = {  # selected, waitlisted, not selected
        challenges[0].pk: (
            [lea_c1, karim_c1],
            people[challenges[0].pk][:1],
            people[challenges[0].pk][1:],
        ),
        challenges[1].pk: (
            [karim_c2, people[challenges[1].pk][0]],
            people[challenges[1].pk][1:2],
            people[challenges[1].pk][2:],
        ),
        challenges[2].pk: (people[challenges[2].pk][:3], people[challenges[2].pk][3:], []),
    }
    desk.goto(f"{base}/mon-espace/")
    desk.get_by_role("link", name=f"Décisions — {call}").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Décisions — {call}")
    for selected, waitlisted, refused in plan.values():
        for choice in selected:
            hub_row(desk, choice).get_by_role("button", name="Sélectionner").click()
            expect(status_in_hub(desk, choice)).to_have_text(re.compile(r"^\s*sélectionnée"))
        for choice in waitlisted:
            hub_row(desk, choice).get_by_label("Rang sur la liste d’attente").fill("1")
            hub_row(desk, choice).get_by_role("button", name="Liste d’attente").click()
            expect(status_in_hub(desk, choice)).to_have_text(re.compile(r"attente \(rang 1\)"))
        for choice in refused:
            hub_row(desk, choice).get_by_role("button", name="Ne pas retenir").click()
            expect(status_in_hub(desk, choice)).to_have_text(re.compile(r"^\s*non sélectionnée"))
    # Karim is wanted twice: he keeps his first choice; his second team's place goes to
    # the next person of its waiting list.
    expect(desk.get_by_role("heading", name="Doubles sélections à départager")).to_be_visible()
    desk.get_by_role("button", name="Garder son premier choix").click()
    expect(desk.get_by_role("heading", name="Doubles sélections à départager")).to_have_count(0)
    assert Choice.objects.get(pk=karim_c2.pk).status == Choice.Status.NOT_SELECTED
    second_waiting = plan[challenges[1].pk][1][0]
    hub_row(desk, second_waiting).get_by_role("button", name="Sélectionner").click()
    expect(status_in_hub(desk, second_waiting)).to_have_text(re.compile(r"^\s*sélectionnée"))

    # 8. Publication, through the page that says who is told what.
    desk.get_by_role("link", name="Publier les résultats…").click()
    told = Application.objects.submitted().filter(call=call).count()
    expect(desk.get_by_text(f"chacune des {told} personnes")).to_be_visible()
    expect(desk.get_by_text("7 personnes sélectionnées, avec une offre à accepter")).to_be_visible()
    desk.get_by_text("Je confirme : publier les résultats et envoyer ces emails").click()
    desk.get_by_role("button", name="Publier les résultats").click()
    expect(messages_of(desk).filter(has_text="publi")).to_be_visible()
    assert OutboxMessage.objects.filter(event=events.DECISION_PUBLISHED.code).count() >= told
    assert Offer.objects.filter(choice__application__call=call).count() == sum(TEAM_SIZES)

    # 9. Candidates answer. Léa accepts in the browser; one of the third team declines.
    logs_in(page, live_server, lea.candidate.email)
    answers(page, base, Offer.objects.get(choice=lea_c1), "J'accepte")
    expect(messages_of(page).filter(has_text="Votre acceptation est enregistrée.")).to_be_visible()
    page.goto(f"{base}/candidater/tableau-de-bord/")
    expect(page.get_by_role("link", name="Voir l’offre et y répondre")).to_have_count(0)
    leaving = plan[challenges[2].pk][0][2]
    logs_in(page, live_server, leaving.application.candidate.email)
    answers(page, base, Offer.objects.get(choice=leaving), "Je décline")
    expect(messages_of(page).filter(has_text="la place sera proposée")).to_be_visible()
    for offer in Offer.objects.filter(choice__application__call=call, status=Offer.Status.PENDING):
        decisions.answer_offer(offer=offer, accept=True, by=offer.choice.application.candidate)

    # Staff are told, and offer the freed place to the waiting list from the hub.
    declined = OutboxMessage.objects.get(event=events.OFFER_DECLINED.code, to_email=staff.email)
    waiting = plan[challenges[2].pk][1][0]
    # Staff open the email's link (a new page load, not a jump within the hub left open).
    path, _, anchor = link_in(declined, "entretiens/appels/").partition("#")
    desk.goto(base + path)
    assert anchor == f"defi-{challenges[2].pk}"
    expect(desk.get_by_role("heading", name="Une place est libre")).to_be_visible()
    desk.get_by_role("link", name=f"Proposer la place à {waiting.application.candidate}").click()
    desk.get_by_role("button", name=f"Offrir la place à {waiting.application.candidate}").click()
    expect(messages_of(desk).filter(has_text="La place est offerte à")).to_be_visible()
    offer = Offer.objects.get(choice=waiting)
    decisions.answer_offer(offer=offer, accept=True, by=waiting.application.candidate)

    # 10. Every team is complete: each administration gets its team, by email and on its page.
    handed = OutboxMessage.objects.filter(event=TEAM_HANDOVER.code)
    assert sorted(handed.values_list("to_email", flat=True)) == sorted(c.email for c in contacts)
    third = Team.objects.get(challenge=challenges[2])
    letter = handed.get(to_email=contacts[2].email)
    for member in third.members.select_related("person__user"):
        assert member.person.user.email in letter.body_text
    assert leaving.application.candidate.email not in letter.body_text
    logs_in(page, live_server, contacts[2].email)
    page.get_by_role("link", name=re.compile(challenges[2].title)).first.click()
    expect(page.get_by_text("À préparer avant leur arrivée")).to_be_visible()
    expect(page.get_by_text(waiting.application.candidate.email)).to_be_visible()

    print(
        f"\nStaff's season: {actions.total} actions — {actions.submissions} form submissions, "
        f"{actions.page_loads} pages opened (and {actions.redirected} pages shown after a "
        f"submission)."
    )
    assert actions.total < STAFF_ACTIONS_BUDGET, "\n".join(actions.log)
    staff_context.close()


def logs_in(page, live_server, email):
    """Someone without a second factor (a candidate, an administration) logs in with their
    password, in a browser someone else used before."""
    page.context.clear_cookies()
    log_in(page, live_server, email)


def hub_row(desk, choice):
    return desk.locator(f"#choix-{choice.pk}")


def status_in_hub(desk, choice):
    """The person's status cell in the hub (the other cells may name other statuses)."""
    return hub_row(desk, choice).locator("td").nth(3)


def books_the_first_free_slot(page, challenge):
    section = page.locator("section").filter(has=page.get_by_role("heading", name=challenge.title))
    section.locator(".fr-radio-group label").first.click()
    section.get_by_role("button", name="Réserver ce créneau").click()
    expect(messages_of(page).filter(has_text=f"pour le défi « {challenge.title} »")).to_be_visible()


def answers(page, base, offer, answer):
    page.goto(f"{base}/candidater/tableau-de-bord/")
    page.get_by_role("link", name=re.compile("offre")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(offer.choice.challenge.title)
    page.get_by_text(answer, exact=True).click()
    page.get_by_text("Je confirme ma réponse").click()
    page.get_by_role("button", name="Envoyer ma réponse").click()
