from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """The programme at ten times its size, for the benchmarks: `manage.py seed_scale`.

    It sits after every stage (it fills them all) and no stage imports it.
    """

    name = "scale"
    verbose_name = "Données à l'échelle (bancs d'essai)"
