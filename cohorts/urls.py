from django.urls import path

from cohorts import views

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
]
