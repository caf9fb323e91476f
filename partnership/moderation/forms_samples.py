"""Forms for moderation sessions, samples, moderators' judgements, exemplars and attendance. They only
parse input: the rules live in `sessions.py` and `samples.py`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.moderation.models import Attendance, ModerationSession, Sample
from partnership.moderation.scales import KS2_WRITING_STATEMENTS, MAX_PIECES, SUBJECTS, YEAR_GROUPS, scale_for


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%H:%M") if isinstance(value, datetime.time) else super().format_value(value)


class SessionForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "kind": "Choose moderation or standardisation",
        "subject": "Choose the subject",
        "year_group": "Choose the year group",
        "date": "Enter the date of the session",
        "host_school": "Choose the host school",
        "sample_rule": "Choose what each school brings",
    }

    kind = forms.ChoiceField(label="Kind of session", choices=ModerationSession.Kind.choices)
    subject = forms.ChoiceField(label="Subject", choices=[("", "Choose a subject"), *SUBJECTS])
    year_group = forms.ChoiceField(label="Year group", choices=[("", "Choose a year group"), *YEAR_GROUPS])
    date = forms.DateField(label="Date", widget=DateInput)
    start_time = forms.TimeField(label="Start time (optional)", required=False, widget=TimeInput)
    venue = forms.CharField(label="Where (optional)", max_length=200, required=False)
    host_school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Host school",
        queryset=None,
        empty_label="Choose a school",  # type: ignore[arg-type]
    )
    sample_rule = forms.ChoiceField(label="What each school brings", choices=ModerationSession.SampleRule.choices)
    samples_due = forms.DateField(label="Samples due by (optional)", required=False, widget=DateInput)
    notes = forms.CharField(label="Notes for schools (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_school"].queryset = schools  # type: ignore[attr-defined]


class StatusForm(GovukErrorMessages, forms.Form):
    status = forms.ChoiceField(label="Stage", choices=ModerationSession.Status.choices)


class PersonForm(GovukErrorMessages, forms.Form):
    required_messages = {"person": "Choose a person"}
    person = PersonChoiceField(label="Person")

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people(people)  # type: ignore[attr-defined]


class AttendanceForm(PersonForm):
    required_messages = {"person": "Choose a person", "status": "Choose present, apologies or absent"}
    status = forms.ChoiceField(label="Attendance", choices=Attendance.Status.choices)


def _grid_from(data: Any, pieces: int) -> dict[str, list[int]]:
    """The grid's ticks: checkboxes named `grid-<statement key>` with the piece's index as value."""
    grid: dict[str, list[int]] = {}
    for statement in KS2_WRITING_STATEMENTS:
        marks = []
        for value in data.getlist(f"grid-{statement.key}"):
            try:
                index = int(value)
            except (TypeError, ValueError):
                continue
            if 0 <= index < pieces:
                marks.append(index)
        if marks:
            grid[statement.key] = marks
    return grid


class SampleForm(GovukErrorMessages, forms.Form):
    """A sample's details; the pages come as `files` (several allowed) and the evidence grid as
    `piece-N` titles and `grid-<statement>` ticks, read by `pieces_and_grid`."""

    required_messages = {
        "teacher_judgement": "Choose the teacher's judgement",
        "pupil_name": "Enter the pupil's name (only your school sees it)",
        "selection": "Choose why this sample was chosen",
    }

    pupil_name = forms.CharField(
        label="Pupil's name", max_length=120, help_text="Only your school's staff see it; others see the sample code."
    )
    upn = forms.CharField(label="UPN (optional)", max_length=13, required=False)
    teacher = PersonChoiceField(label="Class teacher (optional)", required=False, empty_label="Choose a teacher")
    teacher_judgement = forms.ChoiceField(label="Teacher's judgement")
    selection = forms.ChoiceField(label="Why this sample", choices=Sample.Selection.choices)
    context = forms.CharField(
        label="What moderators should know (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Support given, how the work was produced. No names.",
    )

    def __init__(self, *args: Any, session: ModerationSession, teachers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["teacher_judgement"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a judgement"),
            *[(code, f"{code}: {label}") for code, label in scale_for(session.subject, session.year_group)],
        ]
        self.fields["teacher"].set_people(teachers)  # type: ignore[attr-defined]

    def pieces_and_grid(self) -> tuple[list[str], dict[str, list[int]]]:
        titles = [str(self.data.get(f"piece-{i}", "")).strip() for i in range(MAX_PIECES)]
        while titles and not titles[-1]:
            titles.pop()
        return titles, _grid_from(self.data, len(titles))


class SampleEditForm(SampleForm):
    """Editing a sample: the same fields; the pupil's name stays required."""


class JudgementForm(GovukErrorMessages, forms.Form):
    required_messages = {"judgement": "Choose your judgement"}
    judgement = forms.ChoiceField(label="Your judgement")
    comment = forms.CharField(label="Comment for the school", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, session: ModerationSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgement"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a judgement"),
            *[(code, f"{code}: {label}") for code, label in scale_for(session.subject, session.year_group)],
        ]


class ExemplarForm(GovukErrorMessages, forms.Form):
    required_messages = {"annotation": "Say why this sample is at its standard"}
    annotation = forms.CharField(
        label="Why this sample is at its standard",
        widget=forms.Textarea,
        help_text="The moderators' reasons, for teachers who use the bank. No names.",
    )
    consent = forms.BooleanField(
        label="Our school consents to sharing this pseudonymised sample with the partnership's schools",
        error_messages={"required": "Tick to give your school's consent"},
    )


class ExemplarFilterForm(forms.Form):
    subject = forms.ChoiceField(label="Subject", required=False, choices=[("", "All subjects"), *SUBJECTS])
    year_group = forms.ChoiceField(label="Year group", required=False, choices=[("", "All year groups"), *YEAR_GROUPS])
