"""Two factors for everyone who can open other people's files."""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse

from eig.roles import is_privileged

# Paths a privileged user may open before the second factor: to set it up, give it, or leave.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/accessibilite/")


class RequireTwoFactorMiddleware:
    """A privileged person's session must have passed the second factor.

    Having an authenticator is not enough: a session opened by the password alone
    (any login view but allauth's, a password reset) is sent to give the code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not passed_second_factor(request)
            and is_privileged(request.user)
        ):
            return _ask_second_factor(request)
        return self.get_response(request)


def passed_second_factor(request):
    """allauth records each step of this session's sign-in (and re-authentications)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def _ask_second_factor(request):
    if not is_mfa_enabled(request.user):
        return redirect(reverse("mfa_activate_totp"))
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """French unless the visitor chose English: the browser's language is not a choice.

    A French public service speaks French by default; the language switch in the
    header sets a cookie that this middleware honours.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class NulByteInRequest(SuspiciousOperation):
    """PostgreSQL cannot store or compare a string holding NUL: refuse it at the door."""


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is a 400, for every URL at once.

    Without it each view that looks a token up (`/promotion/agenda/%00.ics`)
    raised the driver's ValueError: a 500, even anonymously. Posted fields are
    the forms' business: Django's CharField refuses NUL with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise NulByteInRequest("NUL byte in the URL")
        return self.get_response(request)


def _has_nul(query):
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )
