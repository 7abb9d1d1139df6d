"""Two-factor authentication is required for staff and jury members."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse

from eig.roles import must_use_two_factor

# Paths a privileged user without TOTP may still open: to set it up or leave.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/accessibilite/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and must_use_two_factor(request.user)
            and not _has_totp(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
