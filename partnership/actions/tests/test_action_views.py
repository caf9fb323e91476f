"""The action log's pages: three lists with filters and overdue highlighting, downloads, an action's
page with notes and an edit form that refuses a stale version without losing what was typed."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from partnership.actions.models import Action, ActionNote
from partnership.actions.services import action_add_note, action_create, action_update
from partnership.core.models import AuditEvent
from partnership.directory.models import Network

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def school_action(world, title="Audit phonics books", owner="teacher", **kw):
    kw.setdefault("created_by", world["head"])
    return action_create(title=title, owner=world[owner], school=world.own, **kw)


def partnership_action(world, title="Share the SEND audit", owner="senco", **kw):
    kw.setdefault("created_by", world["coordinator"])
    return action_create(title=title, owner=world[owner], partnership=world.home, **kw)


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"]]


# --- Lists --------------------------------------------------------------------------------------


def test_the_three_lists_show_what_each_is_for(client, world):
    school_action(world, "Mine")
    school_action(world, "A colleague's", owner="senco")
    partnership_action(world, "Partnership, owned at my school", owner="teacher")
    action_create(
        title="Partner school's", owner=world["partner_teacher"], created_by=world["partner_head"], school=world.partner
    )
    action_create(
        title="Other partnership's",
        owner=world["outside_teacher"],
        created_by=world["outside_head"],
        school=world.outside,
    )
    client.force_login(world["teacher"])
    assert sorted(titles(client.get("/actions/"))) == ["Mine", "Partnership, owned at my school"]
    assert sorted(titles(client.get("/actions/school/"))) == ["A colleague's", "Mine"]
    assert titles(client.get("/actions/partnership/")) == ["Partnership, owned at my school"]


def test_the_school_list_explains_itself_to_people_without_a_school(client, world):
    partnership_action(world)
    client.force_login(world["coordinator"])
    response = client.get("/actions/school/")
    assert response.status_code == 200 and b"not on the staff of a school" in response.content
    assert titles(client.get("/actions/partnership/")) == ["Share the SEND audit"]


def test_filters_status_open_overdue_owner_and_words(client, world):
    late = school_action(world, "Late one", due_on=LAST_WEEK)
    school_action(world, "On time", due_on=NEXT_MONTH)
    done = school_action(world, "Finished but late", due_on=LAST_WEEK, owner="senco")
    action_update(action=done, expected_version=1, actor=world["head"], data={"status": "done"})
    action_update(action=late, expected_version=1, actor=world["head"], data={"description": "Year 2 phonics"})
    client.force_login(world["head"])
    assert sorted(titles(client.get("/actions/school/?status=open"))) == ["Late one", "On time"]
    assert titles(client.get("/actions/school/?status=done")) == ["Finished but late"]
    assert titles(client.get("/actions/school/?overdue=1")) == ["Late one"]
    assert titles(client.get(f"/actions/school/?owner={world['senco'].pk}")) == ["Finished but late"]
    assert titles(client.get("/actions/school/?q=phonics")) == ["Late one"]  # searches the detail too
    # A value that does not parse is ignored, not a crash.
    assert len(titles(client.get("/actions/school/?owner=nobody&status=whatever"))) == 3


def test_a_coordinator_of_two_partnerships_filters_the_list_by_partnership(client, world):
    """The home page's "overdue actions" link for one partnership opens the list filtered to it."""
    from partnership.core.roles import Role
    from partnership.directory.models import RoleAssignment

    RoleAssignment.objects.create(
        person=world["coordinator"], partnership=world.other, role=Role.COORDINATOR, approved_at=timezone.now()
    )
    partnership_action(world, "Home's late one", due_on=LAST_WEEK)
    action_create(
        title="Other's late one",
        owner=world["other_coordinator"],
        created_by=world["other_coordinator"],
        partnership=world.other,
        due_on=LAST_WEEK,
    )
    client.force_login(world["coordinator"])
    assert sorted(titles(client.get("/actions/partnership/?overdue=1"))) == ["Home's late one", "Other's late one"]
    assert titles(client.get("/actions/partnership/?overdue=1&partnership=home")) == ["Home's late one"]
    assert titles(client.get("/actions/partnership/?partnership=other")) == ["Other's late one"]
    html = client.get("/actions/partnership/").content.decode()
    assert '<option value="home">Home Partnership</option>' in html
    # A partnership the list has no actions of is not a choice: the filter is ignored.
    assert len(titles(client.get("/actions/partnership/?partnership=nowhere"))) == 2
    home = client.get("/").content.decode()
    assert "/actions/partnership/?overdue=1&amp;partnership=home" in home


