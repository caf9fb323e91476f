"""Meeting services: scheduling, the host rotation, SEQUENCE, attendance, the agenda, papers and actions."""

from __future__ import annotations

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.actions.models import Action
from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.models import Membership, Network, NetworkMember
from partnership.directory.tests.factories import member_school, staff
from partnership.meetings import selectors, services
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting
from partnership.meetings.tests.factories import PDF_BYTES, agenda_item, held_meeting, scheduled_meeting

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: str, hour: int = 9, minute: int = 30) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), tzinfo=LONDON)


def schedule(world, *, starts=None, host=None, network=None, **kw) -> Meeting:
    starts = starts or at("2031-03-14")
    return services.meeting_schedule(
        network=network or world.network,
        title=kw.pop("title", "SENCO network"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1, minutes=30),
        host_school=host,
        actor=kw.pop("actor", world["coordinator"]),
        **kw,
    )


# --- Host rotation --------------------------------------------------------------------------------


def test_rotation_suggests_schools_that_never_hosted_in_alphabetical_order(world):
    suggestion = selectors.host_suggestion(world.network)
    assert [t.school for t in suggestion.rotation] == [world.own, world.partner]  # Own < Partner
    assert suggestion.school == world.own
    assert "has not hosted" in suggestion.reason and "alphabetical" in suggestion.reason


def test_rotation_moves_on_to_the_school_that_hosted_least_recently(world):
    third = member_school(world.home, name="Abbey Primary")
    schedule(world, starts=at("2030-01-10"), host=third)
    schedule(world, starts=at("2030-02-10"), host=world.own)
    schedule(world, starts=at("2030-03-10"), host=world.partner)
    suggestion = selectors.host_suggestion(world.network)
    assert suggestion.school == third
    assert "last hosted on 10 January 2030" in suggestion.reason
    assert [t.school for t in suggestion.rotation] == [third, world.own, world.partner]


def test_rotation_ignores_cancelled_meetings_other_networks_and_schools_that_left(world):
    meeting = schedule(world, starts=at("2030-01-10"), host=world.own)
    services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"])
    heads = Network.objects.create(partnership=world.home, name="Heads", kind="role", role=Role.HEADTEACHER)
    schedule(world, starts=at("2030-01-11"), host=world.partner, network=heads)
    leaver = member_school(world.home, name="Aardvark Primary")
    Membership.objects.filter(school=leaver).update(left_on=timezone.localdate())
    rotation = selectors.host_rotation(world.network)
    assert [t.school for t in rotation] == [world.own, world.partner]
    assert all(t.last_hosted is None for t in rotation)
    assert world.outside not in [t.school for t in rotation]


def test_rotation_counts_a_booked_future_meeting(world):
    schedule(world, starts=at("2030-01-10"), host=world.partner)
    schedule(world, starts=at("2031-06-10"), host=world.own)  # booked ahead
    assert selectors.host_suggestion(world.network).school == world.partner


def test_only_the_partnerships_schools_may_host(world):
    with pytest.raises(ApplicationError) as exc:
        schedule(world, host=world.outside)
    assert exc.value.field == "host_school"


# --- Scheduling and SEQUENCE ----------------------------------------------------------------------


def test_scheduling_expects_the_networks_members_by_role_and_by_name_and_the_scheduler(world):
    meeting = schedule(world, host=world.own)  # scheduled by the coordinator, not a member of the network
    expected = set(meeting.attendance.values_list("person_id", flat=True))
    assert expected == {world["senco"].pk, world["adviser"].pk, world["coordinator"].pk}
    assert set(meeting.attendance.values_list("status", flat=True)) == {"expected"}
    event = AuditEvent.objects.get(verb="create", object_type="meetings.meeting")
    assert event.partnership_id == world.home.pk and event.detail["expected"] == 3


def test_the_scheduler_can_attend_and_see_the_meeting(world):
    meeting = schedule(world)
    coordinator = world["coordinator"]
    assert meeting.attendance.get(person=coordinator).status == "expected"
    assert access.can(coordinator, "view", meeting) and meeting in selectors.meetings_for(coordinator)
    services.attendance_send_apologies(meeting=meeting, person=coordinator, note="Clash")
    assert meeting.attendance.get(person=coordinator).status == "apologies"


