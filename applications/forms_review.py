"""The forms of pre-selection: the scoring grid, conflicts of interest, assignment."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.services_review import SCORES
from eig.models import User

SCORE_CHOICES = [(score, str(score)) for score in SCORES]


class ReviewForm(forms.Form):
    """One 1-to-5 score per criterion of the call's grid, then a comment."""

    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Lu par les autres relecteurs et par l’équipe du programme."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {
            self.score_field(criterion): forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for criterion in self.criteria
        }
        # The scores come first, in the grid's order.
        self.fields = {**scores, **self.fields}

    @staticmethod
    def score_field(criterion):
        return f"score_{criterion.pk}"

    def score_rows(self):
        """(criterion, bound field) in the grid's order, for the template."""
        return [(criterion, self[self.score_field(criterion)]) for criterion in self.criteria]

    def scores(self):
        return {
            criterion.pk: self.cleaned_data[self.score_field(criterion)]
            for criterion in self.criteria
        }

    @classmethod
    def initial_from(cls, review):
        if review is None:
            return {}
        initial = {"comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
        return initial


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Nature de votre lien avec le candidat ou la candidate"),
        help_text=_(
            "Une fois le conflit déclaré, ce dossier ne vous sera plus présenté et votre "
            "évaluation, si vous en avez fait une, ne comptera pas."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = f"{user.get_full_name()} ({user.email})" if user.get_full_name() else user.email
        if user.is_staff:
            return _("%(user)s — équipe du programme") % {"user": name}
        return _("%(user)s — mentor du défi") % {"user": name}


class AssignForm(forms.Form):
    """Staff give the selected files of a challenge to one reviewer."""

    reviewer = ReviewerChoiceField(
        label=_("Relecteur ou relectrice"),
        queryset=User.objects.none(),
        empty_label=_("Choisir"),
    )
    applications = forms.ModelMultipleChoiceField(
        label=_("Dossiers"),
        queryset=Application.objects.none(),
        error_messages={"required": _("Cochez au moins un dossier dans la liste.")},
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers_for(challenge)
        self.fields["applications"].queryset = (
            Application.objects.submitted().for_challenge(challenge).order_by("pk")
        )


def reviewers_for(challenge):
    """Who may review the files of a challenge: staff, and its mentors who have an account."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(person__mentorships__challenge=challenge))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
