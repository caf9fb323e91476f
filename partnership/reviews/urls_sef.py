"""Addresses of the sef pages (gathered into the app's urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
