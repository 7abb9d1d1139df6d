"""The jury members' space, under /jury/."""

from django.urls import path

from challenges.jury import views as views_jury

urlpatterns = [
    path("", views_jury.JuryHomeView.as_view(), name="jury_home"),
    path("sessions.ics", views_jury.SessionsCalendarView.as_view(), name="jury_sessions_ics"),
    path("defis/<int:pk>/", views_jury.KitView.as_view(), name="jury_kit"),
    path("defis/<int:pk>/conflit/", views_jury.ConflictView.as_view(), name="jury_conflict"),
    path("defis/<int:pk>/grille/", views_jury.PanelGridView.as_view(), name="panel_grid"),
]
