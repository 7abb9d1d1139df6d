"""Who may open which URL, and who may post to it: every URL pattern of the project,
for every role and every method.

Each stage lists its rows next to its tests (tests/<app>/matrix_*.py): `MATRIX_*` for a
GET, `POST_MATRIX_*` for a real POST (with a valid CSRF token) to every URL that
accepts one. A URL pattern missing from MATRIX, or accepting POST and missing from
POST_MATRIX, fails the test: each new screen must say who may open it and who may act
through it. 302 means "sent elsewhere" (to log in, or to the page that fits the visitor).
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eig.models import FaqEntry, Role
from tests.applications.matrix_candidate import (
    MATRIX_CANDIDATE,
    POST_MATRIX_CANDIDATE,
    sample_candidate_objects,
)
from tests.applications.matrix_interviews import (
    MATRIX_INTERVIEWS,
    POST_MATRIX_INTERVIEWS,
    sample_interview_objects,
)
from tests.applications.matrix_review import (
    MATRIX_REVIEW,
    POST_MATRIX_REVIEW,
    sample_review_objects,
)
from tests.challenges.matrix_administration import (
    MATRIX_ADMINISTRATION,
    POST_MATRIX_ADMINISTRATION,
    sample_administration_objects,
)
from tests.challenges.matrix_jury import MATRIX_JURY, POST_MATRIX_JURY, sample_jury_objects
from tests.cohorts.matrix_alumni import MATRIX_ALUMNI, POST_MATRIX_ALUMNI, sample_alumni_objects
from tests.cohorts.matrix_promotion import (
    MATRIX_PROMOTION,
    POST_MATRIX_PROMOTION,
    sample_promotion_objects,
)
from tests.conftest import MATRIX_ROLES, make_user
from tests.factories import ChallengeFactory, PromotionFactory
from tests.mentoring.matrix_mentoring import (
    MATRIX_MENTORING,
    POST_MATRIX_MENTORING,
    sample_mentoring_objects,
)

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
LOGGED_IN_ONLY = {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 200}
ANONYMOUS_ONLY = {ANON: 200, CAND: 302, ADMI: 302, MENT: 302, JURY: 302, STAF: 302}
STAFF_ONLY_ADMIN = {ANON: 302, CAND: 302, ADMI: 302, MENT: 302, JURY: 302, STAF: 200}
# Two-factor pages: staff, jury members and the mentor (who reviews their challenge's
# applications) have an authenticator, the others do not (404 where there is nothing
# to show); changing it asks for the second factor again.
EVERYONE_REDIRECTED = dict.fromkeys(MATRIX_ROLES, 302)
WITH_TOTP = {ANON: 302, CAND: 302, ADMI: 302, MENT: 200, JURY: 200, STAF: 200}
ONLY_WITH_TOTP = {ANON: 302, CAND: 404, ADMI: 404, MENT: 302, JURY: 302, STAF: 302}
ONLY_WITH_RECOVERY_CODES = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 404}
# Re-authenticating with a second factor is done with it, on its own page.
REAUTHENTICATE_BY_PASSWORD = {ANON: 302, CAND: 200, ADMI: 200, MENT: 302, JURY: 302, STAF: 302}
# The outbox and the login journal are records: nobody adds to them by hand.
ADMIN_CLOSED_EVEN_TO_STAFF = {
    "admin:autocomplete",  # answers only the admin's own widgets, with their parameters
    "admin:eig_outboxmessage_add",
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:applications_choicetransition_add",
    "admin:applications_applicationtransition_add",
    "admin:applications_offertransition_add",
    "admin:applications_review_add",
    "admin:challenges_administrationmerge_add",  # a merge is made by the merge action only
}


def archived_faq_year():
    entry, _created = FaqEntry.objects.get_or_create(
        audience=FaqEntry.Audience.CANDIDATES,
        position=0,
        archive_year=2021,
        defaults={"question": "Comment rejoindre la 5e promotion ?", "answer_html": "<p>…</p>"},
    )
    return entry.archive_year


def sample_objects():
    challenge = ChallengeFactory(promotion=PromotionFactory(code="4", name="EIG 4", year=2020))
    return {
        "challenge": challenge,
        **sample_jury_objects(),
        **sample_administration_objects(),
        **sample_candidate_objects(),
        **sample_alumni_objects(),
        **sample_promotion_objects(),
        **sample_interview_objects(),
        **sample_review_objects(),
        **sample_mentoring_objects(),
    }


# name → (kwargs builder, expected status per role)
MATRIX = {
    "cohorts:home": (None, PUBLIC),
    "cohorts:promotion_list": (None, PUBLIC),
    "cohorts:promotion_detail": (lambda o: {"code": o["challenge"].promotion.code}, PUBLIC),
    "cohorts:challenge_list": (None, PUBLIC),
    "cohorts:challenge_detail": (
        lambda o: {"promotion": o["challenge"].promotion.code, "slug": o["challenge"].slug},
        PUBLIC,
    ),
    "faq": (None, PUBLIC),
    "faq_archive": (lambda o: {"year": archived_faq_year()}, PUBLIC),
    "accessibility": (None, PUBLIC),
    "site_map": (None, PUBLIC),
    "legal_notice": (None, PUBLIC),
    "personal_data": (None, PUBLIC),
    "cookies": (None, PUBLIC),
    "dashboard": (None, LOGGED_IN_ONLY),
    "notification_preferences": (None, LOGGED_IN_ONLY),
    "account_name": (None, LOGGED_IN_ONLY),
    "set_language": (None, EVERYONE_REDIRECTED),
    # Accounts (django-allauth)
    "account_login": (None, ANONYMOUS_ONLY),
    "account_signup": (None, ANONYMOUS_ONLY),
    "account_logout": (None, {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 200}),
    "account_inactive": (None, PUBLIC),
    "account_reauthenticate": (None, REAUTHENTICATE_BY_PASSWORD),
    "account_email": (None, LOGGED_IN_ONLY),
    "account_email_verification_sent": (None, PUBLIC),
    "account_change_password": (None, LOGGED_IN_ONLY),
    "account_set_password": (
        None,
        {ANON: 302, CAND: 302, ADMI: 302, MENT: 302, JURY: 302, STAF: 302},
    ),
    "account_reset_password": (None, PUBLIC),
    "account_reset_password_done": (None, PUBLIC),
    "account_reset_password_from_key_done": (None, PUBLIC),
    "account_reset_password_from_key": (
        lambda o: {"uidb36": "0", "key": "cle-invalide"},
        PUBLIC,
    ),
    "account_confirm_email": (lambda o: {"key": "cle-invalide"}, PUBLIC),
    "account_confirm_login_code": (None, EVERYONE_REDIRECTED),
    "mfa_index": (None, LOGGED_IN_ONLY),
    "mfa_authenticate": (None, EVERYONE_REDIRECTED),
    "mfa_reauthenticate": (None, WITH_TOTP),
    "mfa_activate_totp": (None, EVERYONE_REDIRECTED),
    "mfa_deactivate_totp": (None, ONLY_WITH_TOTP),
    "mfa_view_recovery_codes": (None, ONLY_WITH_RECOVERY_CODES),
    "mfa_generate_recovery_codes": (None, EVERYONE_REDIRECTED),
    "mfa_download_recovery_codes": (None, ONLY_WITH_RECOVERY_CODES),
}


# What a POST answers. Forms posted empty: whoever may act gets the form back with its
# errors (200) or is sent on (302); the others get what a GET would tell them.
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX = {
    "notification_preferences": (None, None, LOGGED_IN_ONLY),
    "account_name": (None, None, LOGGED_IN_ONLY),
    "set_language": (None, lambda o: {"language": "en", "next": "/"}, EVERYONE_REDIRECTED),
    "account_login": (None, None, ANONYMOUS_ONLY),
    "account_signup": (None, None, ANONYMOUS_ONLY),
    "account_logout": (None, None, EVERYONE_REDIRECTED),
    "account_reauthenticate": (None, None, REAUTHENTICATE_BY_PASSWORD),
    "account_email": (None, None, EVERYONE_REDIRECTED),
    "account_change_password": (None, None, LOGGED_IN_ONLY),
    "account_set_password": (None, None, EVERYONE_REDIRECTED),
    "account_reset_password": (None, None, PUBLIC),
    "account_reset_password_from_key": (
        lambda o: {"uidb36": "0", "key": "cle-invalide"},
        None,
        PUBLIC,
    ),
    # An unknown key: nothing to confirm, whoever posts it.
    "account_confirm_email": (
        lambda o: {"key": "cle-invalide"},
        None,
        dict.fromkeys(MATRIX_ROLES, 404),
    ),
    "account_confirm_login_code": (None, None, EVERYONE_REDIRECTED),
    "mfa_authenticate": (None, None, EVERYONE_REDIRECTED),
    "mfa_reauthenticate": (None, None, WITH_TOTP),
    "mfa_activate_totp": (None, None, EVERYONE_REDIRECTED),
    "mfa_deactivate_totp": (None, None, ONLY_WITH_TOTP),
    "mfa_generate_recovery_codes": (None, None, EVERYONE_REDIRECTED),
}

# Each stage lists its own screens next to its tests.
for stage_matrix in (
    MATRIX_JURY,
    MATRIX_ADMINISTRATION,
    MATRIX_CANDIDATE,
    MATRIX_ALUMNI,
    MATRIX_PROMOTION,
    MATRIX_INTERVIEWS,
    MATRIX_REVIEW,
    MATRIX_MENTORING,
):
    assert not set(stage_matrix) & set(MATRIX), "a URL is listed twice"
    MATRIX.update(stage_matrix)
for stage_matrix in (
    POST_MATRIX_JURY,
    POST_MATRIX_ADMINISTRATION,
    POST_MATRIX_CANDIDATE,
    POST_MATRIX_ALUMNI,
    POST_MATRIX_PROMOTION,
    POST_MATRIX_INTERVIEWS,
    POST_MATRIX_REVIEW,
    POST_MATRIX_MENTORING,
):
    assert not set(stage_matrix) & set(POST_MATRIX), "a URL is listed twice"
    POST_MATRIX.update(stage_matrix)

# Where a visitor's POST is sent on elsewhere than to log in: a language is chosen by
# anyone, and logging out with no session goes home.
VISITORS_SENT_ON = {"set_language", "account_logout"}

# Views written as functions do not say which methods they take: each is listed here.
# Function views that answer GET only (the open data files: require_GET).
FUNCTION_VIEWS_WITHOUT_POST = {
    "account_email_verification_sent",
    "cohorts:impact_csv",
    "cohorts:impact_json",
    "cohorts:deliverables_csv",
    "cohorts:open_catalogue_csv",
    "cohorts:open_catalogue_json",
}


def url_patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield pattern, (f"{namespace}:{pattern.name}" if namespace else pattern.name)


def accepts_post(pattern, name):
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return name not in FUNCTION_VIEWS_WITHOUT_POST
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


def admin_urls_without_arguments():
    for pattern, name in url_patterns():
        if name and name.startswith("admin:") and not pattern.pattern.regex.groupindex:
            if "(" not in pattern.pattern.regex.pattern:
                yield name


def logged_in_client(user):
    """A client that checks CSRF as a browser would, holding a valid token."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    return client


