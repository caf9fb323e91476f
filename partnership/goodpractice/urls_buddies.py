"""Buddy pair pages, included by the app's `urls.py` under `buddies/`."""

from django.urls import path

from partnership.goodpractice import views_buddies as v

urlpatterns = [
    path("pair/<int:pk>/", v.buddy_pair, name="buddy_pair"),
    path("pair/<int:pk>/end/", v.buddy_end, name="buddy_end"),
    path("pair/<int:pk>/renew/", v.buddy_renew, name="buddy_renew"),
    path("<slug:slug>/", v.buddy_list, name="buddy_list"),
    path("<slug:slug>/new/", v.buddy_create, name="buddy_create"),
]
