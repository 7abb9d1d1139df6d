"""Alumni who said they are available for a jury show up to staff where juries are
composed: the jury member form and the panel composition of a call for projects, and
the interview slot form. The jury screens live in earlier stages: they render what
`eig.jury_pool` gives, which the alumni's stage fills."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges import services
from cohorts.models import AlumniProfile
from eig.models import Role
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    SkillFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def alum(name, *, available=True, position="", skills=()):
    promotion = PromotionFactory()
    person = PersonFactory(full_name=name, user=UserFactory(roles=[Role.ALUMNI]))
    team = TeamFactory(challenge=ChallengeFactory(promotion=promotion, title=f"Défi de {name}"))
    TeamMemberFactory(team=team, person=person)
    profile = AlumniProfile.objects.create(
        person=person, available_for_jury=available, current_position=position
    )
    profile.skills.set(skills)
    return profile


def a_call():
    deadline = timezone.now() + timedelta(days=10)
    return services.open_call(
        promotion=PromotionFactory(),
        opens_at=deadline - timedelta(days=40),
        submission_deadline=deadline,
        preselection_ends_at=deadline + timedelta(days=14),
        jury_starts_on=(deadline + timedelta(days=21)).date(),
        jury_ends_on=(deadline + timedelta(days=22)).date(),
        publication_at=deadline + timedelta(days=30),
    )


@pytest.fixture
def alumni():
    data = SkillFactory(label="Science des données")
    return (
        alum("Awa Diallo", position="Data scientist, Insee", skills=[data]),
        alum("Bruno Petit", available=False, position="Développeur, DINUM"),
    )


def jury_screens(call):
    return {
        "jury member form": ("get", reverse("admin:challenges_jurymember_add"), {}),
        "panel composition": ("get", reverse("admin:challenges_jury_compose", args=[call.pk]), {}),
        "juror onboarding": ("get", reverse("admin:challenges_jury_onboard", args=[call.pk]), {}),
        "interview slot form": ("get", reverse("admin:applications_interviewslot_add"), {}),
    }


def test_staff_see_the_alumni_available_for_a_jury_where_they_compose_juries(client_as, alumni):
    available, unavailable = alumni
    client = client_as(Role.STAFF)
    for screen, (method, url, data) in jury_screens(a_call()).items():
        page = getattr(client, method)(url, data)
        assert page.status_code == 200, screen
        content = page.content.decode()
        assert "Disponibles pour un jury" in content, screen
        assert "Awa Diallo" in content and available.person.user.email in content, screen
        assert "Data scientist, Insee" in content and "Science des données" in content, screen
        assert "Défi de Awa Diallo" in content, screen
        assert "Bruno Petit" not in content, screen


def test_an_alum_who_withdraws_their_availability_disappears(client_as, alumni):
    available, _unavailable = alumni
    available.available_for_jury = False
    available.save()
    page = client_as(Role.STAFF).get(reverse("admin:challenges_jurymember_add"))
    assert "Awa Diallo" not in page.content.decode()
    assert "Aucun alumni ne s’est déclaré disponible" in page.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_available_alumni_cost_the_same_queries_for_one_and_many(client_as):
    skill = SkillFactory()
    client = client_as(Role.STAFF)
    url = reverse("admin:challenges_jurymember_add")
    alum("Alum 00", skills=[skill])
    with_one = count_queries(client, url)
    for n in range(1, 7):
        alum(f"Alum {n:02d}", skills=[skill, SkillFactory()])
    with_seven = count_queries(client, url)
    assert with_one == with_seven
    assert "Alum 06" in client.get(url).content.decode()