def post(client, url, data=None):
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(url, {"csrfmiddlewaretoken": token, **(data or {})})


def get_mismatches(user, role, objects):
    client = logged_in_client(user)
    wrong = []
    for name, (kwargs_builder, expected) in MATRIX.items():
        url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"GET {name} {url}: {status}, expected {expected[role]}")
    return wrong


def post_mismatches(user, role, objects, matrix):
    """Each POST in a savepoint rolled back after it: one row's effect (a withdrawal, an
    erasure, a logout) does not change what the next row finds."""
    for kwargs_builder, _data, _expected in matrix.values():
        if kwargs_builder:
            kwargs_builder(objects)  # seats the role's user once, outside the savepoints
    wrong = []
    for name, (kwargs_builder, data_builder, expected) in matrix.items():
        with transaction.atomic():
            client = logged_in_client(user)
            url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
            response = post(client, url, data_builder(objects) if data_builder else None)
            transaction.set_rollback(True)
        if response.status_code != expected[role]:
            wrong.append(f"POST {name} {url}: {response.status_code}, expected {expected[role]}")
        elif role is None and response.status_code == 302 and name not in VISITORS_SENT_ON:
            # A visitor's 302 must be "log in first", not "done, back to the page".
            if not response["Location"].startswith(reverse("account_login")):
                wrong.append(f"POST {name} {url}: sent to {response['Location']}, not to log in")
    return wrong


