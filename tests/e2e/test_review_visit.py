"""Peer review in a real browser: a coordinator opens a cycle, proposes and agrees the rota; a
reviewer writes an evidence note on a tablet, the page is reloaded before the autosave fires, and
the note comes back from the device and reaches the server."""

import time

import pytest
from playwright.sync_api import expect

from partnership.reviews.models import EvidenceNote, Review, ReviewCycle
from partnership.reviews.tests import factories

pytestmark = pytest.mark.e2e


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_cycle_is_planned_and_a_note_survives_a_reload(new_page, world, a11y, sign_in):
    world["head"].full_name = "Ann Head"
    world["head"].save()
    world["partner_head"].full_name = "Pat Partner"
    world["partner_head"].save()
    area = factories.framework().areas.order_by("number").first()

    page = new_page()
    sign_in(page, world["coordinator"].email)
    a11y(page)
    page.goto(f"/reviews/cycles/open/{world.home.slug}/")
    expect(heading(page)).to_have_text("Open a review cycle")
    a11y(page)
    expect(page.get_by_label("Name")).to_have_value("Peer review 2026/27")
    page.get_by_label("Reviewers in each team").fill("1")
    page.get_by_label("The most reviews one reviewer takes on in a round").fill("1")
    page.get_by_role("button", name="Open review cycle").click()
    expect(heading(page)).to_have_text("Peer review 2026/27")
    a11y(page)
    page.get_by_role("button", name="Propose a rota").click()
    expect(page.get_by_text("Schools Own Primary and Partner Primary review each other.")).to_be_visible()
    expect(page.locator(f"#review-{Review.objects.get(school=world.own).pk}")).to_contain_text("Pat Partner")
    a11y(page)
    page.get_by_role("button", name="Agree the rota").click()
    expect(page.get_by_text("Rota agreed", exact=False).first).to_be_visible()
    a11y(page)
    cycle = ReviewCycle.objects.get()
    assert cycle.status == "accepted" and cycle.accepted_by == world["coordinator"]
    review = Review.objects.get(cycle=cycle, school=world.own)
    assert list(review.team.values_list("person_id", flat=True)) == [world["partner_head"].pk]

    tablet = new_page()
    sign_in(tablet, world["partner_head"].email)
    a11y(tablet)
    tablet.goto("/reviews/")
    a11y(tablet)
    tablet.get_by_role("link", name="Own Primary").click()
    expect(heading(tablet)).to_have_text("Peer review of Own Primary")
    a11y(tablet)
    tablet.get_by_role("link", name="Evidence notes").click()
    expect(heading(tablet)).to_have_text("Evidence notes")
    a11y(tablet)
    box = tablet.get_by_label(f"Your note on {area.name.lower()}")
    box.press_sequentially("Pupils settle quickly", delay=10)
    tablet.reload()  # before the two-second autosave fires
    a11y(tablet)
    box = tablet.get_by_label(f"Your note on {area.name.lower()}")
    expect(box).to_have_value("Pupils settle quickly")
    expect(tablet.locator(f'[data-note-state="{area.pk}"]')).to_contain_text("Saved at")
    deadline = time.monotonic() + 10
    while not EvidenceNote.objects.filter(review=review, area=area).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    note = EvidenceNote.objects.get(review=review, area=area)
    assert (note.text, note.author, note.version) == ("Pupils settle quickly", world["partner_head"], 1)


def test_a_note_typed_while_offline_is_saved_when_the_connection_returns(new_page, world, a11y, sign_in):
    cycle = factories.cycle(world.home, by=world["coordinator"], status="accepted")
    review = factories.review(cycle, world.own, team=[world["partner_head"]])
    area = cycle.framework.areas.order_by("number").first()
    page = new_page()
    sign_in(page, world["partner_head"].email)
    a11y(page)
    page.goto(f"/reviews/review/{review.pk}/notes/")
    expect(heading(page)).to_have_text("Evidence notes")
    a11y(page)
    page.context.set_offline(True)
    page.get_by_label(f"Your note on {area.name.lower()}").press_sequentially("Books show progress", delay=10)
    state = page.locator(f'[data-note-state="{area.pk}"]')
    expect(state).to_contain_text("no connection")
    assert not EvidenceNote.objects.exists()
    page.context.set_offline(False)
    expect(state).to_contain_text("Saved at")
    note = EvidenceNote.objects.get(review=review, area=area)
    assert (note.text, note.version) == ("Books show progress", 1)
