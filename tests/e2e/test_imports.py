"""Importing results in a real browser: a headteacher uploads the multiplication tables check
service's CTF (no year groups in it), reads the preview pupil by pupil with the partial-cohort
warning, imports, and follows the finish page to the school's outcomes for that year."""

import datetime

import pytest
from playwright.sync_api import expect

from partnership.outcomes.models import Pupil, PupilYear, Result
from partnership.outcomes.tests.test_import_preview import mtc_ctf, two_mtc_pupils
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.e2e


def test_a_headteacher_imports_an_mtc_file_and_reaches_the_years_outcomes(new_page, world, a11y, sign_in):
    own = world.own
    own.urn, own.la_code, own.establishment_number = "123456", "820", "1234"
    own.save()
    for i in range(12):  # last year's Year 4: the file's two pupils look like a partial cohort
        pupil = Pupil.objects.create(
            school=own,
            upn=make_upn(820, 1234, 20, 100 + i),
            surname=f"Earlier{i}",
            forename="Pupil",
            date_of_birth=datetime.date(2014, 11, 1),
            sex="F",
        )
        PupilYear.objects.create(pupil=pupil, academic_year=2023, year_group=4)

    page = new_page()
    sign_in(page, world["head"].email)
    a11y(page)
    page.goto(f"/outcomes/schools/{own.slug}/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import results")
    a11y(page)
    page.get_by_label("Results file").set_input_files(
        {"name": "mtc.xml", "mimeType": "application/xml", "buffer": mtc_ctf(own, two_mtc_pupils())}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    expect(page.get_by_text("Year 4 in 2024/25: the file has 2 pupils, but the school had 12")).to_be_visible()
    pupils = page.get_by_role("table", name="What will change for each pupil")
    expect(pupils.get_by_role("row")).to_have_count(3)
    expect(pupils).to_contain_text("Year 4, 2024/25 (from date of birth)")
    a11y(page)

    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results imported")
    expect(page.get_by_text("imported 2 pupils, 2 results, 0 skipped")).to_be_visible()
    a11y(page)
    assert Result.objects.filter(pupil__school=own).count() == 2

    page.get_by_role("link", name="Own Primary: outcomes for 2024/25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes 2024/25")
    a11y(page)
