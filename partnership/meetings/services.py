"""Writes for meetings: scheduling, the agenda and its papers, attendance, minutes, inline actions,
and private calendar feeds. Every write is audited against the network's partnership."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from partnership.actions.models import Action
from partnership.actions.services import action_create
from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.directory.models import Membership, Network, School
from partnership.meetings import papers, selectors
from partnership.meetings.models import REMINDER_BEFORE, AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting
from partnership.meetings.tasks import send_meeting_notice, send_meeting_reminder

# A change to any of these changes the calendar event: SEQUENCE goes up so clients replace their copy.
EVENT_FIELDS = ["title", "starts_at", "ends_at", "location", "host_school", "status"]
# A change to any of these moves the meeting: the people on its list are told by email.
MOVE_FIELDS = ["starts_at", "ends_at", "location", "host_school"]
# Status changes the people on the list are told about by email (`tasks.NOTICES`).
STATUS_NOTICES: dict[tuple[str, str], str] = {
    (Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED): "cancelled",
    (Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED): "reinstated",
}


def _record(actor: Any, verb: str, obj: Any, of: Meeting, request: HttpRequest | None, **detail: Any) -> None:
    """Audit a change to a meeting or its parts, in the log of the meeting's partnership."""
    audit.record(actor, verb, obj, detail=detail or None, request=request, partnership_id=of.network.partnership_id)


def _touch(meeting: Meeting) -> None:
    """The agenda is part of the calendar event's description: note the revision time."""
    meeting.updated_at = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=meeting.updated_at)


def _ensure_open(meeting: Meeting) -> None:
    if meeting.minutes_approved_at is not None:
        when = date_format(timezone.localtime(meeting.minutes_approved_at), "j F Y")
        raise ApplicationError(f"The minutes of this meeting were approved on {when}, so the record cannot change.")


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ApplicationError("The meeting must end after it starts.", field="ends_at")


def _check_host(network: Network, host_school: School | None) -> None:
    if host_school is None:
        return
    if not Membership.objects.current().filter(partnership_id=network.partnership_id, school=host_school).exists():
        raise ApplicationError(
            f"{host_school.name} is not a member school of {network.partnership.name}.", field="host_school"
        )


def _queue_reminder(meeting: Meeting, base_url: str = "") -> None:
    """After the transaction commits, queue the reminder for two days before (or now, if that has passed).

    The task checks the meeting's status and sequence when it runs, so a reminder queued before a
    change or a cancellation does nothing: only the latest one is sent.
    """
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= timezone.now():
        return
    eta = max(meeting.starts_at - REMINDER_BEFORE, timezone.now())
    pk, sequence = meeting.pk, meeting.sequence
    transaction.on_commit(
        lambda: send_meeting_reminder.apply_async(args=[pk, sequence], kwargs={"base_url": base_url}, eta=eta)
    )


def _queue_notice(meeting: Meeting, kind: str, base_url: str = "", was: str = "", person_id: int | None = None) -> None:
    """After the transaction commits, email the people on the list (or only `person_id`) about the
    change (`kind`), with the calendar file attached. Not for a meeting that has already started (a
    record being kept up to date). A failure to send is logged, never undoes the change or fails
    the page."""
    if meeting.starts_at <= timezone.now():
        return
    pk = meeting.pk
    transaction.on_commit(
        lambda: send_meeting_notice.delay(pk, kind, base_url=base_url, was=was, person_id=person_id),
        robust=True,
    )


def _when_and_where(before: dict[str, Any]) -> str:
    """ "on Tuesday 3 March 2031, 09:30 to 11:00, at Room 4": a meeting's time and place before a move."""
    starts, ends = timezone.localtime(before["starts_at"]), timezone.localtime(before["ends_at"])
    text = f"on {date_format(starts, 'l j F Y')}, {starts:%H:%M} to {ends:%H:%M}"
    host = before["host_school"]
    place = before["location"] or (host.name if host is not None else "")
    return f"{text}, at {place}" if place else text


