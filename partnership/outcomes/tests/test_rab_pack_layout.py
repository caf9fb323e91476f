"""The RAB pack on paper, for a partnership of ten schools: no blank page, no table row split
across two pages, table headers repeated, and the charts section never left as a lone heading."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnership.core.tests.pdf_layout import (
    blank_pages,
    charts_by_page,
    headings_by_page,
    page_texts,
    record_layouts,
    split_rows,
)
from partnership.directory.tests.factories import member_school
from partnership.outcomes.synthetic import generate_results

pytestmark = pytest.mark.django_db

SCHOOLS = 10
YEARS = (2022, 2023, 2024)


@pytest.fixture
def ten_schools(world):  # type: ignore[no-untyped-def]
    schools = [world.own, world.partner]
    schools += [member_school(world.home, name=f"Layout Primary {i}") for i in range(SCHOOLS - len(schools))]
    for i, school in enumerate(schools):  # the generator seeds each school by URN: fixed URNs, fixed data
        school.urn = f"{910100 + i}"
        school.save(update_fields=["urn"])
    generate_results(schools, years=YEARS, seed=3, assessment_year=YEARS[-1])
    return world


def test_the_pack_for_ten_schools_has_no_blank_page_and_no_split_row(client, ten_schools, monkeypatch):
    layouts = record_layouts(monkeypatch)
    client.force_login(ten_schools["coordinator"])
    response = client.get(reverse("outcomes:rab_pack", args=[ten_schools.home.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (document,) = layouts
    title = f"{ten_schools.home.name}: Raising Achievement Board 2024/25"

    assert blank_pages(response.content, title) == []
    assert split_rows(document) == []
    texts = page_texts(response.content)
    assert len(texts) == len(document.pages) > 1
    # The headline table runs onto a second page with its header row again.
    assert "Headline measures by school" in texts[0] and "Layout Primary" in texts[1]
    assert texts[1].lstrip().startswith("School")

    # "Charts" starts a page and shares it with charts; every page after it holds charts too.
    headings = headings_by_page(document, "h2")
    first = next(number for number, names in enumerate(headings) if "Charts" in names)
    counts = charts_by_page(document)
    assert all(count > 0 for count in counts[first:]), counts
    assert sum(counts) == 7


def test_a_pack_without_results_is_one_page(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("outcomes:rab_pack", args=[world.home.slug]))
    texts = page_texts(response.content)
    assert len(texts) == 1 and "None of the partnership's schools has imported results yet." in texts[0]
