"""Staff merge two administrations that are one body written two ways (issue #16, item 4)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from challenges.models import Administration, AdministrationContact, AdministrationMerge
from eig.models import Role
from tests.factories import AdministrationFactory, ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


def merge_in_the_admin(client, pair, kept):
    url = reverse("admin:challenges_administration_changelist")
    selected = [str(a.pk) for a in pair]
    confirm = client.post(url, {"action": "merge_two", "_selected_action": selected})
    assert confirm.status_code == 200
    assert "irréversible" in confirm.content.decode()
    assert Administration.objects.filter(pk__in=selected).count() == 2  # nothing yet
    return client.post(
        url,
        {"action": "merge_two", "_selected_action": selected, "apply": "1", "kept": kept.pk},
    )


def test_staff_merge_two_administrations_moving_challenges_and_contacts(client_as):
    client = client_as(Role.STAFF)
    kept = AdministrationFactory(name="Cour de cassation", slug="cour-de-cassation")
    merged = AdministrationFactory(name="Cour de Cassation ", slug="cour-de-cassation-2")
    ChallengeFactory(administration=kept)
    moved = ChallengeFactory(administration=merged, title="LABEL")
    both, only_merged = UserFactory(), UserFactory()
    AdministrationContact.objects.create(
        administration=kept, user=both, status=AdministrationContact.Status.PENDING
    )
    AdministrationContact.objects.create(administration=merged, user=both)
    AdministrationContact.objects.create(administration=merged, user=only_merged)

    response = merge_in_the_admin(client, [kept, merged], kept)

    assert response.status_code == 302
    assert not Administration.objects.filter(pk=merged.pk).exists()
    moved.refresh_from_db()
    assert moved.administration == kept and kept.challenges.count() == 2
    contacts = {c.user: c.status for c in kept.contacts.all()}
    assert contacts == {
        both: AdministrationContact.Status.ACTIVE,  # active in either: active
        only_merged: AdministrationContact.Status.ACTIVE,
    }
    record = AdministrationMerge.objects.get()
    assert (record.kept, record.merged_name) == (kept, "Cour de Cassation ")
    assert record.challenges == [{"id": moved.pk, "titre": "LABEL"}]
    assert {c["utilisateur"] for c in record.contacts} == {both.email, only_merged.email}
    assert record.by.is_staff
    assert client.get(reverse("admin:challenges_administrationmerge_changelist")).status_code == 200


def test_merging_needs_exactly_two_administrations(client_as):
    client = client_as(Role.STAFF)
    three = AdministrationFactory.create_batch(3)
    response = client.post(
        reverse("admin:challenges_administration_changelist"),
        {"action": "merge_two", "_selected_action": [a.pk for a in three]},
        follow=True,
    )
    assert "Cochez exactement deux administrations." in response.content.decode()
    assert Administration.objects.count() == 3


def test_a_new_import_finds_a_merged_name_in_the_administration_kept(client_as, history_dir):
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    kept = Administration.objects.get(name="Ministère de l’Intérieur")
    merged = Administration.objects.get(name="Mission Identité Numérique, Ministère de l’Intérieur")
    merge_in_the_admin(client_as(Role.STAFF), [kept, merged], kept)
    count = Administration.objects.count()
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    assert Administration.objects.count() == count
    assert not Administration.objects.filter(name=merged.name).exists()
    assert kept.challenges.filter(history_key="ID numérique").exists()
    assert kept.challenges.count() == 4  # its own three and the merged one
