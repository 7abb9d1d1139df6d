"""Opening one of the programme's two yearly calls, the same way for both.

A call starts from the programme's published grid of criteria; staff adjust it
in the admin before the first review or jury reading.
"""

from django.db import transaction


@transaction.atomic
def open_call(*, model, grid, promotion, **dates):
    """A call of `model` (for projects or for applications) with its default grid."""
    call = model.objects.create(promotion=promotion, **dates)
    lay_grid(call, grid)
    return call


def lay_grid(call, grid):
    """The call's criteria from a grid of (name, description, weight), in order."""
    criterion = call.criteria.model
    criterion.objects.bulk_create(
        criterion(call=call, position=i, name=name, description=description, weight=weight)
        for i, (name, description, weight) in enumerate(grid)
    )
