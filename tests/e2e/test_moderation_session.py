"""A moderation session in a real browser: the coordinator sets it up and adds a moderator from
another school; a teacher submits a Year 6 writing sample with a photo and the evidence grid; the
moderator (who sees the code only) judges it; the head puts it in the exemplar bank; the agreement
page shows it. axe on every page."""

from __future__ import annotations

import datetime
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from partnership.moderation.models import Sample
from partnership.moderation.tests import factories

pytestmark = pytest.mark.e2e

PUPIL = "Marigold Featherstonehaugh"


def heading(page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_a_sample_is_submitted_moderated_and_banked(new_page, world, a11y, sign_in, tmp_path):
    date = datetime.date.today() + datetime.timedelta(days=21)
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(factories.jpeg_bytes((40, 30), exif=True))

    # The coordinator sets up the session and adds the partner school's teacher as a moderator.
    page = new_page()
    sign_in(page, world["coordinator"].email)
    a11y(page)
    page.goto("/moderation/")
    a11y(page)
    page.get_by_role("link", name="Set up a moderation session for Home Partnership").click()
    a11y(page)
    page.get_by_label("Subject").select_option(label="Writing")
    page.get_by_label("Year group").select_option(label="Year 6")
    page.get_by_label("Date", exact=True).fill(date.isoformat())
    page.get_by_label("Host school").select_option(label="Partner Primary")
    page.get_by_role("button", name="Set up session").click()
    expect(heading(page)).to_have_text("Year 6 writing moderation")
    a11y(page)
    page.get_by_label("Add a moderator").select_option(label=f"{world['partner_teacher'].full_name} (Partner Primary)")
    page.get_by_role("button", name="Add moderator").click()
    expect(page.get_by_text("added as a moderator")).to_be_visible()
    a11y(page)
    session_url = page.url

    # A teacher at Own Primary submits a sample with its grid.
    teacher = new_page()
    sign_in(teacher, world["teacher"].email)
    a11y(teacher)
    teacher.goto(session_url)
    a11y(teacher)
    teacher.get_by_role("link", name="Submit a sample from your school").click()
    a11y(teacher)
    teacher.get_by_label("Pupil's name").fill(PUPIL)
    teacher.get_by_label("Teacher's judgement").select_option("EXS")
    teacher.get_by_label("Pages or photos of the work").set_input_files(str(photo))
    teacher.get_by_label("Piece 1", exact=True).fill("Narrative: the storm")
    teacher.get_by_label("WTS statement 1, piece 1").check()
    teacher.get_by_role("button", name="Submit sample").click()
    expect(teacher.get_by_text(PUPIL)).to_be_visible()
    a11y(teacher)
    sample = Sample.objects.get()
    stored = sample.files.get().file.open("rb").read()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()

    # The moderator from Partner Primary sees the code only and judges it.
    moderator = new_page()
    sign_in(moderator, world["partner_teacher"].email)
    a11y(moderator)
    moderator.goto(session_url)
    a11y(moderator)
    moderator.get_by_role("link", name=sample.code).click()
    expect(heading(moderator)).to_have_text(f"Sample {sample.code}")
    assert PUPIL not in moderator.content() and "Own Primary" not in moderator.content()
    expect(moderator.get_by_role("img", name=f"Page 1 of sample {sample.code}")).to_be_visible()
    a11y(moderator)
    moderator.get_by_label("Your judgement").select_option("EXS")
    moderator.get_by_label("Comment for the school").fill("Dialogue advances the action; cohesion is secure.")
    moderator.get_by_role("button", name="Save judgement").click()
    expect(moderator.get_by_text("is saved")).to_be_visible()
    a11y(moderator)

    # The head sees the outcome and puts the sample in the exemplar bank.
    head = new_page()
    sign_in(head, world["head"].email)
    a11y(head)
    head.goto(f"/moderation/samples/{sample.pk}/")
    expect(head.get_by_text("Dialogue advances the action; cohesion is secure.")).to_be_visible()
    a11y(head)
    head.get_by_label("Why this sample is at its standard").fill("Secure EXS across three pieces.")
    head.get_by_label("Our school consents").check()
    head.get_by_role("button", name="Add to the exemplar bank").click()
    expect(head.get_by_text("is in the exemplar bank")).to_be_visible()
    a11y(head)
    head.goto(f"/moderation/partnerships/{world.home.slug}/exemplars/")
    expect(head.get_by_role("link", name=sample.code)).to_be_visible()
    a11y(head)
    head.goto(f"/moderation/partnerships/{world.home.slug}/agreement/")
    expect(head.get_by_text("Own Primary (your school)")).to_be_visible()
    a11y(head)
    head.goto(f"/moderation/schools/{world.own.slug}/agreement/")
    a11y(head)
    head.goto(f"{session_url}attendance/")
    a11y(head)
