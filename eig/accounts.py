import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import ngettext

from eig import notifications


class AccountAdapter(DefaultAccountAdapter):
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
