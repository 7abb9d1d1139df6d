"""The FAQ: the one in force is staff's, with its history; the imported one is the
programme's 2021 FAQ, kept as a dated archive (issue #16, item 6)."""

import importlib
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from eig.models import FaqEntry, Role

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("eig.migrations.0006_record_faq_archive_and_history")


@pytest.fixture
def current_faq():
    """The FAQ in force as the migration writes it (a flushed test database has lost it)."""
    FaqEntry.objects.current().delete()
    MIGRATION.archive_imported_and_write_the_current_faq(apps, None)


def test_the_faq_in_force_says_one_or_two_ranked_choices_at_application_time(client, current_faq):
    page = client.get(reverse("faq")).content.decode()
    assert "<strong>un ou deux défis</strong>" in page
    assert "classez-les par ordre de préférence" in page
    assert "5e promotion" not in page and "3 projets préférés" not in page
    assert settings.EIG_HISTORY_ATTRIBUTION not in page.split("<footer", 1)[0]


def test_the_imported_faq_is_the_2021_archive_linked_from_the_faq(client, current_faq, history_dir):
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    assert not FaqEntry.objects.current().filter(question__contains="5e promotion").exists()
    faq = client.get(reverse("faq")).content.decode()
    archive_url = reverse("faq_archive", args=[2021])
    assert archive_url in faq and "5e promotion" not in faq
    archive = client.get(archive_url).content.decode()
    assert "Comment rejoindre la 5e promotion" in archive
    assert "ne sont plus en vigueur" in archive
    assert settings.EIG_HISTORY_ATTRIBUTION in archive
    assert client.get(reverse("faq_archive", args=[2019])).status_code == 404


def test_staff_edit_the_faq_in_the_admin_and_every_change_is_kept(client_as, current_faq):
    client = client_as(Role.STAFF)
    entry = FaqEntry.objects.current().get(audience="candidates", position=0)
    url = reverse("admin:eig_faqentry_change", args=[entry.pk])
    response = client.post(
        url,
        {
            "audience": "candidates",
            "position": 0,
            "question": "Comment candidater ?",
            "answer_html": '<p onclick="x()">Sur la plateforme.</p><script>alert(1)</script>',
            "anchor": "",
            "archive_year": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer_html == "<p>Sur la plateforme.</p>"
    change = entry.history.first()
    assert change.history_type == "~" and change.history_user.is_staff
    history = client.get(reverse("admin:eig_faqentry_history", args=[entry.pk]))
    assert history.status_code == 200
