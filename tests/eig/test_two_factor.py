"""Two factors: a privileged session must have passed the second factor, by the only way
in (allauth's login), and the second factor is only removed or changed with itself."""

from datetime import timedelta

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications.models import InterviewSlot, ReviewAssignment
from challenges.models import ChallengeMentor, JuryMember, JuryPanel
from eig.models import Person, Role, RoleGrant, User
from eig.roles import is_privileged
from tests.applications.test_preselection import preselection_call, submitted
from tests.factories import UserFactory, call_for_applications, call_for_projects

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-2026"


@pytest.fixture
def staff():
    user = UserFactory(email="equipe@exemple.gouv.fr", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    RecoveryCodes.activate(user)
    return user


def current_code(user):
    # allauth refuses a code used twice in its period (a replay): each test step that
    # types a code starts from a fresh cache, as if the next period had come.
    cache.clear()
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(user.totp_secret, counter))


def sign_in_with_password_only(client, user):
    """A session where the password was checked but no second factor: what the admin's
    own login form used to open."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session.pop(AUTHENTICATION_METHODS_SESSION_KEY)
    session.save()


def test_admin_login_sends_to_the_allauth_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/applications/application/")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("account_login") + "?next=%2Fadmin%2Fapplications%2Fapplication%2F"
    )


def test_admin_login_with_the_password_alone_opens_nothing(client, staff):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/eig/user/").status_code == 302


def test_staff_signing_in_through_allauth_gives_the_code_then_reaches_the_admin(client, staff):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(staff)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/eig/user/").status_code == 200


def test_a_session_without_the_second_factor_is_asked_for_it_though_totp_is_set_up(client, staff):
    sign_in_with_password_only(client, staff)
    response = client.get("/admin/eig/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Feig%2Fuser%2F"
    response = client.post(response["Location"], {"code": current_code(staff)})
    assert response["Location"] == "/admin/eig/user/"
    assert client.get("/admin/eig/user/").status_code == 200


def test_deactivating_totp_asks_for_the_second_factor_not_the_password(client, staff):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # The password re-authentication is not offered, and posting to it gives nothing.
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp"),
        {"password": PASSWORD},
    )
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(
        reverse("mfa_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp"),
        {"code": current_code(staff)},
    )
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=staff).exists()


def test_regenerating_recovery_codes_asks_for_the_second_factor(client, staff):
    codes_before = Authenticator.objects.get(
        user=staff, type=Authenticator.Type.RECOVERY_CODES
    ).data
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    regenerated = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    assert regenerated.data == codes_before


def test_a_candidate_reauthenticates_with_the_password(client):
    candidate = UserFactory(roles=[Role.CANDIDATE])
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("account_reauthenticate"))
    assert response.status_code == 200


# --- Who must use two factors: whoever can open other people's files ------------------


def by_staff_flag(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])


def by_jury_grant(user):
    RoleGrant.objects.create(user=user, role=Role.JURY_MEMBER)


def by_panel_membership_set_in_the_admin(user):
    call = call_for_projects(phase="jury")
    panel = JuryPanel.objects.create(call=call, name="Panel A")
    JuryMember.objects.create(
        call=call, user=user, profile=JuryMember.Profile.CIVIL_SERVANT, panel=panel
    )


def by_review_assignment(user):
    call = preselection_call()
    ReviewAssignment.objects.create(
        application=submitted(call, call.challenges().first()), reviewer=user
    )


def mentor(challenge, user):
    """A mentor set in the admin, with no second factor yet."""
    person = Person.objects.create(user=user, full_name=str(user), slug=f"personne-{user.pk}")
    ChallengeMentor.objects.create(challenge=challenge, person=person)
    return user


def by_mentoring_a_challenge_under_review(user):
    mentor(preselection_call().challenges().first(), user)


def by_interview_jury(user):
    call = call_for_applications(phase="interviews")
    slot = InterviewSlot.objects.create(
        challenge=call.challenges().first(), starts_at=timezone.now() + timedelta(days=1)
    )
    # Only an eligible person sits on an interview jury: an alumna, say.
    RoleGrant.objects.create(user=user, role=Role.ALUMNI)
    slot.jury.add(user)


@pytest.mark.parametrize(
    "give_access",
    [
        by_staff_flag,
        by_jury_grant,
        by_panel_membership_set_in_the_admin,
        by_review_assignment,
        by_mentoring_a_challenge_under_review,
        by_interview_jury,
    ],
)
def test_whoever_can_open_others_files_must_set_up_two_factors(client, give_access):
    user = UserFactory(roles=[Role.CANDIDATE])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboard")).status_code == 200
    give_access(user)
    assert is_privileged(User.objects.get(pk=user.pk))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_mentor_of_a_challenge_no_longer_under_review_needs_no_two_factors(client):
    last_year = timezone.now() - timedelta(days=365)
    call = call_for_applications(now=last_year, phase="published")
    last_years_mentor = mentor(call.challenges().first(), UserFactory())
    client.force_login(last_years_mentor, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboard")).status_code == 200


def test_privilege_is_one_query_whatever_the_relations(django_assert_num_queries):
    user = UserFactory()
    by_interview_jury(user)
    by_review_assignment(user)
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert is_privileged(user)
        assert is_privileged(user)


def test_without_required_two_factors_staff_sign_in_with_the_password(client, settings):
    """`make run`: the demo accounts have no TOTP, and the admin still opens."""
    settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED = False
    staff = UserFactory(is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/eig/user/").status_code == 200


# allauth announces the new authenticator once committed: outside a test transaction,
# as in a request, that is at once.
@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_counts_as_giving_the_second_factor(client):
    juror = UserFactory(roles=[Role.JURY_MEMBER])
    EmailAddress.objects.create(user=juror, email=juror.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": juror.email, "password": PASSWORD})
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    juror.totp_secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_code(juror)})
    assert Authenticator.objects.filter(user=juror, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("dashboard")).status_code == 200
