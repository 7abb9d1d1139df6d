"""Interviews, decisions and offers, under /entretiens/."""

from django.urls import path

from applications.decisions import views as views_decisions
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
    # Staff: the decisions hub of a call
    path(
        "appels/<int:call_pk>/decisions/",
        views_decisions.DecisionsHubView.as_view(),
        name="decisions_hub",
    ),
    path(
        "decisions/choix/<int:choice_pk>/proposer/",
        views_decisions.HubPromoteView.as_view(),
        name="hub_promote",
    ),
    path(
        "decisions/choix/<int:choice_pk>/<slug:decision>/",
        views_decisions.HubDecideView.as_view(),
        name="hub_decide",
    ),
    path(
        "appels/<int:call_pk>/publier/",
        views_decisions.PublishView.as_view(),
        name="publish_results",
    ),
]
