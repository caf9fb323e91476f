"""The footer's privacy notice and accessibility statement in a real browser: reached from any
page, signed in or not, and axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_visitor_reads_the_privacy_notice_and_the_accessibility_statement(page, a11y):
    page.goto("/accounts/login/")
    a11y(page)
    footer = page.locator("footer")
    footer.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("heading", name="Who can see what")).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_have_count(1)
    a11y(page)
    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect(page.get_by_role("heading", name="Compliance status")).to_be_visible()
    a11y(page)


def test_a_signed_in_person_finds_them_in_every_footer(page, world, a11y, sign_in):
    sign_in(page, world["governor"].email)
    a11y(page)
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    a11y(page)
    page.locator("footer").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    a11y(page)
