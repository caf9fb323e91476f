"""The CSV template: one row per pupil per academic year, one column per measure (docs/outcomes-import.md).

Rows are numbered as a spreadsheet user counts them: the column headings are row 1.
"""

from __future__ import annotations

import csv
import io
import re

from partnership.core.errors import ApplicationError
from partnership.outcomes.imports.common import (
    ASSESSMENT_COLUMNS,
    IMPORTED_MEASURES,
    YEAR_GROUP_OF_MEASURE,
    AssessmentRecord,
    BadValueError,
    ParsedImport,
    PupilRecord,
    PupilYearRecord,
    ResultRecord,
    check_statutory_result_possible,
    check_term_started,
    clean_academic_year,
    clean_date,
    clean_flag,
    clean_judgement,
    clean_name,
    clean_result,
    clean_sen,
    clean_sex,
    clean_upn,
    clean_year_group,
    year_text,
)
from partnership.outcomes.models import Measure

MAX_ROWS = 200_000

# (column, what goes in it): the template's columns in order, as documented on the upload page.
PUPIL_COLUMNS: list[tuple[str, str]] = [
    ("upn", "Unique pupil number: 13 characters, a check letter, 11 digits, then a digit or letter"),
    ("surname", "Legal surname"),
    ("forename", "Legal forename"),
    ("date_of_birth", "YYYY-MM-DD, for example 2014-03-09"),
    ("sex", "F or M"),
    ("academic_year", "The year the results belong to, by its starting year: 2024 means 2024/25"),
    ("year_group", "The pupil's year group in that year: R (Reception) or 1 to 6"),
    ("disadvantaged", "Y or N: eligible for the pupil premium in that year"),
    ("sen", "N (none), K (SEN support) or E (education, health and care plan)"),
    ("eal", "Y or N: English as an additional language"),
]
MEASURE_COLUMNS: list[tuple[str, str]] = [
    (Measure.EYFS_GLD.value, "Reception: GLD or not"),
    (Measure.PHONICS_Y1.value, "Year 1 phonics check mark, 0 to 40, or a code"),
    (Measure.PHONICS_Y2.value, "Year 2 phonics retake mark, 0 to 40, or a code"),
    (Measure.KS1_READING.value, "Optional. Year 2 teacher assessment: PKF, WTS, EXS or GDS"),
    (Measure.KS1_WRITING.value, "Optional. Year 2 teacher assessment: PKF, WTS, EXS or GDS"),
    (Measure.KS1_MATHS.value, "Optional. Year 2 teacher assessment: PKF, WTS, EXS or GDS"),
    (Measure.MTC.value, "Year 4 multiplication tables check score, 0 to 25, or a code"),
    (Measure.KS2_READING.value, "Year 6 scaled score, 80 to 120, or a code (A, B, T, M, H, Q, L, F, P)"),
    (Measure.KS2_MATHS.value, "Year 6 scaled score, 80 to 120, or a code"),
    (Measure.KS2_GPS.value, "Year 6 grammar, punctuation and spelling scaled score, 80 to 120, or a code"),
    (Measure.KS2_WRITING.value, "Year 6 teacher assessment: GDS, EXS, WTS, PK1 to PK6 or EM, or a code"),
]
# Optional termly in-year teacher assessments, any year group (TeacherAssessment).
IN_YEAR_COLUMNS: list[tuple[str, str]] = [
    (column, f"Optional. {term.capitalize()} term {subject} teacher assessment, any year group: WTS, EXS or GDS")
    for column, subject, term in ASSESSMENT_COLUMNS
]
TEMPLATE_COLUMNS = PUPIL_COLUMNS + MEASURE_COLUMNS + IN_YEAR_COLUMNS
REQUIRED = [name for name, _ in PUPIL_COLUMNS]
# A column that looks like a measure but is not one is a mistake, not an extra column to ignore.
_MEASURE_LIKE = re.compile(r"^(eyfs|phonics|ks1|ks2|mtc|gld)")


