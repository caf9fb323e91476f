"""The reviews app's addresses: the front page here, each part's own list in `urls_*.py`."""

from django.urls import path

from partnership.reviews import urls_cycles, urls_reports, urls_sef, views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    *urls_sef.urlpatterns,
    *urls_cycles.urlpatterns,
    *urls_reports.urlpatterns,
]
