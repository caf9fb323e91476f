"""What both file formats parse into, and the checks on single values that they share.

Nothing here touches the database: parsing is pure so that a file can be checked (and previewed)
before anything is saved, and so that a rejected file can never leave partial data behind.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils import timezone

from partnership.core import uploads
from partnership.core.schoolyear import academic_year_label as year_text  # noqa: F401
from partnership.core.schoolyear import current_academic_year, term_dates
from partnership.outcomes import rules
from partnership.outcomes.models import Measure, NonResultCode, TeacherAssessment
from partnership.outcomes.upn import UpnError, check_upn

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 1000  # problems listed one by one; beyond this only the count is kept
UTF8_BOM = b"\xef\xbb\xbf"
NAME_MAX = 100
NON_RESULT_CODES = {c.value for c in NonResultCode}

# The year group a statutory result belongs to (the year it is taken in).
YEAR_GROUP_OF_MEASURE: dict[str, int] = {
    Measure.EYFS_GLD: 0,
    Measure.PHONICS_Y1: 1,
    Measure.PHONICS_Y2: 2,
    Measure.KS1_READING: 2,
    Measure.KS1_WRITING: 2,
    Measure.KS1_MATHS: 2,
    Measure.MTC: 4,
    Measure.KS2_READING: 6,
    Measure.KS2_MATHS: 6,
    Measure.KS2_GPS: 6,
    Measure.KS2_WRITING: 6,
}
IMPORTED_MEASURES = tuple(YEAR_GROUP_OF_MEASURE)  # every measure except the derived RWM
RWM_PARTS = (Measure.KS2_READING, Measure.KS2_WRITING, Measure.KS2_MATHS)
# In-year teacher assessments: one column per subject and term ("reading_autumn"...), any year group.
ASSESSMENT_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{subject}_{term}", subject, term)
    for subject in TeacherAssessment.Subject.values
    for term in TeacherAssessment.Term.values
)
JUDGEMENT_VALUES = {
    "WTS": "WTS",
    "WORKING TOWARDS": "WTS",
    "EXS": "EXS",
    "EXPECTED": "EXS",
    "EXPECTED STANDARD": "EXS",
    "GDS": "GDS",
    "GREATER DEPTH": "GDS",
}
GLD_VALUES = {"GLD": "GLD", "Y": "GLD", "YES": "GLD", "NOT": "not", "N": "not", "NO": "not", "NOT GLD": "not"}


class Problem(NamedTuple):
    """One thing wrong with (or skipped from) a file: where, which field, and why, in the school's words."""

    where: str  # "row 4" (CSV, headings are row 1), "line 37, UPN A123..." (CTF) or "file"
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.reason}" if self.field else f"{self.where}: {self.reason}"


@dataclass
class PupilRecord:
    upn: str
    surname: str
    forename: str
    date_of_birth: datetime.date
    sex: str
    where: str


@dataclass
class PupilYearRecord:
    upn: str
    academic_year: int
    year_group: int
    disadvantaged: bool
    sen_provision: str
    eal: bool
    # A CTF carries today's characteristics only; for the years of older results (phonics in
    # Year 1...) they are a best guess, written only where the school has no row for that year yet.
    only_if_missing: bool = False
    # Fields the file does not know (a minimal CTF has no FSM, SEN or language history): a row the
    # school already has keeps its own values for them; a new row gets the defaults above.
    keep: tuple[str, ...] = ()
    # The year group was worked out from the date of birth (the file has no NCyearActual).
    year_group_from_birth: bool = False


@dataclass
class ResultRecord:
    upn: str
    academic_year: int
    measure: str
    score: int | None = None
    grade: str = ""
    code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass
class AssessmentRecord:
    """One termly in-year teacher assessment (`TeacherAssessment`): WTS, EXS or GDS."""

    upn: str
    academic_year: int
    subject: str
    term: str
    judgement: str
    where: str = ""


