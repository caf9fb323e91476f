"""Comparative judgement in a real browser: a judge works through their 20 pairs with the keyboard
only (ArrowLeft / ArrowRight), pauses with "p", reloads, resumes and finishes; every page is axe
clean. The decisions reach the database once each, with the time taken."""

import pytest
from playwright.sync_api import expect

from partnership.moderation import cj_sessions
from partnership.moderation.models import CJJudge, CJPair
from partnership.moderation.tests.cj_setup import build

pytestmark = pytest.mark.e2e


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_judge_judges_twenty_pairs_with_the_keyboard_pausing_once(new_page, world, a11y, sign_in):
    w = build(world, extra_schools=2, per_school=5, judges=2, per_script=4)
    cj_sessions.session_open(session=w.session, actor=world["coordinator"])
    judge = CJJudge.objects.get(session=w.session, person=world["head"])
    assert CJPair.objects.filter(judge=judge).count() == 20

    page = new_page()
    sign_in(page, world["head"].email)
    a11y(page)
    page.goto(f"/moderation/cj/{w.session.pk}/")
    a11y(page)
    page.get_by_role("link", name="Start judging").click()
    expect(heading(page)).to_have_text("Pair 1 of 20")
    expect(page.get_by_role("img", name="Left script, page 1")).to_be_visible()
    a11y(page)

    keys = ["ArrowLeft", "ArrowRight"]
    for n in range(1, 11):
        page.keyboard.press(keys[n % 2])
        expect(heading(page)).to_have_text(f"Pair {n + 1} of 20")
        if n % 5 == 0:
            a11y(page)
    page.keyboard.press("p")
    expect(heading(page)).to_have_text("Judging paused")
    a11y(page)
    page.reload()
    expect(heading(page)).to_have_text("Judging paused")
    a11y(page)
    expect(page.get_by_role("button", name="Resume judging")).to_be_visible()
    page.keyboard.press("ArrowLeft")  # keys do nothing while paused
    expect(heading(page)).to_have_text("Judging paused")
    page.get_by_role("button", name="Resume judging").focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Pair 11 of 20")
    a11y(page)
    for n in range(11, 21):
        page.keyboard.press(keys[n % 2])
        expected = f"Pair {n + 1} of 20" if n < 20 else "You have judged all your pairs"
        expect(heading(page)).to_have_text(expected)
        if n % 5 == 0:
            a11y(page)
    a11y(page)

    page.goto(f"/moderation/cj/{w.session.pk}/results/")
    expect(heading(page)).to_have_text("Results so far")
    expect(page.locator("#scale-chart svg, #scale-chart canvas").first).to_be_visible()
    a11y(page)

    pairs = list(CJPair.objects.filter(judge=judge).order_by("number"))
    assert [p.chosen for p in pairs] == [("L" if n % 2 == 0 else "R") for n in range(1, 21)]
    assert all(p.decided_at and p.seconds is not None and p.seconds >= 0 for p in pairs)
    judge.refresh_from_db()
    assert judge.paused_at is None
