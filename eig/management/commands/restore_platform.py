from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from eig import backups


class Command(BaseCommand):
    help = (
        "Restaure une archive de backup_platform dans la base et le stockage configurés "
        "(à faire dans une base neuve), puis applique aussitôt les règles de conservation."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        manifest = backups.restore(archive)
        self.stdout.write(
            f"Restauré : base du {manifest['created_at']}, {manifest['files']} fichier(s)."
        )
        # What retention removed since the archive was made must not come back.
        for command in settings.EIG_AFTER_RESTORE_COMMANDS:
            call_command(command, stdout=self.stdout)
