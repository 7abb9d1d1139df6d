"""The candidate's screens, under /candidater/. No id anywhere: a candidate only reaches their own."""

from django.urls import path

from applications.candidate import views

urlpatterns = [
    path("", views.ApplyHomeView.as_view(), name="apply_home"),
    path("eligibilite/", views.EligibilityView.as_view(), name="apply_eligibility"),
    path("ma-candidature/", views.ApplicationEditView.as_view(), name="application_edit"),
    path(
        "ma-candidature/envoyer/",
        views.ApplicationSubmitView.as_view(),
        name="application_submit",
    ),
    path(
        "ma-candidature/retirer/",
        views.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("ma-candidature/cv.pdf", views.CvDownloadView.as_view(), name="cv_download"),
    path("tableau-de-bord/", views.CandidateDashboardView.as_view(), name="candidate_dashboard"),
    path(
        "tableau-de-bord/entretien-<int:rank>.ics",
        views.InterviewCalendarView.as_view(),
        name="candidate_interview_ics",
    ),
    path("mes-donnees.json", views.DataExportView.as_view(), name="candidate_data_export"),
    path("mes-donnees/effacement/", views.ErasureView.as_view(), name="candidate_erasure"),
]
