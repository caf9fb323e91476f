from django.urls import path

from partnership.directory import views, views_sharing

app_name = "directory"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<slug:slug>/schools/add/", views.partnership_add_school, name="partnership_add_school"),
    path("partnerships/<slug:slug>/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("partnerships/<slug:slug>/invite/", views.partnership_invite, name="partnership_invite"),
    path("partnerships/<slug:slug>/working-parties/new/", views.working_party_create, name="working_party_create"),
    path("partnerships/<slug:slug>/memorandum/", views.memorandum_detail, name="memorandum"),
    path("partnerships/<slug:slug>/memorandum/new/", views.memorandum_publish, name="memorandum_publish"),
    path("partnerships/<slug:slug>/memorandum/agree/", views.memorandum_agree, name="memorandum_agree"),
    path("partnerships/<slug:slug>/decisions/", views.decision_list, name="decision_list"),
    path("partnerships/<slug:slug>/decisions/new/", views.decision_create, name="decision_create"),
    path("partnerships/<slug:slug>/audit/", views.partnership_audit, name="partnership_audit"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<slug:slug>/", views.school_detail, name="school_detail"),
    path("schools/<slug:slug>/edit/", views.school_edit, name="school_edit"),
    path("schools/<slug:slug>/audit/", views.school_audit, name="school_audit"),
    path("schools/<slug:slug>/data-sharing/", views_sharing.school_sharing, name="school_sharing"),
    path("schools/<slug:slug>/data-sharing.pdf", views_sharing.school_sharing_pdf, name="school_sharing_pdf"),
    path("schools/<slug:slug>/invite/", views.school_invite, name="school_invite"),
    path("schools/<slug:slug>/roles/pending/", views.role_pending, name="role_pending"),
    path("schools/<slug:slug>/roles/<int:pk>/approve/", views.role_approve, name="role_approve"),
    path("schools/<slug:slug>/roles/<int:pk>/refuse/", views.role_refuse, name="role_refuse"),
    path("people/", views.person_list, name="person_list"),
    path("people/export.csv", views.person_export, name="person_export"),
    path("people/roles/pending/", views.role_pending_all, name="role_pending_all"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/roles/<int:role_pk>/end/", views.role_end, name="role_end"),
    path("people/<int:pk>/roles/add/", views.role_add, name="role_add"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path(
        "networks/<int:pk>/members/<int:member_pk>/remove/", views.network_member_remove, name="network_member_remove"
    ),
]