def test_a_scheduler_already_in_the_network_is_listed_once(world):
    schedule(world, actor=world["senco"])
    meeting = Meeting.objects.get()
    assert list(meeting.attendance.values_list("person_id", flat=True)).count(world["senco"].pk) == 1
    assert meeting.attendance.count() == 2


def test_a_board_with_a_role_expects_its_role_members_too(world):
    board = Network.objects.create(
        partnership=world.home, name="Heads' board", kind=Network.Kind.BOARD, role=Role.HEADTEACHER
    )
    NetworkMember.objects.create(network=board, person=world["coordinator"])
    meeting = schedule(world, network=board)
    people = set(meeting.attendance.values_list("person_id", flat=True))
    assert people == {world["head"].pk, world["partner_head"].pk, world["coordinator"].pk}


def test_a_meeting_must_end_after_it_starts(world):
    with pytest.raises(ApplicationError) as exc:
        services.meeting_schedule(
            network=world.network,
            title="Backwards",
            starts_at=at("2031-03-14", 11),
            ends_at=at("2031-03-14", 9),
            actor=world["coordinator"],
        )
    assert exc.value.field == "ends_at"


def test_changing_time_or_place_bumps_the_sequence_and_keeps_the_uid(world):
    meeting = schedule(world)
    uid, updated = meeting.uid, meeting.updated_at
    meeting = services.meeting_update(
        meeting=meeting,
        data={"starts_at": at("2031-03-15"), "ends_at": at("2031-03-15", 11)},
        actor=world["coordinator"],
    )
    assert meeting.sequence == 1 and meeting.uid == uid and meeting.updated_at > updated
    meeting = services.meeting_update(meeting=meeting, data={"location": "Hall"}, actor=world["coordinator"])
    assert meeting.sequence == 2
    # Saving the same values is not a change.
    meeting = services.meeting_update(meeting=meeting, data={"location": "Hall"}, actor=world["coordinator"])
    assert meeting.sequence == 2
    assert AuditEvent.objects.filter(verb="update", object_type="meetings.meeting").count() == 2


def test_cancelling_keeps_the_meeting_and_bumps_the_sequence(world):
    meeting = schedule(world)
    assert services.meeting_set_status(meeting=meeting, status="cancelled", actor=world["coordinator"]) == "cancelled"
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    services.meeting_set_status(meeting=meeting, status="scheduled", actor=world["coordinator"])
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.sequence == 2


def test_a_future_meeting_cannot_be_marked_as_held(world):
    meeting = schedule(world)
    with pytest.raises(ApplicationError, match="not started"):
        services.meeting_set_status(meeting=meeting, status="held", actor=world["coordinator"])


def test_approved_minutes_close_the_record(world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-1)
    item = agenda_item(meeting)
    with pytest.raises(ApplicationError, match="marked as held"):
        services.meeting_approve_minutes(meeting=meeting, actor=world["coordinator"])
    services.meeting_set_status(meeting=meeting, status="held", actor=world["coordinator"])
    services.meeting_approve_minutes(meeting=meeting, actor=world["coordinator"])
    item.meeting.refresh_from_db()
    with pytest.raises(ApplicationError, match="approved"):
        services.agenda_item_record_minutes(item=item, minutes="Changed", decisions="", actor=world["coordinator"])
    with pytest.raises(ApplicationError, match="approved"):
        services.meeting_set_status(meeting=item.meeting, status="scheduled", actor=world["coordinator"])


# --- Agenda -------------------------------------------------------------------------------------


def test_agenda_items_are_numbered_and_reordered(world):
    meeting = schedule(world)
    actor = world["coordinator"]
    for title in ["Welcome", "Data", "AOB"]:
        services.agenda_item_add(meeting=meeting, title=title, actor=actor)
    services.agenda_item_add(meeting=meeting, title="Minutes of last meeting", number=2, actor=actor)
    titles = lambda: list(meeting.items.order_by("number").values_list("number", "title"))  # noqa: E731
    assert titles() == [(1, "Welcome"), (2, "Minutes of last meeting"), (3, "Data"), (4, "AOB")]
    aob = meeting.items.get(title="AOB")
    services.agenda_item_move(item=aob, number=1, actor=actor)
    assert titles() == [(1, "AOB"), (2, "Welcome"), (3, "Minutes of last meeting"), (4, "Data")]
    services.agenda_item_update(item=meeting.items.get(title="Data"), data={"number": 2}, actor=actor)
    assert titles() == [(1, "AOB"), (2, "Data"), (3, "Welcome"), (4, "Minutes of last meeting")]
    services.agenda_item_remove(item=meeting.items.get(title="Data"), actor=actor)
    assert titles() == [(1, "AOB"), (2, "Welcome"), (3, "Minutes of last meeting")]
    with pytest.raises(ApplicationError):
        services.agenda_item_move(item=aob, number=9, actor=actor)