def _notify_change(meeting: Meeting, before: dict[str, Any], diff: dict[str, Any], base_url: str) -> None:
    """Tell the people on the list about a cancellation, a reinstatement or a move (not a new title
    or a meeting marked as held: calendar feeds pick those up)."""
    kind = STATUS_NOTICES.get((before["status"], meeting.status)) if "status" in diff else None
    if kind is not None:
        _queue_notice(meeting, kind, base_url)
    elif meeting.status == Meeting.Status.SCHEDULED and any(name in diff for name in MOVE_FIELDS):
        _queue_notice(meeting, "moved", base_url, was=_when_and_where(before))


def _base_url(request: HttpRequest | None) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


# --- Meetings -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    network: Network,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: Any,
    location: str = "",
    host_school: School | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Schedule a meeting. Everyone in the network is expected, and so is the person scheduling it
    (a coordinator runs a network's meetings without being one of its members). They are emailed
    the invitation once the meeting is saved, and a reminder is queued."""
    if network.closed_on is not None:
        raise ApplicationError(f"{network.name} has closed, so it cannot meet.")
    _check_times(starts_at, ends_at)
    _check_host(network, host_school)
    meeting = Meeting(
        network=network,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        host_school=host_school,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    people = selectors.network_people(network)
    if getattr(actor, "is_active", False) and actor.pk not in {person.pk for person in people}:
        people.append(actor)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=person) for person in people])
    _record(
        actor,
        "create",
        meeting,
        meeting,
        request,
        starts_at=meeting.starts_at.isoformat(),
        host_school=host_school.name if host_school else "",
        expected=len(people),
    )
    _queue_notice(meeting, "scheduled", _base_url(request))
    _queue_reminder(meeting, _base_url(request))
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, data: dict[str, Any], actor: Any, request: HttpRequest | None = None
) -> Meeting:
    """Change a meeting's details (any of EVENT_FIELDS). A real change bumps SEQUENCE and re-queues
    the reminder; a move, a cancellation or a reinstatement is emailed to the people on the list."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network__partnership").get(pk=meeting.pk)
    _ensure_open(meeting)
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ApplicationError(f"{', '.join(sorted(unknown))} cannot be changed here.")
    before = audit.snapshot(meeting, EVENT_FIELDS)
    for name, value in data.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    _check_times(meeting.starts_at, meeting.ends_at)
    if meeting.host_school != before["host_school"]:  # a school that has since left may stay the host
        _check_host(meeting.network, meeting.host_school)
    diff = audit.changes(before, audit.snapshot(meeting, EVENT_FIELDS))
    if not diff:
        return meeting
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    _record(actor, "update", meeting, meeting, request, changes=diff, sequence=meeting.sequence)
    _notify_change(meeting, before, diff, _base_url(request))
    _queue_reminder(meeting, _base_url(request))
    return meeting


