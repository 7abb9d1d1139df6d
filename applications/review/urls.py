"""Pre-selection, under /preselection/: reviewers' challenges, files, the ranking."""

from django.urls import path

from applications.review import views

urlpatterns = [
    path("", views.ReviewHomeView.as_view(), name="review_home"),
    path("defis/<int:challenge_pk>/", views.ReviewChallengeView.as_view(), name="review_challenge"),
    path("defis/<int:challenge_pk>/attribuer/", views.AssignView.as_view(), name="review_assign"),
    path(
        "defis/<int:challenge_pk>/classement/", views.RankingView.as_view(), name="review_ranking"
    ),
    path(
        "candidatures/<int:application_pk>/",
        views.ApplicationReviewView.as_view(),
        name="review_application",
    ),
    path("candidatures/<int:application_pk>/cv.pdf", views.CvView.as_view(), name="review_cv"),
    path(
        "candidatures/<int:application_pk>/conflit/",
        views.ConflictView.as_view(),
        name="review_conflict",
    ),
    path(
        "choix/<int:choice_pk>/annuler-le-refus/",
        views.UndoRejectionView.as_view(),
        name="review_undo_rejection",
    ),
    path(
        "choix/<int:choice_pk>/<slug:decision>/", views.DecideView.as_view(), name="review_decide"
    ),
]
