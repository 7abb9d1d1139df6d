"""Administrations and their contacts through a season (issue 13, items 8 to 13): who may
submit, who joins, where a new account lands, what a submitted or shortlisted challenge's
page says, and what its emails link to."""

import re
from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from challenges import services
from challenges.administration.names import similar_administrations
from challenges.models import (
    Administration,
    AdministrationContact,
    Audition,
    Challenge,
    ChallengeInvitation,
    JuryPanel,
)
from eig import reminders
from eig.models import OutboxMessage
from tests.challenges.matrix_administration import MINIMAL_PDF
from tests.challenges.test_administration_screens import (
    contact_of,
    count_queries,
    drafted,
    edit_url,
    form_data,
    logged_in,
)
from tests.factories import AdministrationFactory, UserFactory, call_for_projects

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:challenges_administration_changelist")
CHALLENGES = reverse("admin:challenges_challenge_changelist")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def register(client, name, **extra):
    return client.post(
        reverse("challenges:my_administration"),
        {"action": "create", "create-name": name, "create-kind": "agency", **extra},
    )


def submit(client, challenge):
    client.post(reverse("challenges:challenge_submit", args=[challenge.pk]))
    challenge.refresh_from_db()
    return challenge.status


# --- 8. Governance ------------------------------------------------------------------------


def test_a_new_administration_waits_for_staff_before_its_challenges_are_submitted(
    client, client_as
):
    person = UserFactory()
    register(logged_in(client, person), "Agence des mobilités nouvelles")
    administration = Administration.objects.get(name="Agence des mobilités nouvelles")
    assert administration.awaiting_validation
    challenge, _editor = drafted(administration=administration, editor=person)

    assert submit(client, challenge) == Challenge.Status.DRAFT
    page = client.get(edit_url(challenge)).content.decode()
    assert "attend la validation de l’équipe du programme" in page

    staff = client_as("staff")
    waiting = staff.get(CHANGELIST, {"awaiting_validation__exact": "1"})
    assert [a.pk for a in waiting.context["cl"].result_list] == [administration.pk]
    staff.post(CHANGELIST, {"action": "validate", "_selected_action": [administration.pk]})
    administration.refresh_from_db()
    assert not administration.awaiting_validation and administration.validated_by is not None
    told = OutboxMessage.objects.get(event="challenges.administration_validated")
    assert told.to_email == person.email

    assert submit(logged_in(client, person), challenge) == Challenge.Status.SUBMITTED


def test_staff_are_told_on_their_dashboard_which_administrations_wait(client_as):
    services.create_administration(name="Agence des routes", kind="agency", by=UserFactory())
    html = client_as("staff").get(reverse("dashboard")).content.decode()
    assert "1 administration inscrite sur la plateforme attend votre validation" in html
    assert f"{CHANGELIST}?awaiting_validation__exact=1" in html


def test_administrations_known_to_staff_or_the_history_need_no_validation():
    challenge, editor = drafted()  # an administration created by staff or imported
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    assert challenge.administration.awaiting_validation is False


