"""GOV.UK error messages: a required field left empty says what to do and names the field, on
every form of every app, and the error summary links to the field."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from django import forms

from partnership.core.forms import (
    DJANGO_REQUIRED,
    GovukErrorMessages,
    required_message,
    set_required_messages,
)

APPS = ["accounts", "directory", "actions", "plans", "meetings", "outcomes"]


def _form_classes() -> list[Any]:
    found = []
    for app in APPS:
        module = importlib.import_module(f"partnership.{app}.forms")
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(pytest.param(cls, id=f"{app}.{name}"))
    return found


def _empty_form(cls: Any) -> Any:
    """The form bound to an empty submission, whatever its constructor needs besides the data;
    None when it needs a request (allauth's authenticator forms)."""
    for extra in ({"files": {}}, {"files": {}, "user": None}, {"owners": []}):
        try:
            return cls(data={}, **extra)
        except (TypeError, KeyError):
            continue
        except AttributeError:
            return None
    return None


@pytest.mark.parametrize("cls", _form_classes())
def test_every_form_names_the_missing_field_in_govuk_words(cls):
    assert issubclass(cls, GovukErrorMessages), f"{cls.__name__} does not mix in GovukErrorMessages"
    form = _empty_form(cls)
    if form is None:  # check the wording it declares for each of its declared required fields
        required = [name for name, field in cls.base_fields.items() if field.required]
        assert all(name in cls.required_messages for name in required), cls.__name__
        return
    form.is_valid()
    for name, errors in form.errors.items():
        for error in errors:
            assert error != DJANGO_REQUIRED, f"{cls.__name__}.{name}"
            assert error.split()[0] in {"Enter", "Choose", "This"}, f"{cls.__name__}.{name}: {error}"


def test_the_wording_asked_for_in_the_issue(world):
    from partnership.actions.forms import ActionCreateForm

    form = ActionCreateForm(data={}, people=[world["head"]])
    assert not form.is_valid()
    assert form.errors["title"] == ["Enter what needs to be done"]
    assert form.errors["owner"] == ["Choose who will do it"]


class Example(GovukErrorMessages, forms.Form):
    required_messages = {"due_on": "Enter a due date"}

    due_on = forms.DateField(label="Due date")
    title = forms.CharField(label="Title of the visit (optional)")
    urn = forms.CharField(label="URN")
    owner = forms.ChoiceField(label="Owner", choices=[("1", "Ann")])
    paper = forms.FileField(label="Paper")
    reason = forms.CharField(label="Reason", error_messages={"required": "Say why the visit is needed"})
    note = forms.CharField(label="Note", required=False)


def test_a_forms_own_wording_wins_else_the_fields_else_one_from_its_label():
    form = Example(data={}, files={})
    assert not form.is_valid()
    assert form.errors == {
        "due_on": ["Enter a due date"],
        "title": ["Enter title of the visit"],
        "urn": ["Enter URN"],
        "owner": ["Choose owner"],
        "paper": ["Choose paper"],
        "reason": ["Say why the visit is needed"],
    }


def test_the_wording_is_per_form_not_shared_between_instances():
    set_required_messages(Example(), {"due_on": "Changed"})
    assert Example(data={}).errors["due_on"] == ["Enter a due date"]
    assert required_message(forms.CharField(label="")) == "Enter a value"


@pytest.mark.django_db
def test_the_error_summary_links_each_message_to_its_field(client, world):
    client.force_login(world["teacher"])
    response = client.post(f"/actions/new/school/{world.own.slug}/", {"title": "", "owner": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert '<a href="#id_title">Enter what needs to be done</a>' in html
    assert '<a href="#id_owner">Choose who will do it</a>' in html
    assert 'id="id_title"' in html and 'id="id_owner"' in html
    assert DJANGO_REQUIRED not in html


@pytest.mark.django_db
def test_a_group_of_checkboxes_is_linked_by_its_first_box(client, world):
    client.force_login(world["head"])
    response = client.post(f"/schools/{world.own.slug}/invite/", {"full_name": "", "email": ""})
    html = response.content.decode()
    assert '<a href="#id_roles_0">Choose at least one role</a>' in html
    assert 'id="id_roles_0"' in html


@pytest.mark.django_db
def test_the_sign_in_page_says_what_is_missing(client):
    html = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


class Formats(GovukErrorMessages, forms.Form):
    due_on = forms.DateField(label="Due by (optional)", required=False)
    starts = forms.TimeField(label="Starts at")
    number = forms.IntegerField(label="Position on the agenda")
    email = forms.EmailField(label="Email address")
    website = forms.URLField(label="Website", assume_scheme="https")
    urn = forms.RegexField(label="URN", regex=r"^\d{6}$", error_messages={"invalid": "Enter the school's 6-digit URN"})
    code = forms.IntegerField(label="Code", error_messages={"invalid": "Enter the 6 digits"})


def test_a_value_in_the_wrong_format_says_what_is_wrong_with_which_field():
    form = Formats(
        data={
            "due_on": "31/02/2026",
            "starts": "nine",
            "number": "two",
            "email": "head at school",
            "website": "not a web address",
            "urn": "12",
            "code": "x",
        }
    )
    assert not form.is_valid()
    assert {name: [str(error) for error in errors] for name, errors in form.errors.items()} == {
        "due_on": ["Due by must be a real date"],
        "starts": ["Starts at must be a real time, like 09:30"],
        "number": ["Position on the agenda must be a whole number"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "website": ["Enter a web address in the correct format, like https://www.example.com"],
        "urn": ["Enter the school's 6-digit URN"],
        "code": ["Enter the 6 digits"],
    }


@pytest.mark.django_db
def test_a_missing_vote_is_summarised_at_the_top_and_linked_to_the_first_choice(client, world):
    client.force_login(world["head"])
    html = client.post(f"/decisions/{world.decision.pk}/", {"form": "vote"}).content.decode()
    assert html.index("There is a problem") < html.index("<h1")
    assert '<a href="#id_choice_0">Choose your school&#x27;s vote</a>' in html
    assert 'id="id_choice_0"' in html and "govuk-form-group--error" in html


@pytest.mark.django_db
def test_a_missing_outcome_is_summarised_and_linked_to_its_field(client, world):
    client.force_login(world["coordinator"])
    html = client.post(f"/decisions/{world.decision.pk}/", {"form": "close"}).content.decode()
    assert '<a href="#id_outcome">Enter the outcome</a>' in html
    assert html.startswith("<!DOCTYPE") and "<title>Error: " in html


@pytest.mark.django_db
def test_allauths_pages_use_the_forms_with_govuk_messages(client):
    html = client.post("/accounts/password/reset/", {"email": ""}).content.decode()
    assert '<a href="#id_email">Enter your email address</a>' in html
    assert DJANGO_REQUIRED not in html


@pytest.mark.django_db
def test_a_page_with_errors_says_so_in_its_title(client, world):
    assert "<title>Error: Sign in" in client.post("/accounts/login/", {"login": ""}).content.decode()
    client.force_login(world["teacher"])
    assert "<title>Error: Your account" in client.post("/account/", {"full_name": ""}).content.decode()
    assert "<title>Your account" in client.get("/account/").content.decode()


def test_a_value_not_among_the_choices_says_choose_from_the_list():
    class Pick(GovukErrorMessages, forms.Form):
        term = forms.ChoiceField(label="Term", choices=[("autumn", "Autumn")])
        own = forms.ChoiceField(
            label="Colour", choices=[("red", "Red")], error_messages={"invalid_choice": "Pick a colour we have"}
        )

    form = Pick(data={"term": "forged", "own": "blue"})
    assert not form.is_valid()
    assert form.errors == {"term": ["Choose term from the list"], "own": ["Pick a colour we have"]}
