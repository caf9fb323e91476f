"""Forms of the framework and SEF pages. They parse input; the rules are in `sef.py`."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms

from partnership.core.forms import GovukErrorMessages
from partnership.core.schoolyear import academic_year_label
from partnership.reviews.models import Framework, Grade, Sharing

AREAS_HELP = (
    'One per line, in order. Add "(met or not met)" to an area judged that way, "(optional)" to one only '
    "some schools have."
)


class FrameworkForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "name": "Enter a name for the framework",
    }
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    areas = forms.CharField(
        label="Areas", required=False, help_text=AREAS_HELP, widget=forms.Textarea(attrs={"rows": 8})
    )
    grades = forms.CharField(
        label="Grades", required=False, help_text="Best first, one per line.", widget=forms.Textarea(attrs={"rows": 5})
    )


class NewFrameworkForm(FrameworkForm):
    copy_of = forms.TypedChoiceField(
        label="Start from (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Copy the areas and grades of a framework you can then change. "
        "Leave the areas and grades empty to copy them.",
    )
    field_order = ("name", "copy_of", "description", "areas", "grades")

    def __init__(self, *args: Any, frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frameworks = {f.pk: f for f in frameworks}
        cast(forms.ChoiceField, self.fields["copy_of"]).choices = [("", "Start from nothing")] + [
            (f.pk, str(f)) for f in frameworks
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("copy_of"):
            if not (data.get("areas") or "").strip():
                self.add_error("areas", "Enter the framework's areas, one per line, or choose one to start from")
            if not (data.get("grades") or "").strip():
                self.add_error("grades", "Enter the grades, best first, one per line, or choose one to start from")
        return data


class SefStartForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "academic_year": "Choose the school year",
        "framework": "Choose a framework",
    }
    academic_year = forms.TypedChoiceField(label="School year", coerce=int)
    framework = forms.TypedChoiceField(label="Framework", coerce=int)

    def __init__(self, *args: Any, years: list[int], frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frameworks = {f.pk: f for f in frameworks}
        cast(forms.ChoiceField, self.fields["academic_year"]).choices = [(y, academic_year_label(y)) for y in years]
        cast(forms.ChoiceField, self.fields["framework"]).choices = [
            (f.pk, f"{f}{' (kept for past self-evaluations)' if f.is_historic else ''}") for f in frameworks
        ]

    def chosen_framework(self) -> Framework:
        return self.frameworks[self.cleaned_data["framework"]]


class SefCopyForm(SefStartForm):
    pass


class SummaryForm(GovukErrorMessages, forms.Form):
    summary = forms.CharField(
        label="Summary",
        required=False,
        help_text="Your school's overall picture in a few sentences.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


MET_CHOICES = [("", "Not judged yet"), ("met", "Met"), ("not_met", "Not met")]


class EntryForm(GovukErrorMessages, forms.Form):
    grade = forms.TypedChoiceField(label="Self-grade", required=False, coerce=int, empty_value=None)
    met = forms.ChoiceField(label="Judgement", required=False, choices=MET_CHOICES)
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        help_text="What you know about this area and how you know it. Do not name pupils.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    strengths = forms.CharField(
        label="Strengths", required=False, help_text="One per line.", widget=forms.Textarea(attrs={"rows": 4})
    )
    development = forms.CharField(
        label="Areas for development",
        required=False,
        help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, grades: list[Grade], met_or_not: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grades = {g.pk: g for g in grades}
        if met_or_not:
            del self.fields["grade"]
        else:
            del self.fields["met"]
            cast(forms.ChoiceField, self.fields["grade"]).choices = [("", "Not graded yet")] + [
                (g.pk, g.label) for g in grades
            ]

    def clean_grade(self) -> Grade | None:
        pk = self.cleaned_data.get("grade")
        if pk is None:
            return None
        if pk not in self.grades:
            raise forms.ValidationError("Choose a grade from the list")
        return self.grades[pk]

    def met_value(self) -> bool | None:
        return {"met": True, "not_met": False}.get(self.cleaned_data.get("met") or "")


class LinkForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "label": "Enter what the document or page is",
        "url": "Enter the web address",
    }
    label = forms.CharField(
        label="What it is", max_length=300, help_text="For example, Governors' visit notes, spring term"
    )
    url = forms.CharField(label="Web address", max_length=500, help_text="Starting with https://")


class OfferedForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {"choice": "Choose evidence from the list"}
    choice = forms.ChoiceField(label="Evidence the platform holds")

    def __init__(self, *args: Any, offered: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = [
            (f"{item.kind}:{item.ref}", f"{item.label}{' (a concern)' if item.concern else ''}") for item in offered
        ]

    def kind_and_ref(self) -> tuple[str, str]:
        kind, _, ref = self.cleaned_data["choice"].partition(":")
        return kind, ref


class SharingForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {"sharing": "Choose who can see your self-evaluation"}
    sharing = forms.ChoiceField(label="Who can see it", choices=Sharing.choices)
