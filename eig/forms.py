from django import forms
from django.utils.translation import gettext_lazy as _

from eig.models import User


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language", "receives_optional_reminders"]
        labels = {
            "preferred_language": _("Langue des emails"),
            "receives_optional_reminders": _("Recevoir les rappels non essentiels"),
        }
        help_texts = {
            "receives_optional_reminders": _(
                "Les emails essentiels (échéances, décisions, convocations) sont toujours envoyés."
            ),
        }
