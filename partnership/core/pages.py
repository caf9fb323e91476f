"""Small helpers every app's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[Any], Any],
    success_message: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
    context: dict[str, Any] | None = None,
    template: str = "form_page.html",
    field_names: dict[str, str] | None = None,
) -> HttpResponse:
    """A page with one form. On a valid POST, `save(form)` calls the service and returns what it
    made or changed; the service's ApplicationError is shown on the form (`form_error`, with
    `field_names`), otherwise `success_message` is flashed and the browser sent to `redirect_to`
    (either may be a callable of what `save` returned). Otherwise `template` is rendered with
    `context` and the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form)
        except ApplicationError as exc:
            form_error(form, exc, field_names)
        else:
            messages.success(request, success_message(result) if callable(success_message) else success_message)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {**(context or {}), "form": form})


def run_action(request: HttpRequest, action: Callable[[], Any], success: str | Callable[[Any], str]) -> bool:
    """A button's POST: call the service (`action`), and flash its ApplicationError, or `success`
    (a callable of what the service returned). True when the service succeeded."""
    try:
        result = action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
