"""The forms of pre-selection: the scoring grid, conflicts of interest, assignment."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from eig.forms import ScoreGridForm
from eig.models import User
from eig.permissions import may
from eig.roles import programme_staff


class ReviewForm(ScoreGridForm):
    """One 1-to-5 score per criterion of the call's grid, then a comment."""

    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Lu par les autres relecteurs et par l’équipe du programme."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @classmethod
    def initial_from(cls, review):
        if review is None:
            return {}
        return {"comment": review.comment, **cls.initial_scores(review.scores.all())}


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
        if may(user, "applications.review_every_challenge"):
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
        .filter(Q(pk__in=programme_staff()) | Q(person__mentorships__challenge=challenge))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class UndoRejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi annuler ce refus ? (facultatif)"),
        help_text=_("Consigné dans l’historique du dossier avec votre nom et l’heure."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