# Status changes a person may make, and what each is called in messages.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Meeting.Status.SCHEDULED, Meeting.Status.HELD): "marked as held",
    (Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED): "cancelled",
    (Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED): "reinstated",
    (Meeting.Status.HELD, Meeting.Status.SCHEDULED): "put back to scheduled",
}


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, status: str, actor: Any, request: HttpRequest | None = None) -> str:
    """Mark as held, cancel, or reinstate. Returns what happened, in words. Cancelled meetings stay
    in calendar feeds with STATUS:CANCELLED."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network__partnership").get(pk=meeting.pk)
    done = TRANSITIONS.get((meeting.status, status))
    if done is None:
        raise ApplicationError(f"A {meeting.get_status_display().lower()} meeting cannot be changed like that.")
    if status == Meeting.Status.HELD and meeting.starts_at > timezone.now():
        raise ApplicationError("This meeting has not started yet, so it cannot be marked as held.")
    if meeting.status == Meeting.Status.HELD:
        _ensure_open(meeting)
    meeting_update(meeting=meeting, data={"status": status}, actor=actor, request=request)
    return done


@transaction.atomic
def meeting_approve_minutes(*, meeting: Meeting, actor: Any, request: HttpRequest | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ApplicationError("Minutes can be approved once the meeting is marked as held.")
    _ensure_open(meeting)
    meeting.minutes_approved_at = timezone.now()
    meeting.updated_at = meeting.minutes_approved_at
    meeting.save(update_fields=["minutes_approved_at", "updated_at"])
    _record(actor, "approve_minutes", meeting, meeting, request)
    return meeting


# --- Agenda -------------------------------------------------------------------------------------


def _renumber(meeting: Meeting, ordered: list[AgendaItem]) -> None:
    """Number the items 1, 2, 3... in the given order. Moving them clear first keeps the
    (meeting, number) constraint satisfied at every step, on any database."""
    AgendaItem.objects.filter(meeting=meeting).update(number=F("number") + 1000)
    for position, item in enumerate(ordered, start=1):
        item.number = position
    AgendaItem.objects.bulk_update(ordered, ["number"])


def _check_person(meeting: Meeting, person: Any, field: str) -> None:
    if person is None:
        return
    if person.pk not in {p.pk for p in selectors.meeting_people(meeting)}:
        raise ApplicationError(f"{person} is not in {meeting.network.name} or on this meeting's list.", field=field)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    actor: Any,
    description: str = "",
    presenter: Any = None,
    number: int | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda, or at `number` (the items after it move down)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
    _ensure_open(meeting)
    _check_person(meeting, presenter, "presenter")
    items = selectors.meeting_items(meeting)
    item = AgendaItem(
        meeting=meeting,
        number=len(items) + 1,
        title=title.strip(),
        description=description.strip(),
        presenter=presenter,
    )
    item.full_clean()
    item.save()
    if number is not None and 1 <= number <= len(items):
        items.insert(number - 1, item)
        _renumber(meeting, items)
    _touch(meeting)
    _record(actor, "create", item, meeting, request, meeting=meeting.pk, number=item.number, title=item.title)
    return item


ITEM_FIELDS = ["title", "description", "presenter"]


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, data: dict[str, Any], actor: Any, request: HttpRequest | None = None
) -> AgendaItem:
    """Change an item's title, description or presenter, and move it if `number` differs."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=item.meeting_id)
    _ensure_open(meeting)
    number = data.pop("number", None)
    if "presenter" in data and data["presenter"] != item.presenter:
        _check_person(meeting, data["presenter"], "presenter")
    before = audit.snapshot(item, ITEM_FIELDS)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name].strip() if isinstance(data[name], str) else data[name])
    item.full_clean()
    item.save()
    diff = audit.changes(before, audit.snapshot(item, ITEM_FIELDS))
    if diff:
        _touch(meeting)
        _record(actor, "update", item, meeting, request, changes=diff)
    if number is not None and number != item.number:
        item = agenda_item_move(item=item, number=number, actor=actor, request=request)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, number: int, actor: Any, request: HttpRequest | None = None) -> AgendaItem:
    """Move an item to position `number`; the others close up around it."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=item.meeting_id)
    _ensure_open(meeting)
    items = selectors.meeting_items(meeting)
    if not 1 <= number <= len(items):
        raise ApplicationError(f"Choose a position from 1 to {len(items)}.", field="number")
    current = next(i for i in items if i.pk == item.pk)
    old = current.number
    if old == number:
        return current
    items.remove(current)
    items.insert(number - 1, current)
    _renumber(meeting, items)
    _touch(meeting)
    _record(actor, "reorder", current, meeting, request, number=[old, number])
    return current


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: Any, request: HttpRequest | None = None) -> None:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=item.meeting_id)
    _ensure_open(meeting)
    if Action.objects.filter(source_type=ContentType.objects.get_for_model(AgendaItem), source_id=item.pk).exists():
        raise ApplicationError("Actions were agreed under this item, so it stays on the record.")
    files = [paper.file.name for paper in item.papers.all()]
    _record(actor, "delete", item, meeting, request, title=item.title, papers=len(files))
    item.delete()
    _renumber(meeting, selectors.meeting_items(meeting))
    _touch(meeting)
    storage = AgendaPaper._meta.get_field("file").storage  # type: ignore[attr-defined]

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def agenda_item_record_minutes(
    *, item: AgendaItem, minutes: str, decisions: str, actor: Any, request: HttpRequest | None = None
) -> AgendaItem:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=item.meeting_id)
    _ensure_open(meeting)
    before = audit.snapshot(item, ["minutes", "decisions"])
    item.minutes = minutes.strip()
    item.decisions = decisions.strip()
    item.full_clean()
    item.save(update_fields=["minutes", "decisions"])
    diff = audit.changes(before, audit.snapshot(item, ["minutes", "decisions"]))
    if diff:
        # Only which fields changed: minutes can be long, and the text itself is on the page.
        _record(actor, "minutes", item, meeting, request, changed=sorted(diff))
    return item


@transaction.atomic
def agenda_paper_add(*, item: AgendaItem, upload: Any, actor: Any, request: HttpRequest | None = None) -> AgendaPaper:
    """Attach a paper after checking its size and that its content matches its type."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=item.meeting_id)
    _ensure_open(meeting)
    name = papers.clean_name(getattr(upload, "name", "") or "paper")
    kind = papers.check_paper(upload, name, upload.size)
    upload.name = name
    paper = AgendaPaper(
        item=item,
        file=upload,
        original_name=name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    paper.full_clean()
    paper.save()
    _record(actor, "upload", paper, meeting, request, item=item.pk, name=name, size=paper.size)
    return paper


@transaction.atomic
def agenda_paper_remove(*, paper: AgendaPaper, actor: Any, request: HttpRequest | None = None) -> None:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=paper.item.meeting_id)
    _ensure_open(meeting)
    name = paper.file.name
    storage = paper.file.storage
    _record(actor, "delete", paper, meeting, request, name=paper.original_name)
    paper.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def agenda_item_action_add(
    *,
    item: AgendaItem,
    title: str,
    owner: Any,
    actor: Any,
    due_on: datetime.date | None = None,
    description: str = "",
    request: HttpRequest | None = None,
) -> Action:
    """An action agreed under an agenda item: a partnership action, owned by someone at the meeting."""
    meeting = item.meeting
    _ensure_open(meeting)
    _check_person(meeting, owner, "owner")
    return action_create(
        title=title,
        owner=owner,
        created_by=actor,
        school=owner.school if owner.school_id else None,
        partnership=meeting.network.partnership,
        due_on=due_on,
        description=description,
        source=item,
        source_label=f"{meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'j M Y')}, "
        f"item {item.number}",
        request=request,
    )


