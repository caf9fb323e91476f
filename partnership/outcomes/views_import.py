"""The results upload page: upload -> preview (nothing saved) -> Import -> summary.

Both steps call the one service, `result_import` (dry run, then for real), on the same bytes; the
file waits between them in `services.hold_pending`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnership.core import access, audit
from partnership.core.pages import crumbs, get_or_deny
from partnership.core.schoolyear import academic_year_label as year_text
from partnership.directory.models import School
from partnership.outcomes import services
from partnership.outcomes.forms import ResultFileForm
from partnership.outcomes.imports import MAX_BYTES, TEMPLATE_COLUMNS, csv_template
from partnership.outcomes.services import ImportRejectedError, ImportReport, PupilChange, result_import

ACTION = "import_results"
PUPILS_ACTION = "view_pupils"
MAX_LISTED_PUPILS = 2000  # more than any primary school has in a year; a bigger file lists the first


def _crumbs(school: School, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(
        ("Schools", reverse("directory:school_list")),
        (school.name, reverse("directory:school_detail", args=[school.slug])),
        *more,
    )


def _upload_page(request: HttpRequest, school: School, form: ResultFileForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "outcomes/import_upload.html",
        {
            "school": school,
            "form": form,
            "columns": TEMPLATE_COLUMNS,
            "crumbs": _crumbs(school, ("Import results", "")),
        },
        status=status,
    )


def _pupil_list(request: HttpRequest, school: School, report: ImportReport) -> list[PupilChange]:
    """The preview's list of pupils, only for the school's staff who may see pupils (`view_pupils`);
    showing it is audited as a view of pupil data, with the count and never a name or UPN."""
    if report.rejected or not access.can(request.user, PUPILS_ACTION, school):
        return []
    shown = report.pupil_changes[:MAX_LISTED_PUPILS]
    audit.record(
        request.user,
        PUPILS_ACTION,
        school,
        detail={"count": len(shown), "source": "import preview", "import_id": report.import_id},
        request=request,
    )
    return shown


def _preview_page(
    request: HttpRequest, school: School, report: ImportReport, *, rejected: str = "", form: Any = None
) -> HttpResponse:
    pupils = _pupil_list(request, school, report)
    return render(
        request,
        "outcomes/import_preview.html",
        {
            "school": school,
            "report": report,
            "pupils": pupils,
            "hidden_pupils": len(report.pupil_changes) - len(pupils) if pupils else 0,
            "rejected": rejected,
            "hidden_problems": report.problem_count - len(report.problems),
            "measure_rows": report.measure_rows(),
            "form": form or ResultFileForm(),
            "crumbs": _crumbs(
                school, ("Import results", reverse("outcomes:import_upload", args=[school.slug])), ("Check", "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, ACTION, slug=slug)
    form = ResultFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, school, form)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)
    try:
        report = result_import(school=school, data=data, filename=upload.name, actor=request.user, dry_run=True)
    except ImportRejectedError as exc:
        return _preview_page(request, school, exc.report, rejected=exc.message)
    services.hold_pending(user=request.user, school=school, filename=upload.name, data=data, sha256=report.sha256)
    return _preview_page(request, school, report)


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, ACTION, slug=slug)
    sha256 = request.POST.get("sha256", "")
    pending = services.take_pending(user=request.user, school=school, sha256=sha256)
    if pending is None:
        messages.error(
            request, "That file is no longer waiting to be imported (files are kept for an hour). Upload it again."
        )
        return redirect("outcomes:import_upload", slug=school.slug)
    filename, data = pending
    try:
        report = result_import(school=school, data=data, filename=filename, actor=request.user)
    except ImportRejectedError as exc:  # the school's data changed in between, or the rules did
        services.discard_pending(user=request.user, school=school, sha256=sha256)
        return _preview_page(request, school, exc.report, rejected=exc.message)
    services.discard_pending(user=request.user, school=school, sha256=sha256)
    outcomes = reverse("outcomes:school_outcomes", args=[school.slug])
    return render(
        request,
        "outcomes/import_result.html",
        {
            "school": school,
            "report": report,
            "outcome_links": [(year_text(year), f"{outcomes}?year={year}") for year in report.academic_years],
            "crumbs": _crumbs(school, ("Import results", "")),
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template (headings, a guide row and a fictional example pupil): no school's data, so
    anyone signed in may download it."""
    response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="results-template.csv"'
    return response
