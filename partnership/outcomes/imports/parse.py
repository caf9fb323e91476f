"""`parse_results`: bytes in, a checked `ParsedImport` out, nothing written.

The format is detected from the content, never from the file name: XML whose root is `CTfile` is a
CTF, anything else is read as the CSV template. File-level refusals (too big, not UTF-8, not text,
XML attacks, another school's CTF) raise ApplicationError; problems with single rows or pupils are
collected in `ParsedImport.problems` so the school sees all of them at once.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.outcomes.imports.common import UTF8_BOM, ParsedImport, refuse_oversize
from partnership.outcomes.imports.csv_format import parse_csv
from partnership.outcomes.imports.ctf import parse_ctf

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def detect_format(data: bytes) -> str:
    head = data.removeprefix(UTF8_BOM).lstrip()[:1]
    return "ctf" if head == b"<" else "csv"


NOT_TEXT_ADVICE = {
    "zip": "This is an Excel workbook or other zip file. Save it as 'CSV UTF-8' or export a CTF.",
    "old office": "This is an old-style Excel (.xls) file. Save it as 'CSV UTF-8'.",
    "utf-16": "This file is UTF-16 text, which cannot be imported. Save it as 'CSV UTF-8', or export the CTF as UTF-8.",
    "pdf": "This is a PDF, not a CSV or CTF file.",
}


def _refuse_non_text(data: bytes) -> None:
    """Text or XML at all, by the core upload checks; which of the two formats it is comes after."""
    if not data.removeprefix(UTF8_BOM).strip():
        raise ApplicationError("The file is empty.", field="file")
    uploads.refuse_non_text(data, what="a CSV or CTF file", advice=NOT_TEXT_ADVICE)


def _decode(data: bytes, file_format: str) -> str:
    try:
        return data.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        advice = "Export the CTF again as UTF-8." if file_format == "ctf" else "In Excel, save it as 'CSV UTF-8'."
        raise ApplicationError(
            f"The file is not UTF-8 text (the first character that is not is on line {line}). {advice}", field="file"
        ) from exc


def _refuse_declared_encoding(data: bytes) -> None:
    match = _XML_DECLARATION.match(data.removeprefix(UTF8_BOM))
    if match and match.group(1).decode("ascii").lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ApplicationError(
            f"The file says it is in the {match.group(1).decode('ascii')[:20]} encoding; only UTF-8 CTF files can "
            "be imported. Export the CTF again as UTF-8.",
            field="file",
        )


def parse_results(data: bytes, *, school: Any, today: datetime.date | None = None) -> ParsedImport:
    """Check a CSV or CTF file for `school` without writing anything. Raises ApplicationError when the
    file cannot be imported at all; otherwise every problem is in `problems` (and the file is rejected
    when there is any) and every ignored part of the file in `skipped`. `today` (by default the local
    date) decides which academic years and terms can have results yet."""
    refuse_oversize(len(data))
    _refuse_non_text(data)
    file_format = detect_format(data)
    parsed = ParsedImport(file_format=file_format, today=today or timezone.localdate())
    if file_format == "ctf":
        _refuse_declared_encoding(data)
        _decode(data, file_format)
        parse_ctf(data.removeprefix(UTF8_BOM), school, parsed)
    else:
        parse_csv(_decode(data, file_format), parsed)
    return parsed
