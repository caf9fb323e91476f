"""Addresses of the cycles pages (gathered into the app's urls.py)."""

from django.urls import URLPattern, path

from partnership.reviews import views_cycles as v

urlpatterns: list[URLPattern] = [
    path("cycles/open/<slug:slug>/", v.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", v.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/propose/", v.cycle_propose, name="cycle_propose"),
    path("cycles/<int:pk>/accept/", v.cycle_accept, name="cycle_accept"),
    path("cycles/<int:pk>/close/", v.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/reopen/", v.cycle_reopen, name="cycle_reopen"),
    path("conflicts/", v.conflict_list, name="conflict_list"),
    path("conflicts/<int:pk>/withdraw/", v.conflict_withdraw, name="conflict_withdraw"),
    path("review/<int:pk>/", v.review_detail, name="review_detail"),
    path("review/<int:pk>/team/", v.review_team, name="review_team"),
    path("review/<int:pk>/dates/", v.visit_schedule, name="visit_schedule"),
    path("review/<int:pk>/enquiry/", v.visit_enquiry, name="visit_enquiry"),
    path("review/<int:pk>/pre-review/", v.visit_prereview, name="visit_prereview"),
    path("review/<int:pk>/focus/", v.visit_focus_add, name="visit_focus_add"),
    path("review/<int:pk>/focus/<int:focus_pk>/remove/", v.visit_focus_remove, name="visit_focus_remove"),
    path("review/<int:pk>/schedule/", v.visit_activity_add, name="visit_activity_add"),
    path("review/<int:pk>/schedule/<int:activity_pk>/remove/", v.visit_activity_remove, name="visit_activity_remove"),
    path("review/<int:pk>/notes/", v.note_page, name="note_page"),
    path("review/<int:pk>/notes/save/", v.note_autosave, name="note_autosave"),
]
