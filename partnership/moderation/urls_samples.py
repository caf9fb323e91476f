"""Moderation session, sample, agreement, exemplar bank and attendance pages."""

from django.urls import path

from partnership.moderation import views_samples as v

urlpatterns = [
    path("partnerships/<slug:slug>/sessions/new/", v.session_create, name="session_create"),
    path("sessions/<int:pk>/", v.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", v.session_edit, name="session_edit"),
    path("sessions/<int:pk>/stage/", v.session_status, name="session_status"),
    path("sessions/<int:pk>/moderators/", v.moderator_add, name="moderator_add"),
    path("moderators/<int:pk>/remove/", v.moderator_remove, name="moderator_remove"),
    path("sessions/<int:pk>/attendance/", v.attendance, name="attendance"),
    path("attendance/<int:pk>/remove/", v.attendance_remove, name="attendance_remove"),
    path("sessions/<int:pk>/samples/new/", v.sample_submit, name="sample_submit"),
    path("samples/<int:pk>/", v.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/edit/", v.sample_edit, name="sample_edit"),
    path("samples/<int:pk>/pages/", v.sample_pages_add, name="sample_pages_add"),
    path("samples/pages/<int:pk>/remove/", v.sample_page_remove, name="sample_page_remove"),
    path("samples/<int:pk>/withdraw/", v.sample_withdraw, name="sample_withdraw"),
    path("samples/<int:pk>/judgement/", v.sample_judge, name="sample_judge"),
    path("samples/<int:pk>/exemplar/", v.exemplar_offer, name="exemplar_offer"),
    path("exemplars/<int:pk>/withdraw/", v.exemplar_withdraw, name="exemplar_withdraw"),
    path("partnerships/<slug:slug>/exemplars/", v.exemplar_bank, name="exemplar_bank"),
    path("partnerships/<slug:slug>/agreement/", v.agreement_partnership, name="agreement_partnership"),
    path("schools/<slug:slug>/agreement/", v.agreement_school, name="agreement_school"),
    path("samples/files/<int:pk>/", v.sample_file, name="sample_file"),
]
