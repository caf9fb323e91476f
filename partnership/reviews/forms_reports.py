"""Forms for findings, the report, the workshop and the impact review. They only parse input: the
rules live in `followup.py`."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.reviews.models import Finding, FrameworkArea, Grade, Sharing


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class JudgementForm(GovukErrorMessages, forms.Form):
    """The grade (or met / not met) and summary for one area."""

    required_messages = {"grade": "Choose a grade", "met": "Choose met or not met"}

    grade = forms.ChoiceField(label="Grade")
    met = forms.ChoiceField(label="Judgement", choices=[("", "Choose"), ("yes", "Met"), ("no", "Not met")])
    summary = forms.CharField(label="Summary (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, area: FrameworkArea, grades: list[Grade], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        self.grades = {str(g.pk): g for g in grades}
        if area.met_or_not:
            del self.fields["grade"]
        else:
            del self.fields["met"]
            self.fields["grade"].choices = [("", "Choose a grade")] + [(g.pk, g.label) for g in grades]  # type: ignore[attr-defined]

    def cleaned(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "grade": self.grades.get(data.get("grade", "")),
            "met": {"yes": True, "no": False}.get(data.get("met", "")),
            "summary": data.get("summary", ""),
        }


class FindingForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "kind": "Choose whether it is a strength or an area for development",
        "text": "Enter the finding",
    }

    kind = forms.ChoiceField(label="Kind of finding", choices=[("", "Choose"), *Finding.Kind.choices])
    area = forms.ChoiceField(label="Area (optional)", required=False)
    text = forms.CharField(label="Finding", widget=forms.Textarea)

    def __init__(self, *args: Any, areas: list[FrameworkArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {str(a.pk): a for a in areas}
        self.fields["area"].choices = [("", "No one area")] + [(a.pk, a.name) for a in areas]  # type: ignore[attr-defined]

    def area_value(self) -> FrameworkArea | None:
        return self.areas.get(self.cleaned_data.get("area") or "")


class ExcellenceForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "title": "Enter a title for the Area of Excellence",
        "description": "Describe the Area of Excellence",
    }

    title = forms.CharField(label="Area of Excellence", max_length=200)
    description = forms.CharField(
        label="What makes it excellent", widget=forms.Textarea, help_text="What you do, and the difference it makes."
    )


class ExcellenceDecisionForm(GovukErrorMessages, forms.Form):
    required_messages = {"decision": "Choose whether the team endorses it"}

    decision = forms.ChoiceField(
        label="Does the team endorse it?", choices=[("", "Choose"), ("yes", "Endorse"), ("no", "Do not endorse")]
    )
    comment = forms.CharField(label="The team's comment", widget=forms.Textarea, required=False)


class ReportSummaryForm(GovukErrorMessages, forms.Form):
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea,
        required=False,
        help_text="Drafted from the grades and findings. Leave it empty to draft it again.",
    )


class ReportResponseForm(GovukErrorMessages, forms.Form):
    required_messages = {"response": "Enter the school's response"}

    response = forms.CharField(label="The school's response", widget=forms.Textarea)


class ReportSharingForm(GovukErrorMessages, forms.Form):
    required_messages = {"sharing": "Choose who can read the report"}

    sharing = forms.ChoiceField(
        label="Who can read the report",
        choices=[("", "Choose"), *[(v, label) for v, label in Sharing.choices if v != Sharing.OWN_SCHOOL]],
        help_text="Your partnerships read it only once it is final.",
    )


class WorkshopForm(GovukErrorMessages, forms.Form):
    workshop_on = forms.DateField(label="Date of the workshop (optional)", widget=DateInput, required=False)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class WorkshopActionForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter the action", "owner": "Choose who will do it"}

    title = forms.CharField(label="Action", max_length=200)
    owner = PersonChoiceField(label="Who will do it")
    due_on = forms.DateField(label="Due by (optional)", widget=DateInput, required=False)
    priority = forms.ChoiceField(label="Plan priority (optional)", required=False)

    def __init__(self, *args: Any, people: Any, priorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_people(people)  # type: ignore[attr-defined]
        self.fields["priority"].choices = [("", "Not under a priority")] + [(p.id, p.label) for p in priorities]  # type: ignore[attr-defined]

    def priority_id(self) -> int | None:
        value = self.cleaned_data.get("priority")
        return int(value) if value else None


class ImpactForm(GovukErrorMessages, forms.Form):
    required_messages = {"impact": "Choose how far it has changed"}

    impact = forms.ChoiceField(label="How far has it changed?", choices=[("", "Choose"), *Finding.Impact.choices])
    note = forms.CharField(label="What changed (optional)", widget=forms.Textarea, required=False)
