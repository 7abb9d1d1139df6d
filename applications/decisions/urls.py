"""The call's decisions hub and its publication, under /entretiens/ (staff)."""

from django.urls import path

from applications.decisions import views

urlpatterns = [
    path(
        "appels/<int:call_pk>/decisions/",
        views.DecisionsHubView.as_view(),
        name="decisions_hub",
    ),
    path(
        "decisions/choix/<int:choice_pk>/proposer/",
        views.HubPromoteView.as_view(),
        name="hub_promote",
    ),
    path(
        "decisions/choix/<int:choice_pk>/<slug:decision>/",
        views.HubDecideView.as_view(),
        name="hub_decide",
    ),
    path(
        "appels/<int:call_pk>/publier/",
        views.PublishView.as_view(),
        name="publish_results",
    ),
]
