"""`manage.py seed_scale [--factor 10] [--seed 2026]`: the programme at scale, for the benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from scale import seed as scale_seed


class Command(BaseCommand):
    help = (
        "Remplit la base avec le programme à l'échelle (facteur 10 : dix fois EIG 4) pour les "
        "bancs d'essai : historique, 200 défis, 10 000 candidatures, 30 000 relectures…"
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=10.0, help="10 = dix fois EIG 4")
        parser.add_argument("--seed", type=int, default=2026, help="même graine, mêmes données")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="ne rien faire (sans erreur) si la base contient déjà ces données",
        )

    def handle(self, *args, factor, seed, if_missing, **options):
        try:
            scale_seed.Plan.for_factor(factor)
        except ValueError as error:
            raise CommandError(str(error)) from error
        log = self.stdout.write if options["verbosity"] > 0 else None
        try:
            report = scale_seed.seed(factor=factor, seed=seed, log=log)
        except scale_seed.AlreadySeeded as error:
            if if_missing:
                self.stdout.write(f"{error} Rien à faire.")
                return
            raise CommandError(f"{error} Repartez d'une base vide (make seed-scale).") from error
        self.stdout.write(f"Données à l'échelle (facteur {factor:g}, graine {seed}) :")
        self.stdout.write("\n".join(report.lines()))
