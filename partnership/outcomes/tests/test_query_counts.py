"""Outcome pages and exports make the same number of queries for a partnership of 10 schools and of 500.

The 10 schools get full synthetic data (`generate_results`); the 490 added afterwards get a few pupils
each in Reception, Years 1, 4 and 6 with a result for every headline measure (bulk-inserted: generating
full data for 500 schools takes about 50 seconds).
"""

import datetime
import io
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnership.directory.models import Membership, Partnership, School
from partnership.directory.tests.factories import member_school
from partnership.outcomes import rules
from partnership.outcomes.analysis import MEASURE_BY_KEY
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result
from partnership.outcomes.synthetic import generate_results
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

YEAR = 2024
SMALL, LARGE = 10, 500
PUPILS_PER_YEAR_GROUP = 3

PAGES = {
    "partnership dashboard": lambda w: reverse("outcomes:partnership_dashboard", args=[w.home.slug]),
    "school outcomes": lambda w: reverse("outcomes:school_outcomes", args=[w.own.slug]),
    "partnership export": lambda w: reverse("outcomes:partnership_export", args=[w.home.slug]),
    "school export": lambda w: reverse("outcomes:school_export", args=[w.own.slug]),
}


def school_name(number: int) -> str:
    return f"Growth School {number:04d}"


def add_schools(partnership: Partnership, first: int, last: int) -> list[School]:
    """Schools numbered first..last (inclusive), members of the partnership, without results."""
    schools = School.objects.bulk_create(
        School(
            urn=f"{600000 + n}",
            la_code="938",  # not the factories' 936: their numbers reach 2000 and beyond
            establishment_number=f"{2000 + n:04d}",
            name=school_name(n),
            slug=f"growth-school-{n}",
        )
        for n in range(first, last + 1)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, school=s, joined_on="2020-09-01") for s in schools
    )
    return schools


def _result(pupil: Pupil, measure: str, *, score=None, grade="", code="") -> Result:  # type: ignore[no-untyped-def]
    met_expected, met_higher = rules.met(measure, score=score, grade=grade, code=code)
    return Result(
        pupil=pupil,
        academic_year=YEAR,
        measure=measure,
        score=score,
        grade=grade,
        code=code,
        met_expected=met_expected,
        met_higher=met_higher,
    )


def add_small_results(schools: list[School]) -> None:
    """A few pupils per school in Reception, Years 1, 4 and 6 with a result for each headline measure."""
    rng = random.Random(4)
    pupils: list[Pupil] = []
    years: list[PupilYear] = []
    results: list[Result] = []
    for school in schools:
        for year_group in (0, 1, 4, 6):
            for serial in range(PUPILS_PER_YEAR_GROUP):
                born = datetime.date(YEAR - 5 - year_group, 9, 1) + datetime.timedelta(days=rng.randrange(365))
                pupil = Pupil(
                    school=school,
                    upn=make_upn(
                        school.la_code, school.establishment_number, YEAR - year_group + 1, year_group * 10 + serial
                    ),
                    surname="Applewick",
                    forename="Wren" if serial % 2 else "Arlo",
                    date_of_birth=born,
                    sex="F" if serial % 2 else "M",
                )
                pupils.append(pupil)
                years.append(
                    PupilYear(
                        pupil=pupil,
                        academic_year=YEAR,
                        year_group=year_group,
                        disadvantaged=serial == 0,
                        sen_provision="K" if serial == 1 else "N",
                        eal=serial == 2,
                    )
                )
                if year_group == 0:
                    results.append(_result(pupil, Measure.EYFS_GLD, grade=rng.choice(["GLD", "GLD", "not"])))
                elif year_group == 1:
                    results.append(_result(pupil, Measure.PHONICS_Y1, score=rng.randint(20, 40)))
                elif year_group == 4:
                    results.append(_result(pupil, Measure.MTC, score=rng.randint(15, 25)))
                else:
                    reading, maths, gps = (rng.randint(90, 118) for _ in range(3))
                    writing = rng.choice(["WTS", "EXS", "EXS", "GDS"])
                    results.append(_result(pupil, Measure.KS2_READING, score=reading))
                    results.append(_result(pupil, Measure.KS2_MATHS, score=maths))
                    results.append(_result(pupil, Measure.KS2_GPS, score=gps))
                    results.append(_result(pupil, Measure.KS2_WRITING, grade=writing))
                    met_expected, met_higher = rules.rwm((reading, ""), writing, (maths, ""))
                    results.append(
                        Result(
                            pupil=pupil,
                            academic_year=YEAR,
                            measure=Measure.KS2_RWM,
                            met_expected=met_expected,
                            met_higher=met_higher,
                        )
                    )
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    PupilYear.objects.bulk_create(years, batch_size=2000)
    Result.objects.bulk_create(results, batch_size=2000)


def measure(client, world, *, warm: bool = False) -> dict[str, tuple[int, bytes]]:  # type: ignore[no-untyped-def]
    """{page: (queries, content)} for each page: computed afresh (the cache emptied first), or with
    the figures already cached (`warm`: the page was just shown)."""
    found = {}
    for page, url_of in PAGES.items():
        if warm:
            client.get(url_of(world))
        else:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url_of(world))
        assert response.status_code == 200, page
        found[page] = (len(ctx.captured_queries), response.content)
    return found


def export_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def test_outcome_query_counts_do_not_grow_from_10_to_500_schools(client, world):
    home = world.home
    own_others = [member_school(home) for _ in range(SMALL - 3)]
    last_small = add_schools(home, SMALL, SMALL)  # the 10th school, numbered like the ones added later
    schools = [world.own, world.partner, *own_others, *last_small]
    assert Membership.objects.current().filter(partnership=home).count() == SMALL
    generate_results(schools, years=(2022, 2023, 2024), seed=11)

    small: dict[str, dict[str, int]] = {}
    for user_key in ("coordinator", "head"):
        client.force_login(world[user_key])
        pages = measure(client, world)
        small[user_key] = {page: queries for page, (queries, _) in pages.items()}
        dashboard = pages["partnership dashboard"][1].decode()
        assert all(s.name in dashboard for s in schools)
        assert world.own.name in pages["school outcomes"][1].decode()
        assert school_name(SMALL) in export_text(pages["partnership export"][1])
        assert MEASURE_BY_KEY["ks2_rwm"].label in export_text(pages["school export"][1])

    add_small_results(add_schools(home, SMALL + 1, LARGE))
    assert Membership.objects.current().filter(partnership=home).count() == LARGE

    large: dict[str, dict[str, int]] = {}
    for user_key in ("coordinator", "head"):
        client.force_login(world[user_key])
        pages = measure(client, world)
        large[user_key] = {page: queries for page, (queries, _) in pages.items()}
        dashboard = pages["partnership dashboard"][1].decode()
        assert school_name(SMALL + 1) in dashboard and school_name(LARGE) in dashboard
        assert school_name(LARGE) in export_text(pages["partnership export"][1])
        warm = {page: queries for page, (queries, _) in measure(client, world, warm=True).items()}
        assert all(warm[page] <= large[user_key][page] for page in warm), (warm, large[user_key])

    assert large == small, f"query counts changed from {SMALL} to {LARGE} schools: {small} -> {large}"
