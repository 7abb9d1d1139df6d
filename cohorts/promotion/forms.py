"""Forms of the promotion's coaching calendar."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import CoachingEvent, Team
from cohorts.promotion.services import event_problems
from eig.models import Promotion


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
            "record_markdown",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        promotion_id = self._promotion_id()
        if "promotion" in self.fields and not self.instance.pk and promotion_id:
            self.fields["promotion"].initial = promotion_id
        if "teams" in self.fields:
            # The event's promotion's teams only (the current one for a new event),
            # each labelled with its promotion: no team of EIG 4 in an EIG 7 workshop.
            teams = Team.objects.select_related("challenge__promotion").order_by(
                "-challenge__promotion__year", "challenge__title"
            )
            if promotion_id:
                teams = teams.filter(challenge__promotion_id=promotion_id)
            self.fields["teams"].queryset = teams
            self.fields["teams"].label_from_instance = lambda team: (
                f"{team.challenge.title} ({team.challenge.promotion})"
            )

    def _promotion_id(self):
        """The promotion of the event being written: sent, saved, or the current one."""
        sent = self.data.get(self.add_prefix("promotion")) if self.is_bound else None
        if sent and str(sent).isdigit():
            return int(sent)
        if self.instance.promotion_id:
            return self.instance.promotion_id
        current = (
            Promotion.objects.filter(starts_on__lte=timezone.localdate())
            .order_by("-starts_on", "-year")
            .values_list("pk", flat=True)
            .first()
        )
        return current

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


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pairs(text, what):
    """Lines of "left | right"; a line without its bar is an error that names the line."""
    pairs = []
    for number, line in enumerate(_lines(text), start=1):
        left, bar, right = line.partition("|")
        if not bar or not left.strip() or not right.strip():
            raise ValidationError(
                _("Ligne %(number)d : écrivez %(what)s, séparés par une barre « | ».")
                % {"number": number, "what": what}
            )
        pairs.append((left.strip(), right.strip()))
    return pairs


class DeliverablesForm(forms.Form):
    """What a team delivered: the seeds the programme counts (product, open source code,
    opened datasets, key figures) and a short public summary."""

    product_url = forms.URLField(
        label=_("Adresse du produit"), required=False, max_length=300, assume_scheme="https"
    )
    source_code_url = forms.URLField(
        label=_("Adresse du code source"),
        help_text=_(
            "Le dépôt public (GitHub, GitLab…) ; s’il y en a plusieurs, leur organisation."
        ),
        required=False,
        max_length=300,
        assume_scheme="https",
    )
    datasets = forms.CharField(
        label=_("Jeux de données ouverts"),
        help_text=_(
            "Un par ligne : son nom, une barre « | », son adresse sur data.gouv.fr. "
            "Par exemple : Base des défis | https://www.data.gouv.fr/fr/datasets/…"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key_figures = forms.CharField(
        label=_("Chiffres clés"),
        help_text=_(
            "Un par ligne : la valeur, une barre « | », ce qu’elle compte. Par exemple : 1200 | agents utilisent l’outil chaque mois"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label=_("Bilan de fin de promotion"),
        help_text=_(
            "Quelques lignes publiques : ce que l’équipe a construit, ce qui reste à faire."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @classmethod
    def for_team(cls, team, data=None):
        challenge = team.challenge
        initial = {
            "product_url": challenge.product_url,
            "source_code_url": challenge.source_code_url,
            "datasets": "\n".join(f"{d.name} | {d.url}" for d in team.opened_datasets.all()),
            "key_figures": "\n".join(
                f"{figure.amount.normalize():f} | {figure.description}"
                for figure in challenge.key_figures.all()
            ),
            "summary": team.end_summary,
        }
        return cls(data, initial=initial)

    def clean_datasets(self):
        return _pairs(self.cleaned_data["datasets"], _("le nom puis l’adresse"))

    def clean_key_figures(self):
        return _pairs(self.cleaned_data["key_figures"], _("la valeur puis ce qu’elle compte"))
