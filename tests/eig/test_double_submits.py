"""Identical POSTs released together (a double click, a retrying proxy) create one
thing, and every one of them gets the page the first one got: never a 500.

Real concurrent requests: threads against the live server, each request on its
own PostgreSQL connection.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from applications.models import Application
from challenges.models import Administration
from mentoring import services as mentoring
from mentoring.models import UpdateComment
from tests.applications import test_candidate_screens as candidate_screens
from tests.concurrent_posts import post_together, session_of
from tests.factories import UserFactory, call_for_applications
from tests.mentoring.scenario import mentor_of, promotion_in_residence, team_of, update_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
ROUNDS = 3  # a race lost once may be won the next time: release the posts a few times


def only_redirects(answers):
    statuses = {status for status, _location, _body in answers}
    locations = {location for _status, location, _body in answers}
    return statuses == {302} and len(locations) == 1


def test_an_application_saved_twice_at_once_keeps_its_two_choices(live_server, client):
    call = call_for_applications(challenges=2)
    candidate = UserFactory()
    candidate_screens.start(call, candidate)
    session = session_of(client, candidate)
    for round_ in range(ROUNDS):
        data = candidate_screens.form_data(call, motivation=f"Version {round_}")
        answers = post_together(
            live_server.url + reverse("applications:application_edit"), data, session_id=session
        )
        assert only_redirects(answers), answers
    application = Application.objects.get()
    assert application.motivation == f"Version {ROUNDS - 1}"
    assert [choice.rank for choice in application.choices.order_by("rank")] == [1, 2]


def test_an_administration_created_twice_at_once_exists_once(live_server, client):
    user = UserFactory()
    session = session_of(client, user)
    for round_ in range(ROUNDS):
        answers = post_together(
            live_server.url + reverse("challenges:my_administration"),
            {"action": "create", "create-name": f"Agence {round_}", "create-kind": "agency"},
            session_id=session,
        )
        assert only_redirects(answers), answers
    assert Administration.objects.count() == ROUNDS
    assert all(a.contacts.filter(user=user).count() == 1 for a in Administration.objects.all())


def test_a_sign_up_posted_twice_at_once_makes_one_account(live_server, settings):
    # The real hasher, as in production: it holds the account's creation long
    # enough after the form's "address already used" check for the posts to meet.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for round_ in range(ROUNDS):
        answers = post_together(
            live_server.url + reverse("account_signup"),
            {
                "first_name": "Camille",
                "last_name": "Double",
                "email": f"double{round_}@exemple.gouv.fr",
                "password1": "un-mot-de-passe-long",
                "password2": "un-mot-de-passe-long",
            },
            times=3,
        )
        assert only_redirects(answers), answers
    assert get_user_model().objects.filter(email__startswith="double").count() == ROUNDS


def test_a_comment_posted_three_times_at_once_is_published_once(live_server, client):
    team = team_of(promotion_in_residence(mentoring.paris_today()))
    update = update_of(team, mentoring.paris_today())
    session = session_of(client, mentor_of(team))
    for round_ in range(ROUNDS):
        answers = post_together(
            live_server.url + reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}),
            {"text": f"Bravo pour la semaine {round_}"},
            times=3,
            session_id=session,
        )
        assert only_redirects(answers), answers
    assert UpdateComment.objects.filter(update=update).count() == ROUNDS
