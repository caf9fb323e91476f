"""Outcomes pages of an empty year in a real browser: axe-clean, and a chart with nothing to draw
is still named for screen readers (axe `svg-img-alt`) or replaced by a sentence saying so."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnership.outcomes.synthetic import generate_results
from partnership.outcomes.tests.test_outcome_pages import cohort

pytestmark = pytest.mark.e2e

# SVG elements (the drawing or a part of it) that assistive technology meets as an image or symbol
# with no name: what axe's `svg-img-alt` reports.
UNNAMED_SVG_PARTS = """() => [...document.querySelectorAll('svg, svg [role]')]
  .filter((el) => ['img', 'graphics-document', 'graphics-symbol'].includes(el.getAttribute('role')))
  .filter((el) => !el.closest('[aria-hidden="true"]'))
  .filter((el) => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.querySelector('title')))
  .map((el) => el.outerHTML.slice(0, 200))"""


def unnamed_svgs(page) -> list[str]:
    return page.evaluate(UNNAMED_SVG_PARTS)


@pytest.fixture
def one_year(world):
    """Results for 2024/25, and in 2022/23 only a phonics check at Own Primary: a year the pages
    offer (it has results) in which the board's KS2 and EYFS charts have nothing to draw."""
    for school, urn in ((world.own, "900101"), (world.partner, "900102")):
        school.urn = urn
        school.save(update_fields=["urn"])
    generate_results([world.own, world.partner], years=(2024,), seed=11)
    cohort(world.own, 2022, 8, 5, measure="phonics_y1", start=500)
    return world


def test_a_school_and_a_board_with_no_results_at_all(page, world, a11y, sign_in):
    sign_in(page, world["coordinator"].email)
    a11y(page)
    page.goto(reverse("outcomes:index"))
    a11y(page)
    page.goto(reverse("outcomes:school_outcomes", args=[world.own.slug]))
    a11y(page)
    page.goto(reverse("outcomes:partnership_dashboard", args=[world.home.slug]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Raising Achievement Board")
    a11y(page)
    assert unnamed_svgs(page) == []


@pytest.mark.parametrize("measure", ["ks2_rwm", "gld"])
def test_the_board_in_an_empty_year_names_its_chart_or_says_there_is_nothing_to_chart(
    page, one_year, a11y, sign_in, measure
):
    sign_in(page, one_year["coordinator"].email)
    a11y(page)
    page.goto(reverse("outcomes:partnership_dashboard", args=[one_year.home.slug]) + f"?year=2022&measure={measure}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2022/23")
    a11y(page)
    assert unnamed_svgs(page) == []
    chart = page.locator("#rab-chart")
    if chart.count():
        expect(chart).to_have_attribute("role", "img")
        expect(chart).to_have_attribute("aria-label", re.compile("^No results to chart. "))
        expect(chart.locator("svg text", has_text="No results to chart")).to_have_count(1)
    else:
        expect(page.get_by_text("No results to chart")).to_be_visible()


def test_the_schools_page_in_an_empty_year(page, one_year, a11y, sign_in):
    sign_in(page, one_year["head"].email)
    a11y(page)
    page.goto(reverse("outcomes:school_outcomes", args=[one_year.own.slug]) + "?year=2022")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2022/23")
    a11y(page)
    assert unnamed_svgs(page) == []


def test_a_headteacher_before_the_first_import(page, world, a11y, sign_in):
    sign_in(page, world["head"].email)
    a11y(page)
    page.goto(reverse("outcomes:index"))
    a11y(page)
    page.goto(reverse("outcomes:school_outcomes", args=[world.own.slug]))
    a11y(page)
    page.goto(reverse("outcomes:pupil_list", args=[world.own.slug]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y(page)
    page.goto(reverse("outcomes:import_upload", args=[world.own.slug]))
    a11y(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a results file to upload")
    a11y(page)
    assert unnamed_svgs(page) == []
