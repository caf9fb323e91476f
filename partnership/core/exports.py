"""Table exports. Every cell goes through `safe_cell` so spreadsheets never run a formula from data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Names and other free text are stored as typed (a surname may start with "-" or "="); the escaping
# happens here, on the way out to a spreadsheet. The API says so on every such field.
PLAIN_TEXT_HELP = "Plain text as entered; may begin with = + - @; escape before writing to a spreadsheet."


def safe_cell(value: Any) -> Any:
    """Escape text a spreadsheet would treat as a formula (OWASP CSV injection guidance)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An Excel workbook with one sheet per (title, header, rows); text cells are formula-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet"


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(fmt: str, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """CSV or XLSX of one table, chosen by `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename_stem}.xlsx", [(filename_stem, header, rows)])
    return csv_response(f"{filename_stem}.csv", header, rows)


def pdf_bytes(template_name: str, context: dict[str, Any], request: Any = None) -> bytes:
    """Render an HTML template to PDF with WeasyPrint. Static files are read from disk, never fetched."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Reports are self-contained: refusing every fetch keeps rendering fast and free of SSRF.
    raise ValueError(f"External resources are not loaded in PDFs: {url}")


def pdf_response(filename: str, template_name: str, context: dict[str, Any], request: Any = None) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
