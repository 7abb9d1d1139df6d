"""The administration's screens of the call for projects, as the programme's rules say."""

from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import escape

from challenges import services
from challenges.administration import urls as urls_administration
from challenges.models import (
    AdministrationContact,
    Audition,
    Challenge,
    ChallengeInvitation,
    ChallengeMentor,
    ChallengeTransition,
    ConflictOfInterest,
    JuryMember,
    JuryPanel,
)
from eig.models import OutboxMessage, Person, Role, RoleGrant
from tests.challenges.matrix_administration import (
    MATRIX_ADMINISTRATION,
    MINIMAL_PDF,
)
from tests.conftest import make_user
from tests.factories import (
    AdministrationFactory,
    DraftChallengeFactory,
    PersonFactory,
    PromotionFactory,
    SkillFactory,
    UserFactory,
    call_for_projects,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- Helpers ---------------------------------------------------------------------------


def contact_of(administration, user=None, status=AdministrationContact.Status.ACTIVE):
    user = user or UserFactory()
    AdministrationContact.objects.create(administration=administration, user=user, status=status)
    if status == AdministrationContact.Status.ACTIVE:
        RoleGrant.objects.get_or_create(user=user, role=Role.ADMINISTRATION_CONTACT)
    return user


def drafted(call=None, editor=None, **fields):
    """A draft challenge of `call` and its editor, an active contact of its administration."""
    challenge = DraftChallengeFactory(call=call or call_for_projects(), **fields)
    editor = editor or contact_of(challenge.administration)
    challenge.editors.add(editor)
    return challenge, editor


def logged_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def edit_url(challenge):
    return reverse("challenges:challenge_edit", kwargs={"pk": challenge.pk})


def form_data(challenge, mentors=(), **changes):
    """What the challenge form posts: the stored values, the mentors' rows, then `changes`."""
    data = {
        "problem": challenge.problem,
        "title": challenge.title,
        "summary": challenge.summary,
        "challenge_text": challenge.challenge_text,
        "data_description": challenge.data_description,
        "data_conditions": challenge.data_conditions,
        "expected_impact": challenge.expected_impact,
        "users_description": challenge.users_description,
        "skills": [skill.pk for skill in challenge.skills.all()],
        "team_size": challenge.team_size or "",
        "location": challenge.location,
        "funding": challenge.funding,
        "funding_details": challenge.funding_details,
        "mentors-TOTAL_FORMS": "3",
        "mentors-INITIAL_FORMS": str(challenge.mentorships.count()),
        "mentors-MIN_NUM_FORMS": "0",
        "mentors-MAX_NUM_FORMS": "3",
    }
    if challenge.open_commitment:
        data["open_commitment"] = "on"
    stored = list(challenge.mentorships.select_related("person"))
    rows = list(mentors) or [(m.person.full_name, m.kind, m.job_title, m.email) for m in stored]
    # The page carries each stored row's person in a hidden field.
    persons = [m.person_id for m in stored] if not mentors else []
    for index in range(3):
        name, kind, job, email = rows[index] if index < len(rows) else ("", "", "", "")
        data.update(
            {
                f"mentors-{index}-full_name": name,
                f"mentors-{index}-kind": kind,
                f"mentors-{index}-job_title": job,
                f"mentors-{index}-email": email,
                f"mentors-{index}-person": persons[index] if index < len(persons) else "",
            }
        )
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def call_with_dates(deadline, opens_at=None):
    """A call whose deadline is exactly `deadline`."""
    opens_at = opens_at or deadline - timedelta(days=56)
    return services.open_call(
        promotion=PromotionFactory(),
        opens_at=opens_at,
        submission_deadline=deadline,
        preselection_ends_at=deadline + timedelta(days=14),
        jury_starts_on=(deadline + timedelta(days=21)).date(),
        jury_ends_on=(deadline + timedelta(days=22)).date(),
        publication_at=deadline + timedelta(days=30),
    )


# --- The access matrix -------------------------------------------------------------------


def test_every_administration_url_is_in_the_matrix():
    names = {
        f"challenges:{p.name}" for p in urls_administration.urlpatterns if isinstance(p, URLPattern)
    }
    assert names == set(MATRIX_ADMINISTRATION)


# --- The call ----------------------------------------------------------------------------


def test_the_call_shows_its_dates_in_french_at_paris_time_and_its_criteria(client):
    year = timezone.now().year + 1
    call_with_dates(
        deadline=datetime(year, 4, 7, 12, 0, tzinfo=PARIS),
        opens_at=timezone.now() - timedelta(days=1),
    )
    html = client.get(reverse("challenges:call_for_projects")).content.decode()
    assert f"7 avril {year} à 12:00" in html  # 10:00 in UTC: the page speaks Paris time
    assert "Ouvert aux dépôts" in html
    assert "Des données disponibles" in html
    assert "Les données existent, sont accessibles" in html
    assert reverse("account_login") in html


def test_without_a_call_the_page_says_so(client):
    response = client.get(reverse("challenges:call_for_projects"))
    assert response.status_code == 200
    assert "Aucun appel à projets en ce moment" in response.content.decode()


def test_a_logged_in_visitor_is_invited_to_start_a_challenge(client):
    call_for_projects(phase="open")
    html = (
        logged_in(client, UserFactory())
        .get(reverse("challenges:call_for_projects"))
        .content.decode()
    )
    assert "Commencer un défi" in html and reverse("challenges:my_challenges") in html


def test_once_the_deadline_has_passed_the_call_says_submissions_are_closed(client):
    call_for_projects(phase="preselection")
    html = client.get(reverse("challenges:call_for_projects")).content.decode()
    assert "Les dépôts sont clos" in html
    assert "Commencer un défi" not in html


# --- My administration -------------------------------------------------------------------


def test_a_user_creates_an_administration_and_becomes_its_active_contact(client):
    user = UserFactory()
    response = logged_in(client, user).post(
        reverse("challenges:my_administration"),
        {
            "action": "create",
            "create-name": "Agence des données",
            "create-kind": "agency",
            "create-website": "https://www.exemple.gouv.fr",
        },
        follow=True,
    )
    contact = AdministrationContact.objects.get(user=user)
    assert contact.administration.name == "Agence des données"
    assert contact.status == AdministrationContact.Status.ACTIVE
    assert RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATION_CONTACT).exists()
    assert "Agence des données" in response.content.decode()


