from django.urls import include, path

app_name = "challenges"

urlpatterns = [
    path("appel-a-projets/", include("challenges.administration.urls")),
    path("jury/", include("challenges.jury.urls")),
]
