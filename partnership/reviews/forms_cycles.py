"""Forms for review cycles, the rota, conflicts of interest and the visit. They only parse input: the
rules live in `cycles.py`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.directory.models import School
from partnership.reviews.models import Activity, Framework, FrameworkArea


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime.date) else super().format_value(value)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%H:%M") if isinstance(value, datetime.time) else super().format_value(value)


def year_choices() -> list[tuple[int, str]]:
    now = current_academic_year()
    return [(year, academic_year_label(year)) for year in (now - 1, now, now + 1)]


class CycleForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "name": "Enter a name for the cycle",
        "academic_year": "Choose the academic year",
        "framework": "Choose the framework",
        "rounds": "Choose how many reviews each school has this year",
        "team_size": "Enter how many reviewers each team has",
        "max_load": "Enter the most reviews one reviewer takes on",
    }

    name = forms.CharField(label="Name", max_length=120)
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int)
    framework = forms.ModelChoiceField(label="Framework", queryset=Framework.objects.none(), empty_label=None)
    rounds = forms.TypedChoiceField(
        label="Reviews per school this year", coerce=int, choices=[(1, "One"), (2, "Two")], initial=1
    )
    team_size = forms.IntegerField(label="Reviewers in each team", min_value=1, max_value=6, initial=2)
    max_load = forms.IntegerField(
        label="The most reviews one reviewer takes on in a round", min_value=1, max_value=6, initial=2
    )
    include_deputies = forms.BooleanField(
        label="Senior leaders (deputies) review as well as headteachers",
        required=False,
        help_text="Leave unticked for headteachers only.",
    )

    def __init__(self, *args: Any, frameworks: Iterable[Framework] = (), **kwargs: Any) -> None:
        frameworks = list(frameworks)
        default = next((f for f in frameworks if f.is_default and f.partnership_id is None), None)
        year = current_academic_year()
        kwargs.setdefault(
            "initial",
            {"name": f"Peer review {academic_year_label(year)}", "academic_year": year, "framework": default},
        )
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = year_choices()  # type: ignore[attr-defined]
        self.fields["framework"].queryset = Framework.objects.filter(pk__in=[f.pk for f in frameworks])  # type: ignore[attr-defined]


class TeamForm(GovukErrorMessages, forms.Form):
    """One school's team: a reviewer per place, and which of them leads."""

    required_messages = {"lead": "Choose the lead reviewer"}

    lead = forms.TypedChoiceField(label="Lead reviewer", coerce=int)

    def __init__(
        self, *args: Any, team_size: int, reviewers: list[tuple[int, str]], prefix_label: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "Choose a reviewer"), *reviewers]
        for i in range(1, team_size + 1):
            self.fields[f"reviewer_{i}"] = forms.TypedChoiceField(
                label=f"Reviewer {i}{prefix_label}",
                coerce=int,
                choices=options,
                error_messages={"required": f"Choose reviewer {i}"},
            )
        self.fields["lead"].choices = options  # type: ignore[attr-defined]
        self.fields["lead"].label = f"Lead reviewer{prefix_label}"
        self.order_fields([*(f"reviewer_{i}" for i in range(1, team_size + 1)), "lead"])

    def members(self) -> list[int]:
        return [v for k, v in self.cleaned_data.items() if k.startswith("reviewer_")]


class ConflictForm(GovukErrorMessages, forms.Form):
    required_messages = {"school": "Choose the school", "reason": "Enter why you should not review it"}

    school: forms.ModelChoiceField[School] = forms.ModelChoiceField(
        label="I should not review", queryset=School.objects.none(), empty_label="Choose a school"
    )
    reason = forms.CharField(
        label="Because",
        max_length=300,
        help_text="For example, “my sister teaches there” or “I was its deputy head until last year”.",
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class ScheduleForm(GovukErrorMessages, forms.Form):
    required_messages = {"starts_on": "Enter the first day of the visit"}

    starts_on = forms.DateField(label="First day of the visit", widget=DateInput)
    ends_on = forms.DateField(label="Last day of the visit (optional)", widget=DateInput, required=False)


class EnquiryForm(GovukErrorMessages, forms.Form):
    required_messages = {"enquiry_question": "Enter the enquiry question"}

    enquiry_question = forms.CharField(
        label="Enquiry question",
        widget=forms.Textarea,
        help_text="The question the school wants the review to answer, for example “To what extent does our "
        "phonics teaching help the weakest readers keep up?”",
    )


class PreReviewForm(GovukErrorMessages, forms.Form):
    pre_review_on = forms.DateField(label="Pre-review meeting (optional)", widget=DateInput, required=False)
    pre_review_notes = forms.CharField(
        label="Notes of the pre-review meeting (optional)", widget=forms.Textarea, required=False
    )


class FocusForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter the focus area"}

    title = forms.CharField(label="Focus area", max_length=200)
    area: forms.ModelChoiceField[FrameworkArea] = forms.ModelChoiceField(
        label="Framework area (optional)",
        queryset=FrameworkArea.objects.none(),
        required=False,
        empty_label="No particular area",
    )
    why = forms.CharField(label="Why (optional)", max_length=300, required=False)

    def __init__(self, *args: Any, framework_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = FrameworkArea.objects.filter(framework_id=framework_id)  # type: ignore[attr-defined]


class ActivityForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "kind": "Choose what the activity is",
        "day": "Enter the day",
        "starts_at": "Enter the time it starts",
    }

    kind = forms.ChoiceField(label="Activity", choices=[("", "Choose an activity"), *Activity.Kind.choices])
    day = forms.DateField(label="Day", widget=DateInput)
    starts_at = forms.TimeField(label="Starts at", widget=TimeInput)
    ends_at = forms.TimeField(label="Ends at (optional)", widget=TimeInput, required=False)
    focus = forms.CharField(label="Focus (optional)", max_length=200, required=False)
    host = PersonChoiceField(label="Host (optional)", required=False, empty_label="Choose a leader of the school")
    reviewers = forms.MultipleChoiceField(
        label="Reviewers (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, leaders: list[Any], team: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].set_people(leaders)  # type: ignore[attr-defined]
        self.team = {str(p.pk): p for p in team}
        self.fields["reviewers"].choices = [(pk, p.full_name) for pk, p in self.team.items()]  # type: ignore[attr-defined]

    def chosen_reviewers(self) -> list[Any]:
        return [self.team[pk] for pk in self.cleaned_data.get("reviewers", [])]
