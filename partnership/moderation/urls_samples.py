"""Moderation session, sample, agreement, exemplar bank and attendance pages."""

from django.urls import path

from partnership.moderation import views_samples

urlpatterns = [
    path("samples/files/<int:pk>/", views_samples.sample_file, name="sample_file"),
]
