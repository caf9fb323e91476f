"""Exports: tables (CSV, XLSX; every cell goes through `safe_cell` so spreadsheets never run a formula
from data), PDFs, and iCalendar (RFC 5545) calendars."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur

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


# --- iCalendar ---------------------------------------------------------------------------------
# What calendar clients rely on to update an event in place rather than duplicate it: a UID that
# never changes, a SEQUENCE that goes up with every significant change, DTSTAMP in UTC, and times
# in a named zone with its VTIMEZONE definition.

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    revised_at: datetime.datetime  # DTSTAMP and LAST-MODIFIED: when the event last changed
    created_at: datetime.datetime
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    sequence: int
    summary: str
    description: str
    url: str
    location: str = ""
    cancelled: bool = False


def london_vtimezone() -> Timezone:
    """Europe/London as a VTIMEZONE with the yearly rules in force since 1996 (last Sunday of March
    at 01:00 UTC to BST, last Sunday of October at 01:00 UTC back to GMT). Rules rather than a list
    of dates keep it short and valid for every future year. Each onset is given in the local time in
    force just before the change, as RFC 5545 requires."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", datetime.timedelta(hours=0))
    summer.add("tzoffsetto", datetime.timedelta(hours=1))
    summer.add("dtstart", datetime.datetime(1981, 3, 29, 1, 0, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", datetime.timedelta(hours=1))
    winter.add("tzoffsetto", datetime.timedelta(hours=0))
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 2, 0, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def ics_event(item: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    # With no METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2): the same
    # value on every fetch, so unchanged events look unchanged.
    stamp = item.revised_at.astimezone(datetime.UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("created", item.created_at.astimezone(datetime.UTC))
    event.add("dtstart", item.starts_at.astimezone(LONDON))
    event.add("dtend", item.ends_at.astimezone(LONDON))
    event.add("sequence", item.sequence)
    event.add("summary", item.summary)
    if item.location:
        event.add("location", item.location)
    event.add("description", item.description)
    event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def ics_bytes(name: str, events: Iterable[CalendarEvent], *, prodid: str) -> bytes:
    """A whole calendar (a feed, or one event to attach to an email)."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    # Ask clients to check hourly (most take their own view; these are hints).
    calendar.add("refresh-interval", vDuration(datetime.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(london_vtimezone())
    for item in events:
        calendar.add_component(ics_event(item))
    return calendar.to_ical()


def ics_response(body: bytes, filename: str = "calendar.ics") -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
