"""Addresses of the framework and SEF pages (gathered into the app's urls.py)."""

from django.urls import URLPattern, path

from partnership.reviews import views_sef

urlpatterns: list[URLPattern] = [
    path("frameworks/", views_sef.framework_list, name="framework_list"),
    path("frameworks/<int:pk>/", views_sef.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views_sef.framework_edit, name="framework_edit"),
    path("partnerships/<slug:slug>/frameworks/new/", views_sef.framework_create, name="framework_create"),
    path("schools/<slug:slug>/sef/new/", views_sef.sef_start, name="sef_start"),
    path("sef/<int:pk>/", views_sef.sef_detail, name="sef_detail"),
    path("sef/<int:pk>/summary/", views_sef.sef_summary, name="sef_summary"),
    path("sef/<int:pk>/areas/<int:entry_pk>/", views_sef.sef_entry_edit, name="sef_entry_edit"),
    path("sef/<int:pk>/areas/<int:entry_pk>/evidence/", views_sef.sef_evidence_add, name="sef_evidence_add"),
    path("sef/<int:pk>/evidence/<int:evidence_pk>/remove/", views_sef.sef_evidence_remove, name="sef_evidence_remove"),
    path("sef/<int:pk>/sharing/", views_sef.sef_sharing, name="sef_sharing"),
    path("sef/<int:pk>/history/", views_sef.sef_history, name="sef_history"),
    path("sef/<int:pk>/copy/", views_sef.sef_copy, name="sef_copy"),
    path("sef/<int:pk>/print/", views_sef.sef_print, name="sef_print"),
    path("sef/<int:pk>/pdf/", views_sef.sef_pdf, name="sef_pdf"),
]
