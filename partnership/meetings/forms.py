"""Forms for meetings. They only parse input: the rules live in services."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.meetings.models import Attendance
from partnership.meetings.papers import ALLOWED_SUMMARY, max_paper_bytes, size_label

LONDON = ZoneInfo("Europe/London")


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%H:%M") if isinstance(value, datetime.time) else super().format_value(value)


class MeetingForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "title": "Enter a title",
        "date": "Enter the date of the meeting",
        "start_time": "Enter the time it starts",
        "end_time": "Enter the time it ends",
    }

    title = forms.CharField(label="Title", max_length=200, help_text="For example, “SENCO network: spring term 1”.")
    date = forms.DateField(label="Date", widget=DateInput, help_text="For example, 14/03/2027.")
    start_time = forms.TimeField(label="Starts at", widget=TimeInput, help_text="UK time, 24-hour clock, e.g. 09:30.")
    end_time = forms.TimeField(label="Ends at", widget=TimeInput, help_text="For example, 11:00.")
    host_school = forms.ChoiceField(label="Host school", required=False)
    location = forms.CharField(
        label="Room, address or video link",
        max_length=200,
        required=False,
        help_text="Leave empty to use the host school's address.",
    )

    def __init__(self, *args: Any, schools: Any = (), suggestion: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {str(s.pk): s for s in schools}
        self.fields["host_school"].choices = [("", "No host school")] + [(s.pk, s.name) for s in schools]
        if suggestion is not None:
            self.fields["host_school"].help_text = f"Suggested: {suggestion.reason}"
            if not self.is_bound and "host_school" not in self.initial:
                self.initial["host_school"] = suggestion.school.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=LONDON)
            data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=LONDON)
            if end <= start:
                self.add_error("end_time", "The meeting must end after it starts.")
        data["host"] = self.schools.get(str(data.get("host_school") or ""))
        return data

    @staticmethod
    def initial_for(meeting: Any) -> dict[str, Any]:
        starts, ends = meeting.starts_at.astimezone(LONDON), meeting.ends_at.astimezone(LONDON)
        return {
            "title": meeting.title,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "host_school": meeting.host_school_id or "",
            "location": meeting.location,
        }


class AgendaItemForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter the agenda item"}

    title = forms.CharField(label="Item", max_length=200)
    description = forms.CharField(
        label="What it is about (optional)", widget=forms.Textarea, required=False, help_text="A line or two."
    )
    presenter = PersonChoiceField(label="Led by (optional)", required=False, empty_label="Nobody in particular")
    number = forms.IntegerField(
        label="Position on the agenda", min_value=1, required=False, help_text="Leave empty to add it at the end."
    )

    def __init__(self, *args: Any, people: Any = (), with_number: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = self.fields["presenter"].set_people(people)
        if not with_number:
            del self.fields["number"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["presenter_person"] = data.get("presenter")
        return data


class MoveItemForm(GovukErrorMessages, forms.Form):
    required_messages = {"number": "Enter a position on the agenda"}

    number = forms.IntegerField(min_value=1)


class MinutesForm(GovukErrorMessages, forms.Form):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea, required=False, help_text="What was discussed.")
    decisions = forms.CharField(
        label="Decisions", widget=forms.Textarea, required=False, help_text="What was decided, one per line."
    )


class PaperForm(GovukErrorMessages, forms.Form):
    required_messages = {"file": "Choose a file to upload"}

    file = forms.FileField(
        label="Paper",
        help_text=f"{ALLOWED_SUMMARY}, up to {size_label(max_paper_bytes())}.",
        error_messages={"empty": "The file is empty."},
    )


class ItemActionForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter the action", "owner": "Choose who will do it"}

    title = forms.CharField(label="Action", max_length=200, help_text="What will be done, in a few words.")
    owner = PersonChoiceField(label="Who will do it")
    due_on = forms.DateField(label="Due by (optional)", widget=DateInput, required=False)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = self.fields["owner"].set_people(people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["owner_person"] = data.get("owner")
        return data


class AttendanceForm(GovukErrorMessages, forms.Form):
    required_messages = {"status": "Choose whether they are expected, present, absent or sent apologies"}

    status = forms.ChoiceField(choices=Attendance.Status.choices)


class ApologiesForm(GovukErrorMessages, forms.Form):
    note = forms.CharField(label="Message (optional)", max_length=200, required=False)


class AddAttendeeForm(GovukErrorMessages, forms.Form):
    required_messages = {"person": "Choose a person"}

    person = PersonChoiceField(label="Person")

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = self.fields["person"].set_people(people)


class StatusForm(GovukErrorMessages, forms.Form):
    required_messages = {"status": "Choose what happened to the meeting"}

    status = forms.ChoiceField(choices=[("held", "Held"), ("cancelled", "Cancelled"), ("scheduled", "Scheduled")])
