"""The programme at ten times EIG 4, laid out in the database for the benchmarks.

At factor 10 (the default): the imported history, then a current year whose call
for projects received 200 challenges and selected 40 (60 jury members in panels,
their kits, remarks and grids), whose call for applications is open with 8,000
candidates and 10,000 applications (the current call's and last year's, each with
a small PDF CV) and 30,000 reviews, and a promotion in residence for 40 weeks:
100 EIGs in 40 teams with their weekly updates; plus 5,000 rows of the outbox.
Factor 1 is a tenth of that (the 40 weeks stay 40 weeks: they are a duration).

Everything comes from one `random.Random(seed)`: the same seed gives the same
people, texts, choices and scores (dates are laid out from the moment of the run).
Rows are written with `bulk_create`, files with one small PDF content reused: the
services that check each step for a person are bypassed on purpose, and the
states they would reach are written directly, consistent with the rules.

Accounts are all @scale.eig.test and share one password (hashed once):
equipe@scale.eig.test (staff), candidat00000@… (candidates, the first ones are
the EIGs), jury000@… (jury), relecteur00@… (staff reviewers).
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import product
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from applications import services as application_services
from applications.models import (
    Application,
    Choice,
    Offer,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from applications.review.services import general_score, weighted_score
from challenges import services as challenge_services
from challenges.models import (
    Administration,
    Audition,
    Challenge,
    ChallengeMentor,
    JuryMember,
    JuryPanel,
    JuryRemark,
    KitReading,
    PanelEvaluation,
    PanelScore,
)
from cohorts.models import OnboardingStep, Team, TeamMember
from eig.models import OutboxMessage, Person, Promotion, Role, RoleGrant, Skill, User
from mentoring.models import UpdateComment, WeeklyUpdate, monday_of

DOMAIN = "scale.eig.test"
PASSWORD = "echelle-eig-2026"
STAFF_EMAIL = f"equipe@{DOMAIN}"
CURRENT_CODE, RUNNING_CODE = "echelle", "echelle-residence"
HISTORY = Path(settings.BASE_DIR).parent / "shared" / "data" / "eig-history"
BATCH = 2000
WEEKS_IN_RESIDENCE = 40

# The smallest valid PDF (python-magic reads it as application/pdf): every CV is a copy.
CV_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def scaled(at_ten, factor, minimum=1):
    """A number given at factor 10, at `factor` (factor 1 is a tenth)."""
    return max(minimum, round(at_ten * factor / 10))


@dataclass(frozen=True)
class Plan:
    """How many of each, for a factor (10 = ten times EIG 4)."""

    factor: float
    administrations: int
    submitted_challenges: int
    selected: int
    waitlisted: int
    not_selected: int
    jury_members: int
    candidates: int
    applications: int
    eigs: int
    teams: int
    reviews: int
    reviewers: int
    outbox: int
    weeks: int = WEEKS_IN_RESIDENCE

    @classmethod
    def for_factor(cls, factor):
        eigs = scaled(100, factor, 2)
        return cls(
            factor=factor,
            administrations=scaled(120, factor, 3),
            submitted_challenges=scaled(200, factor, 6),
            selected=scaled(40, factor, 2),
            waitlisted=scaled(10, factor),
            not_selected=scaled(10, factor),
            jury_members=scaled(60, factor, 5),
            candidates=scaled(8000, factor, 10),
            applications=scaled(10000, factor, 12),
            eigs=eigs,
            teams=min(scaled(40, factor), eigs // 2),
            reviews=scaled(30000, factor, 10),
            reviewers=max(6, scaled(20, factor)),
            outbox=scaled(5000, factor),
        )

    @property
    def panels(self):
        return max(1, self.jury_members // 6)

    @property
    def current_applications(self):
        """Every candidate applies to the open call, except last year's EIGs."""
        return self.candidates - self.eigs

    @property
    def previous_applications(self):
        """Last year's call: the EIGs, and candidates who apply again this year."""
        return self.applications - self.current_applications

    def __post_init__(self):
        decided = self.selected + self.waitlisted + self.not_selected
        if decided > self.submitted_challenges or self.previous_applications < self.eigs:
            raise ValueError(f"factor {self.factor} is too small to lay the programme out")