# --- Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(
    *, attendance: Attendance, status: str, actor: Any, note: str | None = None, request: HttpRequest | None = None
) -> Attendance:
    """A meeting's runner records present, absent or apologies (or puts someone back to expected)."""
    meeting = attendance.meeting
    _ensure_open(meeting)
    if status not in Attendance.Status.values:
        raise ApplicationError("Choose present, absent, apologies or expected.", field="status")
    before = attendance.status
    attendance.status = status
    if note is not None:
        attendance.note = note.strip()
    attendance.full_clean()
    attendance.save(update_fields=["status", "note"])
    if before != status or note is not None:
        person = attendance.person.email
        _record(actor, "attendance", attendance, meeting, request, person=person, status=[before, status])
    return attendance


@transaction.atomic
def attendance_add(*, meeting: Meeting, person: Any, actor: Any, request: HttpRequest | None = None) -> Attendance:
    """Add someone to the list: a colleague who joined the network since, the coordinator, a guest
    speaker. They are emailed the invitation if the meeting is still to come."""
    _ensure_open(meeting)
    if Attendance.objects.filter(meeting=meeting, person=person).exists():
        raise ApplicationError(f"{person} is already on the list.", field="person")
    row = Attendance(meeting=meeting, person=person)
    row.full_clean()
    row.save()
    _record(actor, "create", row, meeting, request, person=person.email)
    if meeting.status == Meeting.Status.SCHEDULED:
        _queue_notice(meeting, "added", _base_url(request), person_id=person.pk)
    return row