def test_an_administration_cannot_be_registered_twice(client):
    AdministrationFactory(name="Agence des données")
    response = logged_in(client, UserFactory()).post(
        reverse("challenges:my_administration"),
        {"action": "create", "create-name": "Agence des données", "create-kind": "agency"},
    )
    assert response.status_code == 200
    assert "Cette administration existe déjà" in response.content.decode()


def test_a_colleague_asks_to_join_and_an_active_contact_accepts(client):
    administration = AdministrationFactory()
    colleague, newcomer = contact_of(administration), UserFactory()
    logged_in(client, newcomer).post(
        reverse("challenges:my_administration"),
        {"action": "join", "join-administration": administration.pk},
    )
    request = AdministrationContact.objects.get(user=newcomer)
    assert request.status == AdministrationContact.Status.PENDING
    assert OutboxMessage.objects.filter(
        event="challenges.join_requested", to_email=colleague.email
    ).exists()

    html = (
        logged_in(client, colleague).get(reverse("challenges:my_administration")).content.decode()
    )
    assert newcomer.email in html and "Demandes à valider" in html
    response = client.post(reverse("challenges:accept_contact", kwargs={"pk": request.pk}))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AdministrationContact.Status.ACTIVE
    assert RoleGrant.objects.filter(user=newcomer, role=Role.ADMINISTRATION_CONTACT).exists()


def test_only_an_active_contact_of_that_administration_accepts_a_request(client):
    administration = AdministrationFactory()
    newcomer = UserFactory()
    request = AdministrationContact.objects.create(
        administration=administration, user=newcomer, status=AdministrationContact.Status.PENDING
    )
    url = reverse("challenges:accept_contact", kwargs={"pk": request.pk})
    other_administrations_contact = contact_of(AdministrationFactory())
    assert logged_in(client, other_administrations_contact).post(url).status_code == 403
    assert logged_in(client, newcomer).post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302  # to log in
    request.refresh_from_db()
    assert request.status == AdministrationContact.Status.PENDING


# --- My challenges -----------------------------------------------------------------------


