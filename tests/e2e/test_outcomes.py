"""Outcomes in a real browser: a headteacher reads the school's outcomes (chart drawn under the
site's CSP, tables beside it); the coordinator reads the RAB dashboard and turns a flag into an
action for a school."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnership.actions.models import Action
from partnership.outcomes.synthetic import generate_results

pytestmark = pytest.mark.e2e


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def results(world):
    # Fixed URNs: the generator seeds each school by URN, so the data (and its flags) must not
    # depend on how many schools earlier tests created.
    for school, urn in ((world.own, "900101"), (world.partner, "900102")):
        school.urn = urn
        school.save(update_fields=["urn"])
    generate_results([world.own, world.partner], years=(2022, 2023, 2024), seed=11)
    return world


def _no_csp_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_a_headteacher_reads_the_schools_outcomes(new_page, results, a11y, sign_in):
    page = new_page()
    errors = _no_csp_errors(page)
    sign_in(page, results["head"].email)
    a11y(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outcomes", exact=True).click()
    expect(heading(page)).to_have_text("Outcomes")
    a11y(page)
    page.get_by_role("link", name="Own Primary's outcomes").click()
    expect(heading(page)).to_have_text("Outcomes 2024/25")
    expect(page.locator("#school-outcomes-chart svg")).to_be_visible()
    expect(page.get_by_role("table", name="Measures in 2024/25")).to_be_visible()
    expect(page.get_by_role("table", name="Percentage meeting each measure by pupil group")).to_be_visible()
    a11y(page)
    page.get_by_label("Academic year").select_option("2023")
    page.get_by_role("button", name="Show").click()
    expect(heading(page)).to_have_text("Outcomes 2023/24")
    a11y(page)
    assert not [e for e in errors if "Content Security Policy" in e or "unsafe-eval" in e]


def test_the_coordinator_turns_a_flag_into_an_action(new_page, results, a11y, sign_in):
    page = new_page()
    sign_in(page, results["coordinator"].email)
    a11y(page)
    page.goto(reverse("directory:partnership_detail", args=["home"]))
    a11y(page)
    page.get_by_role("link", name=re.compile("^Raising Achievement Board")).click()
    expect(heading(page)).to_have_text("Raising Achievement Board 2024/25")
    expect(page.locator("#rab-chart svg")).to_be_visible()
    a11y(page)
    flags = page.get_by_role("link", name=re.compile("^Make this an action"))
    if flags.count() == 0:
        pytest.fail("the synthetic partnership should raise at least one flag")
    flags.first.click()
    expect(heading(page)).to_contain_text("New action for")
    a11y(page)
    page.get_by_label("Who will do it").select_option(index=1)
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("added for")).to_be_visible()
    a11y(page)
    action = Action.objects.get()
    assert action.partnership == results.home and action.source_label == "Raising Achievement Board 2024/25"
