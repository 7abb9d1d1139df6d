"""Interviews, the teams' screens and offers, under /entretiens/ (the call's decisions hub
is `applications.decisions.urls`, under the same prefix)."""

from django.urls import path

from applications.interviews import views

urlpatterns = [
    # The candidate
    path("mon-entretien/", views.MyInterviewView.as_view(), name="my_interview"),
    path(
        "mon-entretien/<int:choice_pk>/reserver/", views.BookView.as_view(), name="interview_book"
    ),
    path(
        "mon-entretien/<int:choice_pk>/deplacer/", views.MoveView.as_view(), name="interview_move"
    ),
    path("offre/<int:offer_pk>/", views.OfferAnswerView.as_view(), name="offer_answer"),
    # The jury
    path("jury/", views.JuryHomeView.as_view(), name="interview_jury_home"),
    path("jury/<int:slot_pk>/", views.ScoringView.as_view(), name="interview_scoring"),
    path("jury/<int:slot_pk>/cv.pdf", views.CvView.as_view(), name="interview_cv"),
    # Staff
    path("equipes/<int:challenge_pk>/", views.TeamDecisionsView.as_view(), name="team_decisions"),
    path(
        "equipes/<int:challenge_pk>/inviter/",
        views.InviteView.as_view(),
        name="interview_invite",
    ),
    path(
        "choix/<int:choice_pk>/promouvoir/",
        views.PromoteView.as_view(),
        name="promote_waitlisted",
    ),
    path(
        "choix/<int:choice_pk>/<slug:decision>/",
        views.ChoiceDecideView.as_view(),
        name="choice_decide",
    ),
    path(
        "doubles/<int:application_pk>/resoudre/",
        views.ResolveDoubleView.as_view(),
        name="resolve_double",
    ),
]
