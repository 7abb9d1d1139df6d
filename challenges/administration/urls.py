"""The call for projects, as administration contacts use it (under /appel-a-projets/)."""

from django.urls import path

from challenges.administration import views

urlpatterns = [
    path("", views.CallForProjectsView.as_view(), name="call_for_projects"),
    path(
        "mon-administration/",
        views.MyAdministrationView.as_view(),
        name="my_administration",
    ),
    path(
        "mon-administration/demandes/<int:pk>/accepter/",
        views.AcceptContactView.as_view(),
        name="accept_contact",
    ),
    path(
        "mon-administration/demandes/<int:pk>/refuser/",
        views.RefuseContactView.as_view(),
        name="refuse_contact",
    ),
    path("mes-defis/", views.MyChallengesView.as_view(), name="my_challenges"),
    path("mes-defis/<int:pk>/", views.ChallengeEditView.as_view(), name="challenge_edit"),
    path(
        "mes-defis/<int:pk>/deposer/",
        views.ChallengeSubmitView.as_view(),
        name="challenge_submit",
    ),
    path(
        "mes-defis/<int:pk>/retirer/",
        views.ChallengeWithdrawView.as_view(),
        name="challenge_withdraw",
    ),
    path(
        "mes-defis/<int:pk>/inviter/",
        views.ChallengeInviteView.as_view(),
        name="challenge_invite",
    ),
    path(
        "mes-defis/<int:pk>/presentation.pdf",
        views.PitchDeckDownloadView.as_view(),
        name="pitch_deck_download",
    ),
    path(
        "mes-defis/<int:pk>/presentation/supprimer/",
        views.PitchDeckRemoveView.as_view(),
        name="pitch_deck_remove",
    ),
    path(
        "mes-defis/<int:pk>/invitations/<int:invitation>/retirer/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
