"""The admin's lists drawn for less (`eig.admin_list`) read as the admin draws them:
the same cells, links and filters, whatever the values."""

import re

import pytest
from django.contrib.admin.templatetags.admin_list import admin_list_filter, results
from django.urls import reverse

from applications.models import Application
from eig import admin_list
from tests.applications.test_preselection import preselection_call, staff_member, submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _changelist(client, model, query=""):
    client.force_login(
        staff_member(is_superuser=True), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse(f"admin:applications_{model}_changelist") + query
    response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"]


def _as_the_admin_draws(cl):
    return [f"<tr>{''.join(items)}</tr>" for items in results(cl)]


def _words(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.fixture
def call():
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    named = UserFactory(first_name="<b>Léa</b>", last_name="Martin & fils")
    submitted(call, challenge, other, candidate=named)
    submitted(call, other, profile=None, years_of_experience=0)
    draft = submitted(call, challenge)
    Application.objects.filter(pk=draft.pk).update(
        status=Application.Status.DRAFT, submitted_at=None
    )
    return call


def test_the_applications_rows_are_those_the_admin_draws(client, call):
    cl = _changelist(client, "application", f"?call__id__exact={call.pk}&o=-6")
    rows = admin_list.rows(cl)
    assert len(rows) == 3
    assert rows == _as_the_admin_draws(cl)
    assert "&lt;b&gt;Léa&lt;/b&gt; Martin &amp; fils" in "".join(rows)


def test_a_list_of_names_dates_and_links_keeps_the_admins_rows(client, call):
    # The calls' list: its name through __str__, dates, links written by the admin.
    cl = _changelist(client, "callforapplications", "?o=2")
    rows = admin_list.rows(cl)
    assert len(rows) == 1 and rows == _as_the_admin_draws(cl)


def test_the_filters_are_those_the_admin_draws(client, call):
    cl = _changelist(client, "application", f"?call__id__exact={call.pk}&status__exact=draft")
    for spec in cl.filter_specs:
        drawn = admin_list.list_filter(cl, spec)
        assert _words(drawn) == _words(admin_list_filter(cl, spec)), spec.title
