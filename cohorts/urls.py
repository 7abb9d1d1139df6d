from django.urls import include, path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("promotions/", views.PromotionListView.as_view(), name="promotion_list"),
    path("promotions/<slug:code>/", views.PromotionDetailView.as_view(), name="promotion_detail"),
    path("defis/", views.ChallengeListView.as_view(), name="challenge_list"),
    path(
        "defis/<slug:promotion>/<slug:slug>/",
        views.ChallengeDetailView.as_view(),
        name="challenge_detail",
    ),
    path("", include("cohorts.alumni.urls")),
    path("promotion/", include("cohorts.promotion.urls")),
    path("manuel/", include("cohorts.handbook.urls")),
]
