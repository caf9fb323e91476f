"""Suppression in `outcomes/analysis/` (rules in `stats.py`): small groups and the groups that would reveal them."""

from __future__ import annotations

import pytest
from django.db.models import F, Q
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership.outcomes import stats
from partnership.outcomes.analysis import (
    GROUPS,
    HIDDEN_LABEL,
    PARTITIONS,
    Counts,
    Viewpoint,
    board_sources,
    count_results,
    figure,
    hidden_groups,
)
from partnership.outcomes.models import Result
from partnership.outcomes.synthetic import generate_results

OUTSIDE = Viewpoint(threshold=6)


def cohort_sizes(
    dis: int, sen_support: int, ehcp: int, eal: int, girls: int, summer: int, total: int
) -> dict[str, int]:
    return {
        "all": total,
        "disadvantaged": dis,
        "not_disadvantaged": total - dis,
        "sen": sen_support + ehcp,
        "sen_support": sen_support,
        "ehcp": ehcp,
        "no_sen": total - sen_support - ehcp,
        "eal": eal,
        "not_eal": total - eal,
        "girls": girls,
        "boys": total - girls,
        "summer_born": summer,
        "not_summer_born": total - summer,
    }


def test_a_small_group_and_its_complement_are_hidden():
    sizes = cohort_sizes(dis=8, sen_support=4, ehcp=1, eal=3, girls=10, summer=9, total=20)
    hidden = hidden_groups(sizes, OUTSIDE)
    assert {"eal", "not_eal"} <= hidden  # 3 EAL: "not EAL" 17 would give it away
    assert {"sen_support", "ehcp", "sen", "no_sen"} <= hidden  # 5 with SEN in all
    assert not hidden & {"all", "disadvantaged", "not_disadvantaged", "girls", "boys"}


def test_the_schools_own_staff_see_everything():
    sizes = cohort_sizes(dis=2, sen_support=1, ehcp=1, eal=3, girls=10, summer=9, total=20)
    assert hidden_groups(sizes, Viewpoint(threshold=6, show_small=True)) == set()


def test_a_group_hidden_only_to_protect_another_says_so_and_shows_no_numbers():
    shown = figure(Counts(17, 12, 2), 62.0, OUTSIDE, hidden=True)
    assert shown.suppressed and shown.label == HIDDEN_LABEL
    assert (shown.numerator, shown.denominator, shown.percentage, shown.low) == (None, None, None, None)
    small = figure(Counts(3, 2, 0), 62.0, OUTSIDE, hidden=True)
    assert small.label == "fewer than 6 pupils"


@given(
    total=st.integers(0, 60),
    data=st.data(),
    threshold=st.integers(1, 11),
)
def test_no_hidden_group_can_be_worked_out_from_the_groups_shown(total, data, threshold):
    draw = data.draw
    dis, eal, girls, summer = (draw(st.integers(0, total)) for _ in range(4))
    sen_support = draw(st.integers(0, total))
    ehcp = draw(st.integers(0, total - sen_support))
    sizes = cohort_sizes(dis, sen_support, ehcp, eal, girls, summer, total)
    view = Viewpoint(threshold=threshold)
    hidden = hidden_groups(sizes, view)
    # Every small group is hidden...
    assert {g for g, n in sizes.items() if 0 < n < threshold} <= hidden
    # ... and no shown whole has exactly one hidden part (the whole minus the others would give it).
    for parent, children in PARTITIONS:
        assert parent in hidden or sum(child in hidden for child in children) != 1
    assert set(sizes) == {g.key for g in GROUPS}


def school_sizes(draw, total: int) -> dict[str, int]:
    dis, eal, girls, summer = (draw(st.integers(0, total)) for _ in range(4))
    sen_support = draw(st.integers(0, total))
    ehcp = draw(st.integers(0, total - sen_support))
    return cohort_sizes(dis, sen_support, ehcp, eal, girls, summer, total)


def board(sizes: list[dict[str, int]], thresholds: list[int], threshold: int, own: int | None) -> list[set[str]]:
    """What a viewer hides on a partnership board: each school's groups (its own staff, school `own`,
    see it whole) and then the partnership's, as `board_sources` builds them for the dashboard."""
    table = {(i, 2024, "ks2_rwm", g): Counts(n[g], 0, 0) for i, n in enumerate(sizes) for g in n if n[g]}
    views = [Viewpoint(threshold=t, show_small=i == own) for i, t in enumerate(thresholds)]
    sources, partnership = board_sources(table, list(range(len(sizes))), views, Viewpoint(threshold=threshold))
    return [source.hidden(2024, "ks2_rwm") for source in [*sources, partnership]]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), schools=st.integers(1, 4), threshold=st.integers(2, 11), own=st.integers(-1, 3))
