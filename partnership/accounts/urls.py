from django.urls import path

from partnership.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("account/", views.profile_view, name="profile"),
]
