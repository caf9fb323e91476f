"""The synthetic results generator: shape, realism against national figures, determinism, demo."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.db.models import Avg, Count, Q
from django.utils import timezone

from partnership.directory.demo import load_demo
from partnership.directory.models import School
from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes import rules
from partnership.outcomes.demo import DEMO_SCHOOL_SLUGS, demo_years, load_outcomes_demo
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result, TeacherAssessment
from partnership.outcomes.synthetic import (
    EXPECTED,
    MTC_FULL_MARKS,
    MTC_MEAN,
    generate_results,
)
from partnership.outcomes.upn import check_upn

pytestmark = pytest.mark.django_db

YEARS = (2022, 2023, 2024)
NOW = 2026  # assessment year, fixed so the tests do not depend on the date


def _schools(count: int, *, infant_every: int = 0) -> list[School]:
    # Fixed URNs: the generator seeds each school by URN, so the data (and these checks) do not
    # depend on how many schools other tests created first.
    return [
        SchoolFactory(
            urn=f"{700000 + i}",
            establishment_number=f"{5000 + i}",
            slug=f"synthetic-{i}",
            phase="infant" if infant_every and i % infant_every == 0 else "primary",
        )
        for i in range(count)
    ]


def test_shape_of_a_primary_and_an_infant_school():
    primary, infant = SchoolFactory(phase="primary"), SchoolFactory(phase="infant")
    summary = generate_results([primary, infant], years=YEARS, seed=7, assessment_year=NOW)
    assert summary.schools == 2 and summary.pupils == Pupil.objects.count()
    for pupil in Pupil.objects.all()[:200]:
        assert check_upn(pupil.upn) == pupil.upn

    # Cohorts of 15-30 in every year group of every year; infants are Reception-Year 2 only.
    for school, year_groups in ((primary, set(range(7))), (infant, {0, 1, 2})):
        sizes = (
            PupilYear.objects.filter(pupil__school=school).values("academic_year", "year_group").annotate(n=Count("id"))
        )
        by_year: dict[int, set[int]] = defaultdict(set)
        for row in sizes:
            assert 15 <= row["n"] <= 30, row
            by_year[row["academic_year"]].add(row["year_group"])
        assert set(by_year) == set(range(2022, NOW + 1))
        assert all(groups == year_groups for groups in by_year.values())

    infant_results = Result.objects.filter(pupil__school=infant)
    assert not infant_results.filter(measure__in=[Measure.MTC, *rules.KS2_TEST_MEASURES, "ks2_writing", "ks2_rwm"])
    assert set(infant_results.values_list("measure", flat=True)) >= {"eyfs_gld", "phonics_y1", "phonics_y2"}
    primary_measures = set(Result.objects.filter(pupil__school=primary).values_list("measure", flat=True))
    assert primary_measures >= {"eyfs_gld", "phonics_y1", "mtc", "ks2_reading", "ks2_writing", "ks2_rwm"}
    # KS1 teacher assessment was last collected in 2022/23.
    assert set(Result.objects.filter(measure="ks1_reading").values_list("academic_year", flat=True)) == {2022}
    assert set(Result.objects.values_list("academic_year", flat=True)) == set(YEARS)

    # Each result's flags are what rules.met() / rules.rwm() say.
    for result in Result.objects.filter(pupil__school=primary).exclude(measure="ks2_rwm"):
        assert (result.met_expected, result.met_higher) == rules.met(
            result.measure, score=result.score, grade=result.grade, code=result.code
        ), result
    results = {(r.pupil_id, r.academic_year, r.measure): r for r in Result.objects.filter(pupil__school=primary)}
    for (pupil_id, year, measure), rwm in results.items():
        if measure != "ks2_rwm":
            continue
        reading, writing, maths = (results[(pupil_id, year, m)] for m in ("ks2_reading", "ks2_writing", "ks2_maths"))
        assert (rwm.met_expected, rwm.met_higher) == rules.rwm(
            (reading.score, reading.code), writing.grade, (maths.score, maths.code)
        )
    # Phonics retakes only for pupils who did not reach 32 in Year 1 (where Year 1 is in range).
    for retake in Result.objects.filter(measure="phonics_y2", academic_year__gte=2023):
        first = Result.objects.filter(pupil=retake.pupil_id, measure="phonics_y1").first()
        assert first is None or first.score < rules.PHONICS_THRESHOLD

    # Termly teacher assessments for Years 1-6 of the current year: 3 terms x 3 subjects each.
    pupils_1_to_6 = PupilYear.objects.filter(academic_year=NOW, year_group__gte=1).count()
    assessments = TeacherAssessment.objects.all()
    assert assessments.count() == pupils_1_to_6 * 9
    assert set(assessments.values_list("academic_year", flat=True)) == {NOW}
    assert not assessments.filter(pupil__years__academic_year=NOW, pupil__years__year_group=0).exists()
    assert set(assessments.values_list("judgement", flat=True)) == {"WTS", "EXS", "GDS"}


def test_large_sample_sits_near_national_with_realistic_groups():
    schools = _schools(40, infant_every=8)
    generate_results(schools, years=YEARS, seed=11, assessment_year=NOW)

    for year in YEARS:
        for measure, by_year in EXPECTED.items():
            results = Result.objects.filter(academic_year=year, measure=measure)
            n = results.count()
            rate = results.filter(met_expected=True).count() / n
            assert n > 500 and abs(rate - by_year[year]) < 0.05, (measure, year, rate, by_year[year])
        mtc = Result.objects.filter(academic_year=year, measure=Measure.MTC)
        taken = mtc.filter(score__isnull=False)
        assert abs(taken.aggregate(mean=Avg("score"))["mean"] - MTC_MEAN[year]) < 1.0
        assert abs(taken.filter(score=25).count() / taken.count() - MTC_FULL_MARKS[year]) < 0.05

    # Characteristics near national shares.
    years = PupilYear.objects.filter(academic_year=2024)
    n = years.count()
    shares = {
        "disadvantaged": years.filter(disadvantaged=True).count() / n,
        "sen_support": years.filter(sen_provision="K").count() / n,
        "ehcp": years.filter(sen_provision="E").count() / n,
        "eal": years.filter(eal=True).count() / n,
        "female": Pupil.objects.filter(sex="F").count() / Pupil.objects.count(),
    }
    assert 0.18 < shares["disadvantaged"] < 0.32, shares
    assert 0.09 < shares["sen_support"] < 0.17, shares
    assert 0.01 < shares["ehcp"] < 0.045, shares
    assert 0.13 < shares["eal"] < 0.27, shares
    assert 0.45 < shares["female"] < 0.55, shares
    summer = sum(4 <= p.date_of_birth.month <= 8 for p in Pupil.objects.only("date_of_birth"))
    assert 0.37 < summer / Pupil.objects.count() < 0.47

    # Gaps in the right direction and of a realistic size (KS2 RWM).
    def rwm_rate(condition: Q) -> float:
        pupils = PupilYear.objects.filter(condition, academic_year=2024, year_group=6).values("pupil_id")
        rows = Result.objects.filter(academic_year=2024, measure="ks2_rwm", pupil_id__in=pupils)
        return rows.filter(met_expected=True).count() / rows.count()

    gap = rwm_rate(Q(disadvantaged=False)) - rwm_rate(Q(disadvantaged=True))
    assert 0.10 < gap < 0.32, gap
    assert rwm_rate(Q(sen_provision="E")) < rwm_rate(Q(sen_provision="K")) < rwm_rate(Q(sen_provision="N"))

    # Schools differ: a spread of school RWM rates, not all the national figure.
    per_school = (
        Result.objects.filter(academic_year=2024, measure="ks2_rwm")
        .values("pupil__school")
        .annotate(n=Count("id"), met=Count("id", filter=Q(met_expected=True)))
    )
    rates = sorted(row["met"] / row["n"] for row in per_school)
    assert rates[-1] - rates[0] > 0.25

    # Non-result codes are kept as codes (absent, working below the test), and not as scores.
    codes = Counter(Result.objects.exclude(code="").values_list("code", flat=True))
    assert codes["A"] > 0 and codes["B"] > 0
    assert not Result.objects.exclude(code="").filter(score__isnull=False).exists()

    # Small groups exist so suppression shows: EHCP pupils in a Year 6 cohort are fewer than 6.
    ehcp_in_cohorts = (
        PupilYear.objects.filter(academic_year=2024, year_group=6, sen_provision="E")
        .values("pupil__school")
        .annotate(n=Count("id"))
    )
    assert ehcp_in_cohorts and all(row["n"] < 6 for row in ehcp_in_cohorts)


def _snapshot(schools: list[School]) -> dict[str, list[tuple]]:
    snap: dict[str, list[tuple]] = {}
    for school in schools:
        snap[school.urn] = sorted(
            Result.objects.filter(pupil__school=school).values_list(
                "pupil__upn", "pupil__forename", "pupil__surname", "academic_year", "measure", "score", "grade", "code"
            )
        ) + sorted(
            PupilYear.objects.filter(pupil__school=school).values_list(
                "pupil__upn", "academic_year", "year_group", "disadvantaged", "sen_provision", "eal"
            )
        )
    return snap


def test_same_seed_same_data_whatever_the_order_and_a_new_seed_differs():
    a, b = SchoolFactory(), SchoolFactory()
    generate_results([a, b], years=YEARS, seed=3, assessment_year=NOW)
    first = _snapshot([a, b])
    Pupil.objects.all().delete()
    generate_results([b, a], years=YEARS, seed=3, assessment_year=NOW)
    assert _snapshot([a, b]) == first
    Pupil.objects.all().delete()
    generate_results([a, b], years=YEARS, seed=4, assessment_year=NOW)
    assert _snapshot([a, b]) != first


def test_schools_with_pupils_are_skipped():
    a, b = SchoolFactory(), SchoolFactory()
    generate_results([a], years=(2024,), seed=1, assessment_year=2024)
    before = Pupil.objects.filter(school=a).count()
    summary = generate_results([a, b], years=(2024,), seed=1, assessment_year=2024)
    assert (summary.schools, summary.skipped_schools) == (1, 1)
    assert Pupil.objects.filter(school=a).count() == before
    assert Pupil.objects.filter(school=b).exists()


def test_demo_outcomes_load_once_for_every_demo_school():
    load_demo("demo-password-for-tests")
    assert load_outcomes_demo() == len(DEMO_SCHOOL_SLUGS) == 10
    counts = (Pupil.objects.count(), Result.objects.count(), TeacherAssessment.objects.count())
    assert load_outcomes_demo() == 0
    assert (Pupil.objects.count(), Result.objects.count(), TeacherAssessment.objects.count()) == counts
    for school in School.objects.filter(slug__in=DEMO_SCHOOL_SLUGS):
        measures = set(Result.objects.filter(pupil__school=school).values_list("measure", flat=True))
        if school.phase == "infant":
            assert "ks2_rwm" not in measures and "mtc" not in measures, school
        else:
            assert {"ks2_rwm", "mtc", "eyfs_gld", "phonics_y1"} <= measures, school
        years = set(Result.objects.filter(pupil__school=school).values_list("academic_year", flat=True))
        assert years == set(demo_years(timezone.localdate())), school
