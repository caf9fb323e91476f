"""A peer review's report in a real browser: a team member agrees the findings, the lead reviewer
drafts and finalises the report, the school's head downloads the PDF and agrees an action at the
improvement workshop, and the action shows on the school's actions list; then the impact review,
the school's calibration, and the partnership's ledger and calibration pass axe too."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews.models import AreaJudgement, Finding, Review
from partnership.reviews.tests import factories

pytestmark = pytest.mark.e2e


def heading(page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_findings_agreed_report_finalised_downloaded_and_acted_on(new_page, world, a11y, sign_in):
    world["teacher"].full_name = "Ada Lovelace"
    world["teacher"].save()
    third = member_school(world.home, name="Third Primary", slug="third-primary")
    member = staff(third, Role.HEADTEACHER, email="head@third.test", full_name="Tom Member")
    lead = world["partner_head"]
    cycle = factories.cycle(world.home, by=world["coordinator"])
    review = factories.review(cycle, world.own, team=[lead, member], lead=lead, stage=Review.Stage.VISITED)
    framework = cycle.framework
    strong = framework.grades.get(rank=2)
    for area in framework.areas.filter(optional=False).exclude(key="inclusion"):
        AreaJudgement.objects.create(
            review=review, area=area, grade=None if area.met_or_not else strong, met=True if area.met_or_not else None
        )
    Finding.objects.create(review=review, kind="strength", text="Pupils talk with joy about books", created_by=member)
    factories.sef(world.own, by=world["head"])  # every graded area "Expected standard"
    findings_url = f"/reviews/review/{review.pk}/findings/"

    # A team member grades the last area, adds an area for development and agrees the findings.
    page = new_page()
    sign_in(page, member.email)
    a11y(page)
    page.goto(findings_url)
    expect(heading(page)).to_have_text("Findings: peer review of Own Primary")
    a11y(page)
    page.get_by_role("link", name="Grade Inclusion").click()
    a11y(page)
    page.get_by_label("Grade").select_option(label="Exceptional")
    page.get_by_role("button", name="Save the judgement").click()
    a11y(page)
    page.get_by_role("link", name="Add a finding").click()
    a11y(page)
    page.get_by_label("Kind of finding").select_option("development")
    page.get_by_label("Area (optional)").select_option(label="Achievement")
    page.get_by_label("Finding", exact=True).fill("Fluency in times tables by Year 4")
    page.get_by_role("button", name="Add finding").click()
    a11y(page)
    page.get_by_role("button", name="Mark the findings agreed").click()
    expect(page.get_by_text("Findings agreed", exact=True).first).to_be_visible()
    a11y(page)

    # The lead drafts the report and makes it final.
    lead_page = new_page()
    sign_in(lead_page, lead.email)
    a11y(lead_page)
    lead_page.goto(f"/reviews/review/{review.pk}/report/")
    a11y(lead_page)
    lead_page.get_by_role("link", name="Draft the report").click()
    a11y(lead_page)
    expect(lead_page.get_by_label("Summary")).to_contain_text("Inclusion: Exceptional.")
    lead_page.get_by_role("button", name="Save the draft").click()
    a11y(lead_page)
    lead_page.get_by_role("button", name="Make the report final").click()
    expect(lead_page.get_by_text("The report is final.")).to_be_visible()
    a11y(lead_page)

    # The school's head downloads the PDF.
    head = new_page()
    sign_in(head, world["head"].email)
    a11y(head)
    head.goto(f"/reviews/review/{review.pk}/report/")
    a11y(head)
    with head.expect_download() as download:
        head.get_by_role("link", name="Download the report (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "".join(" ".join(p.extract_text() for p in reader.pages).split())
    for words in [
        "Own Primary",
        "Exceptional",
        "Fluency in times tables by Year 4",
        "This report belongs to Own Primary",
    ]:
        assert words.replace(" ", "") in text, words

    # At the improvement workshop the head agrees an action; it shows on the school's actions.
    head.goto(findings_url)
    a11y(head)
    head.get_by_role("link", name="Improvement workshop").click()
    expect(heading(head)).to_have_text("Improvement workshop")
    a11y(head)
    head.get_by_role("link", name="Agree an action").click()
    a11y(head)
    head.get_by_label("Action", exact=True).fill("Daily times tables practice")
    head.get_by_label("Who will do it").select_option(label="Ada Lovelace (Own Primary)")
    head.get_by_label("Due by (optional)").fill("2031-03-01")
    head.get_by_role("button", name="Add the action to the school's plan").click()
    expect(head.get_by_text("Daily times tables practice")).to_be_visible()
    a11y(head)
    head.get_by_role("link", name="the school's actions").click()
    expect(head.get_by_role("link", name="Daily times tables practice")).to_be_visible()
    a11y(head)

    # The impact review and the school's calibration (its chart beside the table).
    head.goto(f"/reviews/review/{review.pk}/impact/")
    expect(heading(head)).to_have_text("Impact review")
    expect(head.get_by_text("Daily times tables practice")).to_be_visible()
    a11y(head)
    head.goto(findings_url)
    a11y(head)
    head.get_by_role("link", name="Calibration: self-evaluation against peer review").click()
    expect(head.locator("#calibration-chart svg, #calibration-chart canvas").first).to_be_visible()
    expect(head.get_by_role("table").first).to_contain_text("Under-estimated")
    a11y(head)

    # The coordinator's ledger and partnership calibration.
    coordinator = new_page()
    sign_in(coordinator, world["coordinator"].email)
    a11y(coordinator)
    coordinator.goto("/reviews/ledger/home/")
    expect(heading(coordinator)).to_have_text("Who reviewed whom")
    a11y(coordinator)
    coordinator.get_by_role("link", name="Calibration").click()
    expect(heading(coordinator)).to_have_text("Calibration across the partnership")
    a11y(coordinator)
