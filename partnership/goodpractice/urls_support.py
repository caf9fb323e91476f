"""Addresses for needs, finding support, support requests, ledgers and the partnership's matrix."""

from django.urls import path

from partnership.goodpractice import views_support as views

urlpatterns = [
    path("schools/<slug:slug>/needs/", views.school_needs, name="school_needs"),
    path("schools/<slug:slug>/needs/new/", views.need_create, name="need_create"),
    path("schools/<slug:slug>/find-support/", views.find_support, name="find_support"),
    path("schools/<slug:slug>/ask/<int:entry_pk>/", views.request_create, name="request_create"),
    path("schools/<slug:slug>/ledger/", views.school_ledger, name="school_ledger"),
    path("schools/<slug:slug>/ledger.xlsx", views.school_ledger_xlsx, name="school_ledger_xlsx"),
    path("needs/<int:pk>/met/", views.need_resolve, name="need_resolve"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/plan/", views.request_plan, name="request_plan"),
    path("requests/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("requests/<int:pk>/impact/", views.impact_create, name="impact_create"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("requests/<int:pk>/actions/new/", views.request_action, name="request_action"),
    path("<slug:slug>/support/", views.support_matrix, name="support_matrix"),
    path("<slug:slug>/ledger.xlsx", views.partnership_ledger_xlsx, name="partnership_ledger_xlsx"),
]
