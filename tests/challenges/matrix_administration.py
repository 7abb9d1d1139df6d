"""Who may open the administration's screens of the call for projects (a GET each).

Merged into tests/test_access_matrix.py: `MATRIX_ADMINISTRATION` has the
same shape as its MATRIX, and `sample_administration_objects()` creates what the
kwargs need. The sample challenge is edited by someone who holds none of the
matrix roles: every non-staff role gets 404 on it, staff read it (200).
Actions (POST only) answer 405 to a GET, whoever asks.
"""

from django.core.files.base import ContentFile

from challenges.models import AdministrationContact, ChallengeInvitation
from tests.conftest import MATRIX_ROLES
from tests.factories import DraftChallengeFactory, UserFactory, call_for_projects

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
LOGGED_IN_ONLY = {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 200}
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)
# Another administration's challenge does not exist for non-editors (404); staff read it.
EDITORS_AND_STAFF = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
# Staff read a challenge but change it in the admin, not on the administration's screens.
EDITORS_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 403}
# A contact of the administration (none of the roles here) or staff accept who joins it.
CONTACTS_AND_STAFF = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 403, STAF: 302}
# A contact of the administration refuses a request (none of the roles here); staff, who
# validate people in the admin, are not asked on this page.
CONTACTS_AND_STAFF_PAGE = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 403, STAF: 200}
CONTACTS_AND_STAFF_POST = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 403, STAF: 302}
# Only the invited address accepts an invitation (none of the roles here).
INVITED_ONLY = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 403, STAF: 403}


def sample_administration_objects():
    call = call_for_projects(phase="open")
    editor = UserFactory(email="redactrice.matrice@exemple.gouv.fr")
    challenge = DraftChallengeFactory(call=call, title="Défi de la matrice")
    challenge.editors.add(editor)
    AdministrationContact.objects.create(
        administration=challenge.administration,
        user=editor,
        status=AdministrationContact.Status.ACTIVE,
    )
    challenge.pitch_deck.save("presentation.pdf", ContentFile(MINIMAL_PDF), save=True)
    pending = AdministrationContact.objects.create(
        administration=challenge.administration,
        user=UserFactory(email="demandeur.matrice@exemple.gouv.fr"),
        status=AdministrationContact.Status.PENDING,
    )
    invitation = ChallengeInvitation.objects.create(
        challenge=challenge, email="collegue.matrice@exemple.gouv.fr", invited_by=editor
    )
    return {
        "call": call,
        "administration_challenge": challenge,
        "administration_editor": editor,
        "pending_contact": pending,
        "invitation": invitation,
    }


def _challenge(objects):
    return {"pk": objects["administration_challenge"].pk}


def _invitation(objects):
    return {"pk": objects["administration_challenge"].pk, "invitation": objects["invitation"].pk}


# name → (kwargs builder, expected status per role)
MATRIX_ADMINISTRATION = {
    "challenges:call_for_projects": (None, PUBLIC),
    "challenges:my_administration": (None, LOGGED_IN_ONLY),
    "challenges:accept_contact": (lambda o: {"pk": o["pending_contact"].pk}, POST_ONLY),
    "challenges:refuse_contact": (
        lambda o: {"pk": o["pending_contact"].pk},
        CONTACTS_AND_STAFF_PAGE,
    ),
    "challenges:my_challenges": (None, LOGGED_IN_ONLY),
    "challenges:challenge_edit": (_challenge, EDITORS_AND_STAFF),
    "challenges:challenge_submit": (_challenge, POST_ONLY),
    "challenges:challenge_withdraw": (_challenge, POST_ONLY),
    "challenges:challenge_invite": (_challenge, POST_ONLY),
    "challenges:pitch_deck_download": (_challenge, EDITORS_AND_STAFF),
    "challenges:pitch_deck_remove": (_challenge, EDITORS_ONLY),
    "challenges:invitation_revoke": (_invitation, EDITORS_ONLY),
    # The link of an invitation: any logged-in user sees it (addressed to someone
    # else, it says so); only the invited address can accept it (a POST).
    "challenges:invitation_accept": (lambda o: {"token": o["invitation"].token}, LOGGED_IN_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_ADMINISTRATION = {
    "challenges:my_administration": (None, lambda o: {"action": "create"}, LOGGED_IN_ONLY),
    "challenges:accept_contact": (
        lambda o: {"pk": o["pending_contact"].pk},
        None,
        CONTACTS_AND_STAFF,
    ),
    "challenges:my_challenges": (None, None, LOGGED_IN_ONLY),
    "challenges:challenge_edit": (_challenge, None, EDITORS_ONLY),
    "challenges:challenge_submit": (_challenge, None, EDITORS_ONLY),
    "challenges:challenge_withdraw": (_challenge, None, EDITORS_ONLY),
    "challenges:challenge_invite": (_challenge, None, EDITORS_ONLY),
    "challenges:refuse_contact": (
        lambda o: {"pk": o["pending_contact"].pk},
        None,
        CONTACTS_AND_STAFF_POST,
    ),
    "challenges:pitch_deck_remove": (_challenge, None, EDITORS_ONLY),
    "challenges:invitation_revoke": (_invitation, None, EDITORS_ONLY),
    "challenges:invitation_accept": (
        lambda o: {"token": o["invitation"].token},
        None,
        INVITED_ONLY,
    ),
}
