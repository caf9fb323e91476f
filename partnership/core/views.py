from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from partnership.core.access import principal_for
from partnership.core.actions.selectors import open_actions_for_home
from partnership.directory import selectors
from partnership.directory.models import RoleAssignment, School
from partnership.meetings.selectors import next_meetings_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting page: their school, partnerships, networks, next meetings and open actions."""
    principal = principal_for(request.user)
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    return render(
        request,
        "core/home.html",
        {
            "school": school,
            "my_roles": RoleAssignment.objects.current().filter(person=request.user).select_related("partnership"),
            "partnerships": selectors.partnerships_for(request.user),
            "networks": selectors.my_networks(request.user),
            "coordinates": principal.coordinates,
            "next_meetings": next_meetings_for(request.user, limit=5),
            "open_actions": open_actions_for_home(request.user),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - the health check reports any database failure
        database = f"error: {exc.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "vendor": connection.vendor}, status=status
    )
