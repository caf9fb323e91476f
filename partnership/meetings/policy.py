"""Access rules for meetings and calendar feeds. Registered with `partnership.core.access`.

A network's meetings belong to its members (the one definition of membership is the directory's
`member_networks`) and its partnership's coordinators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal, child_scope
from partnership.directory.models import Network
from partnership.directory.policy import member_networks, member_of_network
from partnership.meetings.models import AgendaItem, Attendance


def scope_meeting(p: Principal) -> Q:
    # Anyone on a meeting's list sees it (a guest speaker from elsewhere), except in a partnership
    # the person has left.
    listed = (
        Attendance.objects.filter(person_id=p.user_id)
        .exclude(meeting__network__partnership_id__in=p.former_partnerships)
        .values("meeting_id")
    )
    return Q(network_id__in=Network.objects.filter(member_networks(p)).values("pk")) | Q(pk__in=listed)


def _visible_agenda_items(p: Principal) -> Any:
    return AgendaItem.objects.filter(meeting_id__in=access.visible_rows(p, "meetings.meeting")).values("pk")


def register() -> None:
    access.register(
        "directory.network",
        name="Network meetings",
        rules={
            "view_meetings": lambda p, o: member_of_network(p, o),
            "run_meetings": lambda p, o: member_of_network(p, o),
        },
        view="the network's members (by role, or added by name while they belong to the partnership) and its "
        "partnership's coordinators; a meeting also to anyone on its attendance list (e.g. a guest "
        "speaker), except people whose school or role has left the partnership",
        act="`run_meetings` / Meeting `manage` (schedule, agenda, papers, attendance, minutes): the network's "
        "members and its partnership's coordinators",
    )
    access.register(
        "meetings.meeting", scope=scope_meeting, rules={"manage": lambda p, o: member_of_network(p, o.network)}
    )
    access.register(
        "meetings.agendaitem",
        name="Agenda item, paper, attendance",
        scope=child_scope("meetings.meeting", "meeting_id"),
        view="with their meeting",
        act="as their meeting's rules",
    )
    access.register("meetings.agendapaper", scope=child_scope("meetings.meeting", "item__meeting_id"))
    access.register("meetings.attendance", scope=child_scope("meetings.meeting", "meeting_id"))
    access.register(
        "meetings.calendarfeed",
        name="Calendar feed",
        scope=lambda p: Q(owner_id=p.user_id),
        rules={"manage": lambda p, o: o.owner_id == p.user_id},
        view="its owner",
        act="`manage` (revoke): its owner",
    )
    # An action agreed under an agenda item is seen only by those who may see the meeting.
    access.register_action_place("meetings.agendaitem", _visible_agenda_items)
