"""The programme's 1-to-5 grids: a call's review grid, a jury panel's, the interviews'."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCORES = range(1, 6)


def checked_scores(criteria, scores):
    """Every criterion of the grid scored 1 to 5, nothing else: {criterion id: score}.

    Keys may come as text (a form's, a JSON body's); each missing or wrong score is
    named, all at once.
    """
    if not criteria:
        raise ValidationError(_("La grille d'évaluation de cet appel est vide."))
    scores = {int(key): value for key, value in (scores or {}).items()}
    errors = []
    if set(scores) - {criterion.pk for criterion in criteria}:
        errors.append(_("Certaines notes ne correspondent à aucun critère de la grille."))
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            errors.append(_("Notez le critère « %(name)s ».") % {"name": criterion.name})
        elif isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
            errors.append(
                _(
                    "La note du critère « %(name)s » doit être comprise entre 1 et 5 "
                    "(de 1 à 5, d'insuffisant à excellent)."
                )
                % {"name": criterion.name}
            )
    if errors:
        raise ValidationError(errors)
    return {criterion.pk: scores[criterion.pk] for criterion in criteria}
