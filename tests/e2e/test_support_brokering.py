"""Support brokering in a real browser: a head finds support for a data flag in the register, sends a
request; the other school's head accepts it and agrees the plan; the first head logs a session and its
impact; the ledger and the register show it. axe on every page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from partnership.goodpractice.models import SupportRequest
from partnership.goodpractice.tests import factories
from partnership.outcomes.models import NationalFigure
from partnership.outcomes.tests.test_outcome_pages import YEAR, cohort

pytestmark = pytest.mark.e2e


def heading(page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_a_data_flag_finds_support_that_is_given_and_recorded(new_page, world, a11y, sign_in):
    factories.areas()
    NationalFigure.objects.get_or_create(  # a transactional test may have flushed the shipped figures
        measure="ks2_maths",
        academic_year=YEAR,
        statistic="expected_pct",
        defaults={"value": Decimal("73.00"), "source": "KS2 national headlines"},
    )
    cohort(world.own, YEAR, 30, 9, measure="ks2_maths")  # 30% against about 73% nationally: flagged
    entry = factories.entry(
        world.home,
        world.partner,
        by=world["partner_head"],
        area_key="maths",
        capacity=3,
        title="Mastery maths from Reception to Year 6",
        contact=world["partner_head"],
    )
    factories.entry(world.home, world.own, by=world["head"], area_key="maths", title="Our own maths club")

    # Own Primary's head finds the flag among the school's needs and asks Partner Primary for help.
    head = new_page()
    sign_in(head, world["head"].email)
    a11y(head)
    head.goto("/good-practice/")
    a11y(head)
    head.get_by_role("link", name="Your school's needs and support for them").click()
    expect(heading(head)).to_have_text("Needs and support")
    a11y(head)
    flag_row = head.get_by_role("row").filter(has_text="Data flag").filter(has_text="KS2 maths")
    flag_row.get_by_role("link", name="Find support").click()
    expect(heading(head)).to_contain_text("Find support")
    a11y(head)
    expect(head.get_by_text("Our own maths club")).to_have_count(0)  # never the school's own entry
    expect(head.get_by_text("3 of 3 sessions free this term")).to_be_visible()
    head.get_by_role("link", name="Ask Partner Primary for support").click()
    a11y(head)
    head.get_by_label("Sessions or visits you would like").fill("2")
    head.get_by_label("Message to the school (optional)").fill("Could our Year 5 team see a reasoning lesson?")
    head.get_by_role("button", name="Send request").click()
    expect(head.get_by_text("Request sent to Partner Primary.")).to_be_visible()
    a11y(head)
    req = SupportRequest.objects.get()
    assert req.need_kind == "flag" and "ks2_maths" in req.need_ref

    # Partner Primary's head sees it on their home page, accepts and agrees the plan.
    other = new_page()
    sign_in(other, world["partner_head"].email)
    a11y(other)
    other.get_by_role("link", name="Own Primary asks for support: Maths").click()
    a11y(other)
    other.get_by_role("button", name="Accept").click()
    expect(other.get_by_text("Accepted: 2 sessions held for Own Primary.")).to_be_visible()
    a11y(other)
    other.get_by_role("link", name="Agree the plan").click()
    a11y(other)
    other.get_by_label("What was agreed").fill(
        "Two half-day visits to Year 5 reasoning lessons, then a joint planning session."
    )
    other.get_by_label("Sessions", exact=True).fill("2")
    other.get_by_label("Of which visits").fill("2")
    other.get_by_role("button", name="Save the plan").click()
    expect(other.get_by_text("Plan agreed.")).to_be_visible()
    a11y(other)

    # Own Primary's head logs the first visit and the impact.
    head.goto(f"/good-practice/requests/{req.pk}/")
    a11y(head)
    head.get_by_role("link", name="Log a session").click()
    a11y(head)
    head.get_by_label("Date").fill((datetime.date.today() - datetime.timedelta(days=1)).isoformat())
    head.get_by_label("Visit to the supporting school").check()
    head.get_by_label("Length in days").fill("0.5")
    head.get_by_label("What changed").fill("Saw reasoning prompts used in every lesson; we will trial them.")
    head.get_by_role("button", name="Log session").click()
    expect(head.get_by_text("Session logged.")).to_be_visible()
    a11y(head)
    head.get_by_role("link", name="Record the impact").click()
    a11y(head)
    head.get_by_label("It moved a little").check()
    head.get_by_label("What changed, and how you know").fill("Book looks: more pupils explain their answers.")
    head.get_by_role("button", name="Record impact").click()
    expect(head.get_by_text("Impact recorded.")).to_be_visible()
    a11y(head)

    # The ledger and the register show it.
    head.goto(f"/good-practice/schools/{world.own.slug}/ledger/")
    a11y(head)
    expect(head.get_by_role("heading", name="Received: 1 session, 0.5 days")).to_be_visible()
    expect(head.get_by_text("It moved a little")).to_be_visible()
    head.goto("/good-practice/home/register/")
    a11y(head)
    row = head.get_by_role("row").filter(has_text=entry.title)
    expect(row).to_contain_text("1 of 3")
