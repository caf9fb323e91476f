from django.urls import path

from partnership.home import views

urlpatterns = [path("", views.home, name="home")]
