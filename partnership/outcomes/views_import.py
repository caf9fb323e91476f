"""The results upload page: upload -> preview (nothing saved) -> Import -> summary.

Both steps call the one service, `result_import` (dry run, then for real), on the same bytes.
Between the two steps the uploaded file waits in the cache (Redis in production, shared by every
web worker), under a key made of the user, the school and the file's SHA-256, for an hour at most;
it is deleted once imported. Not in the session: a session is loaded on every request, and a 20 MB
file would weigh on each of them; not on disk: pupil data should not outlive the upload in files.
The key holds the user's id, so nobody else can import a file someone previewed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.core.pages import crumbs, get_or_deny
from partnership.core.uploads import size_label
from partnership.directory.models import School
from partnership.outcomes.imports import (
    MAX_BYTES,
    TEMPLATE_COLUMNS,
    TOO_BIG,
    ImportRejectedError,
    csv_template,
    result_import,
)
from partnership.outcomes.imports.service import ImportReport, sha256_of

PENDING_SECONDS = 60 * 60
ACTION = "import_results"


class ResultFileForm(forms.Form):
    file = forms.FileField(
        label="Results file",
        help_text=f"The CSV template or a CTF exported from your MIS, up to {size_label(MAX_BYTES)}.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            uploads.check_size(upload.size, MAX_BYTES, too_big=TOO_BIG)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _pending_key(request: HttpRequest, school: School, sha256: str) -> str:
    return f"outcomes-import:{request.user.pk}:{school.pk}:{sha256}"


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


def _preview_page(
    request: HttpRequest, school: School, report: ImportReport, *, rejected: str = "", form: Any = None
) -> HttpResponse:
    return render(
        request,
        "outcomes/import_preview.html",
        {
            "school": school,
            "report": report,
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
    cache.set(_pending_key(request, school, report.sha256), (upload.name, data), PENDING_SECONDS)
    return _preview_page(request, school, report)


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, ACTION, slug=slug)
    sha256 = request.POST.get("sha256", "")
    key = _pending_key(request, school, sha256)
    pending = cache.get(key) if len(sha256) == 64 else None
    if pending is None or sha256_of(pending[1]) != sha256:
        messages.error(
            request, "That file is no longer waiting to be imported (files are kept for an hour). Upload it again."
        )
        return redirect("outcomes:import_upload", slug=school.slug)
    filename, data = pending
    try:
        report = result_import(school=school, data=data, filename=filename, actor=request.user)
    except ImportRejectedError as exc:  # the school's data changed in between, or the rules did
        cache.delete(key)
        return _preview_page(request, school, exc.report, rejected=exc.message)
    cache.delete(key)
    return render(
        request,
        "outcomes/import_result.html",
        {"school": school, "report": report, "crumbs": _crumbs(school, ("Import results", ""))},
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template's headings: no data, so anyone signed in may download it."""
    response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="results-template.csv"'
    return response
