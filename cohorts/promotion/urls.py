"""The promotion's screens, under /promotion/ (included by `cohorts.urls`)."""

from django.urls import path

from cohorts.promotion import views

urlpatterns = [
    path("equipe/<int:team_pk>/", views.TeamPageView.as_view(), name="team_page"),
    path(
        "equipe/<int:team_pk>/livrables/",
        views.DeliverablesView.as_view(),
        name="team_deliverables",
    ),
    path("accueil/<int:step_pk>/", views.OnboardingTickView.as_view(), name="onboarding_tick"),
    path("agenda/", views.MyCalendarView.as_view(), name="my_calendar"),
    path("agenda/nouvelle-adresse/", views.CalendarResetView.as_view(), name="calendar_reset"),
    path("agenda/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path(
        "invitations/<int:invitation_pk>/<slug:answer>/",
        views.EventAnswerView.as_view(),
        name="event_answer",
    ),
    path("evenements/<int:event_pk>/", views.EventRecordView.as_view(), name="event_record"),
    path(
        "evenements/<int:event_pk>/presences/",
        views.EventAttendanceView.as_view(),
        name="event_attendance",
    ),
]