def role_and_objects(role, users_first):
    """The stages' samples attach the role's user whether it exists before them or not."""
    if users_first:
        user = make_user(role) if role is not None else None
        return user, sample_objects()
    objects = sample_objects()
    return (make_user(role) if role is not None else None), objects


def test_every_url_pattern_is_in_the_matrix():
    missing = []
    for pattern, name in url_patterns():
        if name is None:
            missing.append(str(pattern.pattern))
        elif not name.startswith("admin:") and name not in MATRIX:
            missing.append(name)
    assert missing == [], f"URL patterns missing from the access matrix: {missing}"


def test_every_url_that_accepts_a_post_is_posted_to():
    missing = [
        name
        for pattern, name in url_patterns()
        if name
        and not name.startswith("admin:")
        and accepts_post(pattern, name)
        and name not in POST_MATRIX
    ]
    assert missing == [], f"URLs accepting POST missing from the POST matrix: {missing}"
    assert set(POST_MATRIX) <= set(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("users_first", [False, True], ids=["objects_first", "users_first"])
@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_each_role_gets_the_expected_status_on_a_get(role, users_first):
    user, objects = role_and_objects(role, users_first)
    wrong = get_mismatches(user, role, objects)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_each_role_gets_the_expected_answer_to_a_post(role):
    user, objects = role_and_objects(role, users_first=False)
    wrong = post_mismatches(user, role, objects, POST_MATRIX)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_post_without_its_csrf_token_is_refused():
    """The matrix's POSTs are checked for CSRF: its token is what lets them through."""
    client = logged_in_client(make_user(Role.STAFF))
    url = reverse("notification_preferences")
    assert client.post(url, {}).status_code == 403
    assert post(client, url).status_code != 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_the_admin_is_for_programme_staff_only(role):
    client = logged_in_client(make_user(role) if role is not None else None)
    wrong = []
    for name in admin_urls_without_arguments():
        if name == "admin:logout":
            continue  # POST only: logging out is not a page
        url = reverse(name)
        status = client.get(url).status_code
        expected = STAFF_ONLY_ADMIN[role]
        if role == Role.STAFF and name in ADMIN_CLOSED_EVEN_TO_STAFF:
            expected = 403
        if name == "admin:login":
            expected = 302  # to allauth's login, where the second factor is asked
        if status != expected:
            wrong.append(f"GET {name} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", MATRIX_ROLES[:-1], ids=lambda r: r or "anonymous")
def test_nobody_but_staff_posts_to_the_admin(role):
    """Every admin URL, with or without an object in it: the admin's gate comes first."""
    user = make_user(role) if role is not None else None
    wrong = []
    for pattern, name in url_patterns():
        if not (name and name.startswith("admin:")) or name in {"admin:login", "admin:logout"}:
            continue
        url = "/admin/" + admin_path(pattern)
        with transaction.atomic():
            response = post(logged_in_client(user), url)
            transaction.set_rollback(True)
        if response.status_code != 302 or "/login/" not in response["Location"]:
            wrong.append(f"POST {name} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def admin_path(pattern):
    """A concrete path for an admin pattern: object ids are 1, an app label is ours."""
    route = str(pattern.pattern)
    for argument in pattern.pattern.regex.groupindex:
        route = route.replace(f"<path:{argument}>", "1").replace(f"<int:{argument}>", "1")
    if route.startswith("^"):  # the app index's regular expression
        route = "eig/"
    return route