def test_an_administration_sees_only_its_own_challenges(client):
    call = call_for_projects()
    mine, editor = drafted(call, title="Cadastre solaire")
    drafted(call, title="Registre des ponts")
    html = logged_in(client, editor).get(reverse("challenges:my_challenges")).content.decode()
    assert "Cadastre solaire" in html
    assert "Registre des ponts" not in html


def test_a_contact_starts_a_challenge_and_lands_on_its_form(client):
    call = call_for_projects()
    administration = AdministrationFactory()
    user = contact_of(administration)
    response = logged_in(client, user).post(
        reverse("challenges:my_challenges"),
        {"title": "Cadastre solaire", "administration": administration.pk},
    )
    challenge = Challenge.objects.get(title="Cadastre solaire")
    assert response.url == edit_url(challenge)
    assert challenge.call == call and challenge.status == Challenge.Status.DRAFT
    assert list(challenge.editors.all()) == [user]


def test_a_challenge_is_started_only_for_one_of_my_active_administrations(client):
    call_for_projects()
    pending = AdministrationFactory()
    user = contact_of(pending, status=AdministrationContact.Status.PENDING)
    response = logged_in(client, user).post(
        reverse("challenges:my_challenges"), {"title": "Défi", "administration": pending.pk}
    )
    assert response.status_code == 200
    assert not Challenge.objects.exists()


def test_a_challenge_cannot_be_started_when_the_call_is_not_open(client):
    call_for_projects(phase="preselection")
    administration = AdministrationFactory()
    user = contact_of(administration)
    html = logged_in(client, user).get(reverse("challenges:my_challenges")).content.decode()
    assert "n’accepte pas de nouveau défi" in html
    response = client.post(
        reverse("challenges:my_challenges"),
        {"title": "Trop tard", "administration": administration.pk},
    )
    assert response.status_code == 403
    assert "L'appel à projets n'accepte pas de dépôt en ce moment." in messages_of(response)
    assert not Challenge.objects.filter(title="Trop tard").exists()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_challenges_runs_the_same_queries_for_1_and_20_challenges(client):
    call = call_for_projects()
    challenge, editor = drafted(call)
    client = logged_in(client, editor)
    with_one = count_queries(client, reverse("challenges:my_challenges"))
    for _ in range(19):
        drafted(call, editor=editor)
    with_twenty = count_queries(client, reverse("challenges:my_challenges"))
    assert with_one == with_twenty


@pytest.mark.parametrize(
    "decision",
    [Challenge.Status.SELECTED, Challenge.Status.NOT_SELECTED, Challenge.Status.WAITLISTED],
)
def test_a_decision_is_not_shown_before_publication(client, decision):
    call = call_for_projects(phase="deliberation")  # preselection public, results not yet
    challenge, editor = drafted(call, status=decision, title="Cadastre solaire")
    client = logged_in(client, editor)
    decision_label = escape(str(Challenge.Status(decision).label))

    def page(url):  # "présélectionné" contains "sélectionné": set it aside
        return client.get(url).content.decode().replace("présélectionné", "[shortlisted]")

    for url in (reverse("challenges:my_challenges"), edit_url(challenge)):
        html = page(url)
        assert "[shortlisted]" in html
        assert decision_label not in html
    services.publish_results(call=call)
    assert decision_label in page(reverse("challenges:my_challenges"))


def test_a_preselection_outcome_is_not_shown_before_the_preselection_ends(client):
    call = call_for_projects(phase="preselection")
    challenge, editor = drafted(call, status=Challenge.Status.DECLINED)
    html = logged_in(client, editor).get(reverse("challenges:my_challenges")).content.decode()
    assert "déposé" in html
    assert "non retenu" not in html


def test_html_in_a_title_is_shown_as_text(client):
    challenge, editor = drafted(title="<script>alert('défi')</script>")
    client = logged_in(client, editor)
    for url in (reverse("challenges:my_challenges"), edit_url(challenge)):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;défi&#x27;)&lt;/script&gt;" in html


# --- Drafting ----------------------------------------------------------------------------


