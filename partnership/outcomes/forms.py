"""Forms for the outcomes pages. They only parse input: the checks on a file's contents live in the
import service, which the command and the API call too."""

from __future__ import annotations

from typing import Any

from django import forms

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.core.forms import GovukErrorMessages
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.outcomes.imports import MAX_BYTES, TOO_BIG, ees
from partnership.outcomes.models import Measure, NationalFigure


class ResultFileForm(GovukErrorMessages, forms.Form):
    required_messages = {"file": "Choose a results file to upload"}

    file = forms.FileField(
        label="Results file",
        help_text=f"The CSV template or a CTF exported from your MIS, up to {uploads.size_label(MAX_BYTES)}.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            uploads.check_size(upload.size, MAX_BYTES, too_big=TOO_BIG)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _years() -> list[tuple[int, str]]:
    latest = current_academic_year()
    return [(year, academic_year_label(year)) for year in range(latest, FIRST_NATIONAL_YEAR - 1, -1)]


FIRST_NATIONAL_YEAR = 2015  # the first year of today's KS2 tests and scaled scores


class NationalFigureForm(GovukErrorMessages, forms.Form):
    """One national figure for England, typed from a published release."""

    required_messages = {
        "measure": "Choose a measure",
        "academic_year": "Choose the academic year",
        "value": "Enter the figure",
        "source": "Enter where the figure was published",
    }

    measure = forms.ChoiceField(label="Measure", choices=[("", "Choose a measure"), *Measure.choices])
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int, choices=())
    statistic = forms.ChoiceField(label="Figure", choices=NationalFigure.Statistic.choices)
    value = forms.DecimalField(
        label="Value",
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text="As published: a percentage such as 61, or the MTC mean score out of 25.",
    )
    source = forms.CharField(
        label="Where it was published",
        max_length=300,
        help_text="The release and its date, for example: Key stage 2 attainment 2025/26, revised, 10 December 2026.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "figure_%s")
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = _years()  # type: ignore[attr-defined]


class NationalFileForm(GovukErrorMessages, forms.Form):
    """One measure's national figures, every year, from an explore-education-statistics CSV."""

    required_messages = {"measure": "Choose a measure", "file": "Choose a data file to upload"}

    measure = forms.ChoiceField(label="Measure", choices=[("", "Choose a measure"), *Measure.choices])
    statistic = forms.ChoiceField(label="Figure", choices=NationalFigure.Statistic.choices)
    file = forms.FileField(
        label="Data file (CSV)",
        help_text="Download the data set's CSV from explore-education-statistics.service.gov.uk, up to "
        f"{uploads.size_label(ees.MAX_BYTES)}. England's national rows are read; everything else is ignored.",
    )
    column = forms.CharField(
        label="Column (optional)",
        max_length=100,
        required=False,
        help_text="Only if the file's column is not recognised, for example pt_rwm_met_expected_standard.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "file_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            uploads.check_upload(
                upload, name=uploads.safe_name(upload.name), size=upload.size, accept=[uploads.CSV], limit=ees.MAX_BYTES
            )
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload
