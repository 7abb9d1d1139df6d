"""Links made once per page for its rows read exactly as Django's reverse() would."""

from django.urls import reverse

from eig.links import link_maker


def test_a_link_maker_gives_reverses_answer_for_every_id():
    decide = link_maker("review_decide", "shortlist")
    application = link_maker("review_application")
    for pk in (1, 42, 2_147_483_647, 10**12):
        assert decide(pk) == reverse("review_decide", args=[pk, "shortlist"])
        assert application(pk) == reverse("review_application", args=[pk])
