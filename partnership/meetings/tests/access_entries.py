"""Access matrix entries for meetings and calendar feeds (walked by core's test_access_matrix.py).

The written policy: a network's meetings (agenda, papers, minutes, attendance) are visible to its
members and the partnership's coordinators, who also run them. In the cast, world.network is the
home partnership's SENCO network: its members are the SENCO (not a matrix role) and the adviser
(added by name), so head, teacher and governor are refused and the coordinator and adviser are
let in. Meetings are network-level: "partner" is another meeting of the same network (hosted by
the partner school); "outside" is a meeting of the other partnership's SENCO network.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.core.tests.matrix import PUBLIC, SIGNED_IN, Entry, grid, obj, post
from partnership.directory.tests.factories import World
from partnership.meetings.tests.factories import agenda_item, calendar_feed, pdf_paper, scheduled_meeting

#                    head     teacher  governor coord    adviser  out_head admin
# Network meetings: its members and the partnership's coordinators (view and manage alike).
MEMBERS = grid(      "...",   "...",   "...",   "AA.",   "AA.",   "...",   "AAA")  # fmt: skip
# Calendar feed "manage" (switch off): its owner. The feed of each scope is owned by that
# scope's headteacher (head, partner_head, outside_head).
FEED_OWNER = grid(   "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A calendar feed's address: the token is the credential, whoever presents it.
TOKEN = grid(        "AAA",   "AAA",   "AAA",   "AAA",   "AAA",   "AAA",   "AAA", leaver="AAA")  # fmt: skip


def _meeting(w: World, scope: str) -> Any:
    if scope == "outside":
        return scheduled_meeting(w.other_network, created_by=w["other_coordinator"], host_school=w.outside)  # type: ignore[arg-type]
    host = w.own if scope == "own" else w.partner
    return scheduled_meeting(w.network, created_by=w["coordinator"], host_school=host)  # type: ignore[arg-type]


def meeting_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _meeting(w, scope).pk}


def network_of_scope(w: World, scope: str) -> dict[str, Any]:
    return {"network_pk": (w.other_network if scope == "outside" else w.network).pk}  # type: ignore[union-attr]


def item_of_scope(w: World, scope: str) -> dict[str, Any]:
    meeting = _meeting(w, scope)
    return {"pk": meeting.pk, "item_pk": agenda_item(meeting).pk}


def paper_of_scope(w: World, scope: str) -> dict[str, Any]:
    meeting = _meeting(w, scope)
    return {"pk": pdf_paper(agenda_item(meeting), meeting.created_by).pk}


def attendance_of_scope(w: World, scope: str) -> dict[str, Any]:
    meeting = _meeting(w, scope)
    return {"pk": meeting.pk, "attendance_pk": meeting.attendance.order_by("pk").first().pk}


def feed_token(w: World, scope: str) -> dict[str, Any]:
    # own: the SENCO's personal feed; partner: the adviser's feed of the SENCO network;
    # outside: the other partnership's adviser's feed of its SENCO network.
    if scope == "own":
        _, raw = calendar_feed(w["senco"])
    elif scope == "partner":
        _, raw = calendar_feed(w["adviser"], w.network)
    else:
        _, raw = calendar_feed(w["other_adviser"], w.other_network)
    scheduled_meeting(w.network, created_by=w["coordinator"])  # type: ignore[arg-type]
    return {"token": raw}


def feed_of_scope(w: World, scope: str) -> dict[str, Any]:
    owner = {"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]
    feed, _ = calendar_feed(w[owner])
    return {"pk": feed.pk}


def _schedule(w: World) -> dict[str, Any]:
    return {"title": "Spring meeting", "date": "2031-03-14", "start_time": "09:30", "end_time": "11:00"}


def _paper(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")}


ENTRIES: dict[str, Entry] = {
    "meetings:index": Entry("meetings:index", SIGNED_IN),
    "meetings:create": obj("meetings:create", network_of_scope, MEMBERS),
    "meetings:create+schedule": post("meetings:create", network_of_scope, MEMBERS, data=_schedule),
    "meetings:detail": obj("meetings:detail", meeting_pk, MEMBERS),
    "meetings:edit": obj("meetings:edit", meeting_pk, MEMBERS),
    "meetings:edit+save": post("meetings:edit", meeting_pk, MEMBERS, data=_schedule),
    "meetings:status": post("meetings:status", meeting_pk, MEMBERS, data=lambda w: {"status": "cancelled"}),
    "meetings:approve_minutes": post("meetings:approve_minutes", meeting_pk, MEMBERS),
    "meetings:item_create": obj("meetings:item_create", meeting_pk, MEMBERS),
    "meetings:item_create+add": post(
        "meetings:item_create", meeting_pk, MEMBERS, data=lambda w: {"title": "Data review"}
    ),
    "meetings:item_edit": obj("meetings:item_edit", item_of_scope, MEMBERS),
    "meetings:item_move": post("meetings:item_move", item_of_scope, MEMBERS, data=lambda w: {"number": 1}),
    "meetings:item_delete": post("meetings:item_delete", item_of_scope, MEMBERS),
    "meetings:item_minutes": obj("meetings:item_minutes", item_of_scope, MEMBERS),
    "meetings:item_minutes+save": post(
        "meetings:item_minutes", item_of_scope, MEMBERS, data=lambda w: {"minutes": "Agreed.", "decisions": ""}
    ),
    "meetings:paper_upload": obj("meetings:paper_upload", item_of_scope, MEMBERS),
    "meetings:paper_upload+upload": post("meetings:paper_upload", item_of_scope, MEMBERS, data=_paper),
    "meetings:item_action_create": obj("meetings:item_action_create", item_of_scope, MEMBERS),
    "meetings:attendance_add": post(
        "meetings:attendance_add", meeting_pk, MEMBERS, data=lambda w: {"person": w["coordinator"].pk}
    ),
    "meetings:attendance_mark": post(
        "meetings:attendance_mark", attendance_of_scope, MEMBERS, data=lambda w: {"status": "present"}
    ),
    "meetings:apologies": post("meetings:apologies", meeting_pk, MEMBERS, data=lambda w: {"note": "INSET day"}),
    "meetings:paper_download": obj("meetings:paper_download", paper_of_scope, MEMBERS),
    "meetings:paper_delete": post("meetings:paper_delete", paper_of_scope, MEMBERS),
    # Calendar feeds: anyone signed in may make their own; a network's feed needs its meetings.
    "meetings:feed_list": Entry("meetings:feed_list", SIGNED_IN),
    "meetings:feed_list+create": Entry("meetings:feed_list", SIGNED_IN, method="post"),
    "meetings:network_feed_create": post("meetings:network_feed_create", network_of_scope, MEMBERS),
    "meetings:feed_revoke": post("meetings:feed_revoke", feed_of_scope, FEED_OWNER),
    "calendar_feed": obj("calendar_feed", feed_token, TOKEN, anonymous=PUBLIC),
}
