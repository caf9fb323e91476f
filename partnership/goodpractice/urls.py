"""The good practice app's addresses: the register and its entries here, needs and support in
`urls_support.py`, buddy pairs in `urls_buddies.py`."""

from django.urls import include, path

from partnership.goodpractice import urls_buddies, urls_support, views

app_name = "goodpractice"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/register.pdf", views.register_pdf, name="register_pdf"),
    path("<slug:slug>/register/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/evidence/", views.entry_evidence, name="entry_evidence"),
    path("entries/<int:pk>/resources/", views.resource_add, name="resource_add"),
    path("entries/<int:pk>/endorse/", views.entry_endorse, name="entry_endorse"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entries/<int:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("resources/<int:pk>/", views.resource_file, name="resource_file"),
    path("resources/<int:pk>/remove/", views.resource_remove, name="resource_remove"),
    *urls_support.urlpatterns,
    path("buddies/", include(urls_buddies.urlpatterns)),
]
