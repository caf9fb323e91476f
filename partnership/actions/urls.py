from django.urls import path

from partnership.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list_mine, name="mine"),
    path("school/", views.action_list_school, name="school"),
    path("partnership/", views.action_list_partnership, name="partnership"),
    path("download/<slug:which>.<slug:fmt>", views.action_export, name="export"),
    path("new/school/<slug:slug>/", views.action_create_for_school, name="create_school"),
    path("new/partnership/<slug:slug>/", views.action_create_for_partnership, name="create_partnership"),
    path("<int:pk>/", views.action_detail, name="detail"),
]
