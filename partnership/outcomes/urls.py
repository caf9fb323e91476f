from django.urls import path

from partnership.outcomes import views_import, views_pupils

app_name = "outcomes"

urlpatterns = [
    path("schools/<slug:slug>/import/", views_import.import_upload, name="import_upload"),
    path("schools/<slug:slug>/import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/template.csv", views_import.import_template, name="import_template"),
    path("schools/<slug:slug>/pupils/", views_pupils.pupil_list, name="pupil_list"),
    path("schools/<slug:slug>/pupils/<int:pk>/", views_pupils.pupil_detail, name="pupil_detail"),
]
