"""Background work for meetings: the emails people get about them.

- A notice, with the calendar file attached, when a meeting is scheduled, moved, reinstated or
  cancelled, or someone is added to its list (`send_meeting_notice`, queued by the services once
  the change is committed).
- A reminder two days before (`send_meeting_reminder`): queued for that time when Redis is there,
  and also sent by `send_due_reminders`, which the `send_meeting_reminders` command and the Celery
  beat schedule run, so reminders go out on the embedded default too (where tasks run at once and
  cannot wait two days).

Every send is audited, and the audit log is also how a send is never repeated for the same version
of a meeting (workers may run a task twice; the command may run every few minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from partnership.core import audit
from partnership.core.exports import CalendarEvent
from partnership.core.models import AuditEvent
from partnership.meetings import ics
from partnership.meetings.models import REMINDER_BEFORE, Attendance, Meeting

# Workers and brokers may run an ETA task a little early (or, with Redis, deliver it twice).
EARLY_TOLERANCE = REMINDER_BEFORE / 48  # one hour
# How often the beat schedule looks for reminders now due (see CELERY_BEAT_SCHEDULE).
REMINDER_SWEEP_SECONDS = 15 * 60


@dataclass(frozen=True)
class Notice:
    """One kind of email about a change to a meeting."""

    method: str  # the iCalendar METHOD of the attached calendar file
    subject: str  # "{title}" and "{date}" are filled in
    status: str  # the meeting's status for the notice to still be true when it is sent


NOTICES: dict[str, Notice] = {
    "scheduled": Notice("REQUEST", "New meeting: {title}, {date}", Meeting.Status.SCHEDULED),
    "added": Notice("REQUEST", "Invitation: {title}, {date}", Meeting.Status.SCHEDULED),
    "moved": Notice("REQUEST", "Meeting changed: {title}, now {date}", Meeting.Status.SCHEDULED),
    "reinstated": Notice("REQUEST", "Meeting back on: {title}, {date}", Meeting.Status.SCHEDULED),
    "cancelled": Notice("CANCEL", "Cancelled: {title}, {date}", Meeting.Status.CANCELLED),
}


def meeting_link(meeting: Meeting, base_url: str = "") -> str:
    """The meeting's page as an absolute URL: from the request that made the change, else SITE_URL."""
    base = (base_url or getattr(settings, "SITE_URL", "")).rstrip("/")
    return f"{base}{reverse('meetings:detail', args=[meeting.pk])}"


def _locked_meeting(meeting_id: int) -> Meeting | None:
    """The meeting, locked so two runs of a task for it take turns (and the second sees the first's audit)."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("network__partnership", "host_school")
        .filter(pk=meeting_id)
        .first()
    )


def _already_sent(meeting: Meeting, verb: str, **detail: Any) -> bool:
    """Whether the audit log already records this send for this version of the meeting."""
    lookups = {f"detail__{key}": value for key, value in detail.items()}
    return AuditEvent.objects.filter(
        verb=verb, object_type="meetings.meeting", object_id=str(meeting.pk), **lookups
    ).exists()


def _recipients(meeting: Meeting, statuses: list[str], person_id: int | None = None) -> list[Any]:
    """People on the list with one of `statuses`, an email address and an active account (only
    `person_id`, if given)."""
    rows = Attendance.objects.filter(meeting=meeting, status__in=statuses, person__is_active=True)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    rows = rows.exclude(person__email="").select_related("person").order_by("person__full_name", "person_id")
    return [row.person for row in rows]


def _send(messages: list[EmailMessage]) -> None:
    if messages:
        get_connection().send_messages(messages)


def _day(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "l j F")


# --- Notices of a new, moved, reinstated or cancelled meeting ------------------------------------


def _calendar_part(body: bytes, method: str) -> MIMEText:
    """The .ics attachment, typed `text/calendar; method=...` so mail clients offer to update the event."""
    part = MIMEText(body.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    filename = "cancelled.ics" if method == "CANCEL" else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def notice_message(
    meeting: Meeting, event: CalendarEvent, person: Any, kind: str, link: str, was: str = ""
) -> EmailMessage:
    """One person's email about a change, with the calendar file for it (`event`) attached."""
    notice = NOTICES[kind]
    message = EmailMessage(
        subject=notice.subject.format(title=meeting.title, date=_day(meeting)),
        body=render_to_string(
            "meetings/email/notice.txt",
            {
                "kind": kind,
                "meeting": meeting,
                "person": person,
                "link": link,
                "was": was,
                "site_name": settings.SITE_NAME,
            },
        ),
        to=[person.email],
    )
    message.attach(_calendar_part(ics.invitation_bytes(event, person, method=notice.method), notice.method))
    return message


