import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import ngettext

from eig import notifications

# Where a person lands after logging in when no page asked for them (a login from the
# link of an email confirmed in another browser): each stage may register a callable
# (user) -> URL or None, asked in order; the first URL wins, else LOGIN_REDIRECT_URL.
LANDINGS = []


def register_landing(landing):
    if landing not in LANDINGS:
        LANDINGS.append(landing)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        user = request.user
        for landing in LANDINGS if user.is_authenticated else ():
            if url := landing(user):
                return url
        return super().get_login_redirect_url(request)

    def get_reauthentication_methods(self, user):
        """With a second factor, re-authenticating (to deactivate it, change it, or see
        and regenerate recovery codes) asks for it: the password alone would let whoever
        holds it remove the second factor."""
        methods = super().get_reauthentication_methods(user)
        second_factor = [method for method in methods if method["id"].startswith("mfa_")]
        return second_factor or methods

    def send_mail(self, template_prefix, email, context):
        """Account emails go through the outbox like every other email."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        notifications.queue_email(
            event=notifications.ACCOUNT_EMAIL,
            to_email=email,
            context={},
            occasion=f"{template_prefix}:{uuid.uuid4()}",
            rendered=(message.subject, message.body, html),
        )


def axes_username(request, credentials):
    """The login typed in the form: allauth authenticates with `email`, axes reads `username`."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("username") or request.POST.get("login", "")
    return login.strip().lower()


@receiver(authenticator_added)
def setting_up_totp_passes_the_second_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP took a code from the new device: this session has passed the second
    factor, and the person is not asked for another code on the next page."""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


class MaximumLengthValidator:
    """A password of a few hundred characters is already unguessable; beyond, it is
    a pasted file, hashed at every login for nothing."""

    def __init__(self, max_length=200):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Ce mot de passe est trop long : %(max_length)d caractère au plus.",
                    "Ce mot de passe est trop long : %(max_length)d caractères au plus.",
                    self.max_length,
                )
                % {"max_length": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return ngettext(
            "Votre mot de passe ne doit pas dépasser %(max_length)d caractère.",
            "Votre mot de passe ne doit pas dépasser %(max_length)d caractères.",
            self.max_length,
        ) % {"max_length": self.max_length}


class SignupForm(AllauthSignupForm):
    """allauth's form, safe under a double submit.

    Both posts pass the "address already used" check before either creates the
    account; the loser's insert breaks the unique email. It is then answered as
    allauth answers any address already taken: the same "check your inbox" page.
    """

    def try_save(self, request):
        if not self.account_already_exists:
            try:
                with transaction.atomic():
                    return self.save(request), None
            except IntegrityError:
                self.account_already_exists = True
        return super().try_save(request)
