"""Public pages every footer links to: the privacy notice and the accessibility statement."""

from django.urls import path

from partnership.core import views

urlpatterns = [
    path("privacy", views.privacy_notice, name="privacy"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
]
