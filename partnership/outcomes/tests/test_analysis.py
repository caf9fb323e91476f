"""Suppression rules in `outcomes/analysis.py`: small groups and the groups that would reveal them."""

from __future__ import annotations

import pytest
from django.db.models import F, Q
from hypothesis import given
from hypothesis import strategies as st

from partnership.outcomes.analysis import (
    GROUPS,
    HIDDEN_LABEL,
    PARTITIONS,
    Counts,
    Viewpoint,
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
