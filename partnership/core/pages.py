"""Small helpers every app's views share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from partnership.core import access
from partnership.core.errors import ApplicationError


def form_error(form: Any, exc: ApplicationError, field_names: dict[str, str] | None = None) -> None:
    """Show a domain error on the form: next to its field when the form has it, else at the top.
    `field_names` maps a service's field name to the form's, where they differ."""
    name = (field_names or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


def crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    """Breadcrumbs starting from Home; each pair is (label, url), the last is the current page."""
    return [("Home", reverse("home")), *pairs]


def get_or_deny(request: HttpRequest, model: type, action: str = "view", **lookup: Any) -> Any:
    """The object, or 404 if it does not exist, or 403 (audited) if the policy refuses `action`."""
    obj: Any = get_object_or_404(model, **lookup)
    access.require(request, action, obj)
    return obj
