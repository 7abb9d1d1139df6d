"""Who may open which URL: every URL pattern of the project, for every role.

A URL pattern that is missing from MATRIX fails the test: each new screen must
say who may open it. Expected codes are for a GET; 302 means "sent elsewhere"
(to log in, or to the page that fits the visitor).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eig.models import FaqEntry, Role
from tests.applications.matrix_candidate import MATRIX_CANDIDATE, sample_candidate_objects
from tests.applications.matrix_interviews import MATRIX_INTERVIEWS, sample_interview_objects
from tests.applications.matrix_review import MATRIX_REVIEW, sample_review_objects
from tests.challenges.matrix_administration import (
    MATRIX_ADMINISTRATION,
    sample_administration_objects,
)
from tests.challenges.matrix_jury import MATRIX_JURY, sample_jury_objects
from tests.cohorts.matrix_alumni import MATRIX_ALUMNI, sample_alumni_objects
from tests.cohorts.matrix_promotion import MATRIX_PROMOTION, sample_promotion_objects
from tests.conftest import MATRIX_ROLES, matrix_mismatches
from tests.factories import ChallengeFactory, PromotionFactory
from tests.mentoring.matrix_mentoring import MATRIX_MENTORING, sample_mentoring_objects

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
    "home": (None, PUBLIC),
    "promotion_list": (None, PUBLIC),
    "promotion_detail": (lambda o: {"code": o["challenge"].promotion.code}, PUBLIC),
    "challenge_list": (None, PUBLIC),
    "challenge_detail": (
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


# Each stage lists its own screens next to its tests.
MATRIX.update(MATRIX_JURY)
MATRIX.update(MATRIX_ADMINISTRATION)
MATRIX.update(MATRIX_CANDIDATE)
MATRIX.update(MATRIX_ALUMNI)
MATRIX.update(MATRIX_PROMOTION)
MATRIX.update(MATRIX_INTERVIEWS)
MATRIX.update(MATRIX_REVIEW)
MATRIX.update(MATRIX_MENTORING)


def url_patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield pattern, (f"{namespace}:{pattern.name}" if namespace else pattern.name)


def admin_urls_without_arguments():
    for pattern, name in url_patterns():
        if name and name.startswith("admin:") and not pattern.pattern.regex.groupindex:
            if "(" not in pattern.pattern.regex.pattern:
                yield name


def test_every_url_pattern_is_in_the_matrix():
    missing = []
    for pattern, name in url_patterns():
        if name is None:
            missing.append(str(pattern.pattern))
        elif not name.startswith("admin:") and name not in MATRIX:
            missing.append(name)
    assert missing == [], f"URL patterns missing from the access matrix: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_each_role_gets_the_expected_status(client_as, role):
    objects = sample_objects()
    client = client_as(role)
    wrong = matrix_mismatches(client, MATRIX, objects, role)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_the_admin_is_for_programme_staff_only(client_as, role):
    client = client_as(role)
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
            wrong.append(f"{name} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_draft_challenge_is_not_public(client):
    draft = ChallengeFactory(status="draft")
    url = reverse(
        "challenge_detail", kwargs={"promotion": draft.promotion.code, "slug": draft.slug}
    )
    assert client.get(url).status_code == 404
