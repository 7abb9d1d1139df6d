"""Links made once per page for its rows read exactly as Django's reverse() would."""

from django.urls import reverse

from eig.links import link_maker


def test_a_link_maker_gives_reverses_answer_for_every_id():
    decide = link_maker("applications:review_decide", "shortlist")
    application = link_maker("applications:review_application")
    for pk in (1, 42, 2_147_483_647, 10**12):
        assert decide(pk) == reverse("applications:review_decide", args=[pk, "shortlist"])
        assert application(pk) == reverse("applications:review_application", args=[pk])
