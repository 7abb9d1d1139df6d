"""The teams' space, mounted under /equipes/."""

from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.MyTeamsView.as_view(), name="my_teams"),
    path("tableau-de-bord/", views.DashboardView.as_view(), name="mentoring_dashboard"),
    path("promotion/<slug:code>/", views.PromotionUpdatesView.as_view(), name="promotion_updates"),
    path(
        "promotion/<slug:code>/partage/",
        views.UpdateSharingView.as_view(),
        name="promotion_update_sharing",
    ),
    path("<int:team_pk>/", views.TeamUpdatesView.as_view(), name="team_updates"),
    path("<int:team_pk>/notes/", views.MentorNotesView.as_view(), name="mentor_notes"),
    path(
        "bulletins/<int:update_pk>/commentaires/",
        views.UpdateCommentView.as_view(),
        name="update_comment",
    ),
    path(
        "bulletins/<int:update_pk>/historique/",
        views.UpdateHistoryView.as_view(),
        name="update_history",
    ),
    path(
        "bulletins/<int:update_pk>/aide-traitee/",
        views.HelpHandledView.as_view(),
        name="help_handled",
    ),
]
