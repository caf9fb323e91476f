"""Reads for meetings and calendar feeds. Each selector owns its joins so a page's query count stays flat."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from partnership.accounts.models import User
from partnership.actions.models import Action
from partnership.core.access import can, principal_for, visible_to
from partnership.core.roles import Role
from partnership.directory.models import Membership, Network, RoleAssignment, School
from partnership.directory.policy import member_networks
from partnership.directory.selectors import network_members
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting

# How far back a calendar feed and the "recent meetings" list reach.
PAST_WINDOW = datetime.timedelta(days=365)
RECENT_LIMIT = 10

# --- Who a network's meetings are for -----------------------------------------------------------


def network_people(network: Network) -> list[User]:
    """The people a network's meetings are for: its members (`directory.selectors.network_members`,
    by role, boards included, and by name). Two queries."""
    people = [row["person"] for row in network_members(network)]
    return sorted(people, key=lambda p: (p.full_name.lower(), p.pk))


def _coordinators(network: Network) -> QuerySet[User]:
    assignments = RoleAssignment.objects.current().filter(partnership_id=network.partnership_id, role=Role.COORDINATOR)
    return User.objects.filter(is_active=True, pk__in=assignments.values("person_id")).select_related("school")


def meeting_people(meeting: Meeting, attendance: list[Attendance] | None = None) -> list[User]:
    """Who may own an action or lead an item: the network's people, the partnership's coordinators
    (who run every network's meetings) and anyone on the attendance list."""
    people = {p.pk: p for p in network_people(meeting.network)}
    for person in _coordinators(meeting.network):
        people.setdefault(person.pk, person)
    rows = attendance if attendance is not None else list(meeting.attendance.select_related("person__school"))
    for row in rows:
        people.setdefault(row.person_id, row.person)
    return sorted(people.values(), key=lambda p: (p.full_name.lower(), p.pk))


# --- Host rotation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostTurn:
    school: School
    last_hosted: datetime.datetime | None


@dataclass(frozen=True)
class HostSuggestion:
    school: School
    reason: str
    rotation: list[HostTurn] = field(default_factory=list)


def host_rotation(network: Network) -> list[HostTurn]:
    """The partnership's current member schools in hosting order for this network's meetings.

    Schools that have never hosted come first (by name), then the one that hosted least recently.
    Cancelled meetings do not count; scheduled future ones do, so a school booked to host next
    month goes to the back of the queue. Two queries.
    """
    schools = [
        m.school
        for m in Membership.objects.current()
        .filter(partnership_id=network.partnership_id)
        .select_related("school")
        .order_by("school__name")
    ]
    last = dict(
        Meeting.objects.filter(network=network, host_school__isnull=False)
        .exclude(status=Meeting.Status.CANCELLED)
        .values("host_school_id")
        .annotate(last=Max("starts_at"))
        .values_list("host_school_id", "last")
    )
    turns = [HostTurn(school=s, last_hosted=last.get(s.pk)) for s in schools]
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(turns, key=lambda t: (t.last_hosted is not None, t.last_hosted or never, t.school.name))


def host_suggestion(network: Network) -> HostSuggestion | None:
    rotation = host_rotation(network)
    if not rotation:
        return None
    first = rotation[0]
    if first.last_hosted is None:
        others = sum(1 for t in rotation if t.last_hosted is None) - 1
        if others:
            schools = f"{others} other school{'s' if others != 1 else ''}"
            reason = (
                f"{first.school.name} has not hosted a {network.name} meeting yet. Nor has {schools}: "
                "schools that have not hosted take their turn in alphabetical order."
            )
        else:
            reason = f"{first.school.name} is the only member school that has not hosted a {network.name} meeting yet."
    else:
        when = date_format(timezone.localtime(first.last_hosted), "j F Y")
        reason = f"{first.school.name} last hosted on {when}, longer ago than any other member school."
    return HostSuggestion(school=first.school, reason=reason, rotation=rotation)


# --- Meetings -----------------------------------------------------------------------------------


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """The person's own meetings: those of the networks they belong to (by role, by name, or as the
    partnership's coordinator, who runs them all) and those they are on the list for."""
    principal = principal_for(user)
    if principal.user_id is None:
        return Meeting.objects.none()
    mine = Q(network_id__in=Network.objects.filter(member_networks(principal)).values("pk")) | Q(
        pk__in=Attendance.objects.filter(person_id=principal.user_id).values("meeting_id")
    )
    # For everyone but administrators this is the whole of what they may see; it keeps an
    # administrator's list to their own meetings rather than the platform's.
    return visible_to(user, Meeting).filter(mine)


def _listed(qs: QuerySet[Meeting], user: Any) -> QuerySet[Meeting]:
    return qs.select_related("network__partnership", "host_school").prefetch_related(
        Prefetch("attendance", queryset=Attendance.objects.filter(person_id=user.pk), to_attr="my_attendance")
    )


def upcoming_meetings_for(user: Any, limit: int | None = None) -> list[Meeting]:
    qs = _listed(meetings_for(user).filter(ends_at__gte=timezone.now()).order_by("starts_at"), user)
    return list(qs[:limit] if limit else qs)


def next_meetings_for(user: Any, limit: int = 5) -> list[Meeting]:
    """For the home page: the person's next scheduled meetings."""
    qs = meetings_for(user).filter(ends_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED)
    return list(_listed(qs.order_by("starts_at"), user)[:limit])


def recent_meetings_for(user: Any, limit: int = RECENT_LIMIT) -> list[Meeting]:
    since = timezone.now() - PAST_WINDOW
    qs = meetings_for(user).filter(ends_at__lt=timezone.now(), starts_at__gte=since).order_by("-starts_at")
    return list(_listed(qs, user)[:limit])


def network_meetings(network: Network, user: Any, past_limit: int = RECENT_LIMIT) -> dict[str, list[Meeting]]:
    """A network's upcoming meetings and its most recent past ones, for the network page."""
    base = _listed(Meeting.objects.filter(network=network), user)
    now = timezone.now()
    return {
        "upcoming": list(base.filter(ends_at__gte=now).order_by("starts_at")),
        "past": list(base.filter(ends_at__lt=now).order_by("-starts_at")[:past_limit]),
    }


@dataclass
class AttendanceSummary:
    expected: int = 0
    present: int = 0
    apologies: int = 0
    absent: int = 0


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[AgendaItem]
    attendance: list[Attendance]
    summary: AttendanceSummary
    my_attendance: Attendance | None


def meeting_for_page(pk: int) -> Meeting:
    """The meeting with what its header needs. Raises Meeting.DoesNotExist."""
    return Meeting.objects.select_related("network__partnership", "host_school", "created_by").get(pk=pk)


def meeting_page(meeting: Meeting, user: Any) -> MeetingPage:
    """Everything the meeting's working document shows: agenda, papers, minutes, actions and attendance.

    Five queries however many items, papers, actions and attendees there are.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related(Prefetch("papers", queryset=AgendaPaper.objects.order_by("uploaded_at", "pk")))
        .order_by("number")
    )
    actions: dict[int, list[Action]] = {}
    if items:
        rows = (
            visible_to(user, Action)
            .filter(source_type=ContentType.objects.get_for_model(AgendaItem), source_id__in=[i.pk for i in items])
            .select_related("owner")
            .order_by("due_on", "pk")
        )
        for action in rows:
            actions.setdefault(action.source_id, []).append(action)
    for position, item in enumerate(items, start=1):
        item.item_actions = actions.get(item.pk, [])  # type: ignore[attr-defined]
        item.move_up = position - 1 if position > 1 else None  # type: ignore[attr-defined]
        item.move_down = position + 1 if position < len(items) else None  # type: ignore[attr-defined]
        item.decision_lines = [line.strip() for line in item.decisions.splitlines() if line.strip()]  # type: ignore[attr-defined]
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person__school").order_by("person__full_name")
    )
    summary = AttendanceSummary()
    for row in attendance:
        setattr(summary, row.status, getattr(summary, row.status) + 1)
    mine = next((row for row in attendance if row.person_id == user.pk), None)
    return MeetingPage(meeting=meeting, items=items, attendance=attendance, summary=summary, my_attendance=mine)


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("number"))


# --- Calendar feeds -----------------------------------------------------------------------------


def feeds_for(user: Any) -> QuerySet[CalendarFeed]:
    return visible_to(user, CalendarFeed).select_related("network__partnership").order_by("-created_at")


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The active feed this token opens, or None for an unknown or revoked token."""
    if not raw or len(raw) > 200:
        return None
    return (
        CalendarFeed.objects.active()
        .select_related("owner", "network")
        .filter(token_hash=CalendarFeed.hash_token(raw))
        .first()
    )


def feed_meetings(feed: CalendarFeed) -> list[Meeting]:
    """The meetings a feed shows: one network's, or the owner's own. From a year ago onwards.

    Cancelled meetings stay in the feed (STATUS:CANCELLED) so calendars mark them rather than
    keep a stale copy. Three queries.
    """
    owner = feed.owner
    qs = visible_to(owner, Meeting).filter(network=feed.network) if feed.network_id else meetings_for(owner)
    qs = qs.filter(starts_at__gte=timezone.now() - PAST_WINDOW)
    return list(
        qs.select_related("network", "host_school")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("number")))
        .order_by("starts_at")
    )


def attendee_candidates(meeting: Meeting, attendance: list[Attendance]) -> list[User]:
    """People a runner may add to the list: the network's people and the partnership's coordinators
    and advisers, less those already on it. Four queries."""
    listed = {row.person_id for row in attendance}
    people = {p.pk: p for p in network_people(meeting.network)}
    externals = User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.current()
        .filter(partnership_id=meeting.network.partnership_id)
        .values("person_id"),
    ).select_related("school")
    for person in externals:
        people.setdefault(person.pk, person)
    return sorted((p for p in people.values() if p.pk not in listed), key=lambda p: (p.full_name.lower(), p.pk))


def home_meetings(request: Any) -> dict[str, Any]:
    """The home page's panel: the person's next five meetings."""
    return {"next_meetings": next_meetings_for(request.user, limit=5)}


def network_page_section(request: Any, network: Network) -> dict[str, Any]:
    """The Meetings section of a network's page: its meetings for those who may see them."""
    can_view = can(request.user, "view_meetings", network)
    return {
        "network": network,
        "network_meetings": network_meetings(network, request.user) if can_view else None,
        "can_run_meetings": can_view and can(request.user, "run_meetings", network),
    }
