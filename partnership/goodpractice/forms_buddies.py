"""Forms for buddy pairs: finding a buddy for someone, pairing them, logging a meeting. They only
parse input: the rules live in `buddies.py`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.core.roles import SUBJECTS, Role
from partnership.goodpractice.buddies import PAIRED_ROLES, YEAR_GROUPS

ROLE_CHOICES = [(role, Role(role).label) for role in PAIRED_ROLES]


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class BuddyFindForm(GovukErrorMessages, forms.Form):
    """Step one: who needs a buddy, in which role, and (optionally) for which year group or subject."""

    required_messages = {"person": "Choose who needs a buddy", "role": "Choose the role they would share"}

    person = PersonChoiceField(label="Who needs a buddy", empty_label="Choose a person")
    role = forms.ChoiceField(label="Role they would share", choices=ROLE_CHOICES)
    year_group = forms.ChoiceField(
        label="Year group (optional)", required=False, choices=[("", "Any year group"), *YEAR_GROUPS]
    )
    subject = forms.ChoiceField(
        label="Subject (optional)",
        required=False,
        choices=[("", "Any subject"), *((s, s) for s in SUBJECTS)],
        help_text="For subject leaders: buddies who lead the same subject come first.",
    )

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people(people)  # type: ignore[attr-defined]


class BuddyPairForm(GovukErrorMessages, forms.Form):
    """Step two: the buddy, from the suggestions (or anyone else holding the role), and the focus."""

    required_messages = {"second": "Choose a buddy"}

    second = PersonChoiceField(label="Buddy", empty_label="Choose a buddy")
    focus = forms.CharField(
        label="What they will work on together (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, candidates: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second"].set_people(candidates)  # type: ignore[attr-defined]


class MeetingForm(GovukErrorMessages, forms.Form):
    required_messages = {"day": "Enter the date of the meeting", "note": "Enter a note of the meeting"}

    day = forms.DateField(label="Date of the meeting", widget=DateInput)
    note = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea,
        help_text="What you talked about or tried, and what you will do next.",
    )
