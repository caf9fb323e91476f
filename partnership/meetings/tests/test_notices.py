"""Emails about meetings: the invitation when one is scheduled, a notice when it moves, is cancelled
or is back on (each with a calendar file that updates the same event), and reminders sent by the
`send_meeting_reminders` command and the Celery beat schedule on the embedded default."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from icalendar import Calendar

from partnership.accounts.models import User
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import staff
from partnership.meetings import services
from partnership.meetings.models import Meeting
from partnership.meetings.tasks import send_meeting_notice
from partnership.meetings.tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def far(month: int = 3, day: int = 14, hour: int = 9) -> datetime.datetime:
    year = datetime.date.today().year + 2
    return datetime.datetime(year, month, day, hour, 30, tzinfo=LONDON)


def schedule(world, capture, *, starts=None, **kw) -> Meeting:
    """Schedule through the service and run what it queues once the transaction commits."""
    starts = starts or far()
    with capture(execute=True):
        return services.meeting_schedule(
            network=world.network,
            title="SENCO network",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1, minutes=30),
            actor=world["coordinator"],
            location="Room 4",
            **kw,
        )


def calendar_of(message) -> tuple[Calendar, object]:
    """The attached calendar (parsed by `icalendar`) and its MIME part."""
    [part] = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_filename().endswith(".ics")
    return Calendar.from_ical(part.get_payload(decode=True)), part


def by_recipient() -> dict[str, object]:
    return {message.to[0]: message for message in mail.outbox}


# --- Scheduled -----------------------------------------------------------------------------------


def test_scheduling_emails_everyone_expected_an_invitation_to_add_to_their_calendar(
    world, django_capture_on_commit_callbacks
):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    messages = by_recipient()
    # The network's SENCO, the adviser added by name, and the coordinator who scheduled it.
    assert set(messages) == {world["senco"].email, world["adviser"].email, world["coordinator"].email}
    message = messages[world["senco"].email]
    assert message.subject == f"New meeting: SENCO network, {meeting.starts_at.astimezone(LONDON):%A} 14 March"
    assert "has a new meeting" in message.body and "Room 4" in message.body
    assert f"/meetings/{meeting.pk}/" in message.body and "send your apologies" in message.body
    assert "09:30 to 11:00" in message.body
    calendar, part = calendar_of(message)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@meetings.school-partnership"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].dt == far()
    # Only the recipient is listed, with no reply asked for; the platform organises.
    attendees = event["ATTENDEE"]
    assert str(attendees) == f"mailto:{world['senco'].email}" and attendees.params["RSVP"] == "FALSE"
    assert str(event["ORGANIZER"]).startswith("mailto:")


def test_each_send_is_audited(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(verb="notify", object_id=str(meeting.pk))
    assert event.detail == {"kind": "scheduled", "sequence": 0, "method": "REQUEST", "recipients": 3}
    assert event.partnership_id == world.home.pk and event.actor_label == "meeting notice"


def test_no_email_for_people_without_an_address_or_an_active_account(world, django_capture_on_commit_callbacks):
    staff(world.own, Role.SENCO, email="second.senco@own.test")
    User.objects.filter(pk=world["adviser"].pk).update(is_active=False)
    User.objects.filter(email="second.senco@own.test").update(email="")
    schedule(world, django_capture_on_commit_callbacks)
    assert set(by_recipient()) == {world["senco"].email, world["coordinator"].email}


def test_no_email_when_the_transaction_is_rolled_back(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.meeting_schedule(
                network=world.network,
                title="Never",
                starts_at=far(),
                ends_at=far(hour=11),
                actor=world["coordinator"],
            )
            raise RuntimeError("the page failed after scheduling")
    assert callbacks == [] and mail.outbox == []
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.filter(verb="notify").exists()


def test_the_invitation_is_sent_after_commit_not_before(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.meeting_schedule(
            network=world.network, title="Later", starts_at=far(), ends_at=far(hour=11), actor=world["coordinator"]
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3


def test_a_meeting_recorded_after_it_happened_emails_nobody(world, django_capture_on_commit_callbacks):
    schedule(world, django_capture_on_commit_callbacks, starts=datetime.datetime(2020, 1, 10, 9, 30, tzinfo=LONDON))
    assert mail.outbox == []


def test_a_notice_is_sent_once_however_often_the_task_runs(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert send_meeting_notice(meeting.pk, "scheduled") == "already sent"
    assert mail.outbox == []
    assert send_meeting_notice(999999, "scheduled") == "gone"


def test_someone_added_to_the_list_later_is_sent_the_invitation(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_add(meeting=meeting, person=world["head"], actor=world["coordinator"])
    [message] = mail.outbox
    assert message.to == [world["head"].email]
    assert message.subject.startswith("Invitation: SENCO network, ")
    assert "You have been added to the list for a SENCOs meeting." in message.body
    calendar, _ = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == f"mailto:{world['head'].email}"
    assert send_meeting_notice(meeting.pk, "added", person_id=world["head"].pk) == "already sent"
    event = AuditEvent.objects.get(verb="notify", detail__kind="added")
    assert event.detail["person"] == world["head"].pk and event.detail["recipients"] == 1


# --- Moved, cancelled, reinstated ----------------------------------------------------------------


def test_moving_a_meeting_sends_the_new_version_of_the_same_event(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    services.attendance_send_apologies(meeting=meeting, person=world["adviser"], note="Clash")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            data={"starts_at": far(day=21), "ends_at": far(day=21, hour=11)},
            actor=world["coordinator"],
        )
    messages = by_recipient()
    # Those who sent apologies are told too: the new time may suit them, and their calendar has the event.
    assert set(messages) == {world["senco"].email, world["adviser"].email, world["coordinator"].email}
    message = messages[world["senco"].email]
    assert message.subject.startswith("Meeting changed: SENCO network, now ") and "21 March" in message.subject
    assert f"It was on {far():%A} 14 March {far().year}, 09:30 to 11:00, at Room 4." in message.body
    calendar, part = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST" and part.get_param("method") == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@meetings.school-partnership"
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt == far(day=21)
    notice = AuditEvent.objects.get(verb="notify", detail__kind="moved")
    assert notice.detail["sequence"] == 1 and notice.detail["recipients"] == 3


def test_a_new_place_is_a_move_too_but_a_new_title_is_not(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, data={"title": "SENCOs: spring"}, actor=world["coordinator"])
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, data={"location": "Library"}, actor=world["coordinator"])
    assert len(mail.outbox) == 3
    assert "Where: Library" in mail.outbox[0].body
    [event] = calendar_of(mail.outbox[0])[0].walk("VEVENT")
    assert event["SEQUENCE"] == 2 and str(event["LOCATION"]) == "Library"


def test_cancelling_sends_a_cancellation_of_the_same_event(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    services.attendance_send_apologies(meeting=meeting, person=world["adviser"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    messages = by_recipient()
    assert set(messages) == {world["senco"].email, world["adviser"].email, world["coordinator"].email}
    message = messages[world["senco"].email]
    assert message.subject.startswith("Cancelled: SENCO network, ")
    assert "has been cancelled" in message.body
    calendar, part = calendar_of(message)
    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    assert part.get_filename() == "cancelled.ics"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@meetings.school-partnership"
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    assert AuditEvent.objects.filter(verb="notify", detail__kind="cancelled", detail__sequence=1).count() == 1


def test_reinstating_sends_the_event_again_with_a_higher_sequence(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_status(meeting=meeting, status="scheduled", actor=world["coordinator"])
    assert len(mail.outbox) == 3 and mail.outbox[0].subject.startswith("Meeting back on: ")
    calendar, _ = calendar_of(mail.outbox[0])
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CONFIRMED"


def test_cancelling_on_the_page_emails_links_to_the_site_it_was_done_on(
    client, world, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=5)
    client.force_login(world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{meeting.pk}/status/", {"status": "cancelled"}, follow=True)
    assert "The meeting has been cancelled. The people on the list are emailed." in response.content.decode()
    assert {m.to[0] for m in mail.outbox} == {world["senco"].email, world["adviser"].email}
    assert f"http://testserver/meetings/{meeting.pk}/" in mail.outbox[0].body
    [event] = calendar_of(mail.outbox[0])[0].walk("VEVENT")
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.pk}/"


def test_a_failure_to_send_never_undoes_the_change(world, django_capture_on_commit_callbacks, monkeypatch, caplog):
    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    meeting = schedule(world, django_capture_on_commit_callbacks)
    assert Meeting.objects.filter(pk=meeting.pk).exists() and mail.outbox == []
    assert "mail server down" in caplog.text
    assert not AuditEvent.objects.filter(verb="notify").exists()  # not recorded as sent: a later run may send it
    monkeypatch.undo()
    assert send_meeting_notice(meeting.pk, "scheduled") == "sent 3"


def test_a_notice_overtaken_by_a_later_change_is_not_sent(world, django_capture_on_commit_callbacks):
    meeting = schedule(world, django_capture_on_commit_callbacks)
    services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    mail.outbox.clear()
    # A worker picks up the "moved" notice only after the meeting was cancelled.
    assert send_meeting_notice(meeting.pk, "moved") == "changed"
    assert mail.outbox == []


def test_marking_a_meeting_held_emails_nobody(world, django_capture_on_commit_callbacks):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_status(meeting=meeting, status="held", actor=world["coordinator"])
    assert mail.outbox == []


# --- Reminders on the embedded default -----------------------------------------------------------


def reminders() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Reminder: ")]


def test_the_command_sends_due_reminders_once_and_only_once(world, settings):
    settings.SITE_URL = "https://partnership.example"
    soon = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1, title="Soon")
    scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=10, title="Later")
    scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-1, title="Past")
    cancelled = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1, title="Off")
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))
    assert {m.to[0] for m in reminders()} == {world["senco"].email, world["adviser"].email}
    assert all(m.subject.startswith("Reminder: Soon, ") for m in reminders())
    assert f"https://partnership.example/meetings/{soon.pk}/" in reminders()[0].body
    call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))
    assert len(reminders()) == 2
    assert AuditEvent.objects.filter(verb="remind", object_id=str(soon.pk)).count() == 1


def test_a_moved_meeting_is_reminded_again_for_its_new_time(world):
    soon = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))
    later = datetime.timedelta(hours=2)
    services.meeting_update(
        meeting=soon,
        data={"starts_at": soon.starts_at + later, "ends_at": soon.ends_at + later},
        actor=world["coordinator"],
    )
    call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))
    call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))
    assert len(reminders()) == 4  # two people, once for each version
    assert sorted(AuditEvent.objects.filter(verb="remind").values_list("detail__sequence", flat=True)) == [0, 1]


def test_the_command_says_what_it_did(world, capsys):
    scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    call_command("send_meeting_reminders")
    call_command("send_meeting_reminders")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Meeting reminders: 1 sent, 0 already sent or not needed.",
        "Meeting reminders: 0 sent, 1 already sent or not needed.",
    ]


def test_the_beat_schedule_runs_a_real_task_that_sends_due_reminders(world):
    from config.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        assert float(entry["schedule"]) <= 60 * 60  # within the reminders' hour of tolerance
    scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=1)
    task = app.tasks[settings.CELERY_BEAT_SCHEDULE["meeting-reminders"]["task"]]
    assert task.apply().get() == "1 of 1 meetings reminded"
    assert len(reminders()) == 2
