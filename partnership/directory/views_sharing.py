"""A school's data-sharing record, on screen and as a PDF for its data protection impact assessment.

Viewing it is not audited: it holds no pupil-level data, only what the school shares and who decided."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from partnership.core.exports import pdf_response
from partnership.core.pages import crumbs, get_or_deny
from partnership.directory.models import School
from partnership.directory.sharing import EACH_PARTNERSHIP, school_sharing_record


@login_required
@require_safe
def school_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, "view_sharing_record", slug=slug)
    return render(
        request,
        "directory/school_sharing.html",
        {
            "record": school_sharing_record(school),
            "school": school,
            "each_partnership": EACH_PARTNERSHIP,
            "crumbs": crumbs(
                ("Schools", reverse("directory:school_list")),
                (school.name, reverse("directory:school_detail", args=[slug])),
                ("Data-sharing record", ""),
            ),
        },
    )


@login_required
@require_safe
def school_sharing_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_or_deny(request, School, "view_sharing_record", slug=slug)
    record = school_sharing_record(school)
    return pdf_response(
        f"data-sharing-record-{school.slug}.pdf",
        "directory/school_sharing_pdf.html",
        {"record": record, "school": school, "title": f"{school.name}: data-sharing record"},
        request,
    )
