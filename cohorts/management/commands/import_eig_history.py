"""`manage.py import_eig_history FOLDER`: the programme's public history, see cohorts.history."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cohorts.history import HistoryError, import_history


class Command(BaseCommand):
    help = "Importe l'historique public du programme EIG (promotions, défis, personnes, FAQ)."

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", type=Path, help="dossier eig-history (promos.yml, defis.yml, …)"
        )

    def handle(self, *args, folder, **options):
        try:
            report = import_history(folder=folder)
        except HistoryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.lines()))

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # From the shell, print the French line alone, without Django's
            # "CommandError: " prefix; call_command still gets the exception.
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)