def test_an_editor_drafts_every_section_and_finds_it_again(client):
    challenge, editor = drafted(complete=False, problem="", team_size=None)
    data_science, design = SkillFactory(), SkillFactory(key="design", label="Design")
    response = logged_in(client, editor).post(
        edit_url(challenge),
        form_data(
            challenge,
            mentors=[
                ("Camille Durand", "operational", "Cheffe de projet", "camille@exemple.gouv.fr"),
                ("Alix Martin", "strategic", "Directrice", "alix@exemple.gouv.fr"),
            ],
            problem="Les usagers attendent.",
            skills=[data_science.pk, design.pk],
            team_size="3",
            funding="self",
        ),
    )
    assert response.status_code == 302
    assert "Votre brouillon est enregistré." in messages_of(response)
    challenge.refresh_from_db()
    assert challenge.problem == "Les usagers attendent."
    assert challenge.team_size == 3 and challenge.funding == "self"
    assert set(challenge.skills.all()) == {data_science, design}
    assert [(m.person.full_name, m.kind, m.position) for m in challenge.mentorships.all()] == [
        ("Camille Durand", "operational", 0),
        ("Alix Martin", "strategic", 1),
    ]
    html = client.get(edit_url(challenge)).content.decode()
    assert "Les usagers attendent." in html and "Camille Durand" in html