def test_an_item_with_actions_stays_on_the_record(world):
    meeting = schedule(world)
    item = services.agenda_item_add(meeting=meeting, title="Data", actor=world["coordinator"])
    services.agenda_item_action_add(item=item, title="Send data", owner=world["senco"], actor=world["coordinator"])
    with pytest.raises(ApplicationError, match="Actions"):
        services.agenda_item_remove(item=item, actor=world["coordinator"])


def test_the_presenter_must_be_in_the_network_or_on_the_list(world):
    meeting = schedule(world)
    with pytest.raises(ApplicationError) as exc:
        services.agenda_item_add(meeting=meeting, title="Data", presenter=world["teacher"], actor=world["coordinator"])
    assert exc.value.field == "presenter"


# --- Inline actions -----------------------------------------------------------------------------


def test_an_action_agreed_under_an_item_is_a_partnership_action_from_that_item(world):
    meeting = schedule(world)
    item = services.agenda_item_add(meeting=meeting, title="Provision maps", actor=world["coordinator"])
    action = services.agenda_item_action_add(
        item=item,
        title="Share our provision map",
        owner=world["senco"],
        due_on=datetime.date(2031, 4, 1),
        actor=world["coordinator"],
    )
    assert action.source == item
    assert action.partnership == world.home and action.school == world.own
    assert action.owner == world["senco"] and action.created_by == world["coordinator"]
    assert "item 1" in action.source_label
    adviser_action = services.agenda_item_action_add(
        item=item, title="Bring LA guidance", owner=world["adviser"], actor=world["coordinator"]
    )
    assert adviser_action.school is None  # an external belongs to no school


def test_an_action_owner_must_be_at_the_meeting(world):
    item = services.agenda_item_add(meeting=schedule(world), title="Data", actor=world["coordinator"])
    with pytest.raises(ApplicationError) as exc:
        services.agenda_item_action_add(item=item, title="X", owner=world["outside_head"], actor=world["coordinator"])
    assert exc.value.field == "owner"
    assert not Action.objects.exists()


# --- Attendance ---------------------------------------------------------------------------------


def test_members_send_and_withdraw_their_own_apologies(world):
    meeting = schedule(world)
    services.attendance_send_apologies(meeting=meeting, person=world["senco"], note="Parents' evening")
    row = Attendance.objects.get(meeting=meeting, person=world["senco"])
    assert (row.status, row.note) == ("apologies", "Parents' evening")
    services.attendance_withdraw_apologies(meeting=meeting, person=world["senco"])
    row.refresh_from_db()
    assert row.status == "expected" and row.note == ""
    # Someone not on the list (the coordinator) is added when they send apologies.
    services.attendance_send_apologies(meeting=meeting, person=world["coordinator"])
    assert meeting.attendance.get(person=world["coordinator"]).status == "apologies"


def test_nobody_sends_apologies_for_someone_else_unless_they_run_the_meeting(world):
    meeting = schedule(world)
    with pytest.raises(ApplicationError, match="You can send apologies only for yourself."):
        services.attendance_send_apologies(meeting=meeting, person=world["senco"], actor=world["teacher"])
    assert meeting.attendance.get(person=world["senco"]).status == "expected"
    services.attendance_send_apologies(meeting=meeting, person=world["senco"], note="Ill", actor=world["coordinator"])
    assert meeting.attendance.get(person=world["senco"]).status == "apologies"
    event = AuditEvent.objects.get(verb="apologies")
    assert event.actor == world["coordinator"] and event.detail["person"] == world["senco"].email
    with pytest.raises(ApplicationError, match="You can withdraw apologies only for yourself."):
        services.attendance_withdraw_apologies(meeting=meeting, person=world["senco"], actor=world["teacher"])
    assert meeting.attendance.get(person=world["senco"]).status == "apologies"


