"""The handbook, at /manuel/ (included by `cohorts.urls`)."""

from django.urls import path

from cohorts.handbook import views

urlpatterns = [
    path("", views.HandbookIndexView.as_view(), name="handbook"),
    path("<slug:slug>/", views.HandbookPageView.as_view(), name="handbook_page"),
]
