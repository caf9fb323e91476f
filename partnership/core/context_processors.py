from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from partnership.core.registry import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"site_name": settings.SITE_NAME, "nav_items": []}
    section = request.path.strip("/").split("/")[0]
    items = [
        {"label": item.label, "href": reverse(item.url_name), "current": item.section == section} for item in NAVIGATION
    ]
    return {"site_name": settings.SITE_NAME, "nav_items": items}
