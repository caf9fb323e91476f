"""The change over three years in the same honest words everywhere: the school page, the dashboard,
the Excel exports, the RAB pack and the flags (only a significant fall or widening gap flags)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.outcomes import analysis, stats
from partnership.outcomes.analysis import GROUP_BY_KEY, MEASURE_BY_KEY, GapRow, MeasureRow
from partnership.outcomes.tests.test_outcome_pages import cohort

pytestmark = pytest.mark.django_db

YEAR = 2024
UNSURE_RWM = "down 13 points; too few pupils to be sure"  # 91% -> 92% -> 78% in a small school
FALLING_READING = "falling (down 53 points)"  # 93% -> 90% -> 40% of 30


@pytest.fixture
def three_years(world):  # type: ignore[no-untyped-def]
    """Own school: RWM 29 of 32, 23 of 25, 21 of 27 (91%, 92%, 78%); reading 28, 27, 12 of 30."""
    for year, (rwm, reading) in zip(
        analysis.three_years(YEAR), [((32, 29), (30, 28)), ((25, 23), (30, 27)), ((27, 21), (30, 12))], strict=True
    ):
        start = 100 * (year - YEAR + 2)
        cohort(world.own, year, *rwm, start=start)
        cohort(world.own, year, *reading, measure="ks2_reading", start=start)
    return world


def test_the_school_page_says_what_the_counts_support(client, three_years):
    client.force_login(three_years["head"])
    response = client.get(reverse("outcomes:school_outcomes", args=[three_years.own.slug]))
    rows = {row.measure.key: row for row in response.context["outcomes"].rows}
    assert [stats.format_pct(f.percentage) for _, f in rows["ks2_rwm"].history] == ["91%", "92%", "78%"]
    assert rows["ks2_rwm"].trend.kind == "uncertain_down"
    assert rows["ks2_reading"].trend.kind == "falling"
    page = response.content.decode()
    assert UNSURE_RWM in page and FALLING_READING in page
    assert "stable" not in page


def test_only_a_significant_fall_flags(client, three_years):
    client.force_login(three_years["coordinator"])
    response = client.get(reverse("outcomes:partnership_dashboard", args=[three_years.home.slug]))
    outcomes = response.context["outcomes"]
    falling = [f for f in outcomes.flags if f.kind == "falling"]
    assert [f.measure for f in falling] == ["ks2_reading"]
    assert (
        f"KS2 reading is {FALLING_READING}" in falling[0].text
        and "from 93% in 2022/23 to 40% in 2024/25" in falling[0].text
    )
    own = next(c for c in outcomes.schools if c.school == three_years.own)
    assert own.rows["ks2_rwm"].trend.words == UNSURE_RWM
    assert UNSURE_RWM in response.content.decode()


def test_exports_and_the_pack_use_the_same_words(client, three_years):
    client.force_login(three_years["coordinator"])
    for url in (
        reverse("outcomes:school_export", args=[three_years.own.slug]),
        reverse("outcomes:partnership_export", args=[three_years.home.slug]),
    ):
        book = load_workbook(io.BytesIO(client.get(url).content))
        cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
        assert UNSURE_RWM in cells and FALLING_READING in cells, url
        assert "Three-year change" in cells and "stable" not in cells
    pack = client.get(reverse("outcomes:rab_pack", args=[three_years.home.slug]))
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.content)).pages).split())
    assert "too few pupils to be sure" in text and "falling (down 53" in text


# --- the flag rules, on rows made directly ----------------------------------------------------------


def _row(years: list[tuple[int, int]]) -> MeasureRow:
    history = [(YEAR - 2 + i, stats.figure_for(k, n)) for i, (k, n) in enumerate(years)]
    change = stats.describe_change(years)
    return MeasureRow(MEASURE_BY_KEY["ks2_reading"], history[-1][1], None, history, change)


def _gap(disadvantaged: list[tuple[int, int]], others: list[tuple[int, int]]) -> GapRow:
    change = stats.describe_gap_change(disadvantaged, others)
    (k1, n1), (k2, n2) = disadvantaged[-1], others[-1]
    gap = 100 * (k1 / n1 - k2 / n2)
    return GapRow(
        "Disadvantaged",
        GROUP_BY_KEY["disadvantaged"],
        GROUP_BY_KEY["not_disadvantaged"],
        [(MEASURE_BY_KEY["ks2_reading"], gap, change)],
    )


@pytest.mark.parametrize(
    ("years", "flagged"),
    [
        ([(28, 30), (27, 30), (12, 30)], True),  # falling, significant
        ([(29, 32), (23, 25), (21, 27)], False),  # down 13 points, too few pupils to be sure
        ([(27, 30), (22, 30), (26, 30)], False),  # fell, then recovered: not a fall
    ],
)
def test_a_fall_flags_only_when_significant(years, flagged):
    flags = analysis.flags_for(1, "Own Primary", [_row(years)], None, YEAR, 6)
    assert [f.kind for f in flags if f.kind == "falling"] == (["falling"] if flagged else [])


@pytest.mark.parametrize(
    ("disadvantaged", "flagged"),
    [
        ([(36, 60), (30, 60), (24, 60)], True),  # 60% -> 40% against 80% of 200: widening
        ([(6, 10), (5, 10), (4, 10)], False),  # the same percentages in 10 pupils: too few to be sure
        ([(24, 60), (30, 60), (36, 60)], False),  # narrowing
    ],
)
def test_a_gap_flags_only_when_significantly_widening(disadvantaged, flagged):
    gaps = _gap(disadvantaged, [(160, 200)] * 3)
    flags = analysis.flags_for(1, "Own Primary", [], gaps, YEAR, 6)
    assert [f.kind for f in flags] == (["gap"] if flagged else [])
    if flagged:
        assert "is widening (by 20 points), to -40 percentage points in 2024/25" in flags[0].text
