"""Calendar feeds parse with `icalendar` and keep the RFC 5545 rules calendar clients depend on:
a stable UID, SEQUENCE going up, DTSTAMP in UTC, times in Europe/London with its VTIMEZONE."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from partnership.core.roles import Role
from partnership.directory.models import Network
from partnership.meetings import services
from partnership.meetings.models import CalendarFeed
from partnership.meetings.tests.factories import agenda_item, calendar_feed

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def schedule(world, day: str, network=None, title="SENCO network", **kw):
    starts = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9, 30), tzinfo=LONDON)
    return services.meeting_schedule(
        network=network or world.network,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        actor=world["coordinator"],
        **kw,
    )


def fetch(client, raw: str) -> Calendar:
    response = client.get(f"/calendar/{raw}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def far(years: int = 2) -> str:
    return str(datetime.date.today().year + years)


def test_a_feed_has_the_properties_calendar_clients_need(client, world):
    meeting = schedule(world, f"{far()}-07-01", host_school=world.own, location="Room 4")
    agenda_item(meeting, "Provision maps")
    _, raw = calendar_feed(world["senco"])
    calendar = fetch(client, raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@meetings.school-partnership"
    assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    assert event["DTSTAMP"].to_ical().endswith(b"Z")
    assert event["LAST-MODIFIED"].to_ical().endswith(b"Z")
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Room 4"
    assert "1. Provision maps" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.pk}/"


def test_summer_and_winter_meetings_are_in_london_time_with_a_vtimezone(client, world):
    schedule(world, f"{far()}-07-01", title="Summer")
    schedule(world, f"{far()}-12-01", title="Winter")
    _, raw = calendar_feed(world["senco"])
    calendar = fetch(client, raw)
    found = events(calendar)
    for title, offset in [("Summer", 1), ("Winter", 0)]:
        start = found[title]["DTSTART"]
        assert start.params["TZID"] == "Europe/London"
        assert start.dt.replace(tzinfo=None).time() == datetime.time(9, 30)
        assert start.dt.utcoffset() == datetime.timedelta(hours=offset)
        assert found[title]["DTEND"].params["TZID"] == "Europe/London"
    # The VTIMEZONE itself gives the right offsets (clients without a zone database rely on it).
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/London"
    zone = vtimezone.to_tz()
    for day, offset in [(f"{far()}-07-01", 1), (f"{far()}-12-01", 0)]:
        moment = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9, 30))
        assert zone.utcoffset(moment) == datetime.timedelta(hours=offset)
    # Around the changes: 31 March 2030 (last Sunday of March) and 27 October 2030.
    assert zone.utcoffset(datetime.datetime(2030, 3, 31, 0, 30)) == datetime.timedelta(0)
    assert zone.utcoffset(datetime.datetime(2030, 3, 31, 2, 30)) == datetime.timedelta(hours=1)
    assert zone.utcoffset(datetime.datetime(2030, 10, 27, 3, 0)) == datetime.timedelta(0)


def test_an_edited_meeting_keeps_its_uid_and_its_sequence_goes_up(client, world):
    meeting = schedule(world, f"{far()}-03-14")
    _, raw = calendar_feed(world["senco"])
    before = fetch(client, raw).walk("VEVENT")[0]
    services.meeting_update(
        meeting=meeting,
        data={
            "starts_at": meeting.starts_at + datetime.timedelta(days=1),
            "ends_at": meeting.ends_at + datetime.timedelta(days=1),
        },
        actor=world["coordinator"],
    )
    meeting.refresh_from_db()
    services.meeting_update(
        meeting=meeting, data={"ends_at": meeting.starts_at + datetime.timedelta(hours=1)}, actor=world["coordinator"]
    )
    after = fetch(client, raw).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 2)
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt  # to the second
    assert after["DTSTART"].dt.date() == datetime.date(int(far()), 3, 15)


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(client, world):
    meeting = schedule(world, f"{far()}-03-14")
    services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    _, raw = calendar_feed(world["senco"])
    [event] = fetch(client, raw).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_a_persons_feed_has_their_networks_and_meetings_they_are_listed_for(client, world):
    heads = Network.objects.create(partnership=world.home, name="Heads", kind="role", role=Role.HEADTEACHER)
    schedule(world, f"{far()}-03-14", title="SENCOs")
    schedule(world, f"{far()}-03-15", network=heads, title="Heads")
    guest = schedule(world, f"{far()}-03-16", network=heads, title="Heads with SENCOs")
    services.attendance_add(meeting=guest, person=world["senco"], actor=world["coordinator"])
    schedule(world, f"{far()}-03-17", network=world.other_network, title="Other partnership")
    _, raw = calendar_feed(world["senco"])
    assert set(events(fetch(client, raw))) == {"SENCOs", "Heads with SENCOs"}


def test_a_network_feed_has_only_that_networks_meetings(client, world):
    heads = Network.objects.create(partnership=world.home, name="Heads", kind="role", role=Role.HEADTEACHER)
    schedule(world, f"{far()}-03-14", title="SENCOs")
    schedule(world, f"{far()}-03-15", network=heads, title="Heads")
    _, raw = calendar_feed(world["adviser"], world.network)
    calendar = fetch(client, raw)
    assert set(events(calendar)) == {"SENCOs"}
    assert str(calendar["X-WR-CALNAME"]) == "SENCOs meetings"


def test_a_feed_records_when_it_was_last_used(client, world):
    feed, raw = calendar_feed(world["senco"])
    assert feed.last_used_at is None
    fetch(client, raw)
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_revoked_and_unknown_tokens_are_not_found(client, world):
    feed, raw = calendar_feed(world["senco"])
    services.calendar_feed_revoke(feed=feed, actor=world["senco"])
    assert client.get(f"/calendar/{raw}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at is None


def test_a_network_feed_stops_when_its_owner_leaves_the_network(client, world):
    _, raw = calendar_feed(world["adviser"], world.network)
    fetch(client, raw)
    world.manual_member.delete()
    assert client.get(f"/calendar/{raw}.ics").status_code == 404


def test_a_feed_of_a_disabled_account_is_not_found(client, world):
    _, raw = calendar_feed(world["senco"])
    world["senco"].is_active = False
    world["senco"].save(update_fields=["is_active"])
    assert client.get(f"/calendar/{raw}.ics").status_code == 404
