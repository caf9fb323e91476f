"""Exports: tables (CSV, XLSX), PDFs and calendars (iCalendar). Every table cell goes through
`safe_cell` so spreadsheets never run a formula from data."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

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


# --- iCalendar (RFC 5545) ------------------------------------------------------------------------
# What calendar clients rely on to update an event in place rather than duplicate it: a UID that
# never changes, a SEQUENCE that goes up with every significant change, DTSTAMP in UTC, and times
# in a named zone with its VTIMEZONE definition. Schools keep UK time, so events are given in
# Europe/London.

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
CALENDAR_ZONE = "Europe/London"


@dataclass(frozen=True)
class CalendarPerson:
    """An ORGANIZER or ATTENDEE: an email address and the name shown beside it (CN)."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. `revised_at` is when the event last changed (DTSTAMP and LAST-MODIFIED).
    An invitation sent by email (METHOD:REQUEST or CANCEL) names its `organizer` and `attendees`,
    as RFC 5546 requires; a feed leaves them out."""

    uid: str
    sequence: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    revised_at: datetime.datetime
    created_at: datetime.datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    organizer: CalendarPerson | None = None
    attendees: tuple[CalendarPerson, ...] = ()


def london_vtimezone() -> Any:
    """Europe/London as a VTIMEZONE with the yearly rules in force since 1996 (last Sunday of March
    at 01:00 UTC to BST, last Sunday of October at 01:00 UTC back to GMT). Rules rather than a list
    of dates keep it short and valid for every future year. Each onset is given in the local time in
    force just before the change, as RFC 5545 requires."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    zone = Timezone()
    zone.add("tzid", CALENDAR_ZONE)
    zone.add("x-lic-location", CALENDAR_ZONE)
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


def calendar_event(record: CalendarEvent, *, stamp: datetime.datetime | None = None) -> Any:
    """A VEVENT. Without `stamp` DTSTAMP is when the event was last revised, which RFC 5545 3.8.7.2
    asks for when the calendar has no METHOD: the same value on every fetch, so unchanged events
    look unchanged."""
    from icalendar import Event

    london = ZoneInfo(CALENDAR_ZONE)
    revised = record.revised_at.astimezone(datetime.UTC)
    event = Event()
    event.add("uid", record.uid)
    event.add("dtstamp", (stamp or revised).astimezone(datetime.UTC))
    event.add("last-modified", revised)
    if record.created_at is not None:
        event.add("created", record.created_at.astimezone(datetime.UTC))
    event.add("dtstart", record.starts_at.astimezone(london))
    event.add("dtend", record.ends_at.astimezone(london))
    event.add("sequence", record.sequence)
    event.add("summary", record.summary)
    if record.location:
        event.add("location", record.location)
    if record.description:
        event.add("description", record.description)
    if record.url:
        event.add("url", record.url)
    event.add("status", "CANCELLED" if record.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if record.organizer is not None:
        event.add("organizer", _address(record.organizer))
    for attendee in record.attendees:
        # RSVP=FALSE: replies are not collected by email; apologies are sent on the meeting's page.
        event.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    return event


def _address(person: CalendarPerson, **parameters: str) -> Any:
    """A CAL-ADDRESS value: mailto: the person, with their name as CN."""
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    for key, value in parameters.items():
        address.params[key] = value
    return address


def calendar_bytes(
    name: str,
    events: Iterable[CalendarEvent],
    *,
    prodid: str,
    method: str = "",
    refresh: datetime.timedelta | None = datetime.timedelta(hours=1),
) -> bytes:
    """A VCALENDAR named `name` with the London VTIMEZONE and one VEVENT per record. A feed has no
    `method`; an invitation or a single download sent as a message gives one ("PUBLISH",
    "REQUEST"), and then DTSTAMP is the time the calendar is made. `refresh` asks subscribing
    clients to check that often (most take their own view; these are hints)."""
    from django.utils import timezone
    from icalendar import Calendar, vDuration

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method.upper())
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", CALENDAR_ZONE)
    if refresh is not None:
        calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh).to_ical().decode())
    calendar.add_component(london_vtimezone())
    stamp = timezone.now() if method else None
    for record in events:
        calendar.add_component(calendar_event(record, stamp=stamp))
    return calendar.to_ical()


def calendar_response(filename: str, body: bytes, *, attachment: bool = False) -> HttpResponse:
    """An iCalendar response: shown inline (a subscribed feed) unless `attachment` (a download)."""
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
