from django.urls import include, path

urlpatterns = [
    path("appel-a-projets/", include("challenges.urls_administration")),
    path("jury/", include("challenges.urls_jury")),
]
