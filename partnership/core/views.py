from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from partnership.core.pages import crumbs


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


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice: public, because people must be able to read it before they sign in."""
    return render(
        request,
        "core/privacy.html",
        {
            "crumbs": crumbs(("Privacy notice", "")),
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "token_days": settings.API_TOKEN_LIFETIME_DAYS,
        },
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement required of public-sector websites: public, like the notice."""
    return render(request, "core/accessibility.html", {"crumbs": crumbs(("Accessibility statement", ""))})
