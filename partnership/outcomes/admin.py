"""Admin for outcomes: national comparators only.

Pupil-level models (Pupil, PupilYear, Result, TeacherAssessment) and ResultImport are deliberately
NOT registered: pupil data stays visible only to authorised staff of the pupil's own school
(DOMAIN.md "Data sharing"; `partnership/core/access.py`), and platform administrators are not that
school's staff. Do not register them here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnership.core.admin import AuditedModelAdmin
from partnership.outcomes.models import NationalFigure


@admin.register(NationalFigure)
class NationalFigureAdmin(AuditedModelAdmin):
    """Shipped figures come from `outcomes/data/national_figures.csv`; administrators add each new
    year here when DfE publishes it, naming the source."""

    list_display = ["measure", "academic_year", "statistic", "value", "source"]
    list_filter = ["measure", "statistic", "academic_year"]
    search_fields = ["source"]
    ordering = ["measure", "statistic", "-academic_year"]
    readonly_fields = ["added_by"]
    fields = ["measure", "academic_year", "statistic", "value", "source", "added_by"]

    def save_model(self, request: HttpRequest, obj: NationalFigure, form: Any, change: bool) -> None:
        if not change and request.user.is_authenticated:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