@shared_task
def send_meeting_notice(
    meeting_id: int, kind: str, base_url: str = "", was: str = "", person_id: int | None = None
) -> str:
    """Email the people on a meeting's list about a change (`kind`, one of NOTICES), each with a
    calendar file of the meeting as it is now (its current SEQUENCE). `was` says, for a move, where
    and when it was before; `person_id` is the one person added to the list ("added"). Does nothing
    (and says why) if the meeting has gone, has since changed so the notice is no longer true (a
    newer one is queued), has started, or this notice was already sent for this version. New
    meetings go to those expected; moves and cancellations also to those who sent apologies,
    whose calendars hold the event too."""
    notice = NOTICES[kind]
    key: dict[str, Any] = {"kind": kind}
    if person_id is not None:
        key["person"] = person_id
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id)
        if meeting is None:
            return "gone"
        if meeting.status != notice.status:
            return "changed"
        if meeting.starts_at <= timezone.now():
            return "started"
        if _already_sent(meeting, "notify", sequence=meeting.sequence, **key):
            return "already sent"
        statuses: list[str] = [Attendance.Status.EXPECTED]
        if kind not in ("scheduled", "added"):
            statuses.append(Attendance.Status.APOLOGIES)
        link = meeting_link(meeting, base_url)
        event = ics.invitation_event(meeting, link)
        messages = [
            notice_message(meeting, event, person, kind, link, was)
            for person in _recipients(meeting, statuses, person_id)
        ]
        _send(messages)
        audit.record(
            None,
            "notify",
            meeting,
            detail={**key, "sequence": meeting.sequence, "method": notice.method, "recipients": len(messages)},
            actor_label="meeting notice",
            partnership_id=meeting.network.partnership_id,
        )
    return f"sent {len(messages)}"


# --- Reminders -----------------------------------------------------------------------------------


@shared_task
def send_meeting_reminder(meeting_id: int, sequence: int, base_url: str = "") -> str:
    """Email the people expected at a meeting. Does nothing (and says why) if the meeting has gone,
    was cancelled or held, has changed since this reminder was queued (`sequence` is stale: a newer
    reminder is queued), is not yet due, has started, or was already reminded for this version."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id)
        if meeting is None:
            return "gone"
        if meeting.status != Meeting.Status.SCHEDULED:
            return meeting.status
        if meeting.sequence != sequence:
            return "changed"
        now = timezone.now()
        if now < meeting.starts_at - REMINDER_BEFORE - EARLY_TOLERANCE:
            return "not yet due"
        if now >= meeting.starts_at:
            return "started"
        if _already_sent(meeting, "remind", sequence=sequence):
            return "already sent"
        link = meeting_link(meeting, base_url)
        agenda = list(meeting.items.order_by("number"))
        messages = [
            EmailMessage(
                subject=f"Reminder: {meeting.title}, {_day(meeting)}",
                body=render_to_string(
                    "meetings/email/reminder.txt",
                    {
                        "meeting": meeting,
                        "person": person,
                        "agenda": agenda,
                        "link": link,
                        "site_name": settings.SITE_NAME,
                    },
                ),
                to=[person.email],
            )
            for person in _recipients(meeting, [Attendance.Status.EXPECTED])
        ]
        _send(messages)
        audit.record(
            None,
            "remind",
            meeting,
            detail={"sequence": sequence, "recipients": len(messages)},
            actor_label="reminder",
            partnership_id=meeting.network.partnership_id,
        )
    return f"sent {len(messages)}"


def due_for_reminder() -> list[tuple[int, int]]:
    """(pk, sequence) of the scheduled meetings whose reminder is due now: starting within the
    next two days (and the hour's tolerance), not yet started."""
    now = timezone.now()
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE + EARLY_TOLERANCE
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "sequence")
    )


def send_due_reminders(base_url: str = "") -> dict[int, str]:
    """Send every reminder now due, each at most once per version of its meeting (the reminder's
    own audit check). Returns what happened for each meeting looked at, by its pk."""
    return {pk: send_meeting_reminder(pk, sequence, base_url=base_url) for pk, sequence in due_for_reminder()}


@shared_task
def send_due_meeting_reminders() -> str:
    """The beat schedule's sweep (see `send_due_reminders`)."""
    results = send_due_reminders()
    sent = sum(1 for result in results.values() if result.startswith("sent"))
    return f"{sent} of {len(results)} meetings reminded"
