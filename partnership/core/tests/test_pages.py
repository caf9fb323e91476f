"""The form-page helper: show the form, save through the service, show its error or go on."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from partnership.core.errors import ApplicationError
from partnership.core.pages import form_page


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)
    starts_at = forms.CharField(required=False)


def _request(method: str = "get", data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _page(request, save, **kwargs):  # type: ignore[no-untyped-def]
    return form_page(
        request,
        NameForm(request.POST or None),
        save=save,
        success_message=kwargs.pop("success_message", lambda name: f"{name} saved."),
        redirect_to=kwargs.pop("redirect_to", lambda name: f"/done/{name}/"),
        context={"title": "Name it", "submit": "Save"},
        **kwargs,
    )


def test_a_get_shows_the_empty_form_and_saves_nothing():
    saved: list[str] = []
    response = _page(_request(), lambda form: saved.append("called"))
    assert response.status_code == 200
    assert b"Name it" in response.content and b'name="name"' in response.content
    assert saved == []


def test_a_valid_post_saves_then_says_so_and_redirects_using_what_was_saved():
    request = _request("post", {"name": "Reading"})
    response = _page(request, lambda form: form.cleaned_data["name"].upper())
    assert response.status_code == 302 and response["Location"] == "/done/READING/"
    assert [str(m) for m in get_messages(request)] == ["READING saved."]


def test_plain_message_and_address_are_used_as_they_are():
    request = _request("post", {"name": "Reading"})
    response = _page(request, lambda form: None, success_message="Saved.", redirect_to="/plans/1/#priority-2")
    assert response["Location"] == "/plans/1/#priority-2"
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_an_invalid_post_shows_the_form_errors_and_saves_nothing():
    saved: list[str] = []
    request = _request("post", {"name": ""})
    response = _page(request, lambda form: saved.append("called"))
    assert response.status_code == 200 and saved == []
    assert list(get_messages(request)) == []


def test_the_services_error_is_shown_next_to_its_field_and_nothing_is_flashed():
    def refuse(form: NameForm) -> None:
        raise ApplicationError("That name is taken.", field="name")

    request = _request("post", {"name": "Reading"})
    response = _page(request, refuse)
    assert response.status_code == 200
    assert "That name is taken." in response.content.decode()
    assert list(get_messages(request)) == []


def test_field_names_map_the_services_field_to_the_forms():
    captured: dict[str, NameForm] = {}

    def refuse(form: NameForm) -> None:
        captured["form"] = form
        raise ApplicationError("The meeting must end after it starts.", field="starts")

    request = _request("post", {"name": "Reading"})
    _page(request, refuse, field_names={"starts": "starts_at"})
    assert captured["form"].errors == {"starts_at": ["The meeting must end after it starts."]}


def test_a_services_error_without_a_field_goes_at_the_top_of_the_form():
    captured: dict[str, NameForm] = {}

    def refuse(form: NameForm) -> None:
        captured["form"] = form
        raise ApplicationError("This network has closed.")

    _page(_request("post", {"name": "Reading"}), refuse)
    assert captured["form"].non_field_errors() == ["This network has closed."]
