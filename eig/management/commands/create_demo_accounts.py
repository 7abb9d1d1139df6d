from django.core.management.base import BaseCommand

from eig.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Crée un compte de démonstration par rôle (mot de passe commun)."

    def handle(self, *args, **options):
        create_demo_accounts()
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for email, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<32} {email}")
