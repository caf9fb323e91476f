"""iCalendar (RFC 5545) output for calendar feeds, built with the `icalendar` library.

What calendar clients rely on to update an event in place rather than duplicate it: a UID that
never changes, a SEQUENCE that goes up with every significant change, DTSTAMP in UTC, and times
in a named zone with its VTIMEZONE definition.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur

from partnership.meetings.models import Meeting

LONDON = ZoneInfo("Europe/London")
PRODID = "-//School partnership//Meetings//EN"


def uid_for(meeting: Meeting) -> str:
    """Stable for the life of the meeting: it does not depend on the host name a feed was fetched from."""
    domain = getattr(settings, "CALENDAR_UID_DOMAIN", "") or "meetings.school-partnership"
    return f"{meeting.uid}@{domain}"


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


def meeting_event(meeting: Meeting, url: str) -> Event:
    event = Event()
    event.add("uid", uid_for(meeting))
    # With no METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2): the same
    # value on every fetch, so unchanged events look unchanged.
    stamp = meeting.updated_at.astimezone(datetime.UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("created", meeting.created_at.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(LONDON))
    event.add("dtend", meeting.ends_at.astimezone(LONDON))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    location = _location(meeting)
    if location:
        event.add("location", location)
    event.add("description", _description(meeting, url))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_bytes(name: str, meetings: Iterable[Meeting], url_for: Callable[[Meeting], str]) -> bytes:
    """A whole feed. `url_for` gives each meeting's page as an absolute URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    # Ask clients to check hourly (most take their own view; these are hints).
    calendar.add("refresh-interval", vDuration(datetime.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(london_vtimezone())
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url_for(meeting)))
    return calendar.to_ical()
