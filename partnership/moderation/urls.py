"""The moderation app's addresses: the front page here, each part's own list in `urls_*.py`."""

from django.urls import path

from partnership.moderation import urls_cj, urls_samples, views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
    *urls_samples.urlpatterns,
    *urls_cj.urlpatterns,
]
