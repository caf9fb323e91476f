"""Comparative-judgement session pages: set-up, judging, results and exports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
