"""Forms for the register, needs, support requests and their sessions. They only parse input: the
rules live in `entries.py`, `needs.py` and `support.py`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from partnership.core.forms import DateInput, GovukErrorMessages, PersonChoiceField
from partnership.goodpractice.models import EntryEvidence, PracticeArea, RegisterEntry, SupportRequest, SupportSession


class AreaField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=PracticeArea.objects.filter(is_active=True), empty_label="Choose an area", **kwargs)


class EntryForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "area": "Choose the area",
        "title": "Enter a title",
        "description": "Describe what the school does and what others could see or borrow",
        "capacity": "Enter how many visits or sessions the school can host a term",
    }

    area = AreaField(label="Area")
    title = forms.CharField(label="Title", max_length=200, help_text='For example "Mastery maths in Key Stage 1".')
    description = forms.CharField(label="What the school does", widget=forms.Textarea)
    contact = PersonChoiceField(label="Contact person", required=False, empty_label="Choose a person")
    capacity = forms.IntegerField(label="Visits or sessions it can host a term", min_value=0, max_value=30, initial=2)
    inspection = forms.CharField(
        label="What inspection said (optional)",
        max_length=200,
        required=False,
        help_text='For example "Ofsted 2025: Achievement, Strong standard".',
    )

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].set_people(people)  # type: ignore[attr-defined]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    area = forms.ChoiceField(label="Area", required=False)
    school = forms.ChoiceField(label="School", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Current"), *RegisterEntry.Status.choices],
    )

    def __init__(self, *args: Any, areas: Iterable[PracticeArea], schools: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas"), *((a.key, a.name) for a in areas)]  # type: ignore[attr-defined]
        self.fields["school"].choices = [("", "All schools"), *((s.slug, s.name) for s in schools)]  # type: ignore[attr-defined]


class EvidenceChoiceForm(GovukErrorMessages, forms.Form):
    required_messages = {"choice": "Choose the evidence"}
    choice = forms.ChoiceField(label="Evidence the platform holds", widget=forms.RadioSelect)

    def __init__(self, *args: Any, offered: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            (f"{item.kind}|{item.ref}", item.label) for item in offered
        ]


class EvidenceNoteForm(GovukErrorMessages, forms.Form):
    required_messages = {"kind": "Choose what kind of evidence it is", "label": "Enter what the evidence shows"}
    kind = forms.ChoiceField(
        label="Kind",
        choices=[(EntryEvidence.Kind.INSPECTION, "Inspection"), (EntryEvidence.Kind.DOCUMENT, "Document or web page")],
        widget=forms.RadioSelect,
    )
    label = forms.CharField(label="What it shows", max_length=300)
    url = forms.URLField(label="Web address (optional)", required=False, max_length=500, assume_scheme="https")


class ResourceForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter a title for the resource"}
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(
        label="File (PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG, up to 20 MB)", required=False
    )
    url = forms.URLField(label="Or a web address", required=False, max_length=500, assume_scheme="https")


class EndorseForm(GovukErrorMessages, forms.Form):
    required_messages = {"note": "Enter when and how the board agreed it"}
    note = forms.CharField(
        label="When and how the board agreed it",
        max_length=300,
        help_text='For example "Raising Achievement Board, 14 November 2026".',
    )


class NeedForm(GovukErrorMessages, forms.Form):
    required_messages = {"area": "Choose the area", "title": "Enter what the school needs"}
    area = AreaField(label="Area")
    title = forms.CharField(label="What the school needs", max_length=200)
    description = forms.CharField(label="More detail (optional)", required=False, widget=forms.Textarea)


class RequestForm(GovukErrorMessages, forms.Form):
    required_messages = {"sessions": "Enter how many sessions or visits you would like"}
    sessions = forms.IntegerField(label="Sessions or visits you would like", min_value=1, max_value=30, initial=2)
    message = forms.CharField(
        label="Message to the school (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="What you have tried, who would take part, when suits you.",
    )


class DeclineForm(GovukErrorMessages, forms.Form):
    required_messages = {"reason": "Say why, so the school can look elsewhere"}
    reason = forms.CharField(label="Why you are declining", widget=forms.Textarea)


class PlanForm(GovukErrorMessages, forms.Form):
    required_messages = {"plan": "Enter what was agreed", "sessions": "Enter the number of sessions"}
    plan = forms.CharField(label="What was agreed", widget=forms.Textarea, help_text="Who, what, where.")
    sessions = forms.IntegerField(label="Sessions", min_value=1, max_value=30)
    visits = forms.IntegerField(label="Of which visits", min_value=0, max_value=30, initial=0)
    starts_on = forms.DateField(label="Starts (optional)", required=False, widget=DateInput)
    ends_on = forms.DateField(label="Ends (optional)", required=False, widget=DateInput)
    cost = forms.DecimalField(
        label="Cost in pounds, if any (optional)", required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    impact_target = forms.CharField(label="What it is meant to move", max_length=300, required=False)


class SessionForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "day": "Enter the date of the session",
        "kind": "Choose what kind of session it was",
        "days": "Enter the length in days",
        "impact_note": "Enter what changed, in a sentence or two",
    }
    day = forms.DateField(label="Date", widget=DateInput)
    kind = forms.ChoiceField(label="Kind", choices=SupportSession.Kind.choices, widget=forms.RadioSelect)
    days = forms.DecimalField(
        label="Length in days",
        min_value=Decimal("0.1"),
        max_value=Decimal(10),
        decimal_places=1,
        initial=Decimal("0.5"),
        help_text="0.5 is a half day.",
    )
    attendees = forms.CharField(label="Who took part (optional)", max_length=300, required=False)
    impact_note = forms.CharField(label="What changed", widget=forms.Textarea)


class ImpactForm(GovukErrorMessages, forms.Form):
    required_messages = {"impact": "Choose how far it moved", "note": "Enter what changed, and how you know"}
    target = forms.CharField(label="The measure or area it was meant to move", max_length=300, required=False)
    impact = forms.ChoiceField(label="Did it move?", choices=SupportRequest.Impact.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="What changed, and how you know", widget=forms.Textarea)


class ActionForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter what needs to be done", "owner": "Choose who will do it"}
    title = forms.CharField(label="What needs to be done", max_length=200)
    owner = PersonChoiceField(label="Who will do it")
    due_on = forms.DateField(label="Due by (optional)", required=False, widget=DateInput)

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_people(people)  # type: ignore[attr-defined]
