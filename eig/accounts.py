import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from eig import notifications


class AccountAdapter(DefaultAccountAdapter):
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
