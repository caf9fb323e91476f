"""Meeting pages: running a meeting from scheduling to approved minutes, papers, attendance, feeds."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from partnership.actions.models import Action
from partnership.core.models import AuditEvent
from partnership.meetings import services
from partnership.meetings.models import AgendaItem, AgendaPaper, Attendance, CalendarFeed, Meeting
from partnership.meetings.tests.factories import (
    PDF_BYTES,
    agenda_item,
    calendar_feed,
    held_meeting,
    pdf_paper,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world) -> Meeting:
    return scheduled_meeting(world.network, created_by=world["coordinator"], host_school=world.own)


def text(response) -> str:
    return response.content.decode()


# --- Scheduling ---------------------------------------------------------------------------------


def test_the_schedule_form_suggests_and_explains_the_next_host(client, world):
    scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-30, host_school=world.own)
    client.force_login(world["coordinator"])
    page = text(client.get(f"/meetings/networks/{world.network.pk}/new/"))
    assert "Suggested: Partner Primary is the only member school that has not hosted" in page
    assert f'<option value="{world.partner.pk}" selected>' in page
    assert "How the host school is suggested" in page


def test_a_coordinator_schedules_a_meeting_in_uk_time(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        f"/meetings/networks/{world.network.pk}/new/",
        {
            "title": "SENCO network: summer",
            "date": "2031-07-01",
            "start_time": "09:30",
            "end_time": "11:00",
            "host_school": world.partner.pk,
            "location": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.starts_at == datetime.datetime(2031, 7, 1, 8, 30, tzinfo=datetime.UTC)  # 09:30 BST
    assert meeting.host_school == world.partner
    assert meeting.attendance.count() == 3  # the SENCO, the adviser, and the coordinator who scheduled it


def test_the_schedule_form_explains_its_errors(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        f"/meetings/networks/{world.network.pk}/new/",
        {"title": "Backwards", "date": "2031-07-01", "start_time": "11:00", "end_time": "09:00"},
    )
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "The meeting must end after it starts." in text(response)
    assert not Meeting.objects.exists()


def test_changing_the_time_on_the_form_bumps_the_sequence(client, world, meeting):
    client.force_login(world["adviser"])
    response = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {"title": meeting.title, "date": "2031-07-02", "start_time": "13:00", "end_time": "15:00", "host_school": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.host_school is None
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(13, 0)


# --- Agenda, minutes and actions ------------------------------------------------------------------


def test_running_a_meeting_from_agenda_to_approved_minutes(client, world):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=-1)
    client.force_login(world["coordinator"])
    client.post(f"/meetings/{meeting.pk}/items/new/", {"title": "Welcome"})
    client.post(f"/meetings/{meeting.pk}/items/new/", {"title": "Provision maps", "presenter": world["senco"].pk})
    client.post(f"/meetings/{meeting.pk}/items/new/", {"title": "Minutes of last meeting", "number": 1})
    assert list(meeting.items.values_list("title", flat=True)) == [
        "Minutes of last meeting",
        "Welcome",
        "Provision maps",
    ]
    maps = meeting.items.get(title="Provision maps")
    client.post(f"/meetings/{meeting.pk}/items/{maps.pk}/move/", {"number": 1})
    assert meeting.items.get(number=1) == maps
    client.post(
        f"/meetings/{meeting.pk}/items/{maps.pk}/minutes/",
        {"minutes": "Each school shared its map.", "decisions": "Use one template\nReview in spring"},
    )
    response = client.post(
        f"/meetings/{meeting.pk}/items/{maps.pk}/actions/new/",
        {"title": "Send the template to all SENCOs", "owner": world["senco"].pk, "due_on": "2031-01-31"},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source == maps and action.owner == world["senco"] and action.partnership == world.home
    senco_row = meeting.attendance.get(person=world["senco"])
    client.post(f"/meetings/{meeting.pk}/attendance/{senco_row.pk}/", {"status": "present"})
    page = text(client.get(f"/meetings/{meeting.pk}/"))
    assert "Each school shared its map." in page and "<li>Use one template</li>" in page
    assert "Send the template to all SENCOs" in page and "Led by" in page
    assert "1 present" in page
    client.post(f"/meetings/{meeting.pk}/status/", {"status": "held"})
    client.post(f"/meetings/{meeting.pk}/approve-minutes/")
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes_approved_at is not None
    response = client.post(f"/meetings/{meeting.pk}/items/{maps.pk}/minutes/", {"minutes": "Rewritten"})
    assert response.status_code == 200 and "the record cannot change" in text(response)
    assert AgendaItem.objects.get(pk=maps.pk).minutes == "Each school shared its map."
    # The owner sees the action on their home page.
    client.force_login(world["senco"])
    assert "Send the template to all SENCOs" in text(client.get("/"))


def test_an_action_owner_must_be_chosen_from_the_meeting(client, world, meeting):
    item = agenda_item(meeting)
    client.force_login(world["coordinator"])
    response = client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/actions/new/", {"title": "X", "owner": world["teacher"].pk}
    )
    assert response.status_code == 200 and "There is a problem" in text(response)
    assert not Action.objects.exists()


def test_marking_a_future_meeting_as_held_is_explained_not_an_error(client, world, meeting):
    client.force_login(world["coordinator"])
    response = client.post(f"/meetings/{meeting.pk}/status/", {"status": "held"}, follow=True)
    assert "has not started yet" in text(response)


def test_removing_an_item(client, world, meeting):
    first, second = agenda_item(meeting, "One"), agenda_item(meeting, "Two")
    client.force_login(world["coordinator"])
    client.post(f"/meetings/{meeting.pk}/items/{first.pk}/delete/")
    assert list(meeting.items.values_list("number", "title")) == [(1, "Two")]
    assert AgendaItem.objects.get(pk=second.pk).number == 1


# --- Papers -------------------------------------------------------------------------------------


def upload(client, meeting, item, name: str, data: bytes):
    return client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/papers/new/",
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_a_paper_is_uploaded_and_downloaded_by_members_only(client, world, meeting):
    item = agenda_item(meeting)
    client.force_login(world["adviser"])
    assert upload(client, meeting, item, "Agenda.pdf", PDF_BYTES).status_code == 302
    paper = AgendaPaper.objects.get()
    response = client.get(f"/meetings/papers/{paper.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Agenda.pdf"')
    client.force_login(world["head"])  # not in the SENCO network
    assert client.get(f"/meetings/papers/{paper.pk}/").status_code == 403


def test_a_guest_on_the_list_sees_the_meeting_and_its_papers(client, world, meeting):
    paper = pdf_paper(agenda_item(meeting), world["coordinator"])
    client.force_login(world["head"])
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 403
    services.attendance_add(meeting=meeting, person=world["head"], actor=world["coordinator"])
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/meetings/papers/{paper.pk}/").status_code == 200
    # ...but does not run it.
    assert client.get(f"/meetings/{meeting.pk}/items/new/").status_code == 403


def test_the_attendance_list_says_where_each_person_works_as_the_picker_does(client, world, meeting):
    client.force_login(world["coordinator"])
    coordinator = world["coordinator"].full_name
    assert f">{coordinator} (partnership)</option>" in text(client.get(f"/meetings/{meeting.pk}/"))
    services.attendance_add(meeting=meeting, person=world["coordinator"], actor=world["coordinator"])
    page = text(client.get(f"/meetings/{meeting.pk}/"))
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell">([^<]*)</td>', page)
    places = dict(cells)
    # The coordinator belongs to no school or organisation: the partnership's own, never "external".
    assert places[world["coordinator"].full_name] == "partnership"
    assert places[world["adviser"].full_name] == "LA"
    assert places[world["senco"].full_name] == "Own Primary"
    assert "(external)" not in page


def test_a_fake_pdf_is_refused_with_a_message(client, world, meeting):
    item = agenda_item(meeting)
    client.force_login(world["coordinator"])
    response = upload(client, meeting, item, "minutes.pdf", b"MZ\x90\x00 this is a Windows program")
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "is called a PDF but its content is not one" in text(response)
    assert not AgendaPaper.objects.exists()


def test_an_oversized_paper_is_dropped_as_it_arrives_with_a_message(client, world, meeting, settings):
    settings.MEETING_PAPER_MAX_BYTES = 1024
    item = agenda_item(meeting)
    client.force_login(world["coordinator"])
    response = upload(client, meeting, item, "big.pdf", b"%PDF-1.4" + b"0" * 200_000)
    assert response.status_code == 200
    assert "“big.pdf” is bigger than 1 KB, the most a paper can be." in text(response)
    assert "This field is required" not in text(response)
    assert not AgendaPaper.objects.exists()


def test_an_upload_without_a_file_asks_for_one(client, world, meeting):
    item = agenda_item(meeting)
    client.force_login(world["coordinator"])
    response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/papers/new/", {})
    assert response.status_code == 200 and "Choose a file to upload" in text(response)


def test_removing_a_paper(client, world, meeting):
    paper = pdf_paper(agenda_item(meeting), world["coordinator"])
    client.force_login(world["coordinator"])
    client.post(f"/meetings/papers/{paper.pk}/delete/")
    assert not AgendaPaper.objects.exists()


# --- Attendance ---------------------------------------------------------------------------------


def test_marking_attendance_with_htmx_returns_the_section(client, world, meeting):
    row = meeting.attendance.get(person=world["senco"])
    client.force_login(world["coordinator"])
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/{row.pk}/", {"status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith("{") is False and "<html" not in body
    assert 'id="attendance"' in body and "1 present" in body
    assert Attendance.objects.get(pk=row.pk).status == "present"


def test_marking_attendance_without_javascript_returns_to_the_page(client, world, meeting):
    row = meeting.attendance.get(person=world["senco"])
    client.force_login(world["coordinator"])
    response = client.post(f"/meetings/{meeting.pk}/attendance/{row.pk}/", {"status": "absent"})
    assert response.status_code == 302 and response["Location"].endswith("#attendance")


def test_a_member_sends_and_withdraws_apologies(client, world, meeting):
    client.force_login(world["senco"])
    page = text(client.get(f"/meetings/{meeting.pk}/"))
    assert "Send my apologies" in page
    client.post(f"/meetings/{meeting.pk}/apologies/", {"note": "Annual review"})
    row = meeting.attendance.get(person=world["senco"])
    assert (row.status, row.note) == ("apologies", "Annual review")
    assert "I can come after all" in text(client.get(f"/meetings/{meeting.pk}/"))
    client.post(f"/meetings/{meeting.pk}/apologies/", {"withdraw": "1"})
    assert meeting.attendance.get(person=world["senco"]).status == "expected"
    assert AuditEvent.objects.filter(verb="apologies", actor=world["senco"]).exists()


def test_the_coordinator_adds_themselves_to_the_list(client, world, meeting):
    client.force_login(world["coordinator"])
    client.post(f"/meetings/{meeting.pk}/attendance/add/", {"person": world["coordinator"].pk})
    assert meeting.attendance.filter(person=world["coordinator"]).exists()


# --- Lists, home and network pages ----------------------------------------------------------------


def test_the_index_lists_upcoming_and_recent_meetings(client, world, meeting):
    held_meeting(world.network, created_by=world["coordinator"], title="Last term's meeting")
    scheduled_meeting(world.other_network, created_by=world["other_coordinator"], title="Not ours")
    client.force_login(world["senco"])
    page = text(client.get("/meetings/"))
    assert meeting.title in page and "Last term&#x27;s meeting" in page and "Not ours" not in page


def test_the_home_page_shows_the_next_meetings(client, world, meeting):
    services.attendance_send_apologies(meeting=meeting, person=world["senco"])
    client.force_login(world["senco"])
    page = text(client.get("/"))
    assert "Your next meetings" in page and meeting.title in page and "you sent apologies" in page
    assert "Your open actions" in page


def test_the_network_page_shows_meetings_to_members_only(client, world, meeting):
    client.force_login(world["coordinator"])
    page = text(client.get(f"/networks/{world.network.pk}/"))
    assert "Schedule a meeting" in page and meeting.title in page and "Get a calendar feed" in page
    client.force_login(world["head"])
    page = text(client.get(f"/networks/{world.network.pk}/"))
    assert meeting.title not in page and "Schedule a meeting" not in page
    assert "open to its members and the partnership's coordinators" in page


# --- Calendar feeds -----------------------------------------------------------------------------


def test_a_new_feed_address_is_shown_once(client, world):
    client.force_login(world["senco"])
    response = client.post("/meetings/calendar-feeds/", follow=True)
    page = text(response)
    feed = CalendarFeed.objects.get(owner=world["senco"])
    assert "Copy it now" in page and "webcal://testserver/calendar/" in page
    raw = page.split("http://testserver/calendar/")[1].split(".ics")[0]
    assert CalendarFeed.hash_token(raw) == feed.token_hash
    assert client.get(f"/calendar/{raw}.ics").status_code == 200
    assert "Copy it now" not in text(client.get("/meetings/calendar-feeds/"))


def test_a_network_feed_is_made_from_the_network_page_and_switched_off(client, world):
    client.force_login(world["adviser"])
    client.post(f"/meetings/networks/{world.network.pk}/calendar-feed/")
    feed = CalendarFeed.objects.get(owner=world["adviser"])
    assert feed.network == world.network
    client.post(f"/meetings/calendar-feeds/{feed.pk}/revoke/")
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert "Feeds you switched off" in text(client.get("/meetings/calendar-feeds/"))


def test_someone_elses_feed_cannot_be_switched_off(client, world):
    feed, _ = calendar_feed(world["senco"])
    client.force_login(world["coordinator"])
    assert client.post(f"/meetings/calendar-feeds/{feed.pk}/revoke/").status_code == 403
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is None


def test_the_paper_upload_still_checks_the_csrf_token(world, meeting):
    # The view is csrf_exempt only so that its size limit is in place before the body is read;
    # the check itself runs inside it.
    item = agenda_item(meeting)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["coordinator"])
    url = f"/meetings/{meeting.pk}/items/{item.pk}/papers/new/"
    file = SimpleUploadedFile("Agenda.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url, {"file": file}).status_code == 403
    client.get(url)
    token = client.cookies["csrftoken"].value
    file = SimpleUploadedFile("Agenda.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url, {"file": file, "csrfmiddlewaretoken": token}).status_code == 302
    assert AgendaPaper.objects.count() == 1


def test_changing_an_item_and_its_position(client, world, meeting):
    agenda_item(meeting, "One")
    second = agenda_item(meeting, "Two", presenter=world["senco"])
    client.force_login(world["coordinator"])
    page = text(client.get(f"/meetings/{meeting.pk}/items/{second.pk}/edit/"))
    assert f'<option value="{world["senco"].pk}" selected>' in page
    response = client.post(
        f"/meetings/{meeting.pk}/items/{second.pk}/edit/",
        {"title": "Two, renamed", "description": "", "presenter": world["senco"].pk, "number": 1},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{second.pk}")
    assert list(meeting.items.values_list("title", flat=True)) == ["Two, renamed", "One"]
