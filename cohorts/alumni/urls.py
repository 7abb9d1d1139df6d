"""After the promotion: the impact (public and staff), the alumni, the follow-up survey.

Included by `cohorts.urls` at the root.
"""

from django.urls import path

from cohorts.alumni import views

urlpatterns = [
    path("impact/", views.ImpactView.as_view(), name="impact"),
    path("impact/donnees.csv", views.impact_csv, name="impact_csv"),
    path("impact/donnees.json", views.impact_json, name="impact_json"),
    path("impact/donnees/", views.OpenDataView.as_view(), name="open_data"),
    path("impact/donnees/<slug:name>.csv", views.open_catalogue_csv, name="open_catalogue_csv"),
    path("impact/donnees/<slug:name>.json", views.open_catalogue_json, name="open_catalogue_json"),
    path("impact/livrables.csv", views.deliverables_csv, name="deliverables_csv"),
    path(
        "impact/promotions/<slug:code>/",
        views.ImpactPromotionView.as_view(),
        name="impact_promotion",
    ),
    path(
        "impact/tableau-de-bord/",
        views.ImpactDashboardView.as_view(),
        name="impact_dashboard",
    ),
    path("alumni/", views.AlumniDirectoryView.as_view(), name="alumni_directory"),
    path("alumni/mon-profil/", views.AlumniProfileEditView.as_view(), name="alumni_profile_edit"),
    path(
        "alumni/questionnaire/<slug:token>/",
        views.FollowUpSurveyView.as_view(),
        name="followup_survey",
    ),
    path(
        "suivi/questionnaire/<slug:token>/",
        views.PartnerSurveyView.as_view(),
        name="partner_survey",
    ),
]
