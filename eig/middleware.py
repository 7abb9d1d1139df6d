"""Two-factor authentication is required for staff and jury members."""

from django.conf import settings
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
