"""A headteacher writes the school's self-evaluation in a real browser: start it against the
default framework, grade and write an area, link a document, share it with the partnership, see
the history; a partner headteacher then reads it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_head_writes_and_shares_a_sef(new_page, world, a11y, sign_in):
    page = new_page()
    sign_in(page, world["head"].email)
    a11y(page)
    page.goto(f"/reviews/schools/{world.own.slug}/sef/new/")
    a11y(page)
    expect(page.get_by_label("Framework")).to_contain_text("Ofsted report card")
    page.get_by_role("button", name="Start self-evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-evaluation")
    a11y(page)

    page.get_by_role("link", name="Edit Achievement").click()
    a11y(page)
    page.get_by_label("Self-grade").select_option(label="Strong standard")
    page.get_by_label("Narrative").fill("Reading at the end of Key Stage 2 is above national.")
    page.get_by_label("Strengths").fill("Phonics\nReading for pleasure")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Achievement saved.")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Link evidence for Achievement").click()
    a11y(page)
    page.get_by_label("What it is").fill("Moderation notes")
    page.get_by_label("Web address").fill("https://example.org/moderation")
    page.get_by_role("button", name="Link document").click()
    expect(page.get_by_role("link", name="Moderation notes")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Change who can see it").click()
    a11y(page)
    page.get_by_label("Who can see it").select_option(label="Everyone in our partnerships")
    page.get_by_role("button", name="Save choice").click()
    expect(page.get_by_text("Chosen by")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_text("Achievement - self-grade: none -> Strong standard")).to_be_visible()
    a11y(page)

    reader = new_page()
    sign_in(reader, world["partner_head"].email)
    a11y(reader)
    reader.goto("/reviews/")
    a11y(reader)
    reader.get_by_role("link", name="Own Primary").click()
    expect(reader.get_by_text("Reading at the end of Key Stage 2 is above national.")).to_be_visible()
    expect(reader.get_by_role("link", name="Edit Achievement")).to_have_count(0)
    a11y(reader)


def test_coordinator_makes_a_framework_and_edits_it_once_used(new_page, world, a11y, sign_in):
    page = new_page()
    sign_in(page, world["coordinator"].email)
    a11y(page)
    page.goto("/reviews/frameworks/")
    a11y(page)
    page.get_by_role("link", name="Make a framework for Home Partnership").click()
    a11y(page)
    page.get_by_label("Name").fill("Home peer review")
    page.get_by_label("Areas").fill("Teaching\nLeadership\nSafeguarding (met or not met)")
    page.get_by_label("Grades").fill("Strong\nSecure\nDeveloping")
    page.get_by_role("button", name="Create framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home peer review")
    expect(page.get_by_text("Safeguarding (met or not met)")).to_be_visible()
    a11y(page)

    from partnership.reviews.models import Framework
    from partnership.reviews.tests import factories

    framework = Framework.objects.get(partnership=world.home)
    made = factories.sef(world.own, by=world["head"])
    made.framework = framework
    made.save()
    page.get_by_role("link", name="Edit framework").click()
    expect(page.get_by_text("saving makes a new version")).to_be_visible()
    a11y(page)
    page.get_by_label("Grades").fill("Strong\nSecure\nDeveloping\nWeak")
    page.get_by_role("button", name="Save framework").click()
    expect(page.get_by_text("Saved as a new version.")).to_be_visible()
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
    a11y(page)