@dataclass
class ParsedImport:
    """Everything a file says, checked. `problems` reject the file; `skipped` are reported only."""

    file_format: str
    pupils: dict[str, PupilRecord] = field(default_factory=dict)
    years: dict[tuple[str, int], PupilYearRecord] = field(default_factory=dict)
    results: dict[tuple[str, int, str], ResultRecord] = field(default_factory=dict)
    # keyed by (upn, academic year, subject, term)
    assessments: dict[tuple[str, int, str, str], AssessmentRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    skipped: list[Problem] = field(default_factory=list)
    skip_count: int = 0
    source: dict[str, str] = field(default_factory=dict)
    # What the school should know about how the file was read (shown on the preview, not problems).
    notes: list[str] = field(default_factory=list)
    # The day the file is checked on: results for years and terms that cannot have them yet are refused.
    today: datetime.date = field(default_factory=timezone.localdate)

    def problem(self, where: str, field_name: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, field_name, reason))

    def skip(self, where: str, field_name: str, reason: str) -> None:
        self.skip_count += 1
        if len(self.skipped) < MAX_PROBLEMS:
            self.skipped.append(Problem(where, field_name, reason))

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class BadValueError(Exception):
    """A single value is wrong; the parser turns it into a Problem with its row and field."""


TOO_BIG = (
    "The file is larger than {limit}, the most that can be imported. "
    "Split it into smaller files (for example one per year group)."
)


def refuse_oversize(n: int) -> None:
    uploads.check_size(n, MAX_BYTES, too_big=TOO_BIG)


def clean_upn(text: str) -> str:
    if not text.strip():
        raise BadValueError("missing")
    try:
        return check_upn(text)
    except UpnError as exc:
        raise BadValueError(str(exc)) from None


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadValueError("missing")
    if len(name) > NAME_MAX:
        raise BadValueError(f"longer than {NAME_MAX} characters")
    return name


def clean_date(text: str, *, academic_year: int | None = None) -> datetime.date:
    """A date of birth as YYYY-MM-DD (DD/MM/YYYY, as Excel often re-saves it, is accepted too)."""
    value = text.strip()
    if not value:
        raise BadValueError("missing")
    day: datetime.date | None = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.date.fromisoformat(value)
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
            d, m, y = (int(part) for part in value.split("/"))
            day = datetime.date(y, m, d)
    except ValueError:
        raise BadValueError(f"'{_short(value)}' is not a real date") from None
    if day is None:
        raise BadValueError(f"'{_short(value)}' is not a date as YYYY-MM-DD (for example 2015-03-09)")
    if academic_year is not None:
        age = academic_year - day.year  # age on 31 August at the start of the year, give or take one
        if not 2 <= age <= 14:
            raise BadValueError(
                f"{day.isoformat()} is not a plausible date of birth for a pupil in {year_text(academic_year)}"
            )
    return day


def clean_sex(text: str) -> str:
    value = text.strip().upper()
    value = {"FEMALE": "F", "MALE": "M"}.get(value, value)
    if value not in ("F", "M"):
        raise BadValueError(f"'{_short(text.strip())}' is not F or M" if text.strip() else "missing")
    return value


def clean_flag(text: str) -> bool:
    value = text.strip().upper()
    if value in ("Y", "YES", "TRUE", "1"):
        return True
    if value in ("N", "NO", "FALSE", "0"):
        return False
    raise BadValueError(f"'{_short(text.strip())}' is not Y or N" if value else "missing (Y or N)")


def clean_sen(text: str) -> str:
    value = text.strip().upper()
    if value not in ("N", "K", "E"):
        raise BadValueError(
            f"'{_short(text.strip())}' is not N (none), K (SEN support) or E (EHC plan)" if value else "missing"
        )
    return value


def clean_academic_year(text: str, *, today: datetime.date) -> int:
    """The starting year: "2024", "2024/25" and "2024/2025" all mean 2024/25. A year that has not
    started by `today` (2026/27 before 1 September 2026) has no results yet and is refused."""
    value = text.strip()
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", value)
    if not match:
        raise BadValueError(
            f"'{_short(value)}' is not an academic year such as 2024 (for 2024/25)" if value else "missing"
        )
    start = int(match.group(1))
    if match.group(2) and int(match.group(2)) % 100 != (start + 1) % 100:
        raise BadValueError(f"'{value}' is not an academic year: the second year must follow the first")
    if start < 2000:
        raise BadValueError(f"{start} is not an academic year that can have results")
    if start > current_academic_year(today):
        raise BadValueError(
            f"{year_text(start)} has not started yet (it starts on 1 September {start}), so it cannot have results"
        )
    return start


def statutory_results_from(academic_year: int) -> datetime.date:
    """The first day a statutory result (EYFS profile, phonics check, KS1 and KS2 assessments, MTC) for
    `academic_year` can exist: 1 June of its second calendar year. The KS2 tests are taken in May, the
    phonics check and the MTC in June, and the EYFS profile and teacher assessments are completed in
    the summer term, so a result dated before June is a mistake (most often the wrong year)."""
    return datetime.date(academic_year + 1, 6, 1)