# The template's second and third rows: a guide to each column and an example pupil. The importer
# recognises both by their `upn` cell and skips them with a note, so a template filled in below them
# imports only the school's own pupils. The example's UPN is well formed, but LA 000 is no local
# authority's, so it can never be a real pupil's.
GUIDE_MARK = "GUIDE"
EXAMPLE_UPN = "A000000000000"
EXAMPLE_ROW: dict[str, str] = {
    "upn": EXAMPLE_UPN,
    "surname": "Example",
    "forename": "Pupil",
    "date_of_birth": "2014-03-09",
    "sex": "F",
    "academic_year": "2024",
    "year_group": "6",
    "disadvantaged": "N",
    "sen": "N",
    "eal": "N",
    Measure.KS2_READING.value: "104",
    Measure.KS2_MATHS.value: "98",
    Measure.KS2_GPS.value: "A",
    Measure.KS2_WRITING.value: "EXS",
}


def _guide_row() -> list[str]:
    cells = [description for _, description in TEMPLATE_COLUMNS]
    cells[0] = f"{GUIDE_MARK}: this row and the example below are not imported. {cells[0]}"
    return cells


def csv_template() -> bytes:
    """The CSV template: the headings, a guide to each column and an example pupil (both skipped on
    import), UTF-8 with a byte-order mark so Excel opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in TEMPLATE_COLUMNS])
    writer.writerow(_guide_row())
    writer.writerow([EXAMPLE_ROW.get(name, "") for name, _ in TEMPLATE_COLUMNS])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _template_row(row: int, upn_cell: str, parsed: ParsedImport) -> bool:
    """True (and a skip note) for the template's own guide and example rows."""
    value = upn_cell.strip()
    if value.upper().startswith(GUIDE_MARK):
        parsed.skip(f"row {row}", "upn", "the template's guide to the columns; not imported (you may delete it)")
        return True
    if value.upper() == EXAMPLE_UPN:
        parsed.skip(f"row {row}", "upn", f"the template's example pupil ({EXAMPLE_UPN}); not imported")
        return True
    return False


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def _read_header(header: list[str], parsed: ParsedImport) -> dict[str, int]:
    known = {name for name, _ in TEMPLATE_COLUMNS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _column_key(cell)
        if not key:
            continue
        if key in positions:
            raise ApplicationError(f"The column '{key}' appears more than once in the headings (row 1).", field="file")
        if key in known:
            positions[key] = index
        elif key == Measure.KS2_RWM:
            parsed.skip("row 1", key, "combined RWM is worked out from reading, writing and maths; column ignored")
        elif _MEASURE_LIKE.match(key):
            parsed.problem(
                "row 1",
                key,
                f"'{cell.strip()[:40]}' is not a measure that can be imported; the measure columns are "
                + ", ".join(IMPORTED_MEASURES),
            )
        else:
            parsed.skip("row 1", key, "not a column of the template; ignored")
    missing = [name for name in REQUIRED if name not in positions]
    if missing and len(missing) == len(REQUIRED) and len(header) < 3:
        raise ApplicationError(
            "This does not look like the results CSV template: the first row should be the column headings "
            "(upn, surname, forename, ...), separated by commas.",
            field="file",
        )
    if missing:
        raise ApplicationError(f"The file is missing required columns: {', '.join(missing)}.", field="file")
    return positions


def parse_csv(text: str, parsed: ParsedImport) -> None:
    """Fill `parsed` from the CSV text. File-level problems raise ApplicationError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    positions: dict[str, int] = {}
    first_row: dict[tuple[str, int], int] = {}
    row = 0
    pupil_rows = 0
    try:
        for row, record in enumerate(reader, start=1):
            if row == 1:
                positions = _read_header(record, parsed)
                continue
            if row - 1 > MAX_ROWS:
                raise ApplicationError(
                    f"The file has more than {MAX_ROWS:,} rows, the most that can be imported at once.", field="file"
                )
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a pupil
            cells = {name: (record[i] if i < len(record) else "") for name, i in positions.items()}
            if _template_row(row, cells["upn"], parsed):
                continue
            pupil_rows += 1
            _read_row(row, cells, parsed, first_row)
    except csv.Error as exc:
        raise ApplicationError(
            f"This does not look like a CSV file: row {row + 1} could not be read ({exc}).", field="file"
        ) from exc
    if not pupil_rows:
        raise ApplicationError("The file has column headings but no rows of pupils.", field="file")


def _read_row(row: int, cells: dict[str, str], parsed: ParsedImport, first_row: dict[tuple[str, int], int]) -> None:
    where = f"row {row}"
    values: dict[str, object] = {}
    ok = True

    def check(name: str, cleaner, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        nonlocal ok
        try:
            values[name] = cleaner(cells[name], *args, **kwargs)
        except BadValueError as exc:
            ok = False
            parsed.problem(where, name, str(exc))

    check("upn", clean_upn)
    check("surname", clean_name)
    check("forename", clean_name)
    check("academic_year", clean_academic_year, today=parsed.today)
    check("date_of_birth", clean_date, academic_year=values.get("academic_year"))
    check("sex", clean_sex)
    check("year_group", clean_year_group)
    check("disadvantaged", clean_flag)
    check("sen", clean_sen)
    check("eal", clean_flag)

    results: list[ResultRecord] = []
    for measure in IMPORTED_MEASURES:
        text = cells.get(measure, "")
        if measure not in cells or not text.strip():
            continue  # blank: no result for this measure
        try:
            score, grade, code = clean_result(measure, text)
        except BadValueError as exc:
            ok = False
            parsed.problem(where, measure, str(exc))
            continue
        year_group = values.get("year_group")
        expected = YEAR_GROUP_OF_MEASURE[measure]
        if isinstance(year_group, int) and year_group != expected:
            ok = False
            parsed.problem(
                where,
                measure,
                f"a {Measure(measure).label} result needs year group {expected or 'R'}, but this row says "
                f"{year_group if year_group > 0 else 'R' if year_group == 0 else 'N'}",
            )
            continue
        year = values.get("academic_year")
        if isinstance(year, int):
            try:
                check_statutory_result_possible(measure, year, today=parsed.today)
            except BadValueError as exc:
                ok = False
                parsed.problem(where, measure, str(exc))
                continue
        results.append(ResultRecord("", 0, measure, score, grade, code, where=where))

    assessments: list[AssessmentRecord] = []
    for column, subject, term in ASSESSMENT_COLUMNS:
        text = cells.get(column, "")
        if not text.strip():
            continue  # blank: no assessment for this subject and term
        try:
            judgement = clean_judgement(text)
        except BadValueError as exc:
            ok = False
            parsed.problem(where, column, str(exc))
            continue
        year = values.get("academic_year")
        if isinstance(year, int):
            try:
                check_term_started(term, year, today=parsed.today)
            except BadValueError as exc:
                ok = False
                parsed.problem(where, column, str(exc))
                continue
        assessments.append(AssessmentRecord("", 0, subject, term, judgement, where=where))

    if not ok:
        return
    upn, year = str(values["upn"]), int(values["academic_year"])  # type: ignore[call-overload]
    if (upn, year) in first_row:
        parsed.problem(
            where, "upn", f"{upn} appears more than once for {year_text(year)} (first at row {first_row[(upn, year)]})"
        )
        return
    first_row[(upn, year)] = row
    pupil = PupilRecord(
        upn=upn,
        surname=str(values["surname"]),
        forename=str(values["forename"]),
        date_of_birth=values["date_of_birth"],  # type: ignore[arg-type]
        sex=str(values["sex"]),
        where=where,
    )
    earlier = parsed.pupils.get(upn)
    if earlier is not None:
        for name in ("surname", "forename", "date_of_birth", "sex"):
            if getattr(earlier, name) != getattr(pupil, name):
                parsed.problem(where, name, f"differs from {upn}'s {name.replace('_', ' ')} at {earlier.where}")
                return
    else:
        parsed.pupils[upn] = pupil
    parsed.years[(upn, year)] = PupilYearRecord(
        upn=upn,
        academic_year=year,
        year_group=int(values["year_group"]),  # type: ignore[call-overload]
        disadvantaged=bool(values["disadvantaged"]),
        sen_provision=str(values["sen"]),
        eal=bool(values["eal"]),
    )
    for result in results:
        result.upn, result.academic_year = upn, year
        parsed.results[(upn, year, result.measure)] = result
    for assessment in assessments:
        assessment.upn, assessment.academic_year = upn, year
        parsed.assessments[(upn, year, assessment.subject, assessment.term)] = assessment
