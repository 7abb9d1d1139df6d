from django.urls import include, path

urlpatterns = [
    path("candidater/", include("applications.urls_candidate")),
    path("preselection/", include("applications.urls_review")),
    path("entretiens/", include("applications.urls_interviews")),
]
