from django.urls import path

from partnership.outcomes import views_import, views_nationals, views_outcomes, views_pupils

app_name = "outcomes"

urlpatterns = [
    path("", views_outcomes.outcomes_index, name="index"),
    path("schools/<slug:slug>/import/", views_import.import_upload, name="import_upload"),
    path("schools/<slug:slug>/import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/template.csv", views_import.import_template, name="import_template"),
    path("schools/<slug:slug>/", views_outcomes.school_outcomes, name="school_outcomes"),
    path("schools/<slug:slug>/outcomes.xlsx", views_outcomes.school_outcomes_export, name="school_export"),
    path("partnerships/<slug:slug>/", views_outcomes.partnership_dashboard, name="partnership_dashboard"),
    path("partnerships/<slug:slug>/rab.xlsx", views_outcomes.partnership_export, name="partnership_export"),
    path("partnerships/<slug:slug>/rab-pack.pdf", views_outcomes.rab_pack, name="rab_pack"),
    path("partnerships/<slug:slug>/flag-action/", views_outcomes.flag_action, name="flag_action"),
    path("national-figures/", views_nationals.national_figures, name="national_figures"),
    path("schools/<slug:slug>/pupils/", views_pupils.pupil_list, name="pupil_list"),
    path("schools/<slug:slug>/pupils/<int:pk>/", views_pupils.pupil_detail, name="pupil_detail"),
]
