"""Demo accounts for `make run`: one per role, all with the same password."""

from allauth.account.models import EmailAddress

from eig.models import Role, RoleGrant, User

DEMO_PASSWORD = "demo-eig-2026"

DEMO_ACCOUNTS = [
    ("equipe@demo.eig.test", "Camille", "Équipe", Role.STAFF),
    ("jury@demo.eig.test", "Jules", "Jury", Role.JURY_MEMBER),
    ("administration@demo.eig.test", "Alix", "Administration", Role.ADMINISTRATION_CONTACT),
    ("mentor@demo.eig.test", "Maud", "Mentor", Role.MENTOR),
    ("candidat@demo.eig.test", "Charlie", "Candidat", Role.CANDIDATE),
    ("eig@demo.eig.test", "Eden", "Entrepreneur", Role.EIG),
    ("alumni@demo.eig.test", "Ali", "Alumni", Role.ALUMNI),
]


def create_demo_accounts():
    """Create (or reset) the demo accounts; safe to run again."""
    users = []
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=email)
        user.first_name, user.last_name = first_name, last_name
        user.is_staff = user.is_superuser = role == Role.STAFF
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        RoleGrant.objects.get_or_create(user=user, role=role, promotion=None)
        users.append(user)
    return users


def residence_year(today):
    """The year the promotion in residence on `today` started (promotions start on
    1 September): the demo numbers its promotions from it, in the order of their years."""
    return today.year if (today.month, today.day) >= (9, 1) else today.year - 1
