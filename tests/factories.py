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
