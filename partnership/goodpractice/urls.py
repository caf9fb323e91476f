"""The good practice app's addresses: each part's own list in `urls_*.py`."""

from django.urls import include, path

from partnership.goodpractice import urls_buddies

app_name = "goodpractice"

urlpatterns = [
    path("buddies/", include(urls_buddies.urlpatterns)),
]
