from django.urls import include, path

app_name = "applications"

urlpatterns = [
    path("candidater/", include("applications.candidate.urls")),
    path("preselection/", include("applications.review.urls")),
    path("entretiens/", include("applications.interviews.urls")),
    path("entretiens/", include("applications.decisions.urls")),
]
