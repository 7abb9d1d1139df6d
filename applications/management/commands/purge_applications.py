from django.core.management.base import BaseCommand

from applications.retention import purge_expired_applications


class Command(BaseCommand):
    help = (
        "Anonymise les candidatures non retenues, sans consentement au vivier, "
        "trois mois après la clôture de leur appel (fichiers compris), et vide "
        "le texte des emails partis depuis plus de trois mois ; supprime les traces "
        "de connexion de plus de six mois et les sessions expirées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste sans rien modifier.")

    def handle(self, *args, dry_run=False, **options):
        purge = purge_expired_applications(dry_run=dry_run)
        verb = "seraient anonymisées" if dry_run else "anonymisées"
        self.stdout.write(f"{len(purge.applications)} candidature(s) {verb}.")
        for application in purge.applications:
            self.stdout.write(f"  - n°{application.pk} ({application.call})")
        if not dry_run:
            self.stdout.write(
                f"{purge.traces.outbox_bodies} email(s) vidé(s) de leur texte, "
                f"{purge.traces.login_records} trace(s) de connexion et "
                f"{purge.traces.sessions} session(s) expirée(s) supprimées."
            )
