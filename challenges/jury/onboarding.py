"""Bring a whole jury in from one list: staff paste it (or upload a CSV) and the platform
invites each person.

A line gives a name, an email, a profile and an organisation. A person is found by
email only (never by name): an existing account is linked; otherwise an account is
made for the address, without a password, which the person chooses at first sign-in
from the invitation's link. Reading the list changes nothing (the preview); inviting it
twice creates nobody twice and sends nobody a second invitation.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from challenges import notifications as events
from challenges.models import Administration, JuryMember
from eig import notifications
from eig.models import User

MAX_LINES = 500


def _plain(text):
    """Lower case, without accents or extra spaces: how labels are compared."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("·", "").replace("-", " ").split())


def _profiles():
    """The profile a list's cell names, in any of the platform's languages: the
    spreadsheet is written in one language, staff may read the admin in another."""
    names = {}
    for value, _label in JuryMember.Profile.choices:
        names[_plain(value)] = value
        names[_plain(value.replace("_", " "))] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[_plain(str(JuryMember.Profile(value).label))] = value
    # What staff write in a spreadsheet.
    for alias, value in {
        "staff": "staff",
        "equipe": "staff",
        "alumnus": "alumni",
        "alumna": "alumni",
        "ancien eig": "alumni",
        "agent": "civil_servant",
        "fonctionnaire": "civil_servant",
        "agente publique": "civil_servant",
        "societe civile": "civil_society",
        "data": "data_specialist",
        "specialiste donnees": "data_specialist",
    }.items():
        names.setdefault(alias, value)
    return names


class Kind:
    NEW = "new"  # an account is made, then invited
    EXISTING = "existing"  # an account with this email exists: linked and invited
    ALREADY = "already"  # already on this call's jury: nothing to do
    INVALID = "invalid"  # not understood: the line says why


@dataclass
class Line:
    number: int
    raw: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    profile: str = ""
    organisation: str = ""
    errors: list = field(default_factory=list)
    kind: str = Kind.INVALID
    user: User | None = None
    administration: Administration | None = None

    @property
    def profile_label(self):
        return JuryMember.Profile(self.profile).label if self.profile else ""

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()


def read_text(data):
    """The text of an uploaded file: UTF-8 (with or without BOM), else Windows' Latin."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Le fichier n'est pas un texte lisible (CSV attendu)."))


def _cells(text):
    """Rows of cells, whatever the separator a spreadsheet used (tab, ; or ,)."""
    sample = "\n".join(text.splitlines()[:5])
    delimiter = max(["\t", ";", ","], key=sample.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _is_header(cells):
    return any(_plain(c) in {"email", "e mail", "courriel", "adresse electronique"} for c in cells)


def parse(text):
    """Every non-empty line of the list, read and checked (nothing is saved)."""
    if not (text or "").strip():
        raise ValidationError(_("La liste est vide : collez une ligne par personne."))
    profiles = _profiles()
    lines, seen = [], {}
    for number, cells in enumerate(_cells(text), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or (number == 1 and _is_header(cells)):
            continue
        if len(lines) >= MAX_LINES:
            raise ValidationError(
                _("La liste compte plus de %(max)s personnes : découpez-la.") % {"max": MAX_LINES}
            )
        line = _read_line(number, cells, profiles)
        if line.email and not line.errors:
            key = line.email.lower()
            if key in seen:
                line.errors.append(_("Adresse déjà présente ligne %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = number
        lines.append(line)
    return lines


def _read_line(number, cells, profiles):
    raw = " | ".join(cells)
    if len(cells) >= 5:
        first_name, last_name, email, profile, organisation = cells[:5]
    elif len(cells) == 4:
        name, email, profile, organisation = cells
        first_name, _space, last_name = name.partition(" ")
    else:
        return Line(
            number,
            raw,
            errors=[
                _(
                    "Il faut 4 colonnes (nom, adresse, profil, organisation) ou 5 (prénom, "
                    "nom, adresse, profil, organisation) ; cette ligne en a %(count)s."
                )
                % {"count": len(cells)}
            ],
        )
    line = Line(
        number,
        raw,
        first_name=first_name[:150],
        last_name=last_name[:150],
        email=email,
        organisation=organisation[:200],
    )
    if not line.last_name and not line.first_name:
        line.errors.append(_("Le nom manque."))
    try:
        validate_email(email)
    except ValidationError:
        line.errors.append(
            _("« %(email)s » n'est pas une adresse électronique.") % {"email": email}
        )
    line.profile = profiles.get(_plain(profile), "")
    if not line.profile:
        line.errors.append(
            _("Profil « %(profile)s » inconnu : %(known)s.")
            % {
                "profile": profile,
                "known": ", ".join(str(label) for label in JuryMember.Profile.labels),
            }
        )
    return line


def preview(*, call, text):
    """The list as it would be invited: each line classified new, existing, already on
    the jury, or invalid; the organisation matched to an administration by its name."""
    lines = parse(text)
    emails = [line.email.lower() for line in lines if not line.errors]
    # Found by email only, whatever its case as stored.
    found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    users = {u.email.lower(): u for u in found}
    seated = set(
        call.jury_members.filter(user__in=users.values()).values_list("user_id", flat=True)
    )
    administrations = {_plain(a.name): a for a in Administration.objects.only("pk", "name")}
    for line in lines:
        if line.errors:
            line.kind = Kind.INVALID
            continue
        line.administration = administrations.get(_plain(line.organisation))
        line.user = users.get(line.email.lower())
        if line.user is None:
            line.kind = Kind.NEW
        elif line.user.pk in seated:
            line.kind = Kind.ALREADY
        else:
            line.kind = Kind.EXISTING
    return lines


@transaction.atomic
def invite(*, call, text, now=None):
    """Invite every valid line: accounts made or linked, members added to the call's
    jury, one invitation each. Returns the preview's lines. Safe to run twice."""
    now = now or timezone.now()
    lines = preview(call=call, text=text)
    for line in lines:
        if line.kind not in (Kind.NEW, Kind.EXISTING):
            continue
        new_account = line.user is None
        if new_account:
            line.user = _account(line)
        member, _created = JuryMember.objects.get_or_create(
            call=call,
            user=line.user,
            defaults={
                "profile": line.profile,
                "organisation": line.organisation,
                "administration": line.administration,
                "invited_at": now,
            },
        )
        _send_invitation(call, member, new_account=new_account)
    return lines


def _account(line):
    user, _created = User.objects.get_or_create(
        email=line.email.lower(),
        defaults={"first_name": line.first_name, "last_name": line.last_name},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # Staff typed the address and only its owner can set the password through the
        # invitation's link: signing in with it needs no other confirmation.
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def _send_invitation(call, member, *, new_account):
    return notifications.queue_email(
        event=events.JURY_INVITATION,
        recipient=member.user,
        obj=member,
        occasion="invitation",
        context={
            "call": call,
            "member": member,
            "new_account": new_account,
            "set_password_path": reverse("account_reset_password"),
            "jury_path": reverse("challenges:jury_home"),
        },
    )


def counts(lines):
    """How many lines of each kind, for the preview's summary."""
    result = dict.fromkeys([Kind.NEW, Kind.EXISTING, Kind.ALREADY, Kind.INVALID], 0)
    for line in lines:
        result[line.kind] += 1
    return result