def test_overdue_rows_say_so_in_words_beside_the_date(client, world):
    school_action(world, "Late one", due_on=LAST_WEEK)
    client.force_login(world["teacher"])
    html = client.get("/actions/").content.decode()
    row = html[html.index("Late one") :]
    row = row[: row.index("</tr>")]
    assert 'govuk-tag--red">Overdue<' in row and LAST_WEEK.strftime("%-d %b %Y") in row


def test_the_source_links_to_where_the_action_arose(client, world, monkeypatch):
    monkeypatch.setattr(Network, "get_absolute_url", lambda self: f"/networks/{self.pk}/", raising=False)
    school_action(world, "From the network", source=world.network, source_label="SENCO network, 3 Mar")
    school_action(world, "Raised at school")
    client.force_login(world["teacher"])
    html = client.get("/actions/").content.decode()
    assert f'<a class="govuk-link" href="/networks/{world.network.pk}/">SENCO network, 3 Mar</a>' in html
    detail = client.get(f"/actions/{Action.objects.get(title='From the network').pk}/").content.decode()
    assert f'href="/networks/{world.network.pk}/"' in detail


def test_a_source_the_viewer_may_not_open_is_text_not_a_link(client, world):
    """The teacher owns an action agreed in a SENCO network meeting they are not part of: the list and
    the action's page name the meeting but do not link to a page that would refuse them."""
    from partnership.meetings.tests.factories import agenda_item, scheduled_meeting

    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], title="SENCO network")
    item = agenda_item(meeting, "Provision maps")
    action = school_action(world, "Update provision maps", source=item, source_label="SENCO network, item 1")
    meeting_url = f"/meetings/{meeting.pk}/"
    client.force_login(world["teacher"])
    assert client.get(meeting_url).status_code == 403
    for url in ("/actions/", f"/actions/{action.pk}/"):
        html = client.get(url).content.decode()
        assert "SENCO network, item 1" in html and meeting_url not in html, url
    client.force_login(world["senco"])  # in the network: the source is a link
    html = client.get("/actions/school/").content.decode()
    assert f'href="{meeting_url}#item-{item.pk}">SENCO network, item 1</a>' in html


def test_the_lists_are_paginated(client, world):
    for i in range(30):
        school_action(world, f"Action {i:02}", due_on=TODAY + datetime.timedelta(days=i))
    client.force_login(world["teacher"])
    first = client.get("/actions/?status=open")
    assert len(titles(first)) == 25 and b"status=open&amp;page=2" in first.content
    assert titles(client.get("/actions/?status=open&page=2")) == [f"Action {i}" for i in range(25, 30)]


# --- Downloads ----------------------------------------------------------------------------------


def test_csv_download_has_the_filtered_rows_and_escapes_formulas(client, world):
    school_action(world, '=HYPERLINK("http://evil.test","Click")', due_on=LAST_WEEK)
    school_action(world, "Not overdue", due_on=NEXT_MONTH)
    client.force_login(world["teacher"])
    response = client.get("/actions/download/mine.csv?overdue=1")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="my-actions.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Action", "More detail", "Owner"]
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://evil.test","Click")'
    assert rows[1][8] == "Yes" and rows[1][-1].startswith("http://testserver/actions/")