# --- Words ---------------------------------------------------------------------------

FIRST_NAMES = (
    "Camille Dominique Claude Alex Sacha Andréa Lou Charlie Maxime Morgane Yanis Inès Léa "
    "Hugo Chloé Nathan Manon Louis Emma Jules Sarah Lucas Jeanne Adam Zoé Malik Aïcha Théo "
    "Clémence Karim Agathe Paul Nadia Omar Margaux Victor Salomé Rémi Anaïs Bastien"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guerin "
    "Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Masson Sanchez Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Benali"
).split()
VERBS = (
    "Mieux cibler|Simplifier|Ouvrir|Cartographier|Prévoir|Détecter|Accélérer|Mesurer|"
    "Automatiser|Fiabiliser|Partager|Suivre|Anticiper|Réduire les délais de|Outiller|"
    "Moderniser|Rendre lisibles|Croiser|Valoriser|Sécuriser"
).split("|")
OBJECTS = (
    "les contrôles sanitaires|les aides agricoles|les données de l'eau|les marchés publics|"
    "les crues éclair|les fraudes sociales|les demandes de logement|les titres d'identité|"
    "les friches industrielles|la qualité de l'air|les accidents de la route|les déchets|"
    "les dossiers d'urbanisme|les signalements d'habitat indigne|les recrutements publics|"
    "les subventions culturelles|les transports scolaires|les aides aux aidants|"
    "les données de santé|les archives numérisées|les registres d'entreprises|"
    "les prix de l'énergie|les inspections du travail|les décisions de justice|les forêts"
).split("|")
CONTEXTS = (
    "dans les préfectures|pour les collectivités|avec les usagers|à l'échelle nationale|"
    "dans les territoires ruraux|pour les agents de terrain|en outre-mer|dans les hôpitaux|"
    "pour les petites communes|avec les associations|dans les écoles|pour les inspecteurs"
).split("|")
SENTENCES = [
    "Les agents traitent chaque année des milliers de dossiers à la main.",
    "Les données existent mais restent dispersées entre plusieurs services.",
    "Les usagers attendent des semaines une réponse qui pourrait venir en un jour.",
    "Un premier prototype permettrait de mesurer l'impact en quelques mois.",
    "La direction porte le projet et s'engage à le pérenniser.",
    "Le code produit sera publié sous licence libre.",
    "Les données seront ouvertes quand leur nature le permet.",
    "L'équipe travaillera avec les agents de terrain dès la première semaine.",
    "Des tableaux de bord aideront à cibler les contrôles là où ils comptent.",
    "Les usagers les plus fragiles sont les premiers concernés.",
    "Une équipe de trois personnes aux profils complémentaires est attendue.",
    "Les jeux de données couvrent les dix dernières années.",
    "Le service actuel repose sur des tableurs échangés par courriel.",
    "Plusieurs administrations partenaires partagent ce même besoin.",
    "La qualité des données sera le premier chantier.",
]
MOTIVATIONS = [
    "J'ai construit des services numériques utilisés par des milliers de personnes.",
    "Je veux mettre mes compétences au service de l'intérêt général.",
    "Ce défi rejoint mon expérience des données publiques.",
    "J'ai travaillé avec des agents de terrain et je connais leurs contraintes.",
    "Je souhaite apprendre au contact d'une administration et de ses usagers.",
    "Mes projets open source montrent ma manière de travailler en équipe.",
]
PLACES = ["Paris", "Lyon", "Marseille", "Lille", "Toulouse", "Nantes", "Rennes", "Bordeaux"]
OUTBOX_EVENTS = [
    "applications.application_submitted",
    "applications.draft_reminder",
    "applications.review_reminder",
    "challenges.challenge_submitted",
    "mentoring.update_reminder",
]


