"""Importing termly in-year teacher assessments from the CSV template (reading/writing/maths x autumn/spring/
summer columns): saved, idempotent, corrected in place, blanks leave stored ones alone, bad values reject the
whole file, and the number of queries does not grow with the number of pupils."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.outcomes.imports import csv_template, result_import
from partnership.outcomes.imports.common import ASSESSMENT_COLUMNS
from partnership.outcomes.models import Pupil, PupilYear, Result, ResultImport, TeacherAssessment
from partnership.outcomes.tests.test_import_csv import HEADER, problems_of, pupil_row, school, to_csv
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

__all__ = ["school"]  # the fixture, shared with test_import_csv

PUPIL_HEADER = HEADER[:10]  # upn ... eal: the required columns only
TA_HEADER = [*PUPIL_HEADER, *(column for column, _, _ in ASSESSMENT_COLUMNS)]


def assessment_rows() -> list[dict[str, str]]:
    return [
        pupil_row(
            "B820123400101",
            year_group="3",
            date_of_birth="2016-05-01",
            reading_autumn="WTS",
            reading_spring="exs",
            writing_autumn="Working towards",
            maths_autumn="greater depth",
            maths_spring="Expected",
        ),
        pupil_row(
            "Q820123400102",
            surname="Lund",
            forename="Ola",
            year_group="N",
            date_of_birth="2021-01-10",
            reading_autumn="GDS",
        ),
    ]


def stored() -> dict[tuple[str, int, str, str], str]:
    return {
        (a.pupil.upn, a.academic_year, a.subject, a.term): a.judgement
        for a in TeacherAssessment.objects.select_related("pupil")
    }


def test_template_and_upload_page_have_the_assessment_columns(client, world):
    header = csv_template().decode("utf-8-sig").splitlines()[0].split(",")  # row 1, the headings
    assert header[-9:] == [
        "reading_autumn",
        "reading_spring",
        "reading_summer",
        "writing_autumn",
        "writing_spring",
        "writing_summer",
        "maths_autumn",
        "maths_spring",
        "maths_summer",
    ]
    client.force_login(world["head"])
    page = client.get(reverse("outcomes:import_upload", args=[world.own.slug])).content.decode()
    assert "<code>maths_summer</code>" in page


def test_a_file_of_only_assessments_imports_them(school):
    report = result_import(school=school, data=to_csv(assessment_rows(), TA_HEADER), filename="ta.csv")
    assert stored() == {
        ("B820123400101", 2024, "reading", "autumn"): "WTS",
        ("B820123400101", 2024, "reading", "spring"): "EXS",
        ("B820123400101", 2024, "writing", "autumn"): "WTS",
        ("B820123400101", 2024, "maths", "autumn"): "GDS",
        ("B820123400101", 2024, "maths", "spring"): "EXS",
        ("Q820123400102", 2024, "reading", "autumn"): "GDS",
    }
    assert (Pupil.objects.count(), PupilYear.objects.count(), Result.objects.count()) == (2, 2, 0)
    assert vars(report.assessments) == {"new": 6, "updated": 0, "unchanged": 0}
    assert report.summary() == "imported 2 pupils, 0 results, 0 skipped"
    assert report.details().endswith("; assessments: 6 new, 0 updated, 0 unchanged")
    assert ResultImport.objects.get().summary["assessments"] == {"new": 6, "updated": 0, "unchanged": 0}
    assert AuditEvent.objects.get(verb="import").detail["assessments"]["new"] == 6


def test_assessments_and_results_in_the_same_file(school):
    rows = [pupil_row("B820123400101", ks2_reading="104", reading_summer="EXS", maths_summer="GDS")]
    report = result_import(school=school, data=to_csv(rows), filename="r.csv")
    assert (report.results.new, report.assessments.new) == (1, 2)
    assert Result.objects.count() == 1 and TeacherAssessment.objects.count() == 2


def test_dry_run_counts_assessments_and_saves_nothing(school):
    report = result_import(school=school, data=to_csv(assessment_rows(), TA_HEADER), filename="ta.csv", dry_run=True)
    assert report.assessments.new == 6
    assert not TeacherAssessment.objects.exists() and not Pupil.objects.exists()


def test_reimporting_the_same_file_changes_nothing(school):
    data = to_csv(assessment_rows(), TA_HEADER)
    result_import(school=school, data=data, filename="ta.csv")
    before = list(TeacherAssessment.objects.order_by("pk").values())
    report = result_import(school=school, data=data, filename="ta.csv")
    assert vars(report.assessments) == {"new": 0, "updated": 0, "unchanged": 6}
    assert report.summary() == "imported 0 pupils, 0 results, 0 skipped"
    assert list(TeacherAssessment.objects.order_by("pk").values()) == before


def test_a_corrected_file_updates_in_place(school):
    result_import(school=school, data=to_csv(assessment_rows(), TA_HEADER), filename="ta.csv")
    pk = TeacherAssessment.objects.get(pupil__upn="B820123400101", subject="reading", term="autumn").pk
    rows = assessment_rows()
    rows[0]["reading_autumn"] = "EXS"
    rows[0]["reading_summer"] = "GDS"
    report = result_import(school=school, data=to_csv(rows, TA_HEADER), filename="ta.csv")
    assert vars(report.assessments) == {"new": 1, "updated": 1, "unchanged": 5}
    assert TeacherAssessment.objects.get(pk=pk).judgement == "EXS"
    assert TeacherAssessment.objects.count() == 7


def test_a_blank_cell_leaves_an_existing_assessment_alone(school):
    result_import(school=school, data=to_csv(assessment_rows(), TA_HEADER), filename="ta.csv")
    rows = assessment_rows()
    rows[0]["reading_autumn"] = ""
    rows[0]["maths_spring"] = "  "
    report = result_import(school=school, data=to_csv(rows, TA_HEADER), filename="ta.csv")
    assert vars(report.assessments) == {"new": 0, "updated": 0, "unchanged": 4}
    assert stored()[("B820123400101", 2024, "reading", "autumn")] == "WTS"
    assert stored()[("B820123400101", 2024, "maths", "spring")] == "EXS"
    assert TeacherAssessment.objects.count() == 6


def test_a_file_without_assessment_columns_leaves_stored_ones_alone(school):
    result_import(school=school, data=to_csv(assessment_rows(), TA_HEADER), filename="ta.csv")
    rows = [pupil_row("B820123400101", year_group="3", date_of_birth="2016-05-01")]
    report = result_import(school=school, data=to_csv(rows, PUPIL_HEADER), filename="p.csv")
    assert report.assessments.total == 0 and "assessments" not in report.details()
    assert TeacherAssessment.objects.count() == 6


@pytest.mark.parametrize("bad", ["XYZ", "EX", "PKF", "expected standard please"])
def test_an_invalid_judgement_rejects_the_whole_file(school, bad):
    rows = assessment_rows()
    rows[1]["writing_spring"] = bad
    problems = problems_of(to_csv(rows, TA_HEADER), school)
    assert problems == [
        (
            "row 3",
            "writing_spring",
            f"'{bad}' is not a teacher assessment: WTS (working towards), EXS (expected) or GDS (greater depth)",
        )
    ]
    assert not TeacherAssessment.objects.exists()
    assert not Pupil.objects.exists() and not Result.objects.exists()


def test_an_invalid_judgement_is_refused_on_the_upload_page(client, world):
    client.force_login(world["head"])
    rows = assessment_rows()
    rows[0]["maths_summer"] = "XYZ"
    response = client.post(
        reverse("outcomes:import_upload", args=[world.own.slug]),
        {"file": SimpleUploadedFile("ta.csv", to_csv(rows, TA_HEADER))},
    )
    page = response.content.decode()
    assert "maths_summer" in page and "&#x27;XYZ&#x27; is not a teacher assessment" in page
    assert not TeacherAssessment.objects.exists()


def test_the_preview_page_counts_assessments(client, world):
    client.force_login(world["head"])
    response = client.post(
        reverse("outcomes:import_upload", args=[world.own.slug]),
        {"file": SimpleUploadedFile("ta.csv", to_csv(assessment_rows(), TA_HEADER))},
    )
    assert response.status_code == 200
    assert "In-year teacher assessments" in response.content.decode()
    assert response.context["report"].assessments.new == 6
    assert not TeacherAssessment.objects.exists()


def many_rows(n: int, first: int) -> list[dict[str, str]]:
    """n pupils with two assessments each, every column used across the file."""
    rows = []
    for i in range(first, first + n):
        columns = [ASSESSMENT_COLUMNS[i % 9][0], ASSESSMENT_COLUMNS[(i + 4) % 9][0]]
        values = {column: ("WTS", "EXS", "GDS")[(i + k) % 3] for k, column in enumerate(columns)}
        rows.append(
            pupil_row(make_upn(820, 1234, i // 1000, i % 1000), year_group="3", date_of_birth="2016-05-01", **values)
        )
    return rows


def import_queries(school, rows: list[dict[str, str]]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        result_import(school=school, data=to_csv(rows, TA_HEADER), filename="ta.csv")
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_pupils(school, monkeypatch):
    # Writes go in statements of up to service.BATCH (500) rows, so 400 assessments are one statement.
    # Django caps SQLite statements at 999 parameters (the limit of SQLite before 3.32), which would
    # split 200 pupils into two INSERTs; the SQLite in use allows 32,766, as PostgreSQL has no such cap.
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
    small, large = many_rows(10, 0), many_rows(200, 1000)
    assert import_queries(school, small) == import_queries(school, large)  # everything new
    assert TeacherAssessment.objects.count() == 2 * 210
    assert import_queries(school, small) == import_queries(school, large)  # everything unchanged
    for rows in (small, large):  # every assessment corrected: updated in bulk, not a query per row
        for row in rows:
            for column, _, _ in ASSESSMENT_COLUMNS:
                if row.get(column):
                    row[column] = {"WTS": "EXS", "EXS": "GDS", "GDS": "WTS"}[row[column]]
    before = stored()
    assert import_queries(school, small) == import_queries(school, large)
    after = stored()
    assert len(after) == len(before) == 420 and all(after[key] != before[key] for key in before)
