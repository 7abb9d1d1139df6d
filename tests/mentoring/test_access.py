"""The teams' space in the access matrix: every URL, every role."""

import pytest
from django.urls import reverse

from mentoring.models import UpdateComment, UpdateSharing, WeeklyUpdate
from tests.conftest import MATRIX_ROLES
from tests.mentoring.matrix_mentoring import MATRIX_MENTORING, sample_mentoring_objects

pytestmark = pytest.mark.django_db


def test_every_url_of_the_teams_space_is_in_the_matrix():
    from mentoring.urls import urlpatterns

    assert {f"mentoring:{pattern.name}" for pattern in urlpatterns} == set(MATRIX_MENTORING)


@pytest.mark.parametrize("role", MATRIX_ROLES[:-1], ids=lambda r: r or "anonymous")
def test_no_role_but_staff_posts_to_a_team_it_does_not_belong_to(client_as, role):
    client = client_as(role)  # the user first, this time: the mentor is seated at once
    objects = sample_mentoring_objects()
    update, team = objects["update"], objects["team"]
    posts = {
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}): {
            "week": update.week.isoformat(),
            "spirit": "1",
            "priorities": "Intrusion",
        },
        reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk}): {"text": "Intrusion"},
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}): {"text": "Intrusion"},
        reverse("mentoring:help_handled", kwargs={"update_pk": update.pk}): {},
        reverse(
            "mentoring:promotion_update_sharing", kwargs={"code": objects["promotion"].code}
        ): {},
    }
    expected = 302 if role is None else 404
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == expected, url
        if role is None:
            assert response.url.startswith(reverse("account_login"))
    update.refresh_from_db()
    assert update.priorities != "Intrusion" and update.help_handled_at is None
    assert not UpdateComment.objects.exists()
    assert not team.mentor_notes.exists()
    assert WeeklyUpdate.objects.count() == 1
    assert not UpdateSharing.objects.exists()
