from django.core.management.base import BaseCommand

from challenges import demo as challenges_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de chaque étape du programme (sans danger si relancé)."
    )

    def handle(self, *args, **options):
        open_call, jury_call = challenges_demo.load()
        self.stdout.write(
            f"Appel à projets ouvert : {open_call.promotion} ; jury en cours : {jury_call.promotion}"
        )
