"""Background work for meetings: reminder emails two days before."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from partnership.core import audit
from partnership.core.models import AuditEvent
from partnership.meetings.models import REMINDER_BEFORE, Attendance, Meeting

# Workers and brokers may run an ETA task a little early (or, with Redis, deliver it twice).
EARLY_TOLERANCE = REMINDER_BEFORE / 48  # one hour


@shared_task
def send_meeting_reminder(meeting_id: int, sequence: int, base_url: str = "") -> str:
    """Email the people expected at a meeting. Does nothing (and says why) if the meeting has gone,
    was cancelled or held, has changed since this reminder was queued (`sequence` is stale: a newer
    reminder is queued), is not yet due, has started, or was already reminded for this version."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("network__partnership", "host_school")
            .filter(pk=meeting_id)
            .first()
        )
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
        already = AuditEvent.objects.filter(
            verb="remind", object_type="meetings.meeting", object_id=str(meeting.pk), detail__sequence=sequence
        ).exists()
        if already:
            return "already sent"
        rows = list(
            Attendance.objects.filter(meeting=meeting, status=Attendance.Status.EXPECTED, person__is_active=True)
            .exclude(person__email="")
            .select_related("person")
        )
        link = f"{base_url}{reverse('meetings:detail', args=[meeting.pk])}"
        agenda = list(meeting.items.order_by("number"))
        messages = [
            EmailMessage(
                subject=f"Reminder: {meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'l j F')}",
                body=render_to_string(
                    "meetings/email/reminder.txt",
                    {
                        "meeting": meeting,
                        "person": row.person,
                        "agenda": agenda,
                        "link": link,
                        "site_name": settings.SITE_NAME,
                    },
                ),
                to=[row.person.email],
            )
            for row in rows
        ]
        if messages:
            get_connection().send_messages(messages)
        audit.record(
            None,
            "remind",
            meeting,
            detail={"sequence": sequence, "recipients": len(messages)},
            actor_label="reminder",
            partnership_id=meeting.network.partnership_id,
        )
    return f"sent {len(messages)}"
