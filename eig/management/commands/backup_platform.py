from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from eig import backups
from eig.models import Heartbeat


class Command(BaseCommand):
    help = "Sauvegarde la base et les fichiers déposés dans une seule archive (.tar)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=settings.EIG_BACKUP_DIR, help="Dossier des archives.")

    def handle(self, *args, to, **options):
        archive = backups.create(Path(to))
        Heartbeat.record("backup", detail=archive.name)
        self.stdout.write(f"Sauvegarde écrite : {archive}")
        for name in backups.prune(Path(to), settings.EIG_BACKUP_KEEP_DAYS):
            self.stdout.write(
                f"Sauvegarde de plus de {settings.EIG_BACKUP_KEEP_DAYS} jours supprimée : {name}"
            )