def test_only_people_who_may_see_a_meeting_send_apologies_for_it(world):
    meeting = schedule(world)
    with pytest.raises(ApplicationError, match="is not invited to this meeting"):
        services.attendance_send_apologies(meeting=meeting, person=world["outside_teacher"])
    with pytest.raises(ApplicationError, match="is not invited to this meeting"):
        services.attendance_send_apologies(meeting=meeting, person=world["teacher"], actor=world["coordinator"])
    # Sending apologies would have put them on the list, and the list lets people see the meeting.
    assert not meeting.attendance.filter(person__in=[world["outside_teacher"], world["teacher"]]).exists()


def test_apologies_are_for_a_meeting_still_to_be_held(world):
    meeting = held_meeting(world.network, created_by=world["coordinator"])
    with pytest.raises(ApplicationError, match="already been held"):
        services.attendance_send_apologies(meeting=meeting, person=world["senco"])
    assert meeting.attendance.get(person=world["senco"]).status == "expected"


def test_no_apologies_once_the_runner_has_marked_you_present(world):
    meeting = schedule(world)
    row = meeting.attendance.select_related("person", "meeting__network").get(person=world["senco"])
    services.attendance_mark(attendance=row, status="present", actor=world["coordinator"])
    with pytest.raises(ApplicationError, match="already marked present"):
        services.attendance_send_apologies(meeting=meeting, person=world["senco"])
    assert meeting.attendance.get(person=world["senco"]).status == "present"


def test_runners_mark_present_and_absent(world):
    meeting = held_meeting(world.network, created_by=world["coordinator"])
    row = meeting.attendance.select_related("person", "meeting__network").get(person=world["senco"])
    services.attendance_mark(attendance=row, status="present", actor=world["coordinator"])
    assert Attendance.objects.get(pk=row.pk).status == "present"
    with pytest.raises(ApplicationError):
        services.attendance_mark(attendance=row, status="asleep", actor=world["coordinator"])
    services.attendance_add(meeting=meeting, person=world["coordinator"], actor=world["coordinator"])
    with pytest.raises(ApplicationError, match="already"):
        services.attendance_add(meeting=meeting, person=world["coordinator"], actor=world["coordinator"])


