from typing import Any

from django.http import HttpRequest


def username_from_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email a sign-in attempt was for, whichever form sent it (allauth posts `login`)."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("email") or request.POST.get("username")
    return str(value or "").strip().lower()