@pytest.mark.parametrize(
    "existing, typed",
    [
        (
            "Direction interministérielle du numérique (DINUM)",
            "direction interministerielle du numerique",
        ),
        ("Direction interministérielle du numérique (DINUM)", "DINUM"),
        ("Direction générale de la gendarmerie nationale (DGGN)", "DGGN"),
        (
            "Direction générale de la gendarmerie nationale (DGGN)",
            "Direction Générale de la Gendarmerie Nationale",
        ),
        (
            "Direction générale de la gendarmerie nationale (DGGN)",
            "Ministère de l’Intérieur, Direction générale de la gendarmerie nationale",
        ),
        ("Cour de cassation", "Cour de Cassation."),
    ],
)
def test_a_near_duplicate_is_offered_instead_of_registered(client, existing, typed):
    known = AdministrationFactory(name=existing)
    response = register(logged_in(client, UserFactory()), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(known.name) in html and "Demander à la rejoindre" in html
    assert Administration.objects.count() == 1


def test_a_distinct_body_with_a_close_name_is_registered_once_confirmed(client):
    AdministrationFactory(name="Direction générale de la gendarmerie nationale (DGGN)")
    client = logged_in(client, UserFactory())
    typed = "Direction générale de la gendarmerie nationale, service des systèmes d’information"
    assert register(client, typed).status_code == 200
    assert register(client, typed, **{"create-distinct": "on"}).status_code == 302
    assert Administration.objects.filter(name=typed, awaiting_validation=True).exists()


def test_the_same_name_written_otherwise_is_never_registered_twice(client):
    AdministrationFactory(name="Cour de cassation")
    response = register(
        logged_in(client, UserFactory()), "COUR DE CASSATION", **{"create-distinct": "on"}
    )
    assert "Cette administration existe déjà" in response.content.decode()
    assert Administration.objects.count() == 1


def test_the_importers_alias_table_points_to_the_canonical_administration():
    canonical = AdministrationFactory(name="Commissariat général au développement durable")
    variant = (
        "Commissariat Général au Développement Durable - Ministère de la Transition "
        "Écologique et Solidaire"
    )
    assert similar_administrations(variant) == [canonical]


def test_a_name_merged_by_staff_points_to_the_kept_administration(client_as):
    kept = AdministrationFactory(name="Agence nationale de la cohésion des territoires")
    merged = AdministrationFactory(name="ANCT Paris")
    from challenges.administration.merge import merge_administrations

    merge_administrations(kept=kept, merged=merged, by=None)
    assert similar_administrations("ANCT Paris") == [kept]


@pytest.mark.parametrize(
    "existing, typed",
    [
        ("Ministère de la Culture", "Ministère de la Justice"),
        (
            "Agence nationale des titres sécurisés",
            "Agence nationale de la cohésion des territoires",
        ),
        ("Direction générale des entreprises", "Direction générale des finances publiques"),
        ("AGENCE DU NUMÉRIQUE EN SANTÉ", "AGENCE DE LA BIOMÉDECINE"),
    ],
)
def test_distinct_administrations_are_not_taken_for_one(existing, typed):
    AdministrationFactory(name=existing)
    assert similar_administrations(typed) == []


def test_a_contact_sees_the_administrations_contacts(client):
    administration = AdministrationFactory()
    me = contact_of(administration)
    colleague = contact_of(administration, UserFactory(email="collegue@exemple.gouv.fr"))
    waiting = contact_of(
        administration,
        UserFactory(email="demandeur@exemple.gouv.fr"),
        status=AdministrationContact.Status.PENDING,
    )
    html = logged_in(client, me).get(reverse("challenges:my_administration")).content.decode()
    for user in (me, colleague, waiting):
        assert user.email in html
    assert "demande en attente" in html


def test_the_administration_page_runs_the_same_queries_for_2_and_20_contacts(client):
    administration = AdministrationFactory()
    me = contact_of(administration)
    contact_of(administration)
    client = logged_in(client, me)
    with_two = count_queries(client, reverse("challenges:my_administration"))
    for _n in range(18):
        contact_of(administration)
    assert count_queries(client, reverse("challenges:my_administration")) == with_two


def test_a_contact_refuses_a_join_request_after_a_confirmation_and_the_requester_is_told(client):
    administration = AdministrationFactory(name="Cour des comptes")
    me = contact_of(administration)
    requester = UserFactory(email="inconnu@exemple.com")
    request = services.request_to_join(administration=administration, by=requester)
    client = logged_in(client, me)

    url = reverse("challenges:refuse_contact", kwargs={"pk": request.pk})
    page = client.get(url).content.decode()
    assert "inconnu@exemple.com" in page and "reçoit un email" in page
    assert AdministrationContact.objects.filter(pk=request.pk).exists()  # a GET changes nothing

    assert client.post(url).status_code == 302
    assert not AdministrationContact.objects.filter(pk=request.pk).exists()
    refused = OutboxMessage.objects.get(event="challenges.join_refused")
    assert refused.to_email == "inconnu@exemple.com" and "Cour des comptes" in refused.body_text


def test_an_accepted_requester_is_told_too(client):
    administration = AdministrationFactory()
    me = contact_of(administration)
    requester = UserFactory()
    request = services.request_to_join(administration=administration, by=requester)
    logged_in(client, me).post(reverse("challenges:accept_contact", kwargs={"pk": request.pk}))
    accepted = OutboxMessage.objects.get(event="challenges.join_accepted")
    assert accepted.to_email == requester.email


def test_someone_outside_the_administration_cannot_refuse_its_requests(client):
    administration = AdministrationFactory()
    request = services.request_to_join(administration=administration, by=UserFactory())
    outsider = contact_of(AdministrationFactory())
    client = logged_in(client, outsider)
    assert (
        client.post(reverse("challenges:refuse_contact", kwargs={"pk": request.pk})).status_code
        == 403
    )
    assert AdministrationContact.objects.filter(pk=request.pk).exists()


def test_an_editor_sees_and_revokes_a_pending_invitation(client):
    challenge, editor = drafted()
    client = logged_in(client, editor)
    client.post(
        reverse("challenges:challenge_invite", args=[challenge.pk]),
        {"email": "collegue@exemple.gouv.fr"},
    )
    invitation = ChallengeInvitation.objects.get(challenge=challenge)
    assert "collegue@exemple.gouv.fr" in client.get(edit_url(challenge)).content.decode()

    url = reverse(
        "challenges:invitation_revoke", kwargs={"pk": challenge.pk, "invitation": invitation.pk}
    )
    assert "son lien ne fonctionnera plus" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not ChallengeInvitation.objects.filter(pk=invitation.pk).exists()
    assert OutboxMessage.objects.get(event="challenges.coeditor_invited").status == "cancelled"
    invited = logged_in(client, UserFactory(email="collegue@exemple.gouv.fr"))
    token_url = reverse("challenges:invitation_accept", kwargs={"token": invitation.token})
    assert invited.get(token_url).status_code == 404


# --- 9. Where a new account lands ---------------------------------------------------------


def sign_up_from(client, url, email):
    """Open `url`, follow "create an account" from the login page, sign up: the link of
    the confirmation email is returned."""
    login_url = client.get(url)["Location"]
    login_page = client.get(login_url).content.decode()
    signup = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', login_page).group(1)
    client.post(
        signup.replace("&amp;", "&"),
        {
            "first_name": "Agnès",
            "last_name": "Durand",
            "form_of_address": "madame",
            "email": email,
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    row = OutboxMessage.objects.filter(to_email=email).latest("created_at")
    return "/" + re.search(r"https?://[^/]+/(\S*confirm-email/\S+)", row.body_text).group(1)


def test_signing_up_from_an_invitation_lands_on_it_once_the_address_is_confirmed(client):
    challenge, editor = drafted(title="Registre des bornes")
    invitation = services.invite_coeditor(
        challenge=challenge, email="nouvelle@exemple.gouv.fr", by=editor
    )
    url = reverse("challenges:invitation_accept", kwargs={"token": invitation.token})
    confirm = sign_up_from(client, url, "nouvelle@exemple.gouv.fr")
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == url
    assert "Registre des bornes" in client.get(url).content.decode()


def test_signing_up_from_my_challenges_lands_there(client):
    confirm = sign_up_from(client, reverse("challenges:my_challenges"), "agent@exemple.gouv.fr")
    assert client.post(confirm)["Location"] == reverse("challenges:my_challenges")


def test_confirming_in_another_browser_then_logging_in_still_lands_on_the_invitation(client):
    challenge, editor = drafted()
    invitation = services.invite_coeditor(
        challenge=challenge, email="agent@exemple.gouv.fr", by=editor
    )
    invited = UserFactory(email="agent@exemple.gouv.fr")
    invited.set_password("un-mot-de-passe-long")
    invited.save()
    EmailAddress.objects.create(user=invited, email=invited.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"),
        {"login": "agent@exemple.gouv.fr", "password": "un-mot-de-passe-long"},
    )
    assert response["Location"] == reverse(
        "challenges:invitation_accept", kwargs={"token": invitation.token}
    )


def test_the_dashboard_says_what_a_person_can_do_while_a_call_is_open(client):
    call = call_for_projects(phase="open")
    html = logged_in(client, UserFactory()).get(reverse("dashboard")).content.decode()
    assert "prochain appel" not in html
    assert f"{escape(str(call))} est ouvert" in html
    assert reverse("challenges:my_administration") in html


# --- 10. A submitted challenge stays complete ---------------------------------------------


def submitted_challenge(**fields):
    challenge, editor = drafted(**fields)
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.SUBMITTED, by=editor)
    challenge.refresh_from_db()
    return challenge, editor


def test_blanking_a_required_field_of_a_submitted_challenge_is_refused_and_nothing_changes(client):
    challenge, editor = submitted_challenge(title="Cadastre des arbres")
    problem = challenge.problem
    client = logged_in(client, editor)
    response = client.post(
        edit_url(challenge), form_data(challenge, problem="", title="Autre titre")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ne peut pas être vidé" in html and "Vos modifications ne sont pas enregistrées" in html
    challenge.refresh_from_db()
    assert (challenge.status, challenge.problem, challenge.title) == (
        Challenge.Status.SUBMITTED,
        problem,
        "Cadastre des arbres",
    )


def test_removing_the_strategic_mentor_of_a_submitted_challenge_is_refused(client):
    challenge, editor = submitted_challenge()
    operational = [
        (m.person.full_name, m.kind, m.job_title, m.email)
        for m in challenge.mentorships.select_related("person")
        if m.kind == "operational"
    ]
    response = logged_in(client, editor).post(
        edit_url(challenge), form_data(challenge, mentors=operational)
    )
    assert "garde un mentor stratégique" in response.content.decode()
    assert challenge.mentorships.filter(kind="strategic").count() == 1


def test_a_complete_change_to_a_submitted_challenge_is_saved(client):
    challenge, editor = submitted_challenge()
    response = logged_in(client, editor).post(
        edit_url(challenge), form_data(challenge, title="Titre revu")
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.title, challenge.status) == ("Titre revu", Challenge.Status.SUBMITTED)


# --- 11. Staff decisions wait for the deadline --------------------------------------------


def test_staff_cannot_shortlist_before_the_deadline_and_are_told_why(client_as):
    challenge, _editor = submitted_challenge(title="Cartographie des friches")
    staff = client_as("staff")
    response = staff.post(
        CHALLENGES,
        {"action": "move_to_shortlisted", "_selected_action": [challenge.pk], "apply": "1"},
        follow=True,
    )
    assert "attendent la date limite" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SUBMITTED

    call = challenge.call
    call.closed_at = timezone.now()
    call.save()
    services.set_challenge_status(challenge=challenge, to=Challenge.Status.SHORTLISTED, by=None)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.SHORTLISTED


def test_the_service_refuses_a_decision_before_the_deadline_with_a_sentence():
    challenge, _editor = submitted_challenge()
    with pytest.raises(ValidationError, match="attendent la date limite"):
        services.set_challenge_status(challenge=challenge, to=Challenge.Status.DECLINED, by=None)


# --- 12. The audition, then the decision, on the challenge's page -------------------------


def heard(challenge, *, place="", video_link="", convoked=True):
    """An audition of the challenge, its convocation sent unless told otherwise."""
    call = challenge.call
    panel = JuryPanel.objects.create(call=call, name="Panel A", place=place, video_link=video_link)
    starts_at = reminders.paris_time(call.jury_starts_on, time(14))
    return Audition.objects.create(
        panel=panel,
        challenge=challenge,
        starts_at=starts_at,
        sent_at=timezone.now() if convoked else None,
        sent_starts_at=starts_at if convoked else None,
        sent_panel=panel if convoked else None,
        sent_location=place or video_link,
    )


def test_a_shortlisted_challenges_page_shows_its_audition(client):
    call = call_for_projects(phase="jury")
    challenge, editor = drafted(call, status=Challenge.Status.SHORTLISTED)
    heard(
        challenge, place="20 avenue de Ségur, Paris", video_link="https://visio.exemple.gouv.fr/a"
    )
    html = logged_in(client, editor).get(edit_url(challenge)).content.decode()
    assert "Votre audition devant le jury" in html
    assert "de 14:10 à 14:30 (heure de Paris)" in html  # joins after the 10 minutes' reading
    assert "20 avenue de Ségur, Paris" in html and "https://visio.exemple.gouv.fr/a" in html
    assert "À préparer" in html and "5 minutes" in html


def test_the_audition_is_not_shown_before_the_preselection_is_public(client):
    call = call_for_projects(phase="preselection")
    challenge, editor = drafted(call, status=Challenge.Status.SHORTLISTED)
    heard(challenge, place="Salle 3")
    html = logged_in(client, editor).get(edit_url(challenge)).content.decode()
    assert "Votre audition" not in html and "Salle 3" not in html


def test_the_audition_shows_once_its_convocation_is_sent_and_follows_a_move(client):
    call = call_for_projects(phase="jury")
    challenge, editor = drafted(call, status=Challenge.Status.SHORTLISTED)
    audition = heard(challenge, place="Salle du panel", convoked=False)
    client = logged_in(client, editor)
    html = client.get(edit_url(challenge)).content.decode()
    assert "Votre audition" not in html and "Salle du panel" not in html  # still a draft
    audition.sent_at = timezone.now()
    audition.starts_at += timedelta(minutes=40)
    audition.save()
    html = client.get(edit_url(challenge)).content.decode()
    assert "Salle du panel" in html and "de 14:50 à 15:10 (heure de Paris)" in html


def test_a_cancelled_audition_leaves_the_page(client):
    call = call_for_projects(phase="jury")
    challenge, editor = drafted(call, status=Challenge.Status.SHORTLISTED)
    audition = heard(challenge, place="Salle du panel")
    audition.cancelled_at = timezone.now()
    audition.save()
    html = logged_in(client, editor).get(edit_url(challenge)).content.decode()
    assert "Votre audition" not in html and "Salle du panel" not in html


def test_after_publication_the_page_carries_the_decision_and_its_reason(client):
    call = call_for_projects(phase="deliberation")
    challenge, editor = drafted(
        call,
        status=Challenge.Status.NOT_SELECTED,
        decision_reason="Les données ne seront pas accessibles avant 2027.",
    )
    client = logged_in(client, editor)
    assert "accessibles avant 2027" not in client.get(edit_url(challenge)).content.decode()
    services.publish_results(call=call)
    html = client.get(edit_url(challenge)).content.decode()
    assert "Décision : non sélectionné" in html and "accessibles avant 2027" in html


# --- 13. Emails link back; a deck can be removed ----------------------------------------------


def test_the_submission_email_links_back_to_the_challenge_and_says_paris_time(settings):
    settings.SITE_URL = "https://eig.exemple.gouv.fr"
    challenge, _editor = submitted_challenge()
    row = OutboxMessage.objects.get(event="challenges.challenge_submitted")
    link = f"https://eig.exemple.gouv.fr{edit_url(challenge)}"
    assert link in row.body_text and link in row.body_html
    assert "(heure de Paris)" in row.body_text


def test_a_deck_is_removed_after_a_confirmation_and_its_file_deleted(
    client, django_capture_on_commit_callbacks
):
    challenge, editor = drafted()
    challenge.pitch_deck.save("presentation.pdf", ContentFile(MINIMAL_PDF), save=True)
    stored = challenge.pitch_deck.name
    storage = challenge.pitch_deck.storage
    client = logged_in(client, editor)
    url = reverse("challenges:pitch_deck_remove", args=[challenge.pk])
    assert (
        reverse("challenges:pitch_deck_remove", args=[challenge.pk])
        in client.get(edit_url(challenge)).content.decode()
    )
    assert "ne peut pas être récupéré" in client.get(url).content.decode()
    assert storage.exists(stored)  # the confirmation page deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    challenge.refresh_from_db()
    assert not challenge.pitch_deck
    assert not storage.exists(stored)


def test_a_deck_cannot_be_removed_after_the_deadline(client):
    call = call_for_projects(phase="preselection")
    challenge, editor = drafted(call, status=Challenge.Status.SUBMITTED)
    challenge.pitch_deck.save("presentation.pdf", ContentFile(MINIMAL_PDF), save=True)
    response = logged_in(client, editor).post(
        reverse("challenges:pitch_deck_remove", args=[challenge.pk])
    )
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.pitch_deck
