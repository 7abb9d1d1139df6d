import uuid
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eig import notifications
from eig.models import FormOfAddress, User

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

    def save_user(self, request, user, form, commit=True):
        """allauth keeps the first and last names; how to address the person is ours."""
        user.form_of_address = form.cleaned_data.get("form_of_address", FormOfAddress.NAME)
        return super().save_user(request, user, form, commit=commit)

    def get_reauthentication_methods(self, user):
        """With a second factor, re-authenticating (to deactivate it, change it, or see
        and regenerate recovery codes) asks for it: the password alone would let whoever
        holds it remove the second factor."""
        methods = super().get_reauthentication_methods(user)
        second_factor = [method for method in methods if method["id"].startswith("mfa_")]
        return second_factor or methods

    def send_mail(self, template_prefix, email, context):
        """Account emails go through the outbox like every other email, name the platform
        and link to its public address (not to whichever host the request came through)."""
        context = {
            "email": email,
            "current_site": PlatformSite(),
            **{
                key: public_url(value) if key.endswith("_url") else value
                for key, value in context.items()
            },
        }
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


class PlatformSite:
    """What allauth's emails read of "the site": the configured name and public address."""

    @property
    def name(self):
        return settings.SITE_NAME

    @property
    def domain(self):
        return urlsplit(settings.SITE_URL).netloc


def public_url(url):
    """The same link on the platform's public address (SITE_URL)."""
    if not isinstance(url, str):
        return url
    bits = urlsplit(url)
    if not (bits.scheme and bits.netloc):
        return url
    public = urlsplit(settings.SITE_URL)
    return urlunsplit((public.scheme, public.netloc, bits.path, bits.query, bits.fragment))


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


def name_fields():
    """The person's names and how they want to be addressed, as sign-up and the name page ask."""
    return {
        "first_name": forms.CharField(
            label=_("Prénom"),
            max_length=150,
            widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        ),
        "last_name": forms.CharField(
            label=_("Nom"),
            max_length=150,
            widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        ),
        "form_of_address": forms.ChoiceField(
            label=_("Dans nos emails, nous vous écrivons"),
            choices=FormOfAddress.choices,
            initial=FormOfAddress.NAME,
            required=False,
            widget=forms.RadioSelect,
        ),
    }


def clean_name(value):
    value = " ".join(value.split())
    if not value:
        raise ValidationError(_("Ce champ est obligatoire."), code="required")
    return value


class NameForm(forms.ModelForm):
    """Asked once of an account made before sign-up asked for names."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "form_of_address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(name_fields())

    def clean_first_name(self):
        return clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_name(self.cleaned_data["last_name"])


class NameRequiredMixin:
    """A page that shows the person to others (their application, their interview) first
    asks an account without a name for it, then comes back. Only a page asks: a form
    posted from it is not lost on the way."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if request.method == "GET" and user.is_authenticated and not user.has_name:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('account_name')}?{query}")
        return super().dispatch(request, *args, **kwargs)


class SignupForm(AllauthSignupForm):
    """allauth's form, asking the person's names first, safe under a double submit.

    Both posts pass the "address already used" check before either creates the
    account; the loser's insert breaks the unique email. It is then answered as
    allauth answers any address already taken: the same "check your inbox" page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {**name_fields(), **self.fields}

    def clean_first_name(self):
        return clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_name(self.cleaned_data["last_name"])

    def try_save(self, request):
        if not self.account_already_exists:
            try:
                with transaction.atomic():
                    return self.save(request), None
            except IntegrityError:
                self.account_already_exists = True
        return super().try_save(request)