@dataclass
class Report:
    counts: dict
    seconds: float

    def lines(self):
        width = max(len(label) for label in self.counts)
        yield from (f"{label:<{width}}  {count:>8,}" for label, count in self.counts.items())
        yield f"{'durée':<{width}}  {self.seconds:>8.1f} s"


def seed(*, factor=10, seed=2026, now=None, log=None):
    """Lay the programme out at `factor`; returns a Report. Refuses a database already seeded."""
    started = time.perf_counter()
    plan = Plan.for_factor(factor)
    log = log or (lambda message: None)
    if not Challenge.objects.exclude(history_key="").exists():
        log("Import de l'historique public…")
        call_command("import_eig_history", str(HISTORY), verbosity=0, stdout=_Null())
    if Promotion.objects.filter(code=CURRENT_CODE).exists():
        raise AlreadySeeded("La base contient déjà les données à l'échelle.")
    with transaction.atomic():
        counts = _Seeder(plan, random.Random(seed), now or timezone.now(), log).run()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh planner statistics, as autovacuum would gather them a little later:
        # without them PostgreSQL plans for empty tables and the benchmarks measure that.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Report(counts, time.perf_counter() - started)


class AlreadySeeded(Exception):
    pass


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


class _Seeder:
    def __init__(self, plan, rng, now, log):
        self.plan, self.rng, self.now, self.log = plan, rng, now, log
        self.today = timezone.localdate(now)
        self.password = make_password(PASSWORD)
        self.skills = list(Skill.objects.order_by("key"))
        self.counts = {}

    # -- helpers --------------------------------------------------------------------

    def bulk(self, model, rows, label=None):
        rows = model.objects.bulk_create(rows, batch_size=BATCH)
        label = label or str(model._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        return rows

    def name(self):
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def text(self, sentences):
        return " ".join(self.rng.sample(SENTENCES, sentences))

    def users(self, emails, *, staff=False, verified=True, roles=(), promotion=None):
        people = []
        for email in emails:
            first, last = self.name()
            people.append(
                User(
                    email=email,
                    first_name=first,
                    last_name=last,
                    password=self.password,
                    is_staff=staff,
                    date_joined=self.now - timedelta(days=self.rng.randint(1, 400)),
                )
            )
        people = self.bulk(User, people, "comptes")
        if verified:
            self.bulk(
                EmailAddress,
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people],
                "adresses vérifiées",
            )
        grants = [
            RoleGrant(user=u, role=role, promotion=promotion) for u in people for role in roles
        ]
        self.bulk(RoleGrant, grants, "rôles attribués")
        return people

    # -- the run ------------------------------------------------------------------------

    def run(self):
        self.log("Promotions, équipe du programme, administrations…")
        self.promotions()
        self.staff = self.users([STAFF_EMAIL], staff=True)[0]
        self.staff.is_superuser = True
        self.staff.save(update_fields=["is_superuser"])
        self.reviewers = self.users(
            [f"relecteur{i:02d}@{DOMAIN}" for i in range(self.plan.reviewers)], staff=True
        )
        self.administrations()
        self.log("Appel à projets : défis, jury, auditions…")
        self.call_for_projects()
        self.jury()
        self.log("Promotion en résidence : équipes et bulletins…")
        self.running_promotion()
        self.log("Candidats, candidatures et CV…")
        self.candidates()
        self.calls_for_applications()
        self.applications()
        self.log("Relectures…")
        self.reviews()
        self.log("File d'envoi…")
        self.outbox()
        return self.counts

    def promotions(self):
        starts = monday_of(self.today) - timedelta(weeks=self.plan.weeks - 1)
        self.running = Promotion.objects.create(
            code=RUNNING_CODE,
            name="EIG Échelle (en résidence)",
            year=starts.year,
            starts_on=starts,
            ends_on=starts + timedelta(days=305),
        )
        self.current = Promotion.objects.create(
            code=CURRENT_CODE,
            name="EIG Échelle",
            year=starts.year + 1,
            starts_on=self.today + timedelta(days=120),
            ends_on=self.today + timedelta(days=425),
        )
        self.counts["promotions"] = 2

    def administrations(self):
        kinds = list(Administration.Kind.values)
        rows = []
        for i in range(self.plan.administrations):
            name = f"{self.rng.choice(['Direction', 'Agence', 'Service', 'Office'])} {i:03d} de {self.rng.choice(OBJECTS)[4:]}"
            rows.append(
                Administration(
                    name=name, slug=f"echelle-{slugify(name)}"[:200], kind=self.rng.choice(kinds)
                )
            )
        self.admins = self.bulk(Administration, rows, "administrations")

    # -- the call for projects --------------------------------------------------------

    def call_for_projects(self):
        plan, now = self.plan, self.now
        jury_day = self.today - timedelta(days=90)
        self.cfp = challenge_services.open_call(
            promotion=self.current,
            opens_at=now - timedelta(days=150),
            submission_deadline=now - timedelta(days=115),
            preselection_ends_at=now - timedelta(days=101),
            jury_starts_on=jury_day,
            jury_ends_on=jury_day + timedelta(days=1),
            publication_at=now - timedelta(days=80),
        )
        self.cfp.kits_opened_at = now - timedelta(days=97)
        self.cfp.published_at = now - timedelta(days=80)
        self.cfp.save(update_fields=["kits_opened_at", "published_at"])
        outcomes = (
            [Challenge.Status.SELECTED] * plan.selected
            + [Challenge.Status.WAITLISTED] * plan.waitlisted
            + [Challenge.Status.NOT_SELECTED] * plan.not_selected
        )
        outcomes += [Challenge.Status.DECLINED] * (plan.submitted_challenges - len(outcomes))
        challenges = self.challenges(
            len(outcomes),
            promotion=self.current,
            call=self.cfp,
            statuses=outcomes,
            submitted_at=lambda: now - timedelta(days=self.rng.randint(116, 148)),
        )
        self.selected = [c for c in challenges if c.status == Challenge.Status.SELECTED]
        self.heard = [c for c in challenges if c.status in Challenge.DECISIONS]

    def challenges(self, count, *, promotion, call, statuses, submitted_at):
        titles = self.rng.sample(list(product(VERBS, OBJECTS, CONTEXTS)), count)
        rows = []
        for (verb, obj, context), status in zip(titles, statuses, strict=True):
            title = f"{verb} {obj} {context}"
            submitted = submitted_at()
            problem, challenge_text, impact = self.text(3), self.text(2), self.text(2)
            rows.append(
                Challenge(
                    call=call,
                    promotion=promotion,
                    administration=self.rng.choice(self.admins),
                    title=title,
                    slug=slugify(title)[:200],
                    summary=f"{verb} {obj} grâce aux données, {context}.",
                    body_markdown=f"## Le problème\n\n{problem}\n\n## Le défi\n\n{challenge_text}\n\n"
                    f"## L'impact attendu\n\n{impact}",
                    problem=problem,
                    challenge_text=challenge_text,
                    data_description=self.text(2),
                    expected_impact=impact,
                    users_description=self.text(1),
                    location=self.rng.choice(PLACES),
                    team_size=self.rng.choice([2, 3]),
                    funding=self.rng.choice(Challenge.Funding.values),
                    open_commitment=True,
                    status=status,
                    created_at=submitted - timedelta(days=10),
                    submitted_at=submitted,
                )
            )
        challenges = self.bulk(Challenge, rows, "défis")
        through = Challenge.skills.through
        self.bulk(
            through,
            [
                through(challenge_id=c.pk, skill_id=s.pk)
                for c in challenges
                for s in self.rng.sample(self.skills, self.rng.randint(1, 3))
            ],
            "profils des défis",
        )
        mentors = self.bulk(
            Person,
            [
                Person(full_name=" ".join(self.name()), slug=f"echelle-mentor-{c.pk}-{k}")
                for c in challenges
                for k in ("operational", "strategic")
            ],
            "personnes",
        )
        self.bulk(
            ChallengeMentor,
            [
                ChallengeMentor(
                    challenge=c,
                    person=mentors[2 * i + k],
                    kind=kind,
                    position=k,
                    job_title="Chef ou cheffe de service",
                )
                for i, c in enumerate(challenges)
                for k, kind in enumerate(["operational", "strategic"])
            ],
            "mentors des défis",
        )
        return challenges

    def jury(self):
        plan, cfp = self.plan, self.cfp
        users = self.users(
            [f"jury{i:03d}@{DOMAIN}" for i in range(plan.jury_members)],
            roles=[Role.JURY_MEMBER],
            promotion=self.current,
        )
        panels = self.bulk(
            JuryPanel,
            [
                JuryPanel(call=cfp, name=f"Panel {n + 1}", organiser=self.staff)
                for n in range(plan.panels)
            ],
            "panels",
        )
        profiles = list(JuryMember.Profile.values)
        members = self.bulk(
            JuryMember,
            [
                JuryMember(
                    call=cfp,
                    user=u,
                    profile=profiles[i % len(profiles)],
                    panel=panels[i % len(panels)],
                )
                for i, u in enumerate(users)
            ],
            "membres du jury",
        )
        for panel in panels:
            panel.lead = next(m for m in members if m.panel_id == panel.pk)
        JuryPanel.objects.bulk_update(panels, ["lead"])
        auditions = []
        starts = datetime.combine(cfp.jury_starts_on, datetime.min.time()).replace(
            tzinfo=timezone.get_current_timezone()
        ) + timedelta(hours=9)
        for i, challenge in enumerate(self.heard):
            slot = i // len(panels)
            auditions.append(
                Audition(
                    panel=panels[i % len(panels)],
                    challenge=challenge,
                    starts_at=starts + slot * (Audition.LENGTH + timedelta(minutes=10)),
                )
            )
        auditions = self.bulk(Audition, auditions, "auditions")
        by_panel = {}
        for member in members:
            by_panel.setdefault(member.panel_id, []).append(member)
        readings, remarks = [], []
        for audition in auditions:
            for member in by_panel[audition.panel_id]:
                readings.append(KitReading(member=member, challenge=audition.challenge))
                if self.rng.random() < 0.6:
                    remarks.append(
                        JuryRemark(member=member, challenge=audition.challenge, text=self.text(2))
                    )
        self.bulk(KitReading, readings, "lectures des dossiers")
        self.bulk(JuryRemark, remarks, "remarques du jury")
        recommendation = {
            Challenge.Status.SELECTED: PanelEvaluation.Recommendation.SELECT,
            Challenge.Status.WAITLISTED: PanelEvaluation.Recommendation.WAITLIST,
            Challenge.Status.NOT_SELECTED: PanelEvaluation.Recommendation.NOT_SELECT,
        }
        leads = {panel.pk: panel.lead for panel in panels}
        evaluations = self.bulk(
            PanelEvaluation,
            [
                PanelEvaluation(
                    audition=a,
                    recommendation=recommendation[a.challenge.status],
                    comment=self.text(2),
                    recorded_by=leads[a.panel_id],
                )
                for a in auditions
            ],
            "grilles des panels",
        )
        criteria = list(cfp.criteria.all())
        self.bulk(
            PanelScore,
            [
                PanelScore(evaluation=e, criterion=c, score=self.rng.randint(2, 5))
                for e in evaluations
                for c in criteria
            ],
            "notes des panels",
        )

    # -- the promotion in residence -----------------------------------------------------

    def running_promotion(self):
        plan = self.plan
        challenges = self.challenges(
            plan.teams,
            promotion=self.running,
            call=None,  # its call for projects is not part of the benchmark
            statuses=[Challenge.Status.SELECTED] * plan.teams,
            submitted_at=lambda: self.now - timedelta(days=self.rng.randint(500, 540)),
        )
        self.running_challenges = challenges
        teams = self.bulk(Team, [Team(challenge=c) for c in challenges], "équipes")
        self.eig_users = self.users(
            [f"candidat{i:05d}@{DOMAIN}" for i in range(plan.eigs)],
            roles=[Role.CANDIDATE, Role.EIG],
            promotion=self.running,
        )
        people = self.bulk(
            Person,
            [
                Person(full_name=u.get_full_name(), slug=f"echelle-eig-{u.pk}", user=u)
                for u in self.eig_users
            ],
            "personnes",
        )
        members = self.bulk(
            TeamMember,
            [
                TeamMember(team=teams[i % len(teams)], person=p, position=i // len(teams))
                for i, p in enumerate(people)
            ],
            "EIG des équipes",
        )
        started = self.running.starts_on
        self.bulk(
            OnboardingStep,
            [
                OnboardingStep(
                    member=m,
                    item=item,
                    done_at=self.at(started + timedelta(days=self.rng.randint(0, 20))),
                    done_by=self.staff,
                )
                for m in members
                for item in OnboardingStep.Item.values
            ],
            "étapes d'accueil",
        )
        authors = {}
        for member, person in zip(members, people, strict=True):
            authors.setdefault(member.team_id, []).append(person.user)
        # A few teams went quiet three weeks ago: the dashboard lists them.
        quiet = {t.pk for t in teams[: max(1, len(teams) // 10)]}
        this_week = monday_of(self.today)
        updates = []
        for team in teams:
            for n in range(plan.weeks):
                week = self.running.starts_on + timedelta(weeks=n)
                if team.pk in quiet and week > this_week - timedelta(weeks=3):
                    continue
                if self.rng.random() < (0.5 if week == this_week else 0.08):
                    continue  # this week is under way; other weeks, a few were missed
                help_needed = self.text(1) if self.rng.random() < 0.1 else ""
                written = self.at(week + timedelta(days=4))
                updates.append(
                    WeeklyUpdate(
                        team=team,
                        week=week,
                        spirit=self.rng.randint(1, 5),
                        priorities=self.text(2),
                        victories=self.text(1),
                        help_needed=help_needed,
                        author=self.rng.choice(authors[team.pk]),
                        created_at=written,
                        help_handled_at=written + timedelta(days=2)
                        if help_needed and week < this_week - timedelta(weeks=2)
                        else None,
                    )
                )
        updates = self.bulk(WeeklyUpdate, updates, "bulletins hebdomadaires")
        self.bulk(
            UpdateComment,
            [
                UpdateComment(update=u, author=self.staff, text=self.text(1))
                for u in updates
                if self.rng.random() < 0.3
            ],
            "commentaires de bulletins",
        )

    def at(self, day, hour=10):
        moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
        return timezone.make_aware(moment)

    # -- candidates and their applications ---------------------------------------------

    def candidates(self):
        plan = self.plan
        self.candidate_users = self.eig_users + self.users(
            [f"candidat{i:05d}@{DOMAIN}" for i in range(plan.eigs, plan.candidates)],
            roles=[Role.CANDIDATE],
            promotion=self.current,
        )

    def calls_for_applications(self):
        now, today = self.now, self.today
        # The current call: open, its deadline a week away (the rush submits into it).
        self.open_call = application_services.open_call(
            promotion=self.current,
            opens_at=now - timedelta(days=34),
            deadline=now + timedelta(days=7),
            preselection_ends_at=now + timedelta(days=21),
            interviews_start_on=today + timedelta(days=28),
            interviews_end_on=today + timedelta(days=29),
            publication_at=now + timedelta(days=36),
            offer_response_deadline=now + timedelta(days=46),
            promotion_starts_on=self.current.starts_on,
        )
        # Last year's: published, its EIGs are the promotion in residence.
        starts = self.running.starts_on
        opens = self.at(starts - timedelta(days=150))
        self.last_call = application_services.open_call(
            promotion=self.running,
            opens_at=opens,
            deadline=opens + timedelta(days=35),
            preselection_ends_at=opens + timedelta(days=49),
            interviews_start_on=starts - timedelta(days=100),
            interviews_end_on=starts - timedelta(days=99),
            publication_at=opens + timedelta(days=60),
            offer_response_deadline=opens + timedelta(days=70),
            promotion_starts_on=starts,
        )
        self.last_call.published_at = self.last_call.publication_at
        self.last_call.save(update_fields=["published_at"])
        self.counts["appels à candidatures"] = 2

    def cv_name(self):
        return f"cvs/{self.rng.getrandbits(128):032x}.pdf"

    def applications(self):
        plan, rng = self.plan, self.rng
        again = self.candidate_users[plan.eigs : plan.previous_applications]
        rows, plans = [], []
        # Last year's call: the EIGs (selected, offer accepted) and the others (not kept).
        for i, user in enumerate(self.eig_users + again):
            is_eig = i < plan.eigs
            opened = self.last_call.opens_at
            rows.append(
                self.application(user, self.last_call, opened, Application.Status.SUBMITTED)
            )
            team_challenge = self.running_challenges[i % plan.teams] if is_eig else None
            plans.append((self.running_challenges, team_challenge))
        statuses = [Application.Status.SUBMITTED] * 90 + [Application.Status.DRAFT] * 7
        statuses += [Application.Status.WITHDRAWN] * 3
        for user in self.candidate_users[plan.eigs :]:
            status = rng.choice(statuses)
            rows.append(self.application(user, self.open_call, self.open_call.opens_at, status))
            plans.append((self.selected, None))
        applications = self.bulk(Application, rows, "candidatures")
        self.write_cvs(a.cv.name for a in applications if a.cv)
        choices = []
        for application, (challenges, first) in zip(applications, plans, strict=True):
            count = 1 if len(challenges) < 2 or rng.random() < 0.4 else 2
            aims = rng.sample(challenges, count)
            if first is not None:
                aims = [first] + [c for c in aims if c != first][: count - 1]
            for rank, challenge in enumerate(aims, start=1):
                status = Choice.Status.PENDING
                if application.call_id == self.last_call.pk:
                    status = (
                        Choice.Status.SELECTED
                        if challenge == first and rank == 1
                        else rng.choice([Choice.Status.NOT_SHORTLISTED, Choice.Status.NOT_SELECTED])
                    )
                choices.append(
                    Choice(
                        application=application,
                        challenge=challenge,
                        rank=rank,
                        motivation=rng.choice(MOTIVATIONS),
                        status=status,
                    )
                )
        choices = self.bulk(Choice, choices, "choix de défis")
        offers = [
            Offer(
                choice=c,
                status=Offer.Status.ACCEPTED,
                respond_by=self.last_call.offer_response_deadline,
                answered_at=self.last_call.publication_at + timedelta(days=2),
                confirmed_by=self.staff,
            )
            for c in choices
            if c.status == Choice.Status.SELECTED
        ]
        self.bulk(Offer, offers, "offres")
        self.submitted = [
            a
            for a in applications
            if a.call_id == self.open_call.pk and a.status == Application.Status.SUBMITTED
        ]
        self.all_applications = applications

    def application(self, user, call, opened, status):
        rng = self.rng
        created = opened + timedelta(hours=rng.randint(1, 30 * 24))
        with_cv = status != Application.Status.DRAFT or rng.random() < 0.5
        return Application(
            call=call,
            candidate=user,
            status=status,
            studies_completed=True,
            profile=rng.choice(self.skills),
            years_of_experience=rng.randint(0, 25),
            cv=self.cv_name() if with_cv else "",
            motivation=" ".join(rng.sample(MOTIVATIONS, 3)),
            forge_url=f"https://gitlab.com/{slugify(user.last_name)}{user.pk}",
            available_from=call.promotion_starts_on,
            talent_pool_consent=rng.random() < 0.5,
            created_at=created,
            submitted_at=created + timedelta(hours=rng.randint(1, 48))
            if status != Application.Status.DRAFT
            else None,
        )

    def write_cvs(self, names):
        root = Path(settings.MEDIA_ROOT) / "private"
        (root / "cvs").mkdir(parents=True, exist_ok=True)
        written = 0
        for name in names:
            (root / name).write_bytes(CV_PDF)
            written += 1
        self.counts["CV (fichiers PDF)"] = written

    def reviews(self):
        plan, rng = self.plan, self.rng
        criteria = list(self.open_call.criteria.all())
        submitted = self.submitted
        if not submitted:
            return
        per, extra = divmod(plan.reviews, len(submitted))
        if per + (extra > 0) > len(self.reviewers):
            raise ValueError("not enough reviewers for that many reviews")
        lucky = set(rng.sample(range(len(submitted)), extra))
        assignments, reviews, grids = [], [], []
        for i, application in enumerate(submitted):
            for reviewer in rng.sample(self.reviewers, per + (i in lucky)):
                scores = {c.pk: rng.randint(1, 5) for c in criteria}
                assignments.append(ReviewAssignment(application=application, reviewer=reviewer))
                reviews.append(
                    Review(
                        application=application,
                        reviewer=reviewer,
                        comment=rng.choice(MOTIVATIONS),
                        weighted_score=weighted_score(criteria, scores),
                        general_score=general_score(criteria, scores),
                        submitted_at=self.now - timedelta(hours=rng.randint(1, 600)),
                    )
                )
                grids.append(scores)
        self.bulk(ReviewAssignment, assignments, "relectures attribuées")
        reviews = self.bulk(Review, reviews, "évaluations")
        self.bulk(
            ReviewScore,
            [
                ReviewScore(review=r, criterion_id=pk, score=score)
                for r, scores in zip(reviews, grids, strict=True)
                for pk, score in scores.items()
            ],
            "notes des évaluations",
        )

    def outbox(self):
        rng, applications = self.rng, self.all_applications
        content_type = ContentType.objects.get_for_model(Application)
        statuses = [OutboxMessage.Status.SENT] * 90 + [OutboxMessage.Status.CANCELLED] * 6
        statuses += [OutboxMessage.Status.FAILED] * 3 + [OutboxMessage.Status.PENDING]
        rows = []
        for i in range(self.plan.outbox):
            application = applications[i % len(applications)]
            event = rng.choice(OUTBOX_EVENTS)
            status = rng.choice(statuses)
            created = self.now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
            rows.append(
                OutboxMessage(
                    event=event,
                    idempotency_key=f"scale:{event}:{i}",
                    content_type=content_type,
                    object_id=str(application.pk),
                    recipient_id=application.candidate_id,
                    to_email=application.candidate.email,
                    subject="[EIG] Votre candidature",
                    body_text=self.text(3),
                    status=status,
                    created_at=created,
                    sent_at=created + timedelta(seconds=5)
                    if status == OutboxMessage.Status.SENT
                    else None,
                    attempts=1 if status != OutboxMessage.Status.PENDING else 0,
                    next_attempt_at=created,
                    last_error="550 boîte inconnue"
                    if status == OutboxMessage.Status.FAILED
                    else "",
                )
            )
        self.bulk(OutboxMessage, rows, "emails de la file d'envoi")
