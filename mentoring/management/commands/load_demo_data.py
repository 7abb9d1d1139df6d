"""`manage.py load_demo_data`: every stage's demo data, in the programme's order.

Mentoring is the latest stage: it may import all the earlier ones, so the
command lives here. Each stage's `load()` is idempotent: running it again is safe.
"""

from django.core.management.base import BaseCommand
from django.utils.timezone import localdate

from applications import demo as applications_demo
from challenges import demo as challenges_demo
from cohorts.promotion import demo as cohorts_demo
from mentoring import demo as mentoring_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de chaque étape du programme (sans danger si relancé)."
    )

    def handle(self, *args, **options):
        # The season that recruited the promotion in residence, finished.
        previous = challenges_demo.load_previous()
        if previous is not None:
            self.stdout.write(
                f"Appel à projets {previous.promotion} (terminé) : "
                f"{previous.challenges.count()} défis, résultats publiés le "
                f"{localdate(previous.publication_at):%d/%m/%Y}"
            )
        recruited = applications_demo.load_previous()
        if recruited is not None:
            self.stdout.write(
                f"Appel à candidatures {recruited.promotion} (terminé) : "
                f"{recruited.applications.count()} candidatures, résultats publiés le "
                f"{localdate(recruited.publication_at):%d/%m/%Y}"
            )
        projects = challenges_demo.load()
        self.stdout.write(
            f"Appel à projets {projects.promotion} ({projects.phase().label}) : "
            f"{projects.challenges.count()} défis, dépôts du {localdate(projects.opens_at):%d/%m/%Y} au "
            f"{localdate(projects.submission_deadline):%d/%m/%Y}, jury du {projects.jury_starts_on:%d/%m}"
        )
        call = applications_demo.load()
        self.stdout.write(
            f"Appel à candidatures {call.promotion} ({call.phase().label}) : "
            f"{call.applications.count()} candidatures, ouvert du {localdate(call.opens_at):%d/%m/%Y}, "
            f"entretiens du {call.interviews_start_on:%d/%m} au {call.interviews_end_on:%d/%m}"
        )
        running, ended = cohorts_demo.load()
        self.stdout.write(f"Promotion en résidence : {running} ; promotion terminée : {ended}")
        updates = mentoring_demo.load()
        self.stdout.write(f"Bulletins hebdomadaires de la promotion {running} : {updates}")
