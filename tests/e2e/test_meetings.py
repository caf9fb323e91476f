"""A network runs a meeting in a real browser: schedule, agenda, paper, attendance (with htmx),
minutes, an action for a SENCO that appears under their actions, then approved minutes."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_coordinator_runs_a_meeting_from_agenda_to_minutes(new_page, world, a11y, sign_in, tmp_path):
    page = new_page()
    sign_in(page, world["coordinator"].email)
    a11y(page)
    page.goto(f"/networks/{world.network.pk}/")
    a11y(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    a11y(page)
    expect(page.get_by_text("Suggested: Own Primary has not hosted")).to_be_visible()
    page.get_by_label("Title").fill("SENCO network: provision maps")
    page.get_by_label("Date").fill("2020-03-14")  # in the past, so it can be marked as held
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("Ends at").fill("11:00")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SENCO network: provision maps")
    a11y(page)

    page.get_by_role("link", name="Add an agenda item").click()
    a11y(page)
    page.get_by_label("Item", exact=True).fill("Provision maps")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_role("heading", name="1. Provision maps")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Add a paper to item 1").click()
    a11y(page)
    paper = tmp_path / "Provision map.pdf"
    paper.write_bytes(PDF)
    page.get_by_label("Paper").set_input_files(str(paper))
    page.get_by_role("button", name="Upload paper").click()
    expect(page.get_by_role("link", name="Provision map.pdf")).to_be_visible()
    a11y(page)

    # Attendance with htmx: the section updates in place.
    page.get_by_role("button", name=f"Present ({world['senco'].full_name})").click()
    expect(page.get_by_role("status")).to_contain_text("1 present")
    a11y(page)

    page.get_by_role("link", name="Write minutes for item 1").click()
    a11y(page)
    page.get_by_label("Minutes").fill("Each school shared its provision map.")
    page.get_by_label("Decisions").fill("Use one template across the partnership")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text("Each school shared its provision map.")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Add an action for item 1").click()
    a11y(page)
    page.get_by_label("Action").fill("Send the template to every SENCO")
    page.get_by_label("Who will do it").select_option(label=f"{world['senco'].full_name} (Own Primary)")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("link", name="Send the template to every SENCO")).to_be_visible()
    a11y(page)

    page.get_by_role("button", name="Mark as held").click()
    a11y(page)
    page.get_by_role("button", name="Approve minutes").click()
    expect(page.get_by_text("Minutes approved on")).to_be_visible()
    a11y(page)

    page.goto("/meetings/calendar-feeds/")
    a11y(page)
    page.get_by_role("button", name="Make a calendar feed").click()
    expect(page.get_by_label("Calendar address")).to_have_value(re.compile(r"^http://.*/calendar/.+\.ics$"))
    a11y(page)
    page.goto("/meetings/")
    a11y(page)

    senco = new_page()
    sign_in(senco, world["senco"].email)
    a11y(senco)
    expect(senco.get_by_text("Send the template to every SENCO")).to_be_visible()  # home page
    senco.goto("/actions/")
    expect(senco.get_by_text("Send the template to every SENCO")).to_be_visible()
    a11y(senco)
