"""The handover: a complete, published team goes to its host administration (names,
profiles, emails, start date, what to prepare, the pay grid); staff follow each contract;
the profile given in the application becomes the EIG's profile."""

import pytest
from django.urls import reverse

from applications.decisions import services as decisions
from applications.models import Choice, Offer
from challenges.models import AdministrationContact
from cohorts.models import Team, TeamMember
from cohorts.notifications_handover import TEAM_HANDOVER
from eig.models import OutboxMessage, Person
from tests.applications.test_interviews import applicant, interview_call, logged_in, staff_user
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

PAY_GRID = "3 500 € net par mois jusqu'à 5 ans d'expérience inclus, 4 000 € au-delà."


def season(*, team_size=2):
    """A published call whose first challenge asked for `team_size` EIGs, all selected;
    its administration has a contact. Returns (call, challenge, contact, offers)."""
    call = interview_call()
    call.pay_grid = PAY_GRID
    call.save(update_fields=["pay_grid"])
    challenge = call.challenges().order_by("pk").first()
    challenge.team_size = team_size
    challenge.save(update_fields=["team_size"])
    contact = UserFactory()
    AdministrationContact.objects.create(administration=challenge.administration, user=contact)
    staff = staff_user()
    chosen = []
    for n in range(team_size):
        application, [choice] = applicant(
            call, [challenge], profile=SkillFactory(label=f"Profil {n}")
        )
        application.forge_url = f"https://github.com/eig-{n}"
        application.portfolio_url = f"https://eig-{n}.example.org"
        application.save(update_fields=["forge_url", "portfolio_url"])
        chosen.append(decisions.decide(choice=choice, to=Choice.Status.SELECTED, by=staff))
    decisions.publish_results(call=call, by=staff)
    return call, challenge, contact, [Offer.objects.get(choice=c) for c in chosen]


def accept(offer):
    return decisions.answer_offer(offer=offer, accept=True, by=offer.choice.application.candidate)


def handovers():
    return OutboxMessage.objects.filter(event=TEAM_HANDOVER.code)


def test_a_complete_published_team_is_handed_over_to_its_administration_once():
    call, challenge, contact, (first, second) = season(team_size=2)

    accept(first)
    assert not handovers().exists()  # one place of two accepted: not complete yet
    accept(second)

    [email] = handovers()
    assert email.to_email == contact.email
    for offer in (first, second):
        candidate = offer.choice.application.candidate
        assert candidate.get_full_name() in email.body_text
        assert candidate.email in email.body_text
        assert offer.choice.application.profile.label in email.body_text
    assert "contrat" in email.body_text and "équipement" in email.body_text
    assert "accès" in email.body_text and PAY_GRID in email.body_text
    day = call.promotion_starts_on
    assert f"arrivée le {day.day}" in email.body_text
    team = Team.objects.get(challenge=challenge)
    assert team.handed_over_at is not None
    assert set(team.members.values_list("starts_on", flat=True)) == {day}


def test_a_team_of_three_is_handed_over_only_when_the_third_accepts():
    _call, _challenge, _contact, offers = season(team_size=3)
    accept(offers[0])
    accept(offers[1])
    assert not handovers().exists()
    accept(offers[2])
    assert handovers().count() == 1


def test_the_application_profile_becomes_the_eig_profile(client):
    _call, challenge, _contact, (first, second) = season(team_size=2)
    accept(first)
    application = first.choice.application
    person = Person.objects.get(user=application.candidate)
    assert person.profile == application.profile.label
    assert person.github == "eig-0" and person.website == application.portfolio_url
    team = Team.objects.get(challenge=challenge)
    client = logged_in(client, application.candidate)
    page = client.get(reverse("cohorts:team_page", args=[team.pk])).text
    assert application.profile.label in page
    assert "Profil non renseigné" not in page


def test_the_host_administration_sees_its_team_on_the_team_page(client):
    call, challenge, contact, offers = season(team_size=2)
    for offer in offers:
        accept(offer)
    team = Team.objects.get(challenge=challenge)
    url = reverse("cohorts:team_page", args=[team.pk])

    page = logged_in(client, contact).get(url)

    assert page.status_code == 200
    assert "L’équipe pour l’administration" in page.text and "4 000 € au-delà" in page.text
    for offer in offers:
        assert offer.choice.application.candidate.email in page.text
    assert "À préparer avant leur arrivée" in page.text
    space = client.get(reverse("dashboard"))
    assert url in space.text
    # The contact of another administration knows nothing of it.
    stranger = UserFactory()
    other = call.challenges().exclude(pk=challenge.pk).first()
    AdministrationContact.objects.create(administration=other.administration, user=stranger)
    assert logged_in(client, stranger).get(url).status_code == 404


def test_staff_track_each_eigs_contract_in_the_admin(client):
    _call, challenge, _contact, offers = season(team_size=2)
    for offer in offers:
        accept(offer)
    team = Team.objects.get(challenge=challenge)
    signed = team.members.first()
    TeamMember.objects.filter(pk=signed.pk).update(contract_status=TeamMember.Contract.SIGNED)
    client = logged_in(client, UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:cohorts_team_changelist"))
    change = client.get(reverse("admin:cohorts_team_change", args=[team.pk]))

    assert listing.status_code == 200 and "1/2" in listing.text
    assert change.status_code == 200
    for field in ("contract_status", "contract_sent_on", "contract_signed_on", "starts_on"):
        assert f"members-0-{field}" in change.text
