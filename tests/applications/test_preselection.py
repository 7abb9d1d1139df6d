"""Pre-selection: staff and the mentors of each challenge read, score and rank the files."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from applications.models import (
    Application,
    Choice,
    ChoiceTransition,
    Review,
    ReviewAssignment,
    ReviewConflict,
)
from applications.review import notifications as events
from applications.review import services as review
from challenges.models import ChallengeMentor
from eig import reminders
from eig.models import OutboxMessage, Person, User
from tests.factories import (
    SkillFactory,
    UserFactory,
    call_for_applications,
    with_second_factor,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_numbers = itertools.count(1)


# --- A pre-selection, laid out the way the programme runs it -----------------------------


def preselection_call(**kwargs):
    """A call whose deadline has passed and whose pre-selection runs now."""
    return call_for_applications(phase="preselection", **kwargs)


def submitted(call, *challenges, candidate=None, cv=False, **fields):
    """A submitted application to `challenges`, in order of preference."""
    fields = {
        "profile": SkillFactory(),
        "years_of_experience": 5,
        "motivation": "Servir l'intérêt général avec les données.",
        **fields,
    }
    application = Application.objects.create(
        call=call,
        candidate=candidate or UserFactory(),
        status=Application.Status.SUBMITTED,
        studies_completed=True,
        submitted_at=call.deadline - timedelta(days=1),
        **fields,
    )
    if cv:
        application.cv.save("cv.pdf", ContentFile(PDF), save=True)
    Choice.objects.bulk_create(
        Choice(application=application, challenge=challenge, rank=rank, motivation="J'y crois.")
        for rank, challenge in enumerate(challenges, start=1)
    )
    return application


def staff_member(**fields):
    """Programme staff, with the authenticator staff must have."""
    user = UserFactory(is_staff=True, **fields)
    TOTP.activate(user, generate_totp_secret())
    return user


def mentor_of(challenge, user=None):
    """A mentor of `challenge`: under review, they open its applications (two factors)."""
    user = with_second_factor(user or UserFactory())
    person, _created = Person.objects.get_or_create(
        user=user, defaults={"full_name": str(user), "slug": slugify(f"personne-{user.pk}")}
    )
    ChallengeMentor.objects.create(challenge=challenge, person=person)
    return user


def logged_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def all_scores(call, score):
    return {criterion.pk: score for criterion in call.criteria.all()}


def assigned(application, reviewer, by=None):
    review.assign_reviewer(application=application, reviewer=reviewer, by=by or staff_member())
    return reviewer


def count_queries(client, url):
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Who sees what --------------------------------------------------------------------


def test_a_mentor_sees_only_the_candidates_of_their_own_challenge(client):
    call = preselection_call()
    mine, theirs = call.challenges().order_by("pk")
    first_choice = submitted(call, mine, candidate=UserFactory(last_name="Premier"))
    second_choice = submitted(call, theirs, mine, candidate=UserFactory(last_name="Second"))
    elsewhere = submitted(call, theirs, candidate=UserFactory(last_name="Ailleurs"))
    mentor = mentor_of(mine)

    assert list(review.reviewable_challenges(mentor, call)) == [mine]
    assert set(review.reviewable_challenges(staff_member(), call)) == {mine, theirs}
    assert list(review.reviewable_challenges(UserFactory(), call)) == []

    client = logged_in(client, mentor)
    home = client.get(reverse("applications:review_home"))
    assert home.status_code == 200
    assert mine.title in home.text and theirs.title not in home.text
    assert home.context["challenges"][0].application_count == 2

    page = client.get(reverse("applications:review_challenge", args=[mine.pk]))
    assert page.status_code == 200
    assert {row.pk for row in page.context["rows"]} == {first_choice.pk, second_choice.pk}
    assert "Premier" in page.text and "Second" in page.text and "Ailleurs" not in page.text
    assert elsewhere.pk not in {row.pk for row in page.context["rows"]}
    # The preference and status shown are those of this challenge's choice.
    assert {row.pk: row.preference for row in page.context["rows"]} == {
        first_choice.pk: 1,
        second_choice.pk: 2,
    }
    # Only staff assign.
    assert "attribuer" not in page.text.lower() or page.context["assign_form"] is None

    assert client.get(reverse("applications:review_challenge", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applications:review_ranking", args=[mine.pk])).status_code == 404


def test_a_mentor_of_a_past_call_has_no_review_space(client):
    call = preselection_call()
    challenge = call.challenges().first()
    mentor = mentor_of(challenge)
    call.opens_at -= timedelta(days=400)
    call.deadline -= timedelta(days=400)
    call.preselection_ends_at -= timedelta(days=400)
    call.save()
    client = logged_in(client, mentor)
    assert client.get(reverse("applications:review_home")).status_code == 403
    assert (
        client.get(reverse("applications:review_challenge", args=[challenge.pk])).status_code == 404
    )


def test_a_reviewer_sees_only_the_files_assigned_to_them(client):
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    mine = submitted(call, challenge, cv=True)
    not_mine = submitted(call, challenge, cv=True)
    only_other = submitted(call, other)
    mentor = mentor_of(challenge)
    staff = staff_member()
    review.assign_reviewer(application=mine, reviewer=mentor, by=staff)

    with pytest.raises(PermissionDenied):
        review.assign_reviewer(application=not_mine, reviewer=mentor, by=mentor)
    with pytest.raises(ValidationError, match="ne peut pas relire"):
        review.assign_reviewer(application=only_other, reviewer=mentor, by=staff)
    with pytest.raises(ValidationError, match="ne peut pas relire"):
        review.assign_reviewer(application=mine, reviewer=UserFactory(), by=staff)

    client = logged_in(client, mentor)
    assert client.get(reverse("applications:review_application", args=[mine.pk])).status_code == 200
    cv = client.get(reverse("applications:review_cv", args=[mine.pk]))
    assert cv.status_code == 200
    assert cv["Content-Disposition"].startswith("attachment")
    assert b"".join(cv.streaming_content) == PDF
    for url_name in ("applications:review_application", "applications:review_cv"):
        assert client.get(reverse(url_name, args=[not_mine.pk])).status_code == 404
        assert client.get(reverse(url_name, args=[only_other.pk])).status_code == 404
    listing = client.get(reverse("applications:review_challenge", args=[challenge.pk]))
    assert reverse("applications:review_application", args=[mine.pk]) in listing.text
    assert reverse("applications:review_application", args=[not_mine.pk]) not in listing.text
    home = client.get(reverse("applications:review_home")).context["challenges"]
    assert [(c.application_count, c.reviewed_by_me, c.pending_for_me) for c in home] == [(2, 0, 1)]

    # Staff open every file; they score only what is assigned to them.
    client = logged_in(client, staff)
    assert (
        client.get(reverse("applications:review_application", args=[not_mine.pk])).status_code
        == 200
    )
    assert client.get(reverse("applications:review_cv", args=[not_mine.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        review.submit_review(
            application=not_mine, reviewer=staff, scores=all_scores(call, 3), comment=""
        )
    post = client.post(
        reverse("applications:review_application", args=[not_mine.pk]), {"comment": "x"}
    )
    assert post.status_code == 403


def test_staff_assign_selected_files_to_a_mentor_or_a_colleague(client):
    call = preselection_call()
    challenge = call.challenges().first()
    # A number above 999 shows whether the ticked boxes post it unlocalised ("1 234").
    first = submitted(call, challenge, id=987654)
    second, third = (submitted(call, challenge) for _ in range(2))
    mentor = mentor_of(challenge)
    staff = staff_member()
    ReviewConflict.objects.create(application=third, reviewer=mentor, reason="Ma cousine")
    client = logged_in(client, staff)

    page = client.get(reverse("applications:review_challenge", args=[challenge.pk]))
    reviewers = page.context["assign_form"].fields["reviewer"].queryset
    assert mentor in reviewers and staff in reviewers and first.candidate not in reviewers
    assert 'name="applications" value="987654"' in page.text

    response = client.post(
        reverse("applications:review_assign", args=[challenge.pk]),
        {
            "reviewer": mentor.pk,
            "applications": [first.pk, second.pk, third.pk],
            "return_query": "status=pending&preference=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?status=pending&preference=1")
    assert set(ReviewAssignment.objects.values_list("application", flat=True)) == {
        first.pk,
        second.pk,
    }
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("conflit d'intérêts" in m for m in shown)
    assert any("2 dossier(s) attribué(s)" in m for m in shown)


def test_other_reviews_show_only_after_my_own(client):
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge)
    mentor = assigned(application, mentor_of(challenge))
    colleague = assigned(application, staff_member())
    review.submit_review(
        application=application,
        reviewer=colleague,
        scores=all_scores(call, 4),
        comment="Un parcours très solide en données.",
    )

    assert list(review.visible_reviews(application=application, reviewer=mentor)) == []
    client = logged_in(client, mentor)
    page = client.get(reverse("applications:review_application", args=[application.pk]))
    assert "très solide" not in page.text
    assert "une fois la vôtre enregistrée" in page.text

    data = {f"score_{pk}": 3 for pk in all_scores(call, 3)} | {"comment": "Motivé."}
    response = client.post(reverse("applications:review_application", args=[application.pk]), data)
    assert response.status_code == 302
    visible = review.visible_reviews(application=application, reviewer=mentor)
    assert {r.reviewer for r in visible} == {mentor, colleague}
    assert (
        "très solide"
        in client.get(reverse("applications:review_application", args=[application.pk])).text
    )

    # Staff read every review, scored or not.
    assert len(review.visible_reviews(application=application, reviewer=staff_member())) == 2


def test_a_second_submit_updates_the_review(client):
    call = preselection_call()
    application = submitted(call, call.challenges().first())
    reviewer = assigned(application, staff_member())
    first = review.submit_review(
        application=application, reviewer=reviewer, scores=all_scores(call, 2), comment="a"
    )
    again = review.submit_review(
        application=application, reviewer=reviewer, scores=all_scores(call, 5), comment="b"
    )
    assert first.pk == again.pk and Review.objects.count() == 1
    again.refresh_from_db()
    assert again.weighted_score == Decimal("5.00") and again.comment == "b"
    assert sorted(again.scores.values_list("score", flat=True)) == [5] * 5


def test_reviews_wait_for_the_deadline():
    call = call_for_applications(phase="open")
    application = submitted(call, call.challenges().first())
    reviewer = assigned(application, staff_member())
    with pytest.raises(ValidationError, match="pendant la présélection"):
        review.submit_review(
            application=application, reviewer=reviewer, scores=all_scores(call, 3), comment=""
        )


def test_a_declared_conflict_excludes_the_reviewer(client):
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge, cv=True)
    other = submitted(call, challenge)
    mentor = assigned(application, mentor_of(challenge))
    staff = staff_member()
    review.submit_review(
        application=application, reviewer=mentor, scores=all_scores(call, 5), comment=""
    )
    client = logged_in(client, mentor)

    empty = client.post(
        reverse("applications:review_conflict", args=[application.pk]), {"reason": " "}
    )
    assert empty.status_code == 200 and not ReviewConflict.objects.exists()
    response = client.post(
        reverse("applications:review_conflict", args=[application.pk]),
        {"reason": "Ancienne collègue"},
    )
    assert response.status_code == 302

    conflict = ReviewConflict.objects.get()
    assert (conflict.application, conflict.reviewer) == (application, mentor)
    assert not ReviewAssignment.objects.filter(reviewer=mentor).exists()
    assert not Review.objects.exists()  # their review no longer weighs
    for url_name in (
        "applications:review_application",
        "applications:review_cv",
        "applications:review_conflict",
    ):
        assert client.get(reverse(url_name, args=[application.pk])).status_code in (404, 405)
    assert (
        client.get(reverse("applications:review_application", args=[application.pk])).status_code
        == 404
    )
    rows = client.get(reverse("applications:review_challenge", args=[challenge.pk])).context["rows"]
    assert [row.pk for row in rows] == [other.pk]
    with pytest.raises(ValidationError, match="conflit d'intérêts"):
        review.assign_reviewer(application=application, reviewer=mentor, by=staff)
    with pytest.raises(PermissionDenied):
        review.submit_review(
            application=application, reviewer=mentor, scores=all_scores(call, 5), comment=""
        )
    assert list(review.visible_reviews(application=application, reviewer=mentor)) == []

    # Staff who declare a conflict lose the file, its place in the ranking and the decision.
    review.declare_conflict(application=application, reviewer=staff, reason="Mon voisin")
    client = logged_in(client, staff)
    assert (
        client.get(reverse("applications:review_application", args=[application.pk])).status_code
        == 404
    )
    ranking = client.get(reverse("applications:review_ranking", args=[challenge.pk])).context[
        "rows"
    ]
    assert [row.pk for row in ranking] == [other.pk]
    with pytest.raises(PermissionDenied):
        review.shortlist(choice=application.choices.get(), by=staff)


def test_the_blind_first_pass_hides_names_and_contacts(client):
    call = preselection_call()
    call.blind_preselection = True
    call.save()
    challenge = call.challenges().first()
    candidate = UserFactory(first_name="Aïcha", last_name="Benali", email="aicha.benali@exemple.fr")
    application = submitted(
        call,
        challenge,
        candidate=candidate,
        cv=True,
        forge_url="https://forge.exemple.fr/abenali",
        portfolio_url="https://abenali.exemple.fr",
    )
    label = f"Candidature n°{application.pk}"
    assert review.candidate_label(application, blind=True) == label
    assert review.candidate_label(application, blind=False) == "Aïcha Benali"
    mentor = assigned(application, mentor_of(challenge))
    staff = staff_member()
    revealing = ("Benali", "aicha.benali", "abenali")

    pages = [
        reverse("applications:review_challenge", args=[challenge.pk]),
        reverse("applications:review_application", args=[application.pk]),
    ]
    for user, urls in (
        (mentor, pages),
        (staff, [*pages, reverse("applications:review_ranking", args=[challenge.pk])]),
    ):
        client = logged_in(client, user)
        for url in urls:
            page = client.get(url)
            assert page.status_code == 200
            assert label in page.text, url
            assert not any(word in page.text for word in revealing), url
        # The CV carries the name: closed to every reviewer, staff included, until the end.
        assert (
            client.get(reverse("applications:review_cv", args=[application.pk])).status_code == 404
        )

    # Once pre-selection is over, reviewers see who the candidates are.
    now = timezone.now()
    call.deadline, call.preselection_ends_at = now - timedelta(days=2), now - timedelta(days=1)
    call.save()
    page = client.get(reverse("applications:review_application", args=[application.pk]))
    assert "Aïcha Benali" in page.text and "aicha.benali@exemple.fr" in page.text
    assert "https://forge.exemple.fr/abenali" in page.text
    assert client.get(reverse("applications:review_cv", args=[application.pk])).status_code == 200


def test_the_blind_first_pass_holds_on_the_interview_jurys_pages_too(client):
    """Shortlisted and booked while the blind pass still runs: the interview jury (the
    challenge's mentors) reads a number, not a name, and the CV stays closed."""
    from datetime import time

    from applications.models import Choice, InterviewSlot
    from applications.services import set_choice_status
    from eig.reminders import paris_time

    call = preselection_call()
    call.blind_preselection = True
    call.save()
    challenge = call.challenges().first()
    candidate = UserFactory(first_name="Aïcha", last_name="Benali", email="aicha.benali@exemple.fr")
    application = submitted(
        call, challenge, candidate=candidate, cv=True, forge_url="https://forge.exemple.fr/ab"
    )
    set_choice_status(choice=application.choices.get(), to=Choice.Status.SHORTLISTED, by=None)
    mentor = mentor_of(challenge)
    slot = InterviewSlot.objects.create(
        challenge=challenge,
        starts_at=paris_time(call.interviews_start_on, time(9)),
        choice=application.choices.get(),
    )
    slot.jury.add(mentor)
    client = logged_in(client, mentor)
    revealing = ("Benali", "aicha.benali", "forge.exemple.fr")
    for url in (
        reverse("applications:interview_jury_home"),
        reverse("applications:interview_scoring", args=[slot.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200 and f"Candidature n°{application.pk}" in page.text
        assert not any(word in page.text for word in revealing), url
    assert client.get(reverse("applications:interview_cv", args=[slot.pk])).status_code == 404
    team_page = logged_in(client, staff_member()).get(
        reverse("applications:team_decisions", args=[challenge.pk])
    )
    assert team_page.status_code == 200 and f"Candidature n°{application.pk}" in team_page.text
    assert not any(word in team_page.text for word in revealing)

    client = logged_in(client, mentor)
    now = timezone.now()
    call.deadline, call.preselection_ends_at = now - timedelta(days=2), now - timedelta(days=1)
    call.save()
    assert (
        "Aïcha Benali" in client.get(reverse("applications:interview_scoring", args=[slot.pk])).text
    )
    assert client.get(reverse("applications:interview_cv", args=[slot.pk])).status_code == 200


# --- Scores and the ranking -----------------------------------------------------------


def test_the_weighted_score_weighs_each_criterion():
    call = preselection_call()
    criteria = list(call.criteria.all())
    assert [c.weight for c in criteria] == [3, 2, 2, 2, 1]
    scores = dict(zip([c.pk for c in criteria], [4, 3, 2, 5, 1], strict=True))
    # (4×3 + 3×2 + 2×2 + 5×2 + 1×1) / 10
    assert review.weighted_score(criteria, scores) == Decimal("3.30")


def test_the_ranking_shows_weighted_mean_count_and_spread(client):
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    strong = submitted(call, challenge)
    weaker = submitted(call, other, challenge)
    unread = submitted(call, challenge)
    submitted(call, other)  # another challenge's candidate
    draft = submitted(call, challenge)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.DRAFT)
    first, second = staff_member(), staff_member()
    for application in (strong, weaker):
        assigned(application, first)
    assigned(strong, second)
    criteria = [c.pk for c in call.criteria.all()]
    review.submit_review(application=strong, reviewer=first, scores=all_scores(call, 5), comment="")
    review.submit_review(
        application=strong, reviewer=second, scores=all_scores(call, 3), comment=""
    )
    review.submit_review(
        application=weaker,
        reviewer=first,
        scores=dict(zip(criteria, [5, 1, 1, 1, 1], strict=True)),
        comment="",
        challenge=challenge,
    )

    rows = review.ranking_page(challenge=challenge, reviewer=first, offset=0, limit=50)
    assert [row.pk for row in rows] == [strong.pk, weaker.pk, unread.pk]
    summary = [
        (row.mean_score, row.review_count, row.score_spread, row.preference, row.choice_status)
        for row in rows
    ]
    assert summary == [
        (Decimal("4.00"), 2, Decimal("2.00"), 1, "pending"),
        (Decimal("2.20"), 1, Decimal("0.00"), 2, "pending"),
        (None, 0, None, 1, "pending"),
    ]

    page = logged_in(client, first).get(reverse("applications:review_ranking", args=[challenge.pk]))
    assert page.status_code == 200
    assert "4,00" in page.text and "2,20" in page.text
    assert reverse("applications:review_decide", args=[rows[0].choice_id, "shortlist"]) in page.text


@pytest.mark.parametrize("bad", [0, 6, -1, "5", 2.5, None])
def test_scores_must_be_between_one_and_five(client, bad):
    call = preselection_call()
    application = submitted(call, call.challenges().first())
    reviewer = assigned(application, staff_member())
    scores = all_scores(call, 3)
    first = next(iter(scores))
    scores[first] = bad
    with pytest.raises(ValidationError, match="entre 1 et 5|Notez le critère"):
        review.submit_review(application=application, reviewer=reviewer, scores=scores, comment="")
    missing = all_scores(call, 3)
    missing.pop(first)
    with pytest.raises(ValidationError, match="Notez le critère"):
        review.submit_review(application=application, reviewer=reviewer, scores=missing, comment="")

    data = {f"score_{pk}": 3 for pk in all_scores(call, 3)} | {f"score_{first}": 6}
    response = logged_in(client, reviewer).post(
        reverse("applications:review_application", args=[application.pk]), data
    )
    assert response.status_code == 200
    assert response.context["review_form"].errors
    assert not Review.objects.exists()

    for good in (1, 5):
        review.submit_review(
            application=application, reviewer=reviewer, scores=all_scores(call, good), comment=""
        )
        assert Review.objects.get().weighted_score == Decimal(good)


def test_html_in_a_motivation_is_shown_as_text_to_reviewers(client):
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(
        call, challenge, motivation="<script>alert('motivation')</script><b>gras</b>"
    )
    application.choices.update(motivation="<img src=x onerror=alert(1)>")
    reviewer = assigned(application, staff_member())
    review.submit_review(
        application=application,
        reviewer=reviewer,
        scores=all_scores(call, 3),
        comment="<a href='javascript:alert(1)'>lien</a>",
    )
    page = logged_in(client, reviewer).get(
        reverse("applications:review_application", args=[application.pk])
    )
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>gras</b>" not in page.text
    assert "&lt;script&gt;alert(&#x27;motivation&#x27;)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    assert "<a href='javascript" not in page.text


# --- Decisions ----------------------------------------------------------------------------


def test_shortlisting_goes_through_the_choice_lifecycle_and_is_logged(client):
    call = preselection_call()
    challenge = call.challenges().first()
    kept, dropped = submitted(call, challenge), submitted(call, challenge)
    kept_choice, dropped_choice = kept.choices.get(), dropped.choices.get()
    staff = staff_member()
    mentor = mentor_of(challenge)
    client = logged_in(client, staff)

    response = client.post(
        reverse("applications:review_decide", args=[kept_choice.pk, "shortlist"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:review_ranking", args=[challenge.pk])
    client.post(reverse("applications:review_decide", args=[dropped_choice.pk, "reject"]))
    kept_choice.refresh_from_db()
    dropped_choice.refresh_from_db()
    assert kept_choice.status == Choice.Status.SHORTLISTED
    assert dropped_choice.status == Choice.Status.NOT_SHORTLISTED
    log = list(
        ChoiceTransition.objects.order_by("pk").values_list("choice", "source", "target", "by")
    )
    assert log == [
        (kept_choice.pk, "pending", "shortlisted", staff.pk),
        (dropped_choice.pk, "pending", "not_shortlisted", staff.pk),
    ]

    # A move the lifecycle does not allow is refused and logs nothing.
    response = client.post(
        reverse("applications:review_decide", args=[kept_choice.pk, "reject"]), follow=True
    )
    assert any("ne peut pas passer" in str(m) for m in response.context["messages"])
    kept_choice.refresh_from_db()
    assert kept_choice.status == Choice.Status.SHORTLISTED
    assert ChoiceTransition.objects.count() == 2
    assert (
        client.post(
            reverse("applications:review_decide", args=[kept_choice.pk, "select"])
        ).status_code
        == 404
    )

    # Mentors score; they do not decide.
    with pytest.raises(PermissionDenied):
        review.shortlist(choice=dropped_choice, by=mentor)
    client = logged_in(client, mentor)
    assert (
        client.post(
            reverse("applications:review_decide", args=[dropped_choice.pk, "shortlist"])
        ).status_code
        == 404
    )


# --- The weekly reminder ------------------------------------------------------------------


@pytest.fixture
def review_rules(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    reminders.register(*review.REMINDERS)
    reminders.register(*review.REMINDERS)  # twice changes nothing
    assert len(reminders.RULES) == 1


def test_reviewers_with_pending_files_are_reminded_once_a_week(review_rules):
    monday = datetime(2026, 6, 8, 9, 0, tzinfo=PARIS)
    call = call_for_applications(now=monday, phase="preselection")
    assert call.deadline < monday < monday + timedelta(days=7) < call.preselection_ends_at
    challenge = call.challenges().first()
    files = [submitted(call, challenge) for _ in range(4)]
    busy, done, conflicted, opted_out = (mentor_of(challenge) for _ in range(4))
    staff = staff_member()
    for application in files[:2]:
        review.assign_reviewer(application=application, reviewer=busy, by=staff)
    review.assign_reviewer(application=files[2], reviewer=done, by=staff)
    Review.objects.create(application=files[2], reviewer=done, weighted_score=3)
    # A conflict recorded while the assignment stayed: the reminder still leaves it out.
    ReviewAssignment.objects.create(application=files[3], reviewer=conflicted)
    ReviewConflict.objects.create(application=files[3], reviewer=conflicted, reason="Voisin")
    review.assign_reviewer(application=files[3], reviewer=opted_out, by=staff)
    opted_out.receives_optional_reminders = False
    opted_out.save()
    withdrawn = submitted(call, challenge)
    review.assign_reviewer(application=withdrawn, reviewer=done, by=staff)
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)

    assert reminders.sweep(now=monday - timedelta(minutes=1))[0] == 0
    due = list(review.reviewers_with_pending_files(monday))
    assert [(d.recipient, d.context["pending"], d.occasion) for d in due] == [
        (busy, 2, "2026-W24"),
        (opted_out, 1, "2026-W24"),
    ]
    assert reminders.sweep(now=monday)[0] == 1  # the opted-out reviewer gets none
    assert reminders.sweep(now=monday + timedelta(hours=6))[0] == 0
    assert reminders.sweep(now=monday + timedelta(days=1, hours=1))[0] == 0
    message = OutboxMessage.objects.get()
    assert message.event == events.REVIEW_REMINDER.code and message.to_email == busy.email
    assert "2 dossiers" in message.subject and "/preselection/" in message.body_text
    assert "2 dossiers" in message.body_html

    # The next Monday, the files still waiting are counted again.
    review.submit_review(
        application=files[0],
        reviewer=busy,
        scores=all_scores(call, 4),
        comment="",
        now=monday + timedelta(days=2),
    )
    next_monday = monday + timedelta(days=7)
    assert reminders.sweep(now=next_monday)[0] == 1
    latest = OutboxMessage.objects.order_by("-pk").first()
    assert latest.idempotency_key.endswith("|2026-W25") and "1 dossier à évaluer" in latest.subject
    # Pre-selection is over by the Monday after.
    assert reminders.sweep(now=next_monday + timedelta(days=7))[0] == 0


def test_the_reminder_rule_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    monday = datetime(2026, 6, 8, 9, 0, tzinfo=PARIS)
    call = call_for_applications(now=monday, phase="preselection")
    challenge = call.challenges().first()
    staff = staff_member()
    for _ in range(6):
        reviewer = mentor_of(challenge)
        for _ in range(3):
            review.assign_reviewer(
                application=submitted(call, challenge), reviewer=reviewer, by=staff
            )
    with django_assert_max_num_queries(3):
        assert len(list(review.reviewers_with_pending_files(monday))) == 6


# --- Query counts ---------------------------------------------------------------------------


def bulk_applications(call, challenge, count, *, reviewers, me):
    """`count` submitted applications, half reviewed by each reviewer, a third assigned to me."""
    skill = SkillFactory()
    batch = next(_numbers)
    users = User.objects.bulk_create(
        User(email=f"lot{batch}.{i}@exemple.fr", first_name="Camille", last_name=f"Lot{i}")
        for i in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            candidate=user,
            status=Application.Status.SUBMITTED,
            profile=skill,
            years_of_experience=i % 20,
            motivation="Servir.",
            submitted_at=call.deadline - timedelta(days=1),
        )
        for i, user in enumerate(users)
    )
    Choice.objects.bulk_create(
        Choice(application=a, challenge=challenge, rank=1 + i % 2, motivation="Oui.")
        for i, a in enumerate(applications)
    )
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(application=a, reviewer=me) for a in applications[::3]
    )
    Review.objects.bulk_create(
        Review(application=a, reviewer=reviewer, weighted_score=Decimal(1 + (i + n) % 5))
        for n, reviewer in enumerate(reviewers)
        for i, a in enumerate(applications[::2])
    )
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(application=a, reviewer=reviewer)
            for reviewer in reviewers
            for a in applications[::2]
        ],
        ignore_conflicts=True,
    )


@pytest.mark.parametrize(
    "url_name,viewer",
    [
        ("applications:review_challenge", "staff"),
        ("applications:review_challenge", "mentor"),
        ("applications:review_ranking", "staff"),
        ("applications:review_home", "staff"),
    ],
)
def test_review_pages_run_the_same_queries_for_10_and_500_applications(client, url_name, viewer):
    call = preselection_call()
    challenge = call.challenges().first()
    staff = staff_member()
    mentor = mentor_of(challenge)
    me = staff if viewer == "staff" else mentor
    reviewers = [staff_member(), mentor_of(challenge)]
    client = logged_in(client, me)
    url = reverse(url_name, args=[] if url_name == "applications:review_home" else [challenge.pk])
    counts = []
    for total in (10, 500):
        bulk_applications(
            call,
            challenge,
            total - Application.objects.count(),
            reviewers=reviewers,
            me=me,
        )
        counts.append(count_queries(client, url))
    print(f"{url_name} ({viewer}): {counts[0]} queries for 10 applications, {counts[1]} for 500")
    assert counts[0] == counts[1], counts


def test_the_filters_narrow_the_list(client):
    call = preselection_call()
    challenge, other = call.challenges().order_by("pk")
    junior = submitted(call, challenge, years_of_experience=1)
    senior = submitted(call, other, challenge, years_of_experience=12)
    reviewed = submitted(call, challenge, years_of_experience=6)
    staff = staff_member()
    assigned(reviewed, staff)
    review.submit_review(
        application=reviewed, reviewer=staff, scores=all_scores(call, 3), comment=""
    )
    review.shortlist(choice=senior.choices.get(challenge=challenge), by=staff)
    # The other challenge's choice of `senior` stays pending: the status filter reads this one.
    client = logged_in(client, staff)
    url = reverse("applications:review_challenge", args=[challenge.pk])

    def rows(**query):
        return {row.pk for row in client.get(url, query).context["rows"]}

    assert rows(experience_min=5) == {senior.pk, reviewed.pk}
    assert rows(experience_min=2, experience_max=8) == {reviewed.pk}
    assert rows(status="shortlisted") == {senior.pk}
    assert rows(status="pending") == {junior.pk, reviewed.pk}
    assert rows(preference=2) == {senior.pk}
    assert rows(reviewed="oui") == {reviewed.pk}
    assert rows(reviewed="non") == {junior.pk, senior.pk}
    assert rows(mine="oui") == {reviewed.pk}
    assert rows(profile=junior.profile.key) == {junior.pk, senior.pk, reviewed.pk}


def test_the_list_is_paginated_by_25(client):
    call = preselection_call()
    challenge = call.challenges().first()
    staff = staff_member()
    bulk_applications(call, challenge, 30, reviewers=[], me=staff)
    client = logged_in(client, staff)
    url = reverse("applications:review_challenge", args=[challenge.pk])
    assert len(client.get(url).context["rows"]) == 25
    assert len(client.get(url, {"page": 2}).context["rows"]) == 5


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def review_admin():
    """The pre-selection admin is registered by applications/admin.py."""
    from django.contrib import admin

    assert Review in admin.site._registry


def test_the_grid_freezes_once_the_first_review_is_in(rf, review_admin):
    from django.contrib.admin import site

    from applications.models import CallForApplications
    from applications.review.admin import ReviewCriterionInline

    call = preselection_call()
    application = submitted(call, call.challenges().first())
    request = rf.get("/")
    request.user = staff_member(is_superuser=True)
    inline = ReviewCriterionInline(CallForApplications, site)
    assert inline.has_change_permission(request, call)
    reviewer = assigned(application, staff_member())
    review.submit_review(
        application=application, reviewer=reviewer, scores=all_scores(call, 3), comment=""
    )
    assert not inline.has_change_permission(request, call)
    assert not inline.has_add_permission(request, call)
    assert not inline.has_delete_permission(request, call)


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:applications_review_changelist",
        "admin:applications_reviewassignment_changelist",
        "admin:applications_reviewconflict_changelist",
    ],
)
def test_review_changelists_run_the_same_queries_for_few_and_many_rows(
    client_as, review_admin, changelist
):
    client = client_as("staff")
    call = preselection_call()
    challenge = call.challenges().first()
    reviewers = [staff_member(), mentor_of(challenge)]
    url = reverse(changelist)
    counts = []
    for total in (5, 60):
        bulk_applications(
            call,
            challenge,
            total - Application.objects.count(),
            reviewers=reviewers,
            me=reviewers[0],
        )
        ReviewConflict.objects.bulk_create(
            ReviewConflict(application=a, reviewer=reviewers[1], reason="lien")
            for a in Application.objects.filter(conflicts__isnull=True)
        )
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_staff_assign_in_the_admin_with_the_same_checks(client_as, review_admin):
    client = client_as("staff")
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge)
    outsider, mentor = UserFactory(), mentor_of(challenge)
    url = reverse("admin:applications_reviewassignment_add")
    refused = client.post(url, {"application": application.pk, "reviewer": outsider.pk})
    assert refused.status_code == 200 and not ReviewAssignment.objects.exists()
    accepted = client.post(url, {"application": application.pk, "reviewer": mentor.pk})
    assert accepted.status_code == 302
    assert ReviewAssignment.objects.get().reviewer == mentor