# --- Papers -------------------------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def upload(world, name: str, data: bytes, content_type: str = "application/octet-stream") -> AgendaPaper:
    item = agenda_item(scheduled_meeting(world.network, created_by=world["coordinator"]))
    item.meeting = Meeting.objects.select_related("network").get(pk=item.meeting_id)
    return services.agenda_paper_add(
        item=item, upload=SimpleUploadedFile(name, data, content_type=content_type), actor=world["coordinator"]
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Agenda.pdf", PDF_BYTES, "application/pdf"),
        ("Report.DOCX", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Data.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Notes.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("Chart.png", PNG, "image/png"),
        ("Photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("Scores.csv", "School,Score\nSt Mary’s,98\n".encode(), "text/csv"),
        ("Notes.txt", "Caf\xe9 meeting notes".encode("cp1252"), "text/plain"),
    ],
)
def test_papers_of_the_allowed_types_are_kept_with_the_checked_type(world, name, data, content_type):
    paper = upload(world, name, data, content_type="application/x-whatever-the-browser-said")
    assert (paper.original_name, paper.content_type, paper.size) == (name, content_type, len(data))
    assert paper.file.read() == data
    assert AuditEvent.objects.filter(verb="upload", object_type="meetings.agendapaper").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("minutes.pdf", EXE, "is called a PDF but its content is not one"),  # a program renamed .pdf
        ("minutes.pdf", HTML, "is called a PDF but its content is not one"),  # a web page renamed .pdf
        ("report.docx", _zip({"hello.txt": b"hi"}), "is called a Word document"),  # a ZIP, not Word
        ("report.docx", PDF_BYTES, "is called a Word document"),
        ("notes.odt", DOCX, "is called a OpenDocument text document"),
        ("notes.txt", EXE, "is called a text file"),
        ("notes.txt", HTML, "is called a text file"),
        ("chart.png", b"GIF89a", "is called a PNG image"),
        ("setup.exe", EXE, "cannot be uploaded"),
        ("page.html", HTML, "cannot be uploaded"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "older Office format"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_papers_whose_content_does_not_match_are_refused_with_a_reason(world, name, data, message):
    with pytest.raises(ApplicationError) as exc:
        upload(world, name, data)
    assert message in exc.value.message and exc.value.field == "file"
    assert not AgendaPaper.objects.exists()


def test_papers_over_the_size_limit_are_refused(world, settings):
    settings.MEETING_PAPER_MAX_BYTES = 1024
    with pytest.raises(ApplicationError) as exc:
        upload(world, "big.pdf", b"%PDF-1.4" + b"0" * 1024)
    assert "Papers can be up to 1 KB" in exc.value.message


def test_a_paper_keeps_only_the_file_name_of_what_was_uploaded(world):
    paper = upload(world, "..\\..\\secret\\Budget\x07 2031.pdf", PDF_BYTES)
    assert paper.original_name == "Budget 2031.pdf"
    assert "secret" not in paper.file.name and ".." not in paper.file.name


def test_removing_a_paper_removes_its_file(world, django_capture_on_commit_callbacks):
    paper = upload(world, "agenda.pdf", PDF_BYTES)
    name, storage = paper.file.name, paper.file.storage
    paper = AgendaPaper.objects.select_related("item__meeting__network").get(pk=paper.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_paper_remove(paper=paper, actor=world["coordinator"])
    assert not AgendaPaper.objects.exists() and not storage.exists(name)


# --- Calendar feeds -----------------------------------------------------------------------------


def test_a_feed_keeps_only_the_hash_of_its_token(world):
    feed, raw = services.calendar_feed_create(owner=world["senco"])
    assert feed.token_hash == CalendarFeed.hash_token(raw) and raw not in feed.token_hash
    assert selectors.feed_for_token(raw) == feed
    services.calendar_feed_revoke(feed=feed, actor=world["senco"])
    assert selectors.feed_for_token(raw) is None
    with pytest.raises(ApplicationError):
        services.calendar_feed_revoke(feed=feed, actor=world["senco"])


def test_a_persons_meetings_are_their_networks_and_those_they_are_listed_for(world):
    mine = schedule(world)
    heads = Network.objects.create(partnership=world.home, name="Heads", kind="role", role=Role.HEADTEACHER)
    not_mine = schedule(world, network=heads)
    listed = schedule(world, network=heads, title="Joint heads and SENCOs")
    services.attendance_add(meeting=listed, person=world["senco"], actor=world["coordinator"])
    ids = set(selectors.meetings_for(world["senco"]).values_list("pk", flat=True))
    assert ids == {mine.pk, listed.pk} and not_mine.pk not in ids
    # The coordinator runs every network's meetings, so they are all theirs.
    assert set(selectors.meetings_for(world["coordinator"]).values_list("pk", flat=True)) == {
        mine.pk,
        not_mine.pk,
        listed.pk,
    }
    # An administrator may see everything but "their" meetings are only their own.
    assert not selectors.meetings_for(world["admin"]).exists()


def test_a_new_senco_is_expected_at_meetings_scheduled_after_they_join(world):
    newcomer = staff(world.partner, Role.SENCO)
    meeting = schedule(world)
    assert meeting.attendance.filter(person=newcomer).exists()
    assert AgendaItem.objects.count() == 0


def test_a_host_that_has_since_left_can_stay_the_host(world):
    meeting = schedule(world, host=world.partner)
    Membership.objects.filter(school=world.partner).update(left_on=timezone.localdate())
    meeting = services.meeting_update(
        meeting=meeting, data={"location": "Hall", "host_school": world.partner}, actor=world["coordinator"]
    )
    assert meeting.host_school == world.partner and meeting.location == "Hall"
    with pytest.raises(ApplicationError):
        services.meeting_update(meeting=meeting, data={"host_school": world.outside}, actor=world["coordinator"])


def test_a_refused_paper_says_what_its_content_looks_like(world):
    with pytest.raises(ApplicationError) as exc:
        upload(world, "minutes.pdf", EXE)
    assert "is called a PDF but its content is not one. It looks like a Windows program." in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        upload(world, "report.docx", XLSX)
    assert "It looks like an Excel spreadsheet." in exc.value.message
