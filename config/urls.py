from django.contrib import admin
from django.urls import include, path

from partnership.core import views as core_views
from partnership.meetings import views as meetings_views

urlpatterns = [
    path("", include("partnership.home.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("partnership.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("partnership.accounts.urls")),
    path("", include("partnership.directory.urls")),
    path("meetings/", include("partnership.meetings.urls")),
    path("plans/", include("partnership.plans.urls")),
    path("outcomes/", include("partnership.outcomes.urls")),
    path("reviews/", include("partnership.reviews.urls")),
    path("moderation/", include("partnership.moderation.urls")),
    path("good-practice/", include("partnership.goodpractice.urls")),
    path("calendar/<str:token>.ics", meetings_views.calendar_feed, name="calendar_feed"),
    path("actions/", include("partnership.actions.urls")),
    path("api/", include("partnership.api.urls")),
    path("admin/", admin.site.urls),
]
