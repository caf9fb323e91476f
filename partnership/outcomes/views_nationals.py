"""National figures for England: what is loaded, with its source, and (for coordinators and
platform administrators) adding a figure by hand or loading a measure's official
explore-education-statistics file."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.pages import crumbs, form_error
from partnership.core.schoolyear import academic_year_label
from partnership.outcomes import services
from partnership.outcomes.forms import NationalFigureForm, NationalFileForm
from partnership.outcomes.imports import ees
from partnership.outcomes.models import NationalFigure


def _loaded_message(load: services.NationalLoad) -> str:
    added = [c for c in load.changes if c.previous is None]
    changed = [c for c in load.changes if c.previous is not None and c.changed]
    same = len(load.changes) - len(added) - len(changed)
    parts = []
    if added:
        parts.append("added " + ", ".join(f"{academic_year_label(c.academic_year)} ({c.value})" for c in added))
    if changed:
        parts.append(
            "corrected "
            + ", ".join(f"{academic_year_label(c.academic_year)} ({c.previous} to {c.value})" for c in changed)
        )
    if same:
        parts.append(f"{same} already loaded as in the file")
    text = f"{load.changes[0].label} from column {load.column}: " + "; ".join(parts) + "."
    return text + (" " + " ".join(load.notes) if load.notes else "")


def _figure_message(change: services.NationalChange) -> str:
    year = academic_year_label(change.academic_year)
    if change.previous is None:
        return f"Added {change.label} for {year}: {change.value}."
    if change.changed:
        return f"Corrected {change.label} for {year}: {change.previous} to {change.value}."
    return f"{change.label} for {year} was already {change.value}; its source is updated."


def _save(request: HttpRequest, figure_form: NationalFigureForm, file_form: NationalFileForm) -> str | None:
    """Run the submitted form's service; the success message, or None with the error on the form."""
    if "upload" in request.POST:
        if not file_form.is_valid():
            return None
        data = file_form.cleaned_data
        try:
            load = services.load_national_figures_file(
                actor=request.user,
                data=data["file"].read(ees.MAX_BYTES + 1),
                filename=data["file"].name,
                measure=data["measure"],
                statistic=data["statistic"],
                column=data["column"],
            )
        except ApplicationError as exc:
            form_error(file_form, exc)
            return None
        return _loaded_message(load)
    if not figure_form.is_valid():
        return None
    try:
        change = services.record_national_figure(actor=request.user, **figure_form.cleaned_data)
    except ApplicationError as exc:
        form_error(figure_form, exc)
        return None
    return _figure_message(change)


@login_required
@require_http_methods(["GET", "POST"])
def national_figures(request: HttpRequest) -> HttpResponse:
    can_load = access.may(request.user, "load", NationalFigure)
    posted = request.method == "POST"
    if posted and not can_load:
        access.require(request, "load", NationalFigure())  # audited 403
    figure_form = NationalFigureForm(request.POST if posted and "add" in request.POST else None)
    file_form = NationalFileForm(
        request.POST if posted and "upload" in request.POST else None,
        request.FILES if posted and "upload" in request.POST else None,
    )
    if posted:
        message = _save(request, figure_form, file_form)
        if message is not None:
            messages.success(request, message)
            return redirect("outcomes:national_figures")
    by_year: dict[int, list[Any]] = defaultdict(list)
    for figure in (
        access.visible_to(request.user, NationalFigure)
        .select_related("added_by")
        .order_by("-academic_year", "measure", "statistic")
    ):
        by_year[figure.academic_year].append(figure)
    return render(
        request,
        "outcomes/national_figures.html",
        {
            "years": [(academic_year_label(year), figures) for year, figures in by_year.items()],
            "can_load": can_load,
            "figure_form": figure_form,
            "file_form": file_form,
            "crumbs": crumbs(("Outcomes", reverse("outcomes:index")), ("National figures", "")),
        },
    )
