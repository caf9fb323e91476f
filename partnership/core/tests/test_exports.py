import datetime
import io

import pytest
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from partnership.core.exports import (
    CalendarEvent,
    calendar_bytes,
    calendar_response,
    csv_response,
    pdf_bytes,
    safe_cell,
    xlsx_bytes,
)
from partnership.core.tests.pdf_layout import blank_pages, page_texts, record_layouts, split_rows


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_prefixes_are_escaped(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-3) == -3 and safe_cell("Reading") == "Reading" and safe_cell(None) == ""


def test_csv_is_utf8_with_bom_for_excel():
    response = csv_response("t.csv", ["Name"], [["Zoë"], ["=cmd"]])
    body = response.content.decode("utf-8-sig")
    assert "Zoë" in body and "'=cmd" in body


def test_xlsx_opens_with_openpyxl_and_keeps_formulas_as_text():
    data = xlsx_bytes([("Actions: autumn/spring", ["Title", "Due"], [['=HYPERLINK("x")', "2026-01-01"]])])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "Actions- autumn-spring"
    assert sheet["A2"].value == '\'=HYPERLINK("x")' and sheet["A2"].data_type == "s"


def test_pdf_is_a_real_pdf(tmp_path):
    from pypdf import PdfReader

    data = pdf_bytes("core/pdf_test.html", {"title": "Plan for governors"})
    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Plan for governors" in text


# --- iCalendar -----------------------------------------------------------------------------------


def _event(**overrides):
    utc = datetime.UTC
    values = {
        "uid": "visit-17@school-partnership",
        "sequence": 2,
        "starts_at": datetime.datetime(2031, 7, 1, 8, 30, tzinfo=utc),
        "ends_at": datetime.datetime(2031, 7, 1, 10, 0, tzinfo=utc),
        "summary": "Peer review visit",
        "revised_at": datetime.datetime(2031, 5, 2, 11, 15, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "created_at": datetime.datetime(2031, 4, 1, 9, 0, tzinfo=utc),
        "location": "Hall, Hawthorn Primary",
        "description": "Reading across the school.",
        "url": "https://example.test/visits/17/",
    }
    return CalendarEvent(**(values | overrides))


def test_a_calendar_has_the_properties_clients_need_and_events_in_london_time():
    body = calendar_bytes("Visits", [_event()], prodid="-//School partnership//Visits//EN")
    calendar = Calendar.from_ical(body)
    assert (str(calendar["PRODID"]), str(calendar["VERSION"])) == ("-//School partnership//Visits//EN", "2.0")
    assert str(calendar["X-WR-CALNAME"]) == "Visits" and "METHOD" not in calendar
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and b"X-PUBLISHED-TTL:PT1H" in body
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "visit-17@school-partnership" and event["SEQUENCE"] == 2
    # 08:30 UTC on 1 July is 09:30 BST, given in the named zone.
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime.datetime(2031, 7, 1, 9, 30)
    assert event["DTEND"].dt.replace(tzinfo=None) == datetime.datetime(2031, 7, 1, 11, 0)
    # Stamps are in UTC: 11:15 at +01:00 is 10:15Z; with no METHOD, DTSTAMP is the last revision.
    assert event["DTSTAMP"].to_ical() == b"20310502T101500Z" == event["LAST-MODIFIED"].to_ical()
    assert event["CREATED"].to_ical() == b"20310401T090000Z"
    assert str(event["SUMMARY"]) == "Peer review visit" and str(event["LOCATION"]) == "Hall, Hawthorn Primary"
    assert str(event["DESCRIPTION"]) == "Reading across the school."
    assert str(event["URL"]) == "https://example.test/visits/17/"
    assert str(event["STATUS"]) == "CONFIRMED" and str(event["TRANSP"]) == "OPAQUE"


def test_a_cancelled_event_with_nothing_optional_leaves_the_optional_properties_out():
    record = _event(location="", description="", url="", created_at=None, cancelled=True)
    [event] = Calendar.from_ical(calendar_bytes("Visits", [record], prodid="-//x//EN")).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert not {"LOCATION", "DESCRIPTION", "URL", "CREATED"} & set(event)


def test_a_calendar_with_a_method_is_stamped_when_it_is_made(settings):
    before = timezone.now().replace(microsecond=0)
    body = calendar_bytes("Visit", [_event()], prodid="-//x//EN", method="publish", refresh=None)
    calendar = Calendar.from_ical(body)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert b"REFRESH-INTERVAL" not in body and b"X-PUBLISHED-TTL" not in body
    [event] = calendar.walk("VEVENT")
    assert event["DTSTAMP"].dt >= before and event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    assert event["LAST-MODIFIED"].to_ical() == b"20310502T101500Z"


def test_a_calendar_response_has_the_calendar_content_type_and_a_filename():
    feed = calendar_response("visits.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Content-Disposition"] == 'inline; filename="visits.ics"'
    assert feed.content.startswith(b"BEGIN:VCALENDAR")
    download = calendar_response("visit.ics", b"", attachment=True)
    assert download["Content-Disposition"] == 'attachment; filename="visit.ics"'


def test_a_long_table_repeats_its_header_and_never_splits_a_row(monkeypatch):
    layouts = record_layouts(monkeypatch)
    rows = [[f"line {n}" for n in range(6)] for _ in range(40)]
    data = pdf_bytes("core/pdf_test.html", {"title": "Long table", "rows": rows})
    texts = page_texts(data)
    assert len(texts) > 2
    assert split_rows(layouts[-1]) == []
    assert all("Row Lines" in text for text in texts)  # the header row on every page
    assert blank_pages(data, "Long table") == []