def term_starts(academic_year: int, term: str) -> datetime.date:
    """The first day of a term, at the earliest: a termly teacher assessment cannot come before it."""
    return term_dates(academic_year, term)[0]


def check_statutory_result_possible(measure: str, academic_year: int, *, today: datetime.date) -> None:
    possible_from = statutory_results_from(academic_year)
    if today < possible_from:
        raise BadValueError(
            f"a {Measure(measure).label} result for {year_text(academic_year)} cannot exist yet: "
            f"that year's statutory results come from {possible_from.day} June {possible_from.year}"
        )


def check_term_started(term: str, academic_year: int, *, today: datetime.date) -> None:
    starts = term_starts(academic_year, term)
    if today < starts:
        raise BadValueError(
            f"the {term} term of {year_text(academic_year)} has not started yet (it starts in "
            f"{starts:%B %Y} at the earliest), so it cannot have a teacher assessment"
        )


def clean_year_group(text: str) -> int:
    value = text.strip().upper().removeprefix("YEAR").removeprefix("Y").strip()
    if value in ("R", "REC", "RECEPTION"):
        return 0
    if value in ("N", "N1", "N2", "NURSERY"):
        return -1
    if re.fullmatch(r"-?\d{1,2}", value) and -1 <= int(value) <= 6:
        return int(value)
    raise BadValueError(
        f"'{_short(text.strip())}' is not a primary year group (N, R or 0, 1 to 6)" if text.strip() else "missing"
    )


def _integer(value: str) -> int | None:
    match = re.fullmatch(r"(\d{1,4})(?:\.0+)?", value)
    return int(match.group(1)) if match else None


def clean_result(measure: str, text: str) -> tuple[int | None, str, str]:
    """(score, grade, code) for one result written as text. Raises BadValueError with the reason."""
    value = text.strip().upper()
    if measure in rules.KS2_TEST_MEASURES or measure in (Measure.PHONICS_Y1, Measure.PHONICS_Y2, Measure.MTC):
        ranges: dict[str, tuple[int, int, str]] = {
            Measure.PHONICS_Y1: (0, rules.PHONICS_MAX, "a phonics mark"),
            Measure.PHONICS_Y2: (0, rules.PHONICS_MAX, "a phonics mark"),
            Measure.MTC: (0, rules.MTC_MAX, "an MTC score"),
        }
        low, high, what = ranges.get(measure, (rules.KS2_SCALED_MIN, rules.KS2_SCALED_MAX, "a KS2 scaled score"))
        number = _integer(value)
        if number is not None:
            if not low <= number <= high:
                raise BadValueError(f"{number} is impossible for {what}: it must be from {low} to {high}")
            return number, "", ""
        if value in NON_RESULT_CODES:
            return None, "", value
        raise BadValueError(
            f"'{_short(text.strip())}' is not {what} ({low} to {high}) or a code ({'/'.join(sorted(NON_RESULT_CODES))})"
        )
    if measure == Measure.EYFS_GLD:
        if value in GLD_VALUES:
            return None, GLD_VALUES[value], ""
        raise BadValueError(f"'{_short(text.strip())}' is not GLD or not")
    if measure == Measure.KS2_WRITING or measure in (Measure.KS1_READING, Measure.KS1_WRITING, Measure.KS1_MATHS):
        grades = rules.TA_GRADES_KS2_WRITING if measure == Measure.KS2_WRITING else rules.TA_GRADES_KS1
        if value in grades:
            return None, value, ""
        if value in NON_RESULT_CODES:
            return None, "", value
        raise BadValueError(
            f"'{_short(text.strip())}' is not a teacher assessment ({'/'.join(sorted(grades))}) "
            f"or a code ({'/'.join(sorted(NON_RESULT_CODES))})"
        )
    raise BadValueError(f"'{measure}' is not a measure that can be imported")


def clean_judgement(text: str) -> str:
    """An in-year teacher assessment: WTS, EXS or GDS, or the words for them ("greater depth")."""
    value = " ".join(text.split()).upper()
    if value in JUDGEMENT_VALUES:
        return JUDGEMENT_VALUES[value]
    raise BadValueError(
        f"'{_short(text.strip())}' is not a teacher assessment: WTS (working towards), EXS (expected) "
        "or GDS (greater depth)"
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "MAX_BYTES",
    "ASSESSMENT_COLUMNS",
    "IMPORTED_MEASURES",
    "AssessmentRecord",
    "ParsedImport",
    "Problem",
    "PupilRecord",
    "PupilYearRecord",
    "ResultRecord",
    "BadValueError",
]
