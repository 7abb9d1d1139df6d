from django.core.management.base import BaseCommand

from applications.models import Application
from applications.retention import anonymise
from eig import erasures


class Command(BaseCommand):
    help = (
        "Après une restauration : efface de nouveau les candidatures dont l'effacement "
        "figure au journal (eig.erasures) mais que la sauvegarde avait encore."
    )

    def handle(self, *args, **options):
        erased = erasures.entries("applications.application")
        back = Application.objects.filter(pk__in=erased, anonymised_at__isnull=True)
        count = 0
        for application in back:
            anonymise(application)
            count += 1
        self.stdout.write(f"{count} candidature(s) effacée(s) de nouveau d'après le journal.")
