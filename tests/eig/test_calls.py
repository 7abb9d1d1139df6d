"""eig/calls.py and CallQuerySet.current: both yearly calls open and are found the same way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services as applications
from applications.models import CallForApplications
from challenges import services as challenges
from challenges.models import CallForProjects
from tests.factories import call_for_applications, call_for_projects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "grid"),
    [
        (call_for_projects, challenges.DEFAULT_CRITERIA),
        (call_for_applications, applications.DEFAULT_REVIEW_CRITERIA),
    ],
)
def test_a_new_call_starts_from_the_programmes_grid_in_order(make, grid):
    call = make()

    criteria = call.criteria.order_by("position").values_list("name", "description", "weight")

    assert list(criteria) == [tuple(row) for row in grid]


@pytest.mark.parametrize(
    ("make", "model"),
    [(call_for_projects, CallForProjects), (call_for_applications, CallForApplications)],
)
def test_the_current_call_is_the_open_one_else_the_latest(make, model):
    now = timezone.now()
    older = make(now=now - timedelta(days=400), phase="published")
    assert model.objects.current(now) == older

    open_now = make(now=now, phase="open")
    make(now=now + timedelta(days=30), phase="upcoming")

    assert model.objects.current(now) == open_now
