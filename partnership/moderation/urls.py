"""The moderation app's addresses: the front page here, each part's own list in `urls_*.py`."""

from django.urls import path

from partnership.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
]
