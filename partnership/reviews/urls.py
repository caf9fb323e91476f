"""The reviews app's addresses: the front page here, each part's own list in `urls_*.py`."""

from django.urls import path

from partnership.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
]