# --- Who may open what --------------------------------------------------------------------


def test_the_rankings_forms_carry_a_token_the_csrf_check_accepts():
    from django.test import Client

    call = preselection_call()
    challenge, _other = call.challenges().order_by("pk")
    application = submitted(call, challenge)
    choice = application.choices.get()
    browser = logged_in(Client(enforce_csrf_checks=True), staff_member())
    page = browser.get(reverse("applications:review_ranking", args=[challenge.pk])).text
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    url = reverse("applications:review_decide", args=[choice.pk, "shortlist"])
    assert browser.post(url).status_code == 403
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    choice.refresh_from_db()
    assert choice.status == "shortlisted"


def test_a_conflict_binds_staff_who_are_superusers_too(client):
    """Programme staff accounts are superusers (createsuperuser): Django would grant them
    every permission, a declared conflict of interest included; the rules alone decide."""
    call = preselection_call()
    challenge = call.challenges().first()
    application = submitted(call, challenge, cv=True)
    staff = staff_member(is_superuser=True)
    review.declare_conflict(application=application, reviewer=staff, reason="Ma cousine")
    client = logged_in(client, staff)

    for url_name in ("applications:review_application", "applications:review_cv"):
        assert client.get(reverse(url_name, args=[application.pk])).status_code == 404
    choice = application.choices.get()
    decide = client.post(reverse("applications:review_decide", args=[choice.pk, "shortlist"]))
    assert decide.status_code == 404
    choice.refresh_from_db()
    assert choice.status == "pending"
