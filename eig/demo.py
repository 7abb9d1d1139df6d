"""Demo accounts for `make run` (one per role, all with the same password), and the
programme's real calendar that every stage's demo data is laid out on."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress

from eig.models import Role, RoleGrant, User
from eig.reminders import paris_time

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


def _weekdays_from(day):
    """Two working days in a row, the first on or after `day` (a jury sits on weekdays)."""
    while day.weekday() > 3:  # Friday to Sunday: the second day would fall on a weekend
        day += timedelta(days=1)
    return day, day + timedelta(days=1)


@dataclass(frozen=True)
class Season:
    """The recruiting season of the promotion that starts on 1 September of `year`, on
    the programme's calendar: the call for projects from 1 February to 7 April, its jury
    late April, results a week later; the call for applications in May and June, two
    weeks of pre-selection, two days of interviews early July, results a week later."""

    year: int

    @property
    def projects_open_at(self) -> datetime:
        return paris_time(date(self.year, 2, 1), time(9))

    @property
    def projects_deadline(self) -> datetime:
        return paris_time(date(self.year, 4, 7), time(12))

    @property
    def projects_preselection_ends_at(self) -> datetime:
        return paris_time(date(self.year, 4, 21), time(18))

    @property
    def projects_jury_days(self) -> tuple:
        return _weekdays_from(date(self.year, 4, 27))

    @property
    def projects_publication_at(self) -> datetime:
        return paris_time(self.projects_jury_days[1] + timedelta(days=7), time(10))

    @property
    def applications_open_at(self) -> datetime:
        day = max(date(self.year, 5, 11), self.projects_publication_at.date() + timedelta(days=1))
        return paris_time(day, time(9))

    @property
    def applications_deadline(self) -> datetime:
        return paris_time(date(self.year, 6, 15), time(12))

    @property
    def applications_preselection_ends_at(self) -> datetime:
        return paris_time(date(self.year, 6, 29), time(18))

    @property
    def interview_days(self) -> tuple:
        return _weekdays_from(date(self.year, 7, 1))

    @property
    def applications_publication_at(self) -> datetime:
        return paris_time(self.interview_days[1] + timedelta(days=7), time(10))

    @property
    def offer_response_deadline(self) -> datetime:
        return self.applications_publication_at.replace(hour=12) + timedelta(days=14)

    @property
    def promotion_starts_on(self) -> date:
        return date(self.year, 9, 1)


def recruiting_season(today):
    """The season of the promotion after the one in residence on `today`: it starts next
    September, and its calls are ahead, open or behind depending on the month."""
    return Season(residence_year(today) + 1)