def test_no_shown_total_on_a_partnership_board_gives_away_the_parts_hidden_from_it(data, schools, threshold, own):
    """In every relation a viewer of the board can see (each school's and the partnership's groups adding up
    to their wholes; the schools adding up to the partnership, group by group), a shown whole has no hidden
    part, or at least two that together hold at least the strictest threshold that applies to them. The same
    relations hold for the number meeting the measure."""
    sizes = [school_sizes(data.draw, data.draw(st.integers(0, 40))) for _ in range(schools)]
    thresholds = [data.draw(st.integers(threshold, threshold + 4)) for _ in range(schools)]
    own = own if own < schools else None
    hidden = board(sizes, thresholds, threshold, own)
    whole = {g: sum(n[g] for n in sizes) for g in sizes[0]}
    n_of = [*sizes, whole]
    limit = [*thresholds, threshold]
    partnership = schools  # index of the partnership in `hidden`, `n_of` and `limit`
    relations: list[tuple[tuple[int, str], list[tuple[int, str]]]] = [
        ((i, parent), [(i, child) for child in children]) for i in range(schools + 1) for parent, children in PARTITIONS
    ] + [((partnership, g.key), [(i, g.key) for i in range(schools)]) for g in GROUPS]

    for (i, whole_group), parts in relations:
        if whole_group not in hidden[i]:
            hidden_parts = [n_of[j][g] for j, g in parts if g in hidden[j]]
            strictest = max([limit[i]] + [limit[j] for j, g in parts if g in hidden[j]])
            assert not hidden_parts or (len(hidden_parts) > 1 and sum(hidden_parts) >= strictest), (whole_group, parts)


def test_two_or_three_small_hidden_schools_hide_the_partnership_total():
    # EHCP: 1 and 2 pupils hidden at two schools, 9 shown at a third: the total (12) minus 9 is a group of 3.
    small = [
        cohort_sizes(8, 3, 1, 8, 10, 9, 20),
        cohort_sizes(8, 3, 2, 8, 10, 9, 20),
        cohort_sizes(8, 7, 9, 8, 10, 9, 40),
    ]
    *schools, partnership = board(small, [6, 6, 6], 6, None)
    assert all("ehcp" in hidden for hidden in schools[:2]) and "ehcp" not in schools[2]
    assert "ehcp" in partnership  # a set of hidden schools smaller than the threshold
    # ... but two hidden schools that together hold enough pupils leave the total shown.
    larger = [
        cohort_sizes(8, 3, 5, 8, 10, 9, 20),
        cohort_sizes(8, 3, 5, 8, 10, 9, 20),
        cohort_sizes(8, 7, 9, 8, 10, 9, 40),
    ]
    *schools, partnership = board(larger, [6, 6, 6], 6, None)
    assert all("ehcp" in hidden for hidden in schools[:2]) and "ehcp" not in partnership
    assert stats.hidden_parts_revealed([5], 6) and stats.hidden_parts_revealed([1, 2], 6)
    assert not stats.hidden_parts_revealed([3, 3], 6) and not stats.hidden_parts_revealed([], 6)


@pytest.mark.django_db
def test_the_grouped_query_agrees_with_counting_each_group_directly(world):
    """`count_results` counts half the groups in SQL and derives the rest (not disadvantaged =
    all - disadvantaged...), with its own month-of-birth function: check every group, measure and
    year against a plain ORM count with Django's own lookups."""
    generate_results([world.own, world.partner], years=(2023, 2024), seed=4)
    table = count_results([world.own.pk, world.partner.pk], [2023, 2024])
    year_q = "pupil__years__"
    direct = {
        "all": Q(),
        "disadvantaged": Q(**{f"{year_q}disadvantaged": True}),
        "not_disadvantaged": Q(**{f"{year_q}disadvantaged": False}),
        "sen": Q(**{f"{year_q}sen_provision__in": ["K", "E"]}),
        "sen_support": Q(**{f"{year_q}sen_provision": "K"}),
        "ehcp": Q(**{f"{year_q}sen_provision": "E"}),
        "no_sen": Q(**{f"{year_q}sen_provision": "N"}),
        "eal": Q(**{f"{year_q}eal": True}),
        "not_eal": Q(**{f"{year_q}eal": False}),
        "girls": Q(pupil__sex="F"),
        "boys": Q(pupil__sex="M"),
        "summer_born": Q(pupil__date_of_birth__month__gte=4, pupil__date_of_birth__month__lte=8),
        "not_summer_born": ~Q(pupil__date_of_birth__month__gte=4, pupil__date_of_birth__month__lte=8),
    }
    assert set(direct) == {g.key for g in GROUPS}
    checked = 0
    for school in (world.own, world.partner):
        for year in (2023, 2024):
            for measure in ("eyfs_gld", "phonics_y1", "ks2_rwm", "ks2_reading"):
                for key, where in direct.items():
                    # One filter() call, so the pupil's year is one join (the result's own year).
                    group = Result.objects.filter(
                        where,
                        pupil__school=school,
                        academic_year=year,
                        measure=measure,
                        met_expected__isnull=False,
                        pupil__years__academic_year=F("academic_year"),
                    )
                    expected = Counts(
                        group.count(), group.filter(met_expected=True).count(), group.filter(met_higher=True).count()
                    )
                    assert table.get((school.pk, year, measure, key), Counts()) == expected, (key, measure, year)
                    checked += expected.n > 0
    assert checked > 100
