from django.urls import path

from partnership.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.profile_view, name="profile"),
    path("account/api-tokens/", views.api_tokens_view, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