def test_excel_download_opens_and_keeps_formulas_as_text(client, world):
    partnership_action(world, "@SUM(A1:A9)", owner="teacher")
    client.force_login(world["teacher"])
    response = client.get("/actions/download/partnership.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Action"
    assert sheet["A2"].value == "'@SUM(A1:A9)" and sheet["A2"].data_type == "s"
    assert sheet["F2"].value == "Home Partnership"


def test_unknown_download_is_not_found(client, world):
    client.force_login(world["teacher"])
    assert client.get("/actions/download/everyone.csv").status_code == 404
    assert client.get("/actions/download/mine.pdf").status_code == 404


# --- An action's page ---------------------------------------------------------------------------


def test_action_page_shows_notes_with_dates_authors_and_evidence(client, world):
    action = school_action(world)
    action_add_note(
        action=action, author=world["teacher"], text="Books collected", evidence_url="https://docs.test/books"
    )
    client.force_login(world["governor"])  # may view, not change
    response = client.get(f"/actions/{action.pk}/")
    html = response.content.decode()
    assert "Books collected" in html and world["teacher"].full_name in html
    assert 'href="https://docs.test/books"' in html and TODAY.strftime("%-d %b %Y") in html
    assert response.context["can_change"] is False and "Add a progress note" not in html


def test_owner_adds_a_note_and_moves_the_status_on(client, world):
    action = school_action(world)
    client.force_login(world["teacher"])
    response = client.post(
        f"/actions/{action.pk}/",
        {"form": "note", "version": 1, "text": "Started", "evidence_url": "docs.test/x", "status": "in_progress"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    note = ActionNote.objects.get(action=action)
    assert note.evidence_url == "https://docs.test/x" and note.status_after == "in_progress"
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2


def test_an_empty_note_is_refused_with_a_message(client, world):
    action = school_action(world)
    client.force_login(world["teacher"])
    response = client.post(f"/actions/{action.pk}/", {"form": "note", "version": 1, "text": " "})
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert not ActionNote.objects.exists()


def test_the_edit_form_carries_the_version_and_an_iso_due_date(client, world):
    action = school_action(world, due_on=NEXT_MONTH)
    client.force_login(world["teacher"])
    html = client.get(f"/actions/{action.pk}/").content.decode()
    assert f'name="due_on" type="date" value="{NEXT_MONTH.isoformat()}"' in html
    assert '<input type="hidden" name="version" value="1" id="edit_version">' in html


def test_owner_edits_the_action(client, world):
    action = school_action(world)
    client.force_login(world["teacher"])
    response = client.post(
        f"/actions/{action.pk}/",
        {
            "form": "edit",
            "version": 1,
            "title": "Audit phonics and reading books",
            "description": "All of KS1",
            "owner": world["senco"].pk,
            "due_on": NEXT_MONTH.isoformat(),
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.due_on, action.version) == (
        "Audit phonics and reading books",
        world["senco"],
        NEXT_MONTH,
        2,
    )
    assert AuditEvent.objects.filter(verb="update", object_id=str(action.pk)).exists()


def test_the_owner_must_be_someone_at_the_actions_school(client, world):
    action = school_action(world)
    client.force_login(world["head"])
    response = client.post(
        f"/actions/{action.pk}/",
        {"form": "edit", "version": 1, "title": "x", "owner": world["partner_teacher"].pk, "status": "not_started"},
    )
    assert response.status_code == 200 and b"Choose owner from the list" in response.content
    assert Action.objects.get(pk=action.pk).owner == world["teacher"]


def test_a_stale_edit_is_refused_shows_the_stored_action_and_keeps_what_was_typed(client, world):
    action = school_action(world)
    client.force_login(world["teacher"])
    loaded = client.get(f"/actions/{action.pk}/")
    assert loaded.context["edit_form"]["version"].value() == 1
    # The head saves first.
    action_update(
        action=action,
        expected_version=1,
        actor=world["head"],
        data={"title": "Audit all books", "status": "done", "due_on": LAST_WEEK},
    )
    response = client.post(
        f"/actions/{action.pk}/",
        {
            "form": "edit",
            "version": 1,
            "title": "Audit phonics books",
            "description": "Only Year 1, please",
            "owner": world["teacher"].pk,
            "due_on": NEXT_MONTH.isoformat(),
            "status": "in_progress",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this action" in html and "There is a problem" in html
    # The form now carries the stored values and the new version...
    form = response.context["edit_form"]
    assert form["version"].value() == 2 and form["title"].value() == "Audit all books"
    assert form["status"].value() == "done"
    assert 'value="Audit all books"' in html
    assert f'name="due_on" type="date" value="{LAST_WEEK.isoformat()}"' in html
    # ...and what the teacher typed is still on the page, beside what is saved.
    changes = {c.label: (c.stored, c.typed) for c in response.context["your_changes"]}
    assert changes == {
        "Action": ("Audit all books", "Audit phonics books"),
        "More detail": ("", "Only Year 1, please"),
        "Due by": (LAST_WEEK.strftime("%-d %b %Y"), NEXT_MONTH.strftime("%-d %b %Y")),
        "Status": ("Done", "In progress"),
    }
    assert "Your changes (not saved)" in html and "Only Year 1, please" in html
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.status, stored.description, stored.version) == ("Audit all books", "done", "", 2)


def test_a_stale_status_move_keeps_the_note_as_typed_and_saves_nothing(client, world):
    action = school_action(world)
    client.force_login(world["teacher"])
    action_update(action=action, expected_version=1, actor=world["head"], data={"status": "dropped"})
    response = client.post(
        f"/actions/{action.pk}/",
        {"form": "note", "version": 1, "text": "Half the books audited", "status": "in_progress"},
    )
    assert response.status_code == 200 and b"Someone else changed this action" in response.content
    form = response.context["note_form"]
    assert form["text"].value() == "Half the books audited" and form["version"].value() == "2"
    assert not ActionNote.objects.exists()
    assert Action.objects.get(pk=action.pk).status == "dropped"


def test_a_colleague_who_may_only_view_cannot_post(client, world):
    action = school_action(world)
    client.force_login(world["governor"])
    response = client.post(f"/actions/{action.pk}/", {"form": "note", "version": 1, "text": "Hello"})
    assert response.status_code == 403 and not ActionNote.objects.exists()


# --- New actions --------------------------------------------------------------------------------


def test_a_teacher_raises_an_action_for_a_colleague(client, world):
    client.force_login(world["teacher"])
    page = client.get(f"/actions/new/school/{world.own.slug}/")
    owners = {int(pk) for pk, _ in page.context["form"].fields["owner"].choices if pk}
    assert world["senco"].pk in owners and world["partner_teacher"].pk not in owners
    response = client.post(
        f"/actions/new/school/{world.own.slug}/",
        {"title": "Order decodable readers", "owner": world["senco"].pk, "due_on": NEXT_MONTH.isoformat()},
    )
    action = Action.objects.get(title="Order decodable readers")
    assert response["Location"] == f"/actions/{action.pk}/"
    assert (action.school, action.partnership, action.owner, action.created_by) == (
        world.own,
        None,
        world["senco"],
        world["teacher"],
    )


def test_a_coordinator_raises_a_partnership_action(client, world):
    client.force_login(world["coordinator"])
    assert f"/actions/new/partnership/{world.home.slug}/".encode() in client.get("/actions/partnership/").content
    response = client.post(
        f"/actions/new/partnership/{world.home.slug}/",
        {"title": "Book the moderation venue", "owner": world["partner_head"].pk},
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Book the moderation venue")
    assert action.partnership == world.home and action.school == world.partner  # shows in its owner's school list
    page = client.post(
        f"/actions/new/partnership/{world.home.slug}/", {"title": "x", "owner": world["outside_head"].pk}
    )
    assert page.status_code == 200 and b"Choose who will do it from the list" in page.content
