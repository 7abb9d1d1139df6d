"""The project's URLs: each stage brings its own."""

from django.contrib import admin
from django.urls import include, path

from eig import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("questions-frequentes/", views.FaqView.as_view(), name="faq"),
    path(
        "questions-frequentes/archives/<int:year>/",
        views.FaqArchiveView.as_view(),
        name="faq_archive",
    ),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
    path("plan-du-site/", views.SiteMapView.as_view(), name="site_map"),
    path("mentions-legales/", views.LegalNoticeView.as_view(), name="legal_notice"),
    path("donnees-personnelles/", views.PersonalDataView.as_view(), name="personal_data"),
    path("gestion-des-cookies/", views.CookiesView.as_view(), name="cookies"),
    path("mon-espace/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "mon-espace/preferences/",
        views.NotificationPreferencesView.as_view(),
        name="notification_preferences",
    ),
    path("mon-espace/mon-nom/", views.NameView.as_view(), name="account_name"),
    path("", include("challenges.urls")),
    path("", include("applications.urls")),
    path("equipes/", include("mentoring.urls")),
    path("", include("cohorts.urls")),
]

handler500 = "eig.views.server_error"
