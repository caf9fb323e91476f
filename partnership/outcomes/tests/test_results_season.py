"""Results season: one school importing a new year does not empty the board; pages say which
schools have which years, offer only years with data, and say plainly when national figures are
not loaded. Figures are cached, and never stale after an import or a new national figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.directory.tests.factories import member_school
from partnership.outcomes import analysis, services
from partnership.outcomes.imports import result_import
from partnership.outcomes.models import NationalFigure
from partnership.outcomes.tests.test_import_csv import pupil_row, to_csv
from partnership.outcomes.tests.test_outcome_pages import cohort
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

SHIPPED = 2024  # the latest year the shipped national figures cover
NEW = 2025  # results season: 2025/26, no national figures shipped


@pytest.fixture
def season(world):  # type: ignore[no-untyped-def]
    """Three schools with 2024/25 results; only Own Primary has imported 2025/26."""
    world.third = member_school(world.home, name="Third Primary", slug="third-primary")
    for school in (world.own, world.partner, world.third):
        cohort(school, SHIPPED, 20, 12)
    cohort(world.own, NEW, 20, 15, start=100)
    return world


def board(client, user, home, **query):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("outcomes:partnership_dashboard", args=[home.slug]), query)


def test_default_year_is_the_latest_that_most_schools_have():
    coverage = analysis.YearCoverage((1, 2, 3), {2024: frozenset({1, 2, 3}), 2025: frozenset({1})})
    assert coverage.default_year == 2024
    assert coverage.years == [2025, 2024]
    assert coverage.chosen(2025) == 2025 and coverage.chosen(2019) == 2024 and coverage.chosen(None) == 2024
    assert coverage.missing(2025) == [2, 3]
    two_of_three = analysis.YearCoverage((1, 2, 3), {2024: frozenset({1, 2, 3}), 2025: frozenset({1, 2})})
    assert two_of_three.default_year == 2025
    half = analysis.YearCoverage((1, 2, 3, 4), {2024: frozenset({1, 2, 3, 4}), 2025: frozenset({1, 2})})
    assert half.default_year == 2024  # two of four is not most
    scattered = analysis.YearCoverage((1, 2, 3, 4), {2023: frozenset({1}), 2024: frozenset({2}), 2022: frozenset()})
    assert scattered.default_year == 2024  # no year has most: the one with the most schools, latest first
    assert analysis.YearCoverage((1,), {}).default_year is None
    assert analysis.YearCoverage((1,), {2021: frozenset({1}), 2025: frozenset({1})}).default_year == 2025


def test_the_board_stays_on_the_year_most_schools_have_after_one_imports_a_new_year(client, season):
    response = board(client, season["coordinator"], season.home)
    assert response.context["year"] == SHIPPED
    columns = {c.school.pk: c.rows["ks2_rwm"].figure for c in response.context["outcomes"].schools}
    assert all(columns[s.pk].denominator == 20 for s in (season.own, season.partner, season.third))
    assert response.context["years"] == [(NEW, "2025/26"), (SHIPPED, "2024/25")]
    page = response.content.decode()
    assert "Results imported" in page and "Third Primary" in page


def test_picking_the_new_year_shows_who_has_not_imported_it_and_that_national_figures_are_missing(client, season):
    response = board(client, season["coordinator"], season.home, year=NEW)
    assert response.context["year"] == NEW
    assert [s.name for s in response.context["missing_schools"]] == ["Partner Primary", "Third Primary"]
    page = response.content.decode()
    assert "2 schools have no results for 2025/26 yet" in page
    assert "National figures for 2025/26 are not loaded yet" in page
    assert reverse("outcomes:national_figures") in page  # a coordinator can add them
    # A head cannot add them, and is told who can.
    head_page = board(client, season["head"], season.home, year=NEW).content.decode()
    assert "National figures for 2025/26 are not loaded yet" in head_page
    assert "A partnership coordinator or a platform administrator can add them" in head_page
    assert reverse("outcomes:national_figures") not in head_page.split('id="nationals-missing"')[1][:600]


def test_a_year_without_data_is_never_offered_and_a_forged_one_falls_back(client, season):
    response = board(client, season["coordinator"], season.home, year=2019)
    assert response.context["year"] == SHIPPED
    client.force_login(season["head"])
    school = client.get(reverse("outcomes:school_outcomes", args=[season.partner.slug]), {"year": NEW})
    assert school.context["year"] == SHIPPED  # Partner Primary has no 2025/26
    assert school.context["years"] == [(SHIPPED, "2024/25")]


def test_each_schools_own_page_opens_on_its_own_latest_year(client, season):
    client.force_login(season["head"])
    own = client.get(reverse("outcomes:school_outcomes", args=[season.own.slug]))
    assert own.context["year"] == NEW
    partner = client.get(reverse("outcomes:school_outcomes", args=[season.partner.slug]))
    assert partner.context["year"] == SHIPPED


def test_the_api_defaults_to_the_boards_year(client, season):
    client.force_login(season["coordinator"])
    body = client.get("/api/v1/outcomes/aggregates/", {"partnership": season.home.slug}).json()
    assert body["year"] == SHIPPED


def test_the_board_is_never_stale_after_an_import(client, season):
    first = board(client, season["coordinator"], season.home, year=NEW)
    partner = {c.school.pk: c for c in first.context["outcomes"].schools}[season.partner.pk]
    assert partner.rows["ks2_rwm"].figure.denominator == 0
    cohort(season.partner, NEW, 10, 4, start=300)  # saved one by one: the signals move the generation on
    second = board(client, season["coordinator"], season.home, year=NEW)
    partner = {c.school.pk: c for c in second.context["outcomes"].schools}[season.partner.pk]
    assert partner.rows["ks2_rwm"].figure.denominator == 10


def test_an_import_in_bulk_moves_the_cache_on(client, season):
    """The import service writes in bulk (no signals): it moves the generation itself, so the
    board shows the imported pupils at once."""
    first = board(client, season["coordinator"], season.home, year=NEW)
    third = {c.school.pk: c for c in first.context["outcomes"].schools}[season.third.pk]
    assert third.rows["ks2_rwm"].figure.denominator == 0
    rows = [
        pupil_row(
            make_upn(820, 1234, 1, i), academic_year=str(NEW), ks2_reading="104", ks2_maths="101", ks2_writing="EXS"
        )
        for i in range(7)
    ]
    result_import(school=season.third, data=to_csv(rows), filename="results.csv", actor=season["coordinator"])
    second = board(client, season["coordinator"], season.home, year=NEW)
    third = {c.school.pk: c for c in second.context["outcomes"].schools}[season.third.pk]
    assert third.rows["ks2_rwm"].figure.denominator == 7


def test_a_new_national_figure_shows_at_once(client, season):
    first = board(client, season["coordinator"], season.home, year=NEW)
    assert first.context["outcomes"].national["ks2_rwm"] is None
    services.record_national_figure(
        actor=season["coordinator"],
        measure="ks2_rwm",
        academic_year=NEW,
        statistic="expected_pct",
        value=Decimal("63"),
        source="Key stage 2 attainment 2025/26",
    )
    second = board(client, season["coordinator"], season.home, year=NEW)
    assert second.context["outcomes"].national["ks2_rwm"] == 63
    assert NationalFigure.objects.get(measure="ks2_rwm", academic_year=NEW).added_by == season["coordinator"]
