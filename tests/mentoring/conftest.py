import pytest

from mentoring.services import paris_today
from tests.mentoring.scenario import promotion_in_residence, team_of


@pytest.fixture
def today():
    return paris_today()


@pytest.fixture
def promotion(today):
    return promotion_in_residence(today)


@pytest.fixture
def team(promotion):
    return team_of(promotion, title="Signaux faibles")
