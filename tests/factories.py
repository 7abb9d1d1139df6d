import factory
from django.utils.text import slugify

from challenges.models import Administration, Challenge, ChallengeMentor, KeyFigure
from cohorts.models import Team, TeamMember
from eig.models import Person, Promotion, RoleGrant, Skill, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.gouv.fr")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-2026")

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        for role in roles or ():
            RoleGrant.objects.create(user=self, role=role)
        if create:
            self.save()


def with_second_factor(user):
    """The TOTP that whoever opens other people's files must have (eig.roles.is_privileged)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


class PromotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promotion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: str(10 + n))
    name = factory.LazyAttribute(lambda p: f"EIG {p.code}")
    year = factory.Sequence(lambda n: 2026 + n)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("key",)

    key = "datascience"
    label = "Data science"


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration

    name = factory.Sequence(lambda n: f"Direction interministérielle n°{n}")
    slug = factory.LazyAttribute(lambda a: slugify(a.name))


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    promotion = factory.SubFactory(PromotionFactory)
    administration = factory.SubFactory(AdministrationFactory)
    title = factory.Sequence(lambda n: f"Défi des données n°{n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.title))
    summary = "Mieux servir les usagers grâce aux données"
    body_markdown = "## Le problème\n\nDes données **dispersées**."
    status = Challenge.Status.COMPLETED


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    challenge = factory.SubFactory(ChallengeFactory)
    amount = 1288
    description = "déclarations analysées"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Claude Dupont {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.full_name))


class ChallengeMentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeMentor

    challenge = factory.SubFactory(ChallengeFactory)
    person = factory.SubFactory(PersonFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    challenge = factory.SubFactory(ChallengeFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory)


def call_for_projects(*, now=None, phase="open", promotion=None):
    """A call for projects laid out around `now`, in the phase asked for.

    One date places the whole calendar, the way the programme runs it: five
    weeks open, two of pre-selection, two days of jury, results a week later.
    """
    from datetime import timedelta

    from django.utils import timezone

    from challenges.services import open_call

    now = now or timezone.now()
    offsets = {  # where `now` falls, counted from the opening
        "upcoming": -timedelta(days=2),
        "open": timedelta(days=10),
        "preselection": timedelta(days=40),
        "jury": timedelta(days=50),
        "deliberation": timedelta(days=53),
        "published": timedelta(days=70),
    }
    opens_at = now - offsets[phase]
    deadline = opens_at + timedelta(days=35)
    jury_start = timezone.localdate(opens_at + timedelta(days=49))
    return open_call(
        promotion=promotion or PromotionFactory(),
        opens_at=opens_at,
        submission_deadline=deadline,
        preselection_ends_at=deadline + timedelta(days=14),
        jury_starts_on=jury_start,
        jury_ends_on=jury_start + timedelta(days=1),
        publication_at=opens_at + timedelta(days=60),
    )


class DraftChallengeFactory(ChallengeFactory):
    """A challenge of a call, drafted by an administration contact, complete enough to submit."""

    status = Challenge.Status.DRAFT
    promotion = factory.LazyAttribute(lambda c: c.call.promotion)
    problem = "Les usagers attendent des semaines une réponse."
    challenge_text = "Construire un service qui répond en un jour."
    data_description = "Les demandes des cinq dernières années."
    expected_impact = "Des réponses en un jour au lieu de trois semaines."
    location = "Paris (75007)"
    team_size = 2
    funding = Challenge.Funding.COFUNDING
    open_commitment = True

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        self.skills.add(SkillFactory())
        for position, kind in enumerate(["operational", "strategic"]):
            ChallengeMentor.objects.create(
                challenge=self,
                person=PersonFactory(),
                kind=kind,
                position=position,
                job_title="Cheffe de bureau",
                email=f"mentor{position}.{self.pk}@exemple.gouv.fr",
            )


def call_for_applications(*, now=None, phase="open", promotion=None, challenges=2):
    """A call for applications around `now`, with `challenges` selected challenges to apply to.

    Five weeks open, two of pre-selection, two days of interviews, results a
    week later, ten days to answer an offer, the promotion in September.
    """
    from datetime import timedelta

    from django.utils import timezone

    from applications.services import open_call

    now = now or timezone.now()
    offsets = {
        "upcoming": -timedelta(days=2),
        "open": timedelta(days=10),
        "preselection": timedelta(days=40),
        "interviews": timedelta(days=50),
        "deliberation": timedelta(days=53),
        "published": timedelta(days=65),
    }
    opens_at = now - offsets[phase]
    deadline = opens_at + timedelta(days=35)
    interviews = timezone.localdate(opens_at + timedelta(days=49))
    promotion = promotion or PromotionFactory()
    ChallengeFactory.create_batch(challenges, promotion=promotion, status=Challenge.Status.SELECTED)
    call = open_call(
        promotion=promotion,
        opens_at=opens_at,
        deadline=deadline,
        preselection_ends_at=deadline + timedelta(days=14),
        interviews_start_on=interviews,
        interviews_end_on=interviews + timedelta(days=1),
        publication_at=opens_at + timedelta(days=60),
        offer_response_deadline=opens_at + timedelta(days=70),
        promotion_starts_on=interviews + timedelta(days=90),
    )
    if phase == "published":
        call.published_at = call.publication_at
        call.save(update_fields=["published_at"])
    return call
