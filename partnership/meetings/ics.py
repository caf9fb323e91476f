"""A meeting as a calendar event: which of its fields become which iCalendar properties. The
calendar itself (VCALENDAR, VTIMEZONE, VEVENT, the response) is built by `core.exports`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from email.utils import parseaddr
from typing import Any

from django.conf import settings

from partnership.core.exports import CalendarEvent, CalendarPerson
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


def organizer() -> CalendarPerson:
    """The platform's sending address: replies are not wanted (apologies go through the meeting's
    page), and a person's own address would have calendar clients treat them as the event's owner."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return CalendarPerson(email=email or "no-reply@localhost", name=settings.SITE_NAME or name)


def invitation_event(meeting: Meeting, url: str) -> CalendarEvent:
    """The meeting as an event sent by email: organised by the platform's address."""
    return replace(meeting_event(meeting, url), organizer=organizer())


def invitation_bytes(event: CalendarEvent, person: Any, *, method: str) -> bytes:
    """The calendar file attached to one person's email about a meeting: METHOD:REQUEST (new or
    changed; clients add or replace the event with this UID and SEQUENCE) or METHOD:CANCEL. Only
    the recipient is listed as an attendee, so no one's address is shared with the others."""
    event = replace(event, attendees=(CalendarPerson(email=person.email, name=person.full_name),))
    return build_calendar(event.summary, [event], prodid=PRODID, method=method, refresh=None)
