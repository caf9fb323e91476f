"""Post the Django admin's own forms in tests: the data a browser would send for a form as shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.test import Client

from partnership.accounts.models import User
from partnership.directory.tests.factories import UserFactory


def admin_user(**kwargs: Any) -> User:
    """A platform administrator who can use the Django admin (as `createsuperuser` makes them)."""
    kwargs.setdefault("email", "superadmin@platform.test")
    return UserFactory(is_platform_admin=True, is_staff=True, is_superuser=True, **kwargs)


def _add_value(data: dict[str, Any], name: str, widget: forms.Widget, value: Any) -> None:
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        for suffix, part in zip(widget.widgets_names, parts, strict=True):
            data[name + suffix] = "" if part is None else str(part)
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    else:
        data[name] = "" if value is None else str(value)


def _add_form(data: dict[str, Any], form: forms.BaseForm) -> None:
    for bound in form:
        _add_value(data, bound.html_name, bound.field.widget, bound.value())
        if bound.field.show_hidden_initial:  # fields with a callable default send their initial value too
            _add_value(data, bound.html_initial_name, bound.field.hidden_widget(), bound.initial)


def form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """GET an admin add or change page and return its form (and inline forms) as POST data, with
    `changes` applied on top."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data: dict[str, Any] = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
