"""Who may open the jury's screens, for the access matrix.

`sample_jury_objects()` lays out a call whose kits are open, with a shortlisted
challenge heard by a panel. The user of the jury role ("jury@exemple.gouv.fr")
is seated on that panel, as its lead, as soon as that user exists: the matrix
may create it before or after the objects, so every kwargs builder seats it
again (once) before the URL is built.

Merged into tests/test_access_matrix.py with every stage's rows (GET and POST).
"""

from datetime import time

from django.utils import timezone

from challenges.models import Audition, Challenge, JuryMember, JuryPanel
from eig.models import Role, User
from eig.reminders import paris_time
from tests.conftest import MATRIX_ROLES
from tests.factories import DraftChallengeFactory, UserFactory, call_for_projects

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

JURY_EMAIL = f"{Role.JURY_MEMBER}@exemple.gouv.fr"

# The member of the panel sees their space and the kits; nobody else knows they exist.
PANEL_MEMBER_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 200, STAF: 404}
# The jury space is a page for members of a jury: others are refused.
JURY_SPACE = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 200, STAF: 403}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)


def sample_jury_objects():
    call = call_for_projects(phase="jury")
    call.kits_opened_at = timezone.now()
    call.save(update_fields=["kits_opened_at"])
    challenge = DraftChallengeFactory(call=call, status=Challenge.Status.SHORTLISTED)
    panel = JuryPanel.objects.create(call=call, name="Panel 1")
    for profile in list(JuryMember.Profile)[:4]:
        JuryMember.objects.create(call=call, user=UserFactory(), profile=profile, panel=panel)
    audition = Audition.objects.create(
        panel=panel, challenge=challenge, starts_at=paris_time(call.jury_starts_on, time(9, 0))
    )
    # Keys of their own, so that they merge with the matrix's other sample objects.
    objects = {
        "jury_call": call,
        "jury_challenge": challenge,
        "jury_panel": panel,
        "jury_audition": audition,
    }
    seat_jury_user(objects)
    return objects


def seat_jury_user(objects):
    """The jury role's user sits on the sample panel and leads it, once that user exists."""
    user = User.objects.filter(email=JURY_EMAIL).first()
    if user is None:
        return objects
    panel = objects["jury_panel"]
    member, _created = JuryMember.objects.get_or_create(
        call=objects["jury_call"],
        user=user,
        defaults={"profile": JuryMember.Profile.ALUMNI, "panel": panel},
    )
    if panel.lead_id != member.pk:
        panel.lead = member
        panel.save(update_fields=["lead"])
    return objects


def _no_kwargs(objects):
    seat_jury_user(objects)
    return {}


def _challenge(objects):
    seat_jury_user(objects)
    return {"pk": objects["jury_challenge"].pk}


# name → (kwargs builder, expected status per role)
MATRIX_JURY = {
    "challenges:jury_home": (_no_kwargs, JURY_SPACE),
    "challenges:jury_sessions_ics": (_no_kwargs, JURY_SPACE),
    "challenges:jury_kit": (_challenge, PANEL_MEMBER_ONLY),
    "challenges:jury_conflict": (_challenge, POST_ONLY),
    "challenges:panel_grid": (_challenge, PANEL_MEMBER_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_JURY = {
    "challenges:jury_kit": (_challenge, None, {**PANEL_MEMBER_ONLY, JURY: 302}),
    "challenges:jury_conflict": (_challenge, None, PANEL_MEMBER_ONLY),
    "challenges:panel_grid": (_challenge, None, PANEL_MEMBER_ONLY),
}