def _check_apologies_by(meeting: Meeting, person: Any, actor: Any, doing: str) -> None:
    """People send (or withdraw) their own apologies; the meeting's runners may do it for them."""
    if actor.pk != person.pk and not access.can(actor, "manage", meeting):
        raise ApplicationError(f"You can {doing} apologies only for yourself.")


@transaction.atomic
def attendance_send_apologies(
    *, meeting: Meeting, person: Any, note: str = "", actor: Any = None, request: HttpRequest | None = None
) -> Attendance:
    """`person` sends apologies for a meeting still to be held (adding them to the list if they were
    not on it). `actor` is who sends them: the person, or one of the meeting's runners for them.
    Only people who may see the meeting send apologies, since being on the list shows it to them."""
    actor = actor if actor is not None else person
    _ensure_open(meeting)
    _check_apologies_by(meeting, person, actor, "send")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError("This meeting is cancelled: no apologies are needed.")
    if meeting.status == Meeting.Status.HELD:
        raise ApplicationError("This meeting has already been held, so apologies can no longer be sent.")
    if not access.can(person, "view", meeting):
        raise ApplicationError(f"{person} is not invited to this meeting.")
    row, _ = Attendance.objects.select_for_update().get_or_create(meeting=meeting, person=person)
    if row.status in (Attendance.Status.PRESENT, Attendance.Status.ABSENT):
        raise ApplicationError(f"{person} is already marked {row.get_status_display().lower()} at this meeting.")
    row.status = Attendance.Status.APOLOGIES
    row.note = note.strip()
    row.full_clean()
    row.save()
    _record(actor, "apologies", row, meeting, request, person=person.email, note=row.note)
    return row


@transaction.atomic
def attendance_withdraw_apologies(
    *, meeting: Meeting, person: Any, actor: Any = None, request: HttpRequest | None = None
) -> Attendance:
    """`person` (or one of the meeting's runners for them) withdraws their apologies: expected again."""
    actor = actor if actor is not None else person
    _ensure_open(meeting)
    _check_apologies_by(meeting, person, actor, "withdraw")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None or row.status != Attendance.Status.APOLOGIES:
        raise ApplicationError("You have not sent apologies for this meeting.")
    row.status = Attendance.Status.EXPECTED
    row.note = ""
    row.save(update_fields=["status", "note"])
    _record(actor, "apologies_withdrawn", row, meeting, request, person=person.email)
    return row


# --- Calendar feeds -----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(
    *, owner: Any, network: Network | None = None, request: HttpRequest | None = None
) -> tuple[CalendarFeed, str]:
    """A new private feed. Returns the feed and its raw token, which is shown once and never stored."""
    raw, token_hash = CalendarFeed.new_token()
    feed = CalendarFeed(owner=owner, network=network, token_hash=token_hash)
    feed.full_clean()
    feed.save()
    audit.record(
        owner,
        "create",
        feed,
        detail={"network": network.name if network else ""},
        request=request,
        partnership_id=network.partnership_id if network else None,
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor: Any, request: HttpRequest | None = None) -> CalendarFeed:
    if feed.revoked_at is not None:
        raise ApplicationError("This calendar feed has already been switched off.")
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit.record(actor, "revoke", feed, request=request)
    return feed


def calendar_feed_mark_used(feed: CalendarFeed) -> None:
    """Bookkeeping on each fetch (so people can see a feed is in use): not audited, as calendar
    apps poll every hour or so and the log would fill with them."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
