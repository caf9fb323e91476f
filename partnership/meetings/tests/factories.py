"""Meetings in a given state, built straight into the database (the services are tested on their own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from partnership.directory.models import Network
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting
from partnership.meetings.selectors import network_people

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def scheduled_meeting(
    network: Network, *, created_by: Any, days_ahead: int = 14, title: str = "", **extra: Any
) -> Meeting:
    """A meeting `days_ahead` days from now (negative: in the past), 09:30 to 11:00, with everyone
    in the network expected."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    meeting = Meeting.objects.create(
        network=network,
        title=title or f"{network.name} meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        created_by=created_by,
        **extra,
    )
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in network_people(network)])
    return meeting


def held_meeting(network: Network, *, created_by: Any, days_ago: int = 7, **extra: Any) -> Meeting:
    return scheduled_meeting(network, created_by=created_by, days_ahead=-days_ago, status=Meeting.Status.HELD, **extra)


def agenda_item(meeting: Meeting, title: str = "Welcome and apologies", **extra: Any) -> AgendaItem:
    number = meeting.items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, number=number, title=title, **extra)


def pdf_paper(item: AgendaItem, uploaded_by: Any, name: str = "paper.pdf") -> AgendaPaper:
    return AgendaPaper.objects.create(
        item=item,
        file=ContentFile(PDF_BYTES, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=uploaded_by,
    )


def calendar_feed(owner: Any, network: Network | None = None) -> tuple[CalendarFeed, str]:
    raw, token_hash = CalendarFeed.new_token()
    return CalendarFeed.objects.create(owner=owner, network=network, token_hash=token_hash), raw
