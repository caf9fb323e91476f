"""Builders for good practice tests: the shipped areas, entries and requests at each stage."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from partnership.goodpractice import support
from partnership.goodpractice.areas import load
from partnership.goodpractice.models import PracticeArea, RegisterEntry, SupportRequest
from partnership.goodpractice.needs import NeedItem


def areas() -> dict[str, PracticeArea]:
    """The shipped list (a transactional test's flush empties the migration's rows)."""
    load(PracticeArea)
    return {area.key: area for area in PracticeArea.objects.all()}


def area(key: str = "maths") -> PracticeArea:
    return areas()[key]


def entry(
    partnership: Any,
    school: Any,
    *,
    by: Any,
    area_key: str = "maths",
    capacity: int = 3,
    status: str = RegisterEntry.Status.PROPOSED,
    title: str = "",
    contact: Any = None,
) -> RegisterEntry:
    return RegisterEntry.objects.create(
        partnership=partnership,
        school=school,
        area=area(area_key),
        title=title or f"{area_key.title()} at {school.name}",
        description="What we do.",
        capacity=capacity,
        status=status,
        proposed_by=by,
        contact=contact,
        endorsed_how="board" if status == RegisterEntry.Status.ENDORSED else "",
    )


def own_need(area_key: str = "maths", title: str = "Improve maths reasoning") -> NeedItem:
    return NeedItem(f"own|{title}", "own", title, "", (area(area_key),))


def request_at(
    entry: RegisterEntry, school: Any, *, asker: Any, answerer: Any, stage: str = "requested", sessions: int = 2
) -> SupportRequest:
    """A request through `entry` from `school`, taken to `stage` through the services."""
    req = support.request_create(
        entry=entry,
        school=school,
        need=own_need(entry.area.key),
        area=entry.area,
        message="",
        sessions=sessions,
        actor=asker,
    )
    if stage == "requested":
        return req
    req = support.request_accept(req=req, actor=answerer)
    if stage == "accepted":
        return req
    req = support.plan_agree(
        req=req,
        plan="Two visits.",
        sessions=sessions,
        visits=1,
        starts_on=None,
        ends_on=None,
        cost=Decimal("0"),
        impact_target="",
        actor=answerer,
    )
    if stage == "agreed":
        return req
    support.session_log(
        req=req,
        day=timezone.localdate() - datetime.timedelta(days=3),
        kind="visit_host",
        days=Decimal("0.5"),
        attendees="",
        impact_note="Saw it working.",
        actor=asker,
    )
    if stage == "session":
        return req
    req = support.impact_record(req=req, impact="moved", note="Better.", target="", actor=asker)
    if stage == "impact":
        return req
    return support.request_close(req=req, actor=asker)
