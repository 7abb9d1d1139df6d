"""Forms of the promotion's coaching calendar."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.models import CoachingEvent, Team
from cohorts.services_promotion import event_problems


class CoachingEventForm(forms.ModelForm):
    """The event as staff set it in the admin, with the same checks as `create_event`."""

    video_link = forms.URLField(
        label=_("lien de visioconférence"), required=False, assume_scheme="https"
    )

    class Meta:
        model = CoachingEvent
        fields = [
            "promotion",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "audience",
            "teams",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "teams" in self.fields:
            self.fields["teams"].queryset = Team.objects.select_related(
                "challenge__promotion"
            ).order_by("-challenge__promotion__year", "challenge__title")

    def clean(self):
        data = super().clean()
        problems = event_problems(
            promotion=data.get("promotion"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            audience=data.get("audience"),
            teams=data.get("teams") or (),
        )
        if problems:
            raise ValidationError(problems)
        return data


class AttendanceForm(forms.Form):
    """Who came, among the invitees: the ticked ones are present, the others absent."""

    present = forms.TypedMultipleChoiceField(
        label=_("Présentes et présents"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (invitation.user_id, str(invitation.user)) for invitation in invitations
        ]
        if not self.is_bound:
            self.initial["present"] = [i.user_id for i in invitations if i.attended]
