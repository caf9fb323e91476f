"""Forms for plans. They only parse input: the rules (who may lead, numbering, themes) live in services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.plans.models import FRAMEWORK_AREAS, Rag, Term


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class PersonChoiceForm(GovukErrorMessages, forms.Form):
    """A form with a person field (`person_field`) chosen from `people`; cleaned to the person."""

    person_field = "lead"
    person_optional = True

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields[self.person_field])
        field.empty_label = "No lead yet" if self.person_optional else "Choose a person"
        self.people = field.set_people(people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data[f"{self.person_field}_person"] = data.get(self.person_field)
        return data


class PlanForm(GovukErrorMessages, forms.Form):
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="Leave blank to call it by its kind and year, for example “School Development Plan 2026/27”.",
    )
    vision = forms.CharField(
        label="Vision and context (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="A short paragraph for governors and staff: where the school is and where the plan takes it.",
    )


class PriorityForm(PersonChoiceForm):
    required_messages = {"title": "Enter the priority"}

    title = forms.CharField(label="Priority", max_length=200, help_text="For example, “Raise attainment in reading”.")
    description = forms.CharField(
        label="Why this is a priority (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="What the evidence shows, in a few sentences.",
    )
    framework_area = forms.ChoiceField(
        label="Inspection framework area (optional)",
        choices=[("", "Choose an area")] + FRAMEWORK_AREAS,
        required=False,
    )
    themes = forms.CharField(
        label="Themes (optional)",
        max_length=500,
        required=False,
        help_text="Separate themes with commas, for example: reading, phonics, SEND. Schools with the same theme "
        "appear together in the partnership's shared priorities.",
    )
    lead = PersonChoiceField(label="Lead (optional)", required=False)


class ObjectiveForm(PersonChoiceForm):
    required_messages = {"title": "Enter the objective"}

    title = forms.CharField(
        label="Objective", max_length=200, help_text="What will change, for example “All Year 1 pupils read daily”."
    )
    success_criteria = forms.CharField(
        label="Success criteria (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="How you will know it has worked, for example “Phonics screening check pass rate at 85% or above”.",
    )
    lead = PersonChoiceField(label="Lead (optional)", required=False)


class MilestoneForm(GovukErrorMessages, forms.Form):
    required_messages = {"term": "Choose a term", "description": "Enter the milestone"}

    term = forms.ChoiceField(
        label="By the end of which term", choices=[("", "Choose a term")] + Term.choices, required=True
    )
    description = forms.CharField(
        label="Milestone", max_length=300, help_text="What should be true by then, for example “Reading spine agreed”."
    )


class MilestoneEditForm(MilestoneForm):
    achieved = forms.BooleanField(label="Achieved", required=False)


class ProgressForm(GovukErrorMessages, forms.Form):
    required_messages = {"rag": "Choose a status", "note": "Enter what has happened"}

    rag = forms.ChoiceField(label="Status now", choices=[("", "Choose a status")] + Rag.choices)
    note = forms.CharField(
        label="What has happened",
        widget=forms.Textarea,
        help_text="A few sentences: what has been done, what the evidence shows and what is next.",
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For example, a shared document with the latest data or a monitoring note.",
    )


class ObjectiveActionForm(PersonChoiceForm):
    required_messages = {"title": "Enter the action", "owner": "Choose who will do it"}

    person_field = "owner"
    person_optional = False

    title = forms.CharField(label="Action", max_length=200, help_text="What will be done, in a few words.")
    owner = PersonChoiceField(label="Who will do it")
    due_on = forms.DateField(label="Due by (optional)", widget=DateInput, required=False)