def test_an_invalid_draft_keeps_what_was_typed_and_saves_the_rest(client):
    challenge, editor = drafted()
    response = logged_in(client, editor).post(
        edit_url(challenge),
        form_data(challenge, problem="Un long texte tapé avec soin.", team_size="7", title=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un long texte tapé avec soin." in html
    assert "data-error-summary" in html and "Titre du défi" in html
    assert "<title>Erreur : " in html
    challenge.refresh_from_db()
    assert challenge.problem == "Un long texte tapé avec soin."  # what was valid is saved
    assert challenge.team_size == 2 and challenge.title  # what was not keeps its value


def test_a_new_mentor_is_never_a_namesake_of_the_history(client):
    namesake = PersonFactory(full_name="Laurent Dupont", slug="laurent-dupont")
    challenge, editor = drafted(complete=False)
    logged_in(client, editor).post(
        edit_url(challenge),
        form_data(challenge, mentors=[("Laurent  DUPONT", "strategic", "Directeur", "")]),
    )
    mentor = challenge.mentorships.get().person
    assert mentor != namesake and mentor.full_name == "Laurent DUPONT"
    assert mentor.slug == "laurent-dupont-2"


def test_a_mentor_is_a_known_person_by_email(client):
    known = PersonFactory(
        full_name="Claude Dupont", user=UserFactory(email="claude@culture.gouv.fr")
    )
    challenge, editor = drafted(complete=False)
    logged_in(client, editor).post(
        edit_url(challenge),
        form_data(
            challenge, mentors=[("Claude Dupont", "strategic", "", "Claude@culture.gouv.fr")]
        ),
    )
    assert challenge.mentorships.get().person == known


def test_a_mentor_is_a_known_person_by_an_explicit_choice_in_the_list(client):
    namesake = PersonFactory(full_name="Laurent Dupont", slug="laurent-dupont", profile="Mentor")
    challenge, editor = drafted(complete=False)
    client = logged_in(client, editor)
    page = client.get(edit_url(challenge)).content.decode()
    assert f'<option value="{namesake.pk}">Laurent Dupont (Mentor)</option>' in page
    data = form_data(challenge, mentors=[("", "strategic", "Directeur", "")])
    data["mentors-0-known_person"] = namesake.pk
    client.post(edit_url(challenge), data)
    assert challenge.mentorships.get().person == namesake


def test_editing_the_draft_again_keeps_each_mentor_s_person(client):
    challenge, editor = drafted(complete=False)
    client = logged_in(client, editor)
    client.post(
        edit_url(challenge), form_data(challenge, mentors=[("Alix Martin", "strategic", "", "")])
    )
    first = challenge.mentorships.get().person
    client.post(edit_url(challenge), form_data(challenge, summary="Autre résumé"))
    assert challenge.mentorships.get().person == first
    assert Person.objects.filter(full_name="Alix Martin").count() == 1
    page = client.get(edit_url(challenge)).content.decode()
    assert f'name="mentors-0-person" value="{first.pk}"' in page


def test_a_mentor_needs_a_name_and_a_role_and_appears_once(client):
    challenge, editor = drafted(complete=False)
    client = logged_in(client, editor)
    response = client.post(
        edit_url(challenge), form_data(challenge, mentors=[("", "", "Directrice", "")])
    )
    assert "Indiquez le prénom et le nom du mentor." in response.content.decode()
    response = client.post(
        edit_url(challenge),
        form_data(
            challenge,
            mentors=[("Alix Martin", "strategic", "", ""), ("Alix Martin", "operational", "", "")],
        ),
    )
    assert "Une même personne figure deux fois" in response.content.decode()
    assert not challenge.mentorships.exists()


def test_a_challenge_has_at_most_three_mentors(client):
    challenge, editor = drafted(complete=False)
    data = form_data(challenge, **{"mentors-TOTAL_FORMS": "4"})
    data.update({"mentors-3-full_name": "Quatrième Mentor", "mentors-3-kind": "operational"})
    for index, name in enumerate(["Un", "Deux", "Trois"]):
        data[f"mentors-{index}-full_name"] = f"Mentor {name}"
        data[f"mentors-{index}-kind"] = "operational"
    response = logged_in(client, editor).post(edit_url(challenge), data)
    assert response.status_code == 200
    assert "Un défi a trois mentors au plus." in response.content.decode()
    assert not ChallengeMentor.objects.filter(challenge=challenge).exists()


def test_extra_post_fields_are_ignored(client):
    challenge, editor = drafted()
    other = AdministrationFactory()
    intruder = UserFactory()
    data = form_data(
        challenge,
        status="selected",
        administration=other.pk,
        editors=[intruder.pk],
        call="",
        promotion=PromotionFactory().pk,
        slug="autre",
        decision_reason="Sélectionné d'office",
        internal_notes="Notes réécrites",
        submitted_at="2020-01-01T00:00",
    )
    assert logged_in(client, editor).post(edit_url(challenge), data).status_code == 302
    before = challenge
    challenge = Challenge.objects.get(pk=challenge.pk)
    assert challenge.status == Challenge.Status.DRAFT
    assert challenge.administration == before.administration
    assert challenge.call == before.call and challenge.promotion == before.promotion
    assert challenge.slug == before.slug
    assert challenge.decision_reason == "" and challenge.internal_notes == ""
    assert challenge.submitted_at is None
    assert list(challenge.editors.all()) == [editor]


def test_another_administrations_challenge_is_not_found(client):
    challenge, _editor = drafted(problem="Texte d'origine")
    stranger = contact_of(AdministrationFactory())
    client = logged_in(client, stranger)
    assert client.get(edit_url(challenge)).status_code == 404
    assert (
        client.post(edit_url(challenge), form_data(challenge, problem="Piraté")).status_code == 404
    )
    for name in (
        "challenges:challenge_submit",
        "challenges:challenge_withdraw",
        "challenges:challenge_invite",
    ):
        url = reverse(name, kwargs={"pk": challenge.pk})
        assert client.post(url, {"confirm": "on", "email": "x@exemple.fr"}).status_code == 404
    challenge.refresh_from_db()
    assert challenge.problem == "Texte d'origine" and challenge.status == Challenge.Status.DRAFT


def test_staff_read_a_challenge_but_do_not_write_it(client):
    challenge, _editor = drafted(problem="Texte d'origine")
    client = logged_in(client, make_user(Role.STAFF))
    response = client.get(edit_url(challenge))
    assert response.status_code == 200
    assert "lecture seule" in response.content.decode()
    assert (
        client.post(edit_url(challenge), form_data(challenge, problem="Modifié")).status_code == 403
    )
    challenge.refresh_from_db()
    assert challenge.problem == "Texte d'origine"


def test_after_the_deadline_the_challenge_is_read_only_even_by_post(client):
    challenge, editor = drafted(call_for_projects(phase="preselection"), problem="Texte déposé")
    client = logged_in(client, editor)
    response = client.get(edit_url(challenge))
    html = response.content.decode()
    assert response.status_code == 200
    assert "La date limite de dépôt est passée" in html
    assert "Enregistrer le brouillon" not in html and 'name="problem"' not in html
    assert (
        client.post(edit_url(challenge), form_data(challenge, problem="Trop tard")).status_code
        == 403
    )
    for name in (
        "challenges:challenge_submit",
        "challenges:challenge_withdraw",
        "challenges:challenge_invite",
    ):
        url = reverse(name, kwargs={"pk": challenge.pk})
        assert client.post(url, {"confirm": "on", "email": "x@exemple.fr"}).status_code == 403
    challenge.refresh_from_db()
    assert challenge.problem == "Texte déposé" and challenge.status == Challenge.Status.DRAFT
    assert not ChallengeInvitation.objects.exists()


def test_the_deadline_is_enforced_at_the_minute_across_a_daylight_saving_change(client):
    # Summer time starts in Paris on 29 March 2026 at 02:00; the deadline is noon that day.
    call = call_with_dates(deadline=datetime(2026, 3, 29, 12, 0, tzinfo=PARIS))
    challenge, editor = drafted(call, problem="Première version")
    client = logged_in(client, editor)
    one_minute_before = datetime(2026, 3, 29, 11, 59, tzinfo=PARIS)
    with patch("django.utils.timezone.now", return_value=one_minute_before):
        response = client.post(edit_url(challenge), form_data(challenge, problem="À 11 h 59"))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.problem == "À 11 h 59"
    at_the_deadline = datetime(2026, 3, 29, 12, 0, tzinfo=PARIS)
    assert at_the_deadline.utcoffset() == timedelta(hours=2)  # summer time already
    with patch("django.utils.timezone.now", return_value=at_the_deadline):
        response = client.post(edit_url(challenge), form_data(challenge, problem="À midi"))
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.problem == "À 11 h 59"


def test_every_save_asks_the_services_whether_the_challenge_may_change(client):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    refusal = services.DeadlinePassed("fermé")
    with patch.object(services, "ensure_editable", side_effect=refusal):
        response = client.post(edit_url(challenge), form_data(challenge, problem="Refusé"))
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.problem != "Refusé"


# --- The pitch deck ------------------------------------------------------------------------


def pdf_upload(content=MINIMAL_PDF, name="presentation.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_pdf_pitch_deck_is_stored_and_kept_when_none_is_uploaded(client):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    client.post(edit_url(challenge), form_data(challenge, pitch_deck=pdf_upload()))
    challenge.refresh_from_db()
    stored = challenge.pitch_deck.name
    assert stored.startswith("pitch-decks/") and stored.endswith(".pdf")
    client.post(edit_url(challenge), form_data(challenge, problem="Sans nouveau fichier"))
    challenge.refresh_from_db()
    assert challenge.pitch_deck.name == stored
    html = client.get(edit_url(challenge)).content.decode()
    assert reverse("challenges:pitch_deck_download", kwargs={"pk": challenge.pk}) in html
    assert 'class="fr-upload"' in html


def test_re_uploading_a_pitch_deck_keeps_only_the_last_file(
    client, django_capture_on_commit_callbacks
):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    uploaded = []
    for _ in range(14):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(edit_url(challenge), form_data(challenge, pitch_deck=pdf_upload()))
        challenge.refresh_from_db()
        uploaded.append(challenge.pitch_deck.name)
    storage = challenge.pitch_deck.storage
    assert len(set(uploaded)) == 14
    assert [name for name in uploaded if storage.exists(name)] == [uploaded[-1]]


@pytest.mark.parametrize(
    "content, error",
    [
        (b"Ceci est un simple texte, pas un PDF.\n" * 20, "Le fichier doit être un PDF."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400, "doit être un PDF"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 400, "doit être un PDF"),
        (MINIMAL_PDF + b"0" * TEN_MEGABYTES, "Le fichier dépasse 10 Mo."),
    ],
    ids=["text", "windows-executable", "linux-executable", "over-10-MB"],
)
def test_a_pitch_deck_must_be_a_pdf_by_its_content(client, content, error):
    challenge, editor = drafted()
    response = logged_in(client, editor).post(
        edit_url(challenge), form_data(challenge, pitch_deck=pdf_upload(content), problem="Gardé")
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    challenge.refresh_from_db()
    assert not challenge.pitch_deck
    assert challenge.problem == "Gardé"


def jury_hearing(challenge, user):
    call = challenge.call
    panel = JuryPanel.objects.create(call=call, name="Panel A")
    member = JuryMember.objects.create(
        call=call, user=user, profile=JuryMember.Profile.ALUMNI, panel=panel
    )
    Audition.objects.create(panel=panel, challenge=challenge, starts_at=timezone.now())
    return member


def test_the_pitch_deck_is_served_only_to_editors_staff_and_its_jury(client):
    challenge, editor = drafted(call_for_projects(phase="jury"))
    challenge.pitch_deck.save("deck.pdf", ContentFile(MINIMAL_PDF), save=True)
    url = reverse("challenges:pitch_deck_download", kwargs={"pk": challenge.pk})

    assert client.get(url).status_code == 302  # to log in
    for user in (editor, make_user(Role.STAFF)):
        response = logged_in(client, user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert f"{challenge.slug}-presentation.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == MINIMAL_PDF

    juror = make_user(Role.JURY_MEMBER)
    member = jury_hearing(challenge, juror)
    client = logged_in(client, juror)
    assert client.get(url).status_code == 404  # kits not yet open
    services.open_kits(call=challenge.call)
    assert client.get(url).status_code == 200
    ConflictOfInterest.objects.create(member=member, challenge=challenge, reason="ancien collègue")
    assert client.get(url).status_code == 404

    for user in (contact_of(AdministrationFactory()), make_user(Role.CANDIDATE)):
        assert logged_in(client, user).get(url).status_code == 404


# --- Submitting and withdrawing --------------------------------------------------------------


def submit(client, challenge, data=None):
    return client.post(
        reverse("challenges:challenge_submit", kwargs={"pk": challenge.pk}), data or {}
    )


def test_submitting_sends_a_confirmation_with_a_summary(
    client, eager_celery, django_capture_on_commit_callbacks
):
    challenge, editor = drafted(title="Cadastre solaire", problem="Des toits inexploités.")
    client = logged_in(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, challenge)
    assert response.status_code == 302
    assert any(m.startswith("Votre défi est déposé.") for m in messages_of(response))
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SUBMITTED and challenge.submitted_at
    row = OutboxMessage.objects.get(event="challenges.challenge_submitted")
    assert row.to_email == editor.email
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "Cadastre solaire" in mail.outbox[0].subject
    assert "Des toits inexploités." in mail.outbox[0].body


def test_a_double_submit_submits_once(client, django_capture_on_commit_callbacks):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    with django_capture_on_commit_callbacks(execute=False):
        first, second = submit(client, challenge), submit(client, challenge)
    assert first.status_code == second.status_code == 302
    assert "Ce défi est déjà déposé." in messages_of(second)
    assert ChallengeTransition.objects.filter(challenge=challenge, target="submitted").count() == 1
    assert OutboxMessage.objects.filter(event="challenges.challenge_submitted").count() == 1


def test_an_incomplete_challenge_is_not_submitted_and_the_page_says_what_is_missing(client):
    challenge, editor = drafted(complete=False, open_commitment=False)
    client = logged_in(client, editor)
    response = submit(client, challenge)
    assert response.url == edit_url(challenge)
    message = " ".join(messages_of(response))
    assert "mentor stratégique" in message and "open source" in message
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT
    html = client.get(edit_url(challenge)).content.decode()
    assert "Avant de déposer ce défi" in html and "un mentor stratégique" in html


def test_submitting_from_the_form_saves_what_was_just_typed(client):
    challenge, editor = drafted(complete=False, problem="")
    skill = SkillFactory()
    data = form_data(
        challenge,
        mentors=[("Camille Durand", "operational", "", ""), ("Alix Martin", "strategic", "", "")],
        problem="Tapé juste avant de déposer.",
        skills=[skill.pk],
    )
    response = submit(logged_in(client, editor), challenge, data)
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.problem == "Tapé juste avant de déposer."
    assert challenge.status == Challenge.Status.SUBMITTED


def test_submitting_an_invalid_form_submits_nothing_and_keeps_the_text(client):
    challenge, editor = drafted()
    data = form_data(challenge, title="", challenge_text="Texte précieux")
    response = submit(logged_in(client, editor), challenge, data)
    assert response.status_code == 200
    assert "Texte précieux" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT
    assert challenge.challenge_text == "Texte précieux"


def test_a_submitted_challenge_can_still_be_edited_before_the_deadline(client):
    challenge, editor = drafted()
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    client = logged_in(client, editor)
    html = client.get(edit_url(challenge)).content.decode()
    assert "Enregistrer les modifications" in html and "Déposer le défi" not in html
    response = client.post(edit_url(challenge), form_data(challenge, summary="Résumé revu"))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.summary == "Résumé revu" and challenge.status == Challenge.Status.SUBMITTED


def test_withdrawing_a_challenge_asks_for_a_confirmation(client):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    url = reverse("challenges:challenge_withdraw", kwargs={"pk": challenge.pk})
    client.post(url, {})
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT
    response = client.post(url, {"confirm": "on"})
    assert response.url == reverse("challenges:my_challenges")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.WITHDRAWN
    assert "retiré" in client.get(reverse("challenges:my_challenges")).content.decode()


# --- Co-editing ----------------------------------------------------------------------------


def test_an_editor_invites_a_colleague_who_accepts(client):
    challenge, editor = drafted(title="Cadastre solaire")
    logged_in(client, editor).post(
        reverse("challenges:challenge_invite", kwargs={"pk": challenge.pk}),
        {"email": "Collegue@Exemple.gouv.fr"},
    )
    invitation = ChallengeInvitation.objects.get(challenge=challenge)
    assert invitation.email == "collegue@exemple.gouv.fr"
    assert OutboxMessage.objects.filter(
        event="challenges.coeditor_invited", to_email=invitation.email
    ).exists()

    colleague = UserFactory(email="collegue@exemple.gouv.fr")
    client = logged_in(client, colleague)
    url = reverse("challenges:invitation_accept", kwargs={"token": invitation.token})
    page = client.get(url)
    assert page.status_code == 200 and "Cadastre solaire" in page.content.decode()
    response = client.post(url)
    assert response.url == edit_url(challenge)
    assert colleague in challenge.editors.all()
    assert AdministrationContact.objects.get(user=colleague).status == "active"
    assert client.get(edit_url(challenge)).status_code == 200


def test_an_invitation_is_accepted_only_by_the_invited_address(client):
    challenge, editor = drafted()
    invitation = services.invite_coeditor(
        challenge=challenge, email="collegue@exemple.gouv.fr", by=editor
    )
    someone_else = UserFactory(email="autre@exemple.gouv.fr")
    client = logged_in(client, someone_else)
    url = reverse("challenges:invitation_accept", kwargs={"token": invitation.token})
    assert "Cette invitation a été envoyée à collegue@exemple.gouv.fr" in (
        client.get(url).content.decode()
    )
    response = client.post(url)
    assert response.status_code == 403
    assert "envoyée à une autre adresse" in response.content.decode()
    assert someone_else not in challenge.editors.all()


def test_an_expired_invitation_is_refused_with_a_clear_message(client):
    challenge, editor = drafted()
    invitation = ChallengeInvitation.objects.create(
        challenge=challenge,
        email="collegue@exemple.gouv.fr",
        invited_by=editor,
        created_at=timezone.now() - timedelta(days=15),
    )
    client = logged_in(client, UserFactory(email="collegue@exemple.gouv.fr"))
    url = reverse("challenges:invitation_accept", kwargs={"token": invitation.token})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert "a expiré" in response.content.decode()
    assert challenge.editors.count() == 1


def test_an_unknown_invitation_is_not_found(client):
    client = logged_in(client, UserFactory())
    url = reverse("challenges:invitation_accept", kwargs={"token": "inconnue"})
    assert client.get(url).status_code == 404


# --- The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_leads_an_administration_contact_to_their_challenges(client):
    _challenge, editor = drafted()
    html = logged_in(client, editor).get(reverse("dashboard")).content.decode()
    assert (
        reverse("challenges:my_challenges") in html
        and reverse("challenges:my_administration") in html
    )


@pytest.mark.parametrize("outcome", [Challenge.Status.SHORTLISTED, Challenge.Status.DECLINED])
def test_a_challenge_decided_before_its_deadline_reads_and_edits_as_submitted(client, outcome):
    """Shortlisted (or declined) before the deadline: the badge says "déposé", so the
    page lets the administration edit it as any submitted challenge, until the deadline."""
    challenge, editor = drafted(call_for_projects(phase="open"), status=outcome)
    client = logged_in(client, editor)

    html = client.get(edit_url(challenge)).content.decode()
    assert "déposé" in html
    assert "plus modifiable" not in html and 'name="title"' in html

    response = client.post(edit_url(challenge), form_data(challenge, title="Titre revu"))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.title, challenge.status) == ("Titre revu", outcome)
    assert (
        client.post(reverse("challenges:challenge_submit", args=[challenge.pk])).status_code == 302
    )
    challenge.refresh_from_db()
    assert challenge.status == outcome
