from django.urls import path

from partnership.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("schools/<slug:slug>/new/", views.school_plan_create, name="school_plan_create"),
    path("partnerships/<slug:slug>/new/", views.partnership_plan_create, name="partnership_plan_create"),
    path("partnerships/<slug:slug>/shared-priorities/", views.shared_priorities, name="shared_priorities"),
    path(
        "partnerships/<slug:slug>/shared-priorities/working-party/",
        views.working_party_create,
        name="working_party_create",
    ),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/sharing/", views.plan_sharing, name="sharing"),
    path("<int:pk>/roll-forward/", views.plan_roll_forward, name="roll_forward"),
    path("<int:pk>/review/", views.plan_review, name="review"),
    path("<int:pk>/export.pdf", views.plan_export_pdf, name="export_pdf"),
    path("<int:pk>/export.xlsx", views.plan_export_xlsx, name="export_xlsx"),
    path("<int:pk>/priorities/new/", views.priority_create, name="priority_create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/progress/", views.priority_progress, name="priority_progress"),
    path("priorities/<int:pk>/objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/progress/", views.objective_progress, name="objective_progress"),
    path("objectives/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("objectives/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/achieved/", views.milestone_achieved, name="milestone_achieved"),
]
