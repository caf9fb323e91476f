"""A meeting as a calendar event: which of its fields become which iCalendar properties. The
calendar itself (VCALENDAR, VTIMEZONE, VEVENT, the response) is built by `core.exports`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings

from partnership.core.exports import CalendarEvent
from partnership.core.exports import calendar_bytes as build_calendar
from partnership.meetings.models import Meeting

PRODID = "-//School partnership//Meetings//EN"


def uid_for(meeting: Meeting) -> str:
    """Stable for the life of the meeting: it does not depend on the host name a feed was fetched from."""
    domain = getattr(settings, "CALENDAR_UID_DOMAIN", "") or "meetings.school-partnership"
    return f"{meeting.uid}@{domain}"


def _location(meeting: Meeting) -> str:
    if meeting.location:
        return meeting.location
    if meeting.host_school is not None:
        school = meeting.host_school
        return ", ".join(part for part in [school.name, school.address] if part)
    return ""


def _description(meeting: Meeting, url: str) -> str:
    lines = [f"{meeting.network.name} meeting."]
    if meeting.host_school is not None:
        lines.append(f"Hosted by {meeting.host_school.name}.")
    items = list(meeting.items.all())
    if items:
        lines += ["", "Agenda:"] + [f"{item.number}. {item.title}" for item in items]
    lines += ["", f"Papers, attendance and minutes: {url}"]
    return "\n".join(lines)


def meeting_event(meeting: Meeting, url: str) -> CalendarEvent:
    return CalendarEvent(
        uid=uid_for(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        revised_at=meeting.updated_at,
        created_at=meeting.created_at,
        location=_location(meeting),
        description=_description(meeting, url),
        url=url,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def calendar_bytes(name: str, meetings: Iterable[Meeting], url_for: Callable[[Meeting], str]) -> bytes:
    """A whole feed. `url_for` gives each meeting's page as an absolute URL."""
    return build_calendar(name, (meeting_event(m, url_for(m)) for m in meetings), prodid=PRODID)
