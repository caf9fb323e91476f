"""Results only for academic years (and terms) that can have them: a year that has not started is refused,
a statutory result for the current year is refused before June, and a termly teacher assessment before its
term starts; each refusal names the row or line and the field, and nothing is saved."""

import datetime

import pytest

from partnership.outcomes.imports import ImportRejectedError, result_import
from partnership.outcomes.imports.common import statutory_results_from, term_starts
from partnership.outcomes.models import Pupil, Result, TeacherAssessment
from partnership.outcomes.tests.test_import_csv import counts, pupil_row, school, to_csv
from partnership.outcomes.tests.test_import_ctf import CTF_25_YEAR6

pytestmark = pytest.mark.django_db

__all__ = ["school"]  # the fixture, shared with test_import_csv


UPN = "B820123400101"


def problems(data: bytes, school, today: datetime.date) -> list[tuple[str, str, str]]:
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=data, filename="results.csv", today=today)
    assert counts() == (0, 0, 0) and not TeacherAssessment.objects.exists(), "a rejected file wrote rows"
    return [tuple(p) for p in caught.value.report.problems]


def test_an_academic_year_that_has_not_started_is_refused_even_in_its_own_calendar_year(school):
    # 2026/27 starts on 1 September 2026: a row for it in August 2026 is next year's, whatever the calendar says.
    row = pupil_row(UPN, academic_year="2026", date_of_birth="2015-11-04")
    assert problems(to_csv([row]), school, datetime.date(2026, 8, 31)) == [
        (
            "row 2",
            "academic_year",
            "2026/27 has not started yet (it starts on 1 September 2026), so it cannot have results",
        )
    ]
    report = result_import(school=school, data=to_csv([row]), filename="results.csv", today=datetime.date(2026, 9, 1))
    assert report.pupils.new == 1 and Pupil.objects.get().years.get().academic_year == 2026


@pytest.mark.parametrize(
    ("column", "value", "year_group"),
    [("ks2_reading", "104", "6"), ("ks2_writing", "EXS", "6"), ("mtc", "20", "4"), ("phonics_y1", "35", "1"),
     ("eyfs_gld", "GLD", "R"), ("ks1_maths", "EXS", "2")],
)  # fmt: skip
def test_a_statutory_result_for_the_current_year_is_refused_before_june(school, column, value, year_group):
    born = {"6": "2015-11-04", "4": "2017-11-04", "1": "2020-11-04", "R": "2021-11-04", "2": "2019-11-04"}
    row = pupil_row(UPN, academic_year="2026", year_group=year_group, date_of_birth=born[year_group], **{column: value})
    assert statutory_results_from(2026) == datetime.date(2027, 6, 1)
    ((where, field, reason),) = problems(to_csv([row]), school, datetime.date(2027, 5, 31))
    assert (where, field) == ("row 2", column)
    assert reason.endswith("result for 2026/27 cannot exist yet: that year's statutory results come from 1 June 2027")
    result_import(school=school, data=to_csv([row]), filename="results.csv", today=datetime.date(2027, 6, 1))
    assert Result.objects.filter(measure=column, academic_year=2026).count() == 1


def test_termly_teacher_assessments_are_accepted_in_year_from_the_start_of_their_term(school):
    base = pupil_row(UPN, academic_year="2026", year_group="3", date_of_birth="2018-05-01")
    autumn = {**base, "reading_autumn": "EXS"}
    december = datetime.date(2026, 12, 1)
    result_import(school=school, data=to_csv([autumn]), filename="ta.csv", today=december)
    assert TeacherAssessment.objects.get().term == "autumn"
    TeacherAssessment.objects.all().delete()
    Pupil.objects.all().delete()
    spring = {**base, "reading_autumn": "EXS", "maths_spring": "GDS"}
    assert problems(to_csv([spring]), school, december) == [
        (
            "row 2",
            "maths_spring",
            "the spring term of 2026/27 has not started yet (it starts in January 2027 at the earliest), "
            "so it cannot have a teacher assessment",
        )
    ]
    assert [term_starts(2026, t) for t in ("autumn", "spring", "summer")] == [
        datetime.date(2026, 9, 1),
        datetime.date(2027, 1, 1),
        datetime.date(2027, 4, 1),
    ]
    result_import(school=school, data=to_csv([spring]), filename="ta.csv", today=datetime.date(2027, 1, 1))
    assert TeacherAssessment.objects.count() == 2


def test_a_ctf_whose_results_cannot_exist_yet_is_refused_line_by_line(school):
    data = CTF_25_YEAR6.encode()
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=data, filename="x.xml", today=datetime.date(2025, 5, 31))
    refused = [p for p in caught.value.report.problems if p.field == "Year"]
    assert refused and all(
        p.where.startswith("line ") and p.reason.startswith("2025: a KS2") and "come from 1 June 2025" in p.reason
        for p in refused
    ), caught.value.report.problems
    assert counts() == (0, 0, 0)
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=data, filename="x.xml", today=datetime.date(2024, 8, 31))
    assert caught.value.report.problems[0].reason == (
        "The file's SourceSchool/AcademicYear: 2024/25 has not started yet (it starts on 1 September 2024), "
        "so it cannot have results."
    )
    report = result_import(school=school, data=data, filename="x.xml", today=datetime.date(2025, 6, 1))
    assert report.pupils.new == 3
