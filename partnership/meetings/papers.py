"""What a meeting paper may be: the types and the size limit. The checks (type by content, size,
safe name) are the core upload validator's, `partnership.core.uploads`."""

from __future__ import annotations

from typing import IO

from django.conf import settings

from partnership.core import uploads
from partnership.core.uploads import FileType, size_label

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PAPER_TYPES: tuple[FileType, ...] = (
    uploads.PDF,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    uploads.ODT,
    uploads.PLAIN_TEXT,
    uploads.CSV,
    uploads.PNG,
    uploads.JPEG,
)
ALLOWED_SUMMARY = (
    "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text (.odt), text (.txt), CSV, PNG or JPEG"
)
TOO_BIG = (
    "{who} is {size}. Papers can be up to {limit}: save a smaller version (for example, compress the images) "
    "and try again."
)

__all__ = ["ALLOWED_SUMMARY", "PAPER_TYPES", "check_paper", "clean_name", "max_paper_bytes", "size_label"]


def max_paper_bytes() -> int:
    return int(getattr(settings, "MEETING_PAPER_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_name(name: str) -> str:
    return uploads.safe_name(name, default="paper")


def check_paper(upload: IO[bytes], name: str, size: int) -> FileType:
    """The type of an acceptable paper, or ApplicationError(field="file") saying what is wrong."""
    return uploads.check_upload(
        upload,
        name=name,
        size=size,
        accept=PAPER_TYPES,
        limit=max_paper_bytes(),
        too_big=TOO_BIG,
        allowed_summary=ALLOWED_SUMMARY,
        what="Papers",
    )
