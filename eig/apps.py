from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EigConfig(AppConfig):
    name = "eig"
    verbose_name = _("Plateforme EIG")

    def ready(self):
        from django.apps import apps

        from eig import accounts, files, signals  # noqa: F401 — connects the receivers

        files.follow_rows(apps.get_models())
