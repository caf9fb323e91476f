"""Reminder emails: queued two days before; only the latest version of a meeting is reminded, once."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from partnership.meetings import services
from partnership.meetings.tasks import send_meeting_reminder
from partnership.meetings.tests.factories import agenda_item, scheduled_meeting

pytestmark = pytest.mark.django_db


def test_scheduling_queues_a_reminder_for_two_days_before(world, django_capture_on_commit_callbacks):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    with (
        mock.patch.object(send_meeting_reminder, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        meeting = services.meeting_schedule(
            network=world.network,
            title="SENCOs",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            actor=world["coordinator"],
        )
    apply_async.assert_called_once()
    kwargs = apply_async.call_args.kwargs
    assert kwargs["args"] == [meeting.pk, 0]
    assert kwargs["eta"] == starts - datetime.timedelta(days=2)


def test_a_change_queues_a_new_reminder_for_the_new_version(world, django_capture_on_commit_callbacks):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=10)
    with (
        mock.patch.object(send_meeting_reminder, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.meeting_update(meeting=meeting, data={"location": "Library"}, actor=world["coordinator"])
    assert apply_async.call_args.kwargs["args"] == [meeting.pk, 1]


def test_the_reminder_goes_to_those_expected_with_the_agenda(world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1, host_school=world.own)
    agenda_item(meeting, "Provision maps")
    services.attendance_send_apologies(meeting=meeting, person=world["adviser"], note="Away")
    assert send_meeting_reminder(meeting.pk, 0, base_url="https://partnership.example") == "sent 1"
    [message] = mail.outbox
    assert message.to == [world["senco"].email]
    assert meeting.title in message.subject
    assert "1. Provision maps" in message.body and "Own Primary" in message.body
    assert f"https://partnership.example/meetings/{meeting.pk}/" in message.body


def test_the_reminder_is_sent_once_however_often_the_task_runs(world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    assert send_meeting_reminder(meeting.pk, 0) == "sent 2"
    assert send_meeting_reminder(meeting.pk, 0) == "already sent"
    assert len(mail.outbox) == 2


def test_a_cancelled_meeting_is_not_reminded(world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    assert send_meeting_reminder(meeting.pk, 0) == "cancelled"
    assert send_meeting_reminder(meeting.pk, 1) == "cancelled"
    assert mail.outbox == []


def test_a_reminder_queued_before_a_change_does_nothing(world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    services.meeting_update(meeting=meeting, data={"location": "Hall"}, actor=world["coordinator"])
    assert send_meeting_reminder(meeting.pk, 0) == "changed"
    assert mail.outbox == []
    assert send_meeting_reminder(meeting.pk, 1) == "sent 2"


def test_a_reminder_run_early_or_late_does_nothing(world):
    # Early: a worker (or eager mode on a laptop) ran it long before the two days.
    later = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=10)
    assert send_meeting_reminder(later.pk, 0) == "not yet due"
    past = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-1)
    assert send_meeting_reminder(past.pk, 0) == "started"
    assert send_meeting_reminder(999999, 0) == "gone"
    assert mail.outbox == []
