from django.urls import path

from partnership.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_index, name="index"),
    path("networks/<int:network_pk>/new/", views.meeting_create, name="create"),
    path("networks/<int:network_pk>/calendar-feed/", views.network_feed_create, name="network_feed_create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/approve-minutes/", views.meeting_approve, name="approve_minutes"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("<int:pk>/items/<int:item_pk>/papers/new/", views.paper_upload, name="paper_upload"),
    path("<int:pk>/items/<int:item_pk>/actions/new/", views.item_action_create, name="item_action_create"),
    path("<int:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("<int:pk>/attendance/<int:attendance_pk>/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/apologies/", views.apologies, name="apologies"),
    path("papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("papers/<int:pk>/delete/", views.paper_delete, name="paper_delete"),
    path("calendar-feeds/", views.feed_list, name="feed_list"),
    path("calendar-feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
]
