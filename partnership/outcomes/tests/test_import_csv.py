"""Importing the CSV template: happy path, every refusal with its row/field/reason and no rows written,
idempotence, corrections, the command, and property tests over arbitrary files."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes.imports import (
    MAX_BYTES,
    ImportRejectedError,
    csv_template,
    parse_results,
    result_import,
)
from partnership.outcomes.imports import common as import_common
from partnership.outcomes.imports.csv_format import TEMPLATE_COLUMNS
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result, ResultImport

pytestmark = pytest.mark.django_db

HEADER = [name for name, _ in TEMPLATE_COLUMNS]


def pupil_row(upn: str, **values: str) -> dict[str, str]:
    row = {
        "upn": upn,
        "surname": "Brook",
        "forename": "Isla",
        "date_of_birth": "2013-11-04",
        "sex": "F",
        "academic_year": "2024",
        "year_group": "6",
        "disadvantaged": "N",
        "sen": "N",
        "eal": "N",
    }
    row.update(values)
    return row


def to_csv(rows: list[dict[str, str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def sample_rows() -> list[dict[str, str]]:
    return [
        pupil_row(
            "B820123400101",
            ks2_reading="104",
            ks2_maths="111",
            ks2_gps="99",
            ks2_writing="GDS",
            disadvantaged="Y",
        ),
        pupil_row(
            "Q820123400102",
            surname="Achterberg",
            forename="Milo",
            sex="M",
            date_of_birth="2014-07-30",
            ks2_reading="B",
            ks2_maths="95",
            ks2_writing="PK6",
            sen="K",
        ),
        pupil_row(
            "E820123400103", surname="Nwosu", forename="Ada", year_group="4", date_of_birth="2016-02-01", mtc="25"
        ),
        pupil_row(
            "U820123400104",
            surname="Quill",
            forename="Rory",
            year_group="1",
            date_of_birth="2018-12-12",
            phonics_y1="31",
        ),
        pupil_row(
            "H820123400105",
            surname="Zhang",
            forename="Wen",
            year_group="R",
            date_of_birth="2020-01-20",
            eyfs_gld="GLD",
            eal="Y",
        ),
        # Earlier year for the same pupil, as a multi-year export has it.
        pupil_row(
            "E820123400103",
            surname="Nwosu",
            forename="Ada",
            year_group="1",
            academic_year="2021",
            date_of_birth="2016-02-01",
            phonics_y1="36",
        ),  # fmt: skip
    ]


@pytest.fixture
def school():
    return SchoolFactory(urn="123456", la_code="820", establishment_number="1234", name="Hawthorn Primary School")


def counts():
    return Pupil.objects.count(), PupilYear.objects.count(), Result.objects.count()


def test_template_has_every_documented_column_and_parses_as_a_header():
    data = csv_template()
    assert data.startswith(b"\xef\xbb\xbfupn,surname,forename,date_of_birth,sex,academic_year,year_group")
    assert b"ks2_writing" in data and b"eyfs_gld" in data
    with pytest.raises(ApplicationError, match="no rows of pupils"):
        parse_results(data, school=None)


def test_csv_imports_pupils_years_and_results_with_met_flags(school):
    report = result_import(school=school, data=to_csv(sample_rows()), filename="results.csv")
    assert report.file_format == "csv"
    assert (report.pupils.new, report.pupils.updated) == (5, 0)
    assert counts() == (5, 6, 13)  # 11 results from the file and the derived RWM of two Year 6 pupils
    isla = Result.objects.get(pupil__upn="B820123400101", measure=Measure.KS2_READING)
    assert (isla.score, isla.met_expected, isla.met_higher) == (104, True, False)
    rwm = {r.pupil.upn: (r.met_expected, r.met_higher) for r in Result.objects.filter(measure=Measure.KS2_RWM)}
    assert rwm == {"B820123400101": (True, False), "Q820123400102": (False, False)}
    milo = Result.objects.get(pupil__upn="Q820123400102", measure=Measure.KS2_READING)
    assert (milo.score, milo.code, milo.met_expected) == (None, "B", False)
    mtc = Result.objects.get(measure=Measure.MTC)
    assert (mtc.score, mtc.met_expected) == (25, None)
    gld = Result.objects.get(measure=Measure.EYFS_GLD)
    assert (gld.grade, gld.met_expected) == ("GLD", True)
    assert PupilYear.objects.get(pupil__upn="H820123400105").eal
    assert PupilYear.objects.get(pupil__upn="B820123400101").disadvantaged
    assert sorted(PupilYear.objects.filter(pupil__upn="E820123400103").values_list("academic_year", "year_group")) == [
        (2021, 1),
        (2024, 4),
    ]
    assert report.summary() == "imported 5 pupils, 13 results, 0 skipped"
    log = ResultImport.objects.get()
    assert (log.status, log.file_format, log.filename) == ("imported", "csv", "results.csv")
    event = AuditEvent.objects.get(verb="import")
    assert event.school_id == school.pk and event.detail["results"]["new"] == 13


def test_dry_run_reports_counts_and_saves_nothing(school):
    report = result_import(school=school, data=to_csv(sample_rows()), filename="r.csv", dry_run=True)
    assert (report.pupils.new, report.results.new) == (5, 13)
    assert counts() == (0, 0, 0)
    assert ResultImport.objects.get().status == "previewed"
    assert not AuditEvent.objects.filter(verb="import").exists()


def test_reimporting_the_same_file_changes_nothing(school):
    data = to_csv(sample_rows())
    result_import(school=school, data=data, filename="r.csv")
    before = (list(Pupil.objects.values()), list(PupilYear.objects.values()), list(Result.objects.values()))
    report = result_import(school=school, data=data, filename="r.csv")
    assert report.summary() == "imported 0 pupils, 0 results, 0 skipped"
    assert (report.pupils.unchanged, report.results.unchanged) == (5, 13)
    after = (list(Pupil.objects.values()), list(PupilYear.objects.values()), list(Result.objects.values()))
    assert after == before


def test_a_corrected_file_updates_in_place_and_rederives_rwm(school):
    result_import(school=school, data=to_csv(sample_rows()), filename="r.csv")
    rows = sample_rows()
    rows[1]["ks2_writing"] = "EXS"
    rows[1]["ks2_reading"] = "101"
    rows[1]["ks2_maths"] = "100"
    rows[2]["sen"] = "E"
    report = result_import(school=school, data=to_csv(rows), filename="r.csv")
    assert report.results.updated == 4  # reading, maths, writing and RWM
    assert report.pupils.updated == 1  # Ada's SEN; Milo's details are unchanged, only his results
    rwm = Result.objects.get(pupil__upn="Q820123400102", measure=Measure.KS2_RWM)
    assert rwm.met_expected is True
    assert PupilYear.objects.get(pupil__upn="E820123400103", academic_year=2024).sen_provision == "E"
    assert counts() == (5, 6, 13)


def test_rwm_uses_results_already_stored(school):
    rows = [pupil_row("B820123400101", ks2_reading="104", ks2_maths="111")]
    result_import(school=school, data=to_csv(rows), filename="r.csv")
    assert not Result.objects.filter(measure=Measure.KS2_RWM).exists()
    rows = [pupil_row("B820123400101", ks2_writing="EXS")]
    result_import(school=school, data=to_csv(rows), filename="w.csv")
    assert Result.objects.get(measure=Measure.KS2_RWM).met_expected is True


def test_blank_cells_mean_no_result_and_extra_columns_are_skipped(school):
    header = [*HEADER, "class", "ks2_rwm"]
    rows = [pupil_row("B820123400101", ks2_reading="", ks2_maths="103", **{"class": "Oak"})]
    report = result_import(school=school, data=to_csv(rows, header), filename="r.csv")
    assert list(Result.objects.values_list("measure", flat=True)) == [Measure.KS2_MATHS]
    assert [(s.where, s.field) for s in report.skipped] == [("row 1", "class"), ("row 1", "ks2_rwm")]
    assert report.summary() == "imported 1 pupils, 1 results, 2 skipped"  # the fixed form scripts read
    assert report.headline == "imported 1 pupil, 1 result, 2 skipped"


def test_utf8_bom_dd_mm_yyyy_dates_and_loose_headings(school):
    header = [h.upper().replace("_", " ") for h in HEADER]
    rows = [{h.upper().replace("_", " "): v for h, v in pupil_row("B820123400101", ks2_maths="100").items()}]
    rows[0]["DATE OF BIRTH"] = "04/11/2013"
    data = b"\xef\xbb\xbf" + to_csv(rows, header)
    result_import(school=school, data=data, filename="r.csv")
    assert str(Pupil.objects.get().date_of_birth) == "2013-11-04"


def problems_of(data: bytes, school) -> list[tuple[str, str, str]]:
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=data, filename="bad.csv")
    assert counts() == (0, 0, 0), "a rejected file wrote rows"
    assert ResultImport.objects.filter(status="rejected").exists()
    return [tuple(p) for p in caught.value.report.problems]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"ks2_reading": "140"}, "ks2_reading", "140 is impossible for a KS2 scaled score: it must be from 80 to 120"),
        ({"ks2_maths": "79"}, "ks2_maths", "79 is impossible"),
        ({"year_group": "1", "ks2_reading": "", "phonics_y1": "45"}, "phonics_y1", "45 is impossible for a phonics"),
        ({"year_group": "4", "ks2_reading": "", "mtc": "26"}, "mtc", "26 is impossible for an MTC score"),
        ({"ks2_reading": "Z"}, "ks2_reading", "'Z' is not a KS2 scaled score"),
        ({"ks2_writing": "WTF"}, "ks2_writing", "'WTF' is not a teacher assessment"),
        ({"year_group": "R", "ks2_reading": "", "eyfs_gld": "maybe"}, "eyfs_gld", "'maybe' is not GLD or not"),
        ({"upn": "K82012340010"}, "upn", "is not a UPN"),
        ({"upn": "A820123400199"}, "upn", "UPN check letter is wrong: character 1 of A820123400199 should be G, not A"),
        ({"upn": "I820123400199"}, "upn", "a check letter (not I, O or S)"),
        ({"upn": ""}, "upn", "missing"),
        ({"date_of_birth": "2013-02-30"}, "date_of_birth", "'2013-02-30' is not a real date"),
        ({"date_of_birth": "next week"}, "date_of_birth", "not a date as YYYY-MM-DD"),
        ({"date_of_birth": "2023-01-01"}, "date_of_birth", "not a plausible date of birth"),
        ({"sex": "X"}, "sex", "'X' is not F or M"),
        ({"sen": "S"}, "sen", "'S' is not N (none), K (SEN support) or E"),
        ({"disadvantaged": "maybe"}, "disadvantaged", "not Y or N"),
        ({"academic_year": "24"}, "academic_year", "not an academic year"),
        ({"year_group": "9"}, "year_group", "not a primary year group"),
        ({"year_group": "5"}, "ks2_reading", "needs year group 6, but this row says 5"),
    ],
)
def test_impossible_values_reject_the_file_with_row_field_and_reason(school, change, field, reason):
    rows = sample_rows()[:1]
    row = pupil_row("G820123400199", ks2_reading="100")
    row.update(change)
    rows.append(row)
    problems = problems_of(to_csv(rows), school)
    assert any(p[0] == "row 3" and p[1] == field and reason in p[2] for p in problems), problems


def test_every_problem_is_listed_not_just_the_first(school):
    rows = [
        pupil_row("B820123400101", ks2_reading="140", sex="Q"),
        pupil_row("Q820123400102", ks2_maths="200"),
        pupil_row("B820123400101", ks2_gps="100"),
    ]
    problems = problems_of(to_csv(rows), school)
    assert [(where, field) for where, field, _ in problems] == [
        ("row 2", "sex"),
        ("row 2", "ks2_reading"),
        ("row 3", "ks2_maths"),
    ]
    rows[0] = pupil_row("B820123400101", ks2_reading="100")
    ResultImport.objects.all().delete()
    problems = problems_of(to_csv(rows), school)
    assert problems == [
        ("row 3", "ks2_maths", "200 is impossible for a KS2 scaled score: it must be from 80 to 120"),
        ("row 4", "upn", "B820123400101 appears more than once for 2024/25 (first at row 2)"),
    ]


def test_the_same_pupil_must_agree_across_years(school):
    rows = [
        pupil_row("B820123400101", ks2_maths="100"),
        pupil_row("B820123400101", academic_year="2023", year_group="5"),
    ]
    rows[1]["date_of_birth"] = "2013-11-05"
    problems = problems_of(to_csv(rows), school)
    assert problems == [("row 3", "date_of_birth", "differs from B820123400101's date of birth at row 2")]


def test_unknown_measure_columns_are_refused(school):
    header = [*HEADER, "ks2_science"]
    problems = problems_of(to_csv([pupil_row("B820123400101", ks2_science="EXS")], header), school)
    assert problems[0][:2] == ("row 1", "ks2_science")
    assert "not a measure that can be imported" in problems[0][2]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "The file is empty"),
        (b"   \r\n", "The file is empty"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "old-style Excel"),
        ("upn,surname\r\n".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"upn,surname\x00\x00,forename", "binary data"),
        ("upn,surname,forename\r\nK820123400101,Brontë,Ann\r\n".encode("cp1252"), "not UTF-8 text"),
        (b"upn,surname,forename\r\n", "missing required columns: date_of_birth, sex"),
        (b"hello world", "does not look like the results CSV template"),
        (b"upn,upn,surname\r\n", "appears more than once in the headings"),
        (to_csv([]), "no rows of pupils"),
    ],
)
def test_files_that_cannot_be_read_are_refused(school, data, match):
    with pytest.raises(ImportRejectedError, match=match):
        result_import(school=school, data=data, filename="x.csv")
    assert counts() == (0, 0, 0)


def test_oversize_files_are_refused_before_parsing(school, monkeypatch):
    monkeypatch.setattr(import_common, "MAX_BYTES", 1000)
    with pytest.raises(ImportRejectedError, match="larger than 1,000 bytes"):
        result_import(school=school, data=to_csv(sample_rows() * 10), filename="big.csv")
    assert MAX_BYTES == 20 * 1024 * 1024
    assert counts() == (0, 0, 0)


def test_a_real_oversize_file_is_refused(school):
    data = to_csv(sample_rows()) + b"\r\n" * (MAX_BYTES // 2)
    with pytest.raises(ImportRejectedError, match="larger than 20 MB"):
        result_import(school=school, data=data, filename="big.csv")


def test_a_field_too_large_for_csv_is_refused(school):
    data = to_csv([pupil_row("B820123400101")]) + b'"' + b"x" * 200_000 + b'"\r\n'
    with pytest.raises(ImportRejectedError, match="could not be read"):
        result_import(school=school, data=data, filename="x.csv")


# --- property tests -----------------------------------------------------------------------------

cell = st.one_of(
    st.sampled_from(["", "100", "140", "A", "GDS", "EXS", "Y", "N", "R", "6", "B820123400101", "2013-11-04"]),
    st.text(max_size=12),
)
any_row = st.lists(cell, min_size=0, max_size=len(HEADER) + 2)


@st.composite
def csvish_files(draw) -> bytes:
    header = draw(st.one_of(st.just(HEADER), st.permutations(HEADER), st.lists(st.sampled_from(HEADER), max_size=8)))
    rows = draw(st.lists(st.one_of(any_row, st.builds(lambda r: list(pupil_row(**r).values()), st.fixed_dictionaries(
        {"upn": st.sampled_from(["B820123400101", "Q820123400102", "bad"])}
    ))), max_size=6))  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


any_file = st.one_of(
    st.binary(max_size=400), csvish_files(), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=any_file, dry_run=st.booleans())
def test_any_input_is_imported_whole_or_rejected_cleanly(school, data, dry_run):
    before = counts()
    try:
        report = result_import(school=school, data=data, filename="any.csv", dry_run=dry_run)
    except ImportRejectedError as exc:
        assert exc.message
        assert exc.report.problems and all(p.reason for p in exc.report.problems)
        assert counts() == before, "a rejected file wrote rows"
        return
    if dry_run:
        assert counts() == before
    else:  # the whole file went in: every new pupil and result, nothing else
        assert Pupil.objects.count() == before[0] + report.pupils.new
        assert Result.objects.count() == before[2] + report.results.new


@settings(max_examples=100, deadline=None)
@given(data=any_file)
def test_parsing_never_raises_anything_but_application_error(data):
    try:
        first = parse_results(data, school=None)
    except ApplicationError as exc:
        assert exc.message
        return
    second = parse_results(data, school=None)
    assert (first.pupils, first.years, first.results, first.problems) == (
        second.pupils,
        second.years,
        second.results,
        second.problems,
    )


# --- the command ---------------------------------------------------------------------------------


def test_command_prints_the_summary_line(school, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(to_csv(sample_rows()))
    call_command("import_results", "--school", "123456", str(path))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-2] == "pupils: 5 new, 0 updated, 0 unchanged; results: 13 new, 0 updated, 0 unchanged"
    assert out[-1] == "imported 5 pupils, 13 results, 0 skipped"


def test_command_dry_run_saves_nothing(school, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(to_csv(sample_rows()))
    call_command("import_results", "--school", "123456", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: nothing was saved." in out
    assert counts() == (0, 0, 0)


def test_command_prints_problems_and_fails(school, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(to_csv([pupil_row("B820123400101", ks2_reading="140")]))
    with pytest.raises(CommandError, match="1 problem to correct first"):
        call_command("import_results", "--school", "123456", str(path))
    assert "row 2, ks2_reading: 140 is impossible" in capsys.readouterr().err
    assert counts() == (0, 0, 0)


def test_command_needs_a_known_school_and_a_readable_file(school, tmp_path):
    with pytest.raises(CommandError, match="No school has URN 999999"):
        call_command("import_results", "--school", "999999", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_results", "--school", "123456", str(tmp_path / "missing.csv"))


def test_a_program_is_refused_saying_what_it_looks_like(school):
    with pytest.raises(ImportRejectedError, match="This is not a CSV or CTF file: it looks like a Windows program."):
        result_import(school=school, data=b"MZ\x90\x00\x03\x00" + b"\x00" * 60, filename="results.csv")


def test_the_logged_file_name_is_made_safe(school):
    with pytest.raises(ImportRejectedError) as exc:
        result_import(school=school, data=b"", filename="..\\..\\Users\\head\\r\x00esults.csv")
    assert exc.value.report.filename == "results.csv"
    assert ResultImport.objects.get().filename == "results.csv"
