from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Appel à candidatures")

    def ready(self):
        from applications import reminders
        from applications.models import Application
        from eig.notifications import cancel_on_delete

        reminders.register()
        cancel_on_delete(Application)
