"""One school's peer review from rota to follow-up, in a real browser, as the people who do it: the
coordinator opens a cycle, agrees the rota and schedules the visit; the reviewer writes an evidence
note (the page reloads mid-note and nothing is lost), grades every area, agrees the findings and
finalises the report; the school's head downloads the PDF (read back with pypdf), turns the area for
development into an action under a priority at the improvement workshop, and finds it in the
school's development plan. Axe checks every page on the way."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from partnership.actions.models import Action
from partnership.plans.tests.factories import priority, school_plan
from partnership.reviews.models import EvidenceNote, Finding, Review
from partnership.reviews.tests import factories

pytestmark = pytest.mark.e2e


def heading(page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_from_rota_to_an_action_in_the_schools_plan(new_page, world, a11y, sign_in):
    for key, name in [("head", "Ann Head"), ("partner_head", "Pat Partner"), ("teacher", "Ada Lovelace")]:
        world[key].full_name = name
        world[key].save()
    plan = school_plan(world.own, world["head"])
    maths = priority(plan, "Fluent number facts in every class")
    framework = factories.framework()
    areas = list(framework.areas.filter(optional=False).order_by("number"))
    first_area = areas[0]

    # The coordinator opens the cycle, agrees the rota and schedules the visit.
    coordinator = new_page()
    sign_in(coordinator, world["coordinator"].email)
    a11y(coordinator)
    coordinator.goto("/reviews/")
    a11y(coordinator)
    coordinator.get_by_role("link", name="Open a review cycle for Home Partnership").click()
    expect(heading(coordinator)).to_have_text("Open a review cycle")
    a11y(coordinator)
    coordinator.get_by_label("Reviewers in each team").fill("1")
    coordinator.get_by_label("The most reviews one reviewer takes on in a round").fill("1")
    coordinator.get_by_role("button", name="Open review cycle").click()
    coordinator.get_by_role("button", name="Propose a rota").click()
    coordinator.get_by_role("button", name="Agree the rota").click()
    expect(coordinator.get_by_text("Rota agreed", exact=False).first).to_be_visible()
    a11y(coordinator)
    review = Review.objects.get(school=world.own)
    coordinator.goto(f"/reviews/review/{review.pk}/")
    expect(heading(coordinator)).to_have_text("Peer review of Own Primary")
    a11y(coordinator)
    coordinator.get_by_role("link", name="Change visit dates").click()
    a11y(coordinator)
    visit_day = timezone.localdate() + datetime.timedelta(days=14)
    coordinator.get_by_label("First day of the visit").fill(visit_day.isoformat())
    coordinator.get_by_role("button", name="Save dates").click()
    a11y(coordinator)
    review.refresh_from_db()
    assert review.visit_starts_on == visit_day and review.stage == Review.Stage.SCHEDULED

    # The reviewer writes a note; the page reloads before the autosave fires; nothing is lost.
    reviewer = new_page()
    sign_in(reviewer, world["partner_head"].email)
    a11y(reviewer)
    reviewer.goto(f"/reviews/review/{review.pk}/")
    reviewer.get_by_role("link", name="Evidence notes").click()
    a11y(reviewer)
    box = reviewer.get_by_label(f"Your note on {first_area.name.lower()}")
    box.press_sequentially("Pupils explain their reasoning", delay=10)
    reviewer.reload()
    expect(reviewer.get_by_label(f"Your note on {first_area.name.lower()}")).to_have_value(
        "Pupils explain their reasoning"
    )
    deadline = time.monotonic() + 10
    while not EvidenceNote.objects.filter(review=review).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert EvidenceNote.objects.get(review=review, area=first_area).text == "Pupils explain their reasoning"

    # The team (here one reviewer, who leads) grades every area, adds an area for development and agrees.
    reviewer.goto(f"/reviews/review/{review.pk}/")
    reviewer.get_by_role("link", name="Findings and grades").click()
    expect(heading(reviewer)).to_have_text("Findings: peer review of Own Primary")
    a11y(reviewer)
    for area in areas:
        reviewer.get_by_role("link", name=f"Grade {area.name}").click()
        a11y(reviewer)
        if area.met_or_not:
            reviewer.get_by_label("Judgement").select_option(label="Met")
        else:
            reviewer.get_by_label("Grade").select_option(label="Strong standard")
        reviewer.get_by_role("button", name="Save the judgement").click()
    a11y(reviewer)
    reviewer.get_by_role("link", name="Add a finding").click()
    a11y(reviewer)
    reviewer.get_by_label("Kind of finding").select_option("development")
    reviewer.get_by_label("Area (optional)").select_option(label="Achievement")
    reviewer.get_by_label("Finding", exact=True).fill("Recall of number facts in lower key stage 2")
    reviewer.get_by_role("button", name="Add finding").click()
    a11y(reviewer)
    reviewer.get_by_role("button", name="Mark the findings agreed").click()
    expect(reviewer.get_by_text("Findings agreed", exact=True).first).to_be_visible()
    a11y(reviewer)
    reviewer.get_by_role("link", name="The report").first.click()
    reviewer.get_by_role("link", name="Draft the report").click()
    a11y(reviewer)
    reviewer.get_by_role("button", name="Save the draft").click()
    reviewer.get_by_role("button", name="Make the report final").click()
    expect(reviewer.get_by_text("The report is final.")).to_be_visible()
    a11y(reviewer)

    # The head downloads the report and reads it back.
    head = new_page()
    sign_in(head, world["head"].email)
    a11y(head)
    head.goto(f"/reviews/review/{review.pk}/report/")
    a11y(head)
    with head.expect_download() as download:
        head.get_by_role("link", name="Download the report (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())
    for words in ["Peer review", "Own Primary", "Strong standard", "Recall of number facts", "Pat Partner"]:
        assert words.replace(" ", "") in text, words

    # At the improvement workshop the area for development becomes an action under a plan priority.
    head.goto(f"/reviews/review/{review.pk}/")
    head.get_by_role("link", name="Improvement workshop").click()
    expect(heading(head)).to_have_text("Improvement workshop")
    a11y(head)
    head.get_by_role("link", name="Agree an action").click()
    a11y(head)
    head.get_by_label("Action", exact=True).fill("Daily number-facts practice in Years 3 and 4")
    head.get_by_label("Who will do it").select_option(label="Ada Lovelace (Own Primary)")
    head.get_by_label("Plan priority (optional)").select_option(label=f"Plan priority 1: {maths.title}")
    head.get_by_role("button", name="Add the action to the school's plan").click()
    a11y(head)
    finding = Finding.objects.get(review=review, kind=Finding.Kind.DEVELOPMENT)
    action = Action.objects.get(title="Daily number-facts practice in Years 3 and 4")
    assert (action.source, action.priority, action.school) == (finding, maths, world.own)

    # ... and it is in the school's development plan, under the priority, saying where it came from.
    head.goto(f"/plans/{plan.pk}/")
    a11y(head)
    expect(head.get_by_text("Daily number-facts practice in Years 3 and 4")).to_be_visible()
