"""Plans in a real browser: a headteacher plans a priority with an objective, a milestone and an
action; the teacher who leads it records progress; the coordinator sees the shared priorities."""

import pytest
from playwright.sync_api import expect

from partnership.plans.tests import factories

pytestmark = pytest.mark.e2e


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_headteacher_plans_a_priority_and_a_lead_records_progress(new_page, world, a11y, sign_in):
    world["teacher"].full_name = "Ada Lovelace"
    world["teacher"].save()
    page = new_page()
    sign_in(page, world["head"].email)
    a11y(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans", exact=True).click()
    expect(heading(page)).to_have_text("Improvement plans")
    a11y(page)
    page.get_by_role("button", name="development plan").click()
    expect(heading(page)).to_contain_text("School Development Plan")
    a11y(page)

    page.get_by_role("link", name="Add a priority").first.click()
    a11y(page)
    page.get_by_role("button", name="Add priority").click()  # empty: an error summary
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    a11y(page)
    page.get_by_label("Priority", exact=True).fill("Every child a fluent reader")
    page.get_by_label("Inspection framework area (optional)").select_option("curriculum_teaching")
    page.get_by_label("Themes (optional)").fill("reading, Phonics")
    page.get_by_label("Lead (optional)").select_option(label="Ada Lovelace (Own Primary)")
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_role("heading", name="Priority 1: Every child a fluent reader")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Add an objective to priority 1").click()
    a11y(page)
    page.get_by_label("Objective", exact=True).fill("Daily phonics in Year 1")
    page.get_by_label("Success criteria (optional)").fill("85% pass the phonics screening check")
    page.get_by_label("Lead (optional)").select_option(label="Ada Lovelace (Own Primary)")
    page.get_by_role("button", name="Add objective").click()
    a11y(page)
    page.get_by_role("link", name="Add a milestone to objective 1.1").click()
    a11y(page)
    page.get_by_label("By the end of which term").select_option("autumn")
    page.get_by_label("Milestone").fill("All staff trained in the scheme")
    page.get_by_role("button", name="Add milestone").click()
    a11y(page)
    page.get_by_role("link", name="Add an action to objective 1.1").click()
    a11y(page)
    page.get_by_label("Action").fill("Buy decodable books")
    page.get_by_label("Who will do it").select_option(label="Ada Lovelace (Own Primary)")
    page.get_by_label("Due by (optional)").fill("2020-01-10")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Overdue")
    a11y(page)
    page.get_by_role("button", name="Share the priorities with the partnership").click()
    a11y(page)

    lead = new_page()
    sign_in(lead, world["teacher"].email)
    a11y(lead)
    lead.goto(page.url)
    a11y(lead)
    lead.get_by_role("link", name="Record progress on objective 1.1").click()
    a11y(lead)
    lead.get_by_label("Status now").select_option("amber")
    lead.get_by_label("What has happened").fill("Training done; one class behind.")
    lead.get_by_role("button", name="Record progress").click()
    a11y(lead)
    lead.get_by_role("button", name="Mark achieved").click()
    expect(lead.get_by_text("✓ Achieved")).to_be_visible()
    a11y(lead)
    lead.get_by_role("link", name="Termly review").click()
    expect(heading(lead)).to_contain_text("Termly review")
    a11y(lead)

    factories.full_school_plan(world.partner, world["partner_head"], world["partner_teacher"], shares=True)
    coordinator = new_page()
    sign_in(coordinator, world["coordinator"].email)
    a11y(coordinator)
    coordinator.goto("/plans/partnerships/home/shared-priorities/")
    a11y(coordinator)
    coordinator.get_by_role("button", name="Form a working party for Reading").click()
    expect(heading(coordinator)).to_contain_text("Reading working party")
    a11y(coordinator)
