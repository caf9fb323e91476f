"""Moderation session, sample, agreement, exemplar bank and attendance pages. Each view: check the
access policy, parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from partnership.core import access
from partnership.moderation.models import SampleFile


@login_required
@require_safe
def sample_file(request: HttpRequest, pk: int) -> FileResponse:
    """One page of a sample, shown inline to whoever may view the sample. The name it is served
    under is the sample's code, never the uploader's file name."""
    page = get_object_or_404(SampleFile.objects.select_related("sample"), pk=pk)
    access.require(request, "view", page.sample)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(page.content_type, "bin")
    response = FileResponse(
        page.file.open("rb"), content_type=page.content_type, filename=f"{page.sample.code}-{page.number}.{extension}"
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
