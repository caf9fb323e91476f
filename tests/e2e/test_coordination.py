"""A coordinator runs the partnership and a headteacher acts for their school, in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def heading(page):
    return page.get_by_role("heading", level=1)


def test_coordinator_manages_the_partnership_and_head_agrees_and_votes(new_page, world, a11y, sign_in):
    page = new_page()
    sign_in(page, world["coordinator"].email)
    a11y(page)

    page.goto(f"/partnerships/{world.home.slug}/")
    expect(heading(page)).to_have_text("Home Partnership")
    a11y(page)

    # A bad URN is explained next to the field, with an error summary.
    page.get_by_role("link", name="Add a school").click()
    a11y(page)
    page.get_by_label("School URN").fill("12")
    page.get_by_role("button", name="Add school").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the school's 6-digit URN.")
    a11y(page)

    # A working party with a remit, and a manual member.
    page.goto(f"/partnerships/{world.home.slug}/working-parties/new/")
    a11y(page)
    page.get_by_label("Name").fill("Reception baseline standardisation")
    page.get_by_label("Remit").fill("Agree how we standardise the Reception baseline across our schools.")
    page.get_by_role("button", name="Create working party").click()
    expect(heading(page)).to_have_text("Reception baseline standardisation")
    a11y(page)
    page.get_by_label("Person").select_option(label=f"{world['teacher'].full_name} (Own Primary)")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("link", name=world["teacher"].full_name)).to_be_visible()
    a11y(page)

    # A new version of the memorandum.
    page.goto(f"/partnerships/{world.home.slug}/memorandum/new/")
    a11y(page)
    page.get_by_label("Text of the memorandum").fill("Version two: we share SDP priorities each September.")
    page.get_by_label("What changed from the last version").fill("Adds SDP sharing")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Memorandum of Understanding (version 2)")).to_be_visible()
    a11y(page)

    # A decision put to the schools.
    page.goto(f"/partnerships/{world.home.slug}/decisions/new/")
    a11y(page)
    page.get_by_label("Decision to be made").fill("Share an INSET day on 2 January")
    page.get_by_role("button", name="Open for votes").click()
    expect(heading(page)).to_have_text("Share an INSET day on 2 January")
    decision_url = page.url
    a11y(page)

    page.goto(f"/partnerships/{world.home.slug}/audit/")
    expect(page.get_by_role("cell", name="create").first).to_be_visible()
    a11y(page)

    # The headteacher agrees the new memorandum and votes for their school.
    head = new_page()
    sign_in(head, world["head"].email)
    a11y(head)
    head.goto(f"/partnerships/{world.home.slug}/memorandum/")
    a11y(head)
    head.get_by_role("button", name="Agree version 2 for Own Primary").click()
    expect(head.get_by_role("alert")).to_contain_text("agreement to version 2 is recorded")
    a11y(head)
    head.goto(decision_url)
    a11y(head)
    head.get_by_label("For", exact=True).check()
    head.get_by_role("button", name="Record vote").click()
    expect(head.get_by_role("alert")).to_contain_text("vote is recorded")
    expect(head.get_by_role("row", name="Own Primary For")).to_be_visible()
    a11y(head)

    # Back to the coordinator, who closes the vote with an outcome.
    page.goto(decision_url)
    a11y(page)
    page.get_by_label("Outcome").fill("Agreed by the schools that voted")
    page.get_by_role("button", name="Close and record outcome").click()
    expect(page.get_by_role("heading", name="Outcome")).to_be_visible()
    a11y(page)


def test_refusals_and_missing_pages_are_explained(page, world, a11y, sign_in):
    sign_in(page, world["teacher"].email)
    a11y(page)
    response = page.goto(f"/schools/{world.own.slug}/edit/")
    assert response.status == 403
    expect(heading(page)).to_have_text("You do not have access to this page")
    a11y(page)
    response = page.goto("/schools/no-such-school/")
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    a11y(page)
    page.goto("/account/")
    expect(heading(page)).to_have_text("Your account")
    a11y(page)
    page.goto("/api/")
    expect(heading(page)).to_have_text("API")
    a11y(page)
