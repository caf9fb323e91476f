"""Forms for the action log. They only parse input: the rules (and the version check) live in services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.formats import date_format

from partnership.actions.models import Action
from partnership.core.forms import GovukErrorMessages, PersonChoiceField

OPEN = "open"
STATUS_FILTERS = [("", "Any status"), (OPEN, "Open (not started or in progress)"), *Action.Status.choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class ActionFilterForm(GovukErrorMessages, forms.Form):
    """The filters above each list, read from the query string; a value that does not parse is ignored."""

    status = forms.ChoiceField(label="Status", choices=STATUS_FILTERS, required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    owner = forms.TypedChoiceField(label="Owner", coerce=int, required=False, empty_value=None)
    q = forms.CharField(label="Words in the action", max_length=100, required=False)
    partnership = forms.ChoiceField(label="Partnership", required=False)

    def __init__(self, data: Any, *, owners: Any, partnerships: Any = ()) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Anyone")] + [(p.pk, p.full_name) for p in owners]
        cast(forms.ChoiceField, self.fields["partnership"]).choices = [("", "All partnerships")] + [
            (p.slug, p.name) for p in partnerships
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.action_filter`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "overdue": bool(data.get("overdue")),
            "owner_id": data.get("owner"),
            "query": (data.get("q") or "").strip(),
            "partnership_slug": data.get("partnership") or "",
        }


class ActionCreateForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter what needs to be done", "owner": "Choose who will do it"}

    title = forms.CharField(label="What needs to be done", max_length=200)
    description = forms.CharField(
        label="More detail (optional)", widget=forms.Textarea, required=False, help_text="What done looks like."
    )
    owner = PersonChoiceField(label="Who will do it")
    due_on = forms.DateField(
        label="Due by (optional)", widget=DateInput, required=False, help_text="For example, 27/03/2026."
    )
    priority = forms.TypedChoiceField(
        label="Priority it serves (optional)", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, people: Any = (), priorities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["owner"]).set_people(people, "Choose a person")
        self.priorities = {p.pk: p for p in priorities}
        self.has_priorities = bool(self.priorities)
        cast(forms.ChoiceField, self.fields["priority"]).choices = [("", "None")] + [
            (pk, f"{p.plan.year_label}: {p}") for pk, p in self.priorities.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["priority"] = self.priorities.get(data.get("priority"))  # type: ignore[arg-type]
        return data


class ActionEditForm(GovukErrorMessages, forms.Form):
    """Edit an action. `version` is the version the editor loaded: the service refuses a stale one."""

    required_messages = {
        "version": "This page is out of date: open it again and make your change",
        "title": "Enter the action",
        "owner": "Choose who owns the action",
        "status": "Choose a status",
    }

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label="Action", max_length=200)
    description = forms.CharField(label="More detail", widget=forms.Textarea, required=False)
    owner = PersonChoiceField(label="Owner")
    due_on = forms.DateField(label="Due by", widget=DateInput, required=False, help_text="For example, 27/03/2026.")
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)

    FIELDS = ["title", "description", "owner", "due_on", "status"]

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "edit_%s")
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["owner"]).set_people(people, "Choose a person")

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {
            "version": action.version,
            "title": action.title,
            "description": action.description,
            "owner": action.owner_id,
            # ISO text, as a date input needs it (a date object would be rendered in the display format).
            "due_on": action.due_on.isoformat() if action.due_on else "",
            "status": action.status,
        }

    def changes(self) -> dict[str, Any]:
        """The values to save (the service's `data`)."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def differences_from(self, action: Action) -> list[Difference]:
        """What this (valid) form would change in `action` as it is stored now, to show beside it."""
        rows = []
        for name in self.FIELDS:
            typed, stored = self.cleaned_data[name], getattr(action, name)
            if name == "owner":
                if typed.pk == action.owner_id:
                    continue
            elif (typed or "") == (stored or ""):
                continue
            rows.append(Difference(str(self.fields[name].label), _shown(name, stored), _shown(name, typed)))
        return rows


@dataclass(frozen=True)
class Difference:
    label: str
    stored: str
    typed: str


def _shown(name: str, value: Any) -> str:
    if name == "owner":
        return value.full_name if value is not None else ""
    if name == "status":
        return str(Action.Status(value).label)
    if name == "due_on":
        return date_format(value, "j M Y") if value else "No due date"
    return str(value or "")


class ActionNoteForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "version": "This page is out of date: open it again and make your change",
        "text": "Enter what has happened",
    }

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(label="What has happened", widget=forms.Textarea)
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For example, a shared document or a folder of work samples.",
    )
    status = forms.ChoiceField(
        label="Move the status on (optional)",
        choices=[("", "Leave the status as it is"), *Action.Status.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)
