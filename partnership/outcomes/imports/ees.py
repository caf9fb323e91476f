"""Reading a national figure out of an explore-education-statistics (EES) data file.

EES publishes every release's tables as "tidy" CSV files: one row per time period, geography and
combination of filters, with the standard columns `time_period` (six digits: 202425 is 2024/25),
`time_identifier`, `geographic_level` ("National", "Regional", "Local authority", "School"...),
`country_code` (E92000001 is England), `version` ("Provisional", "Revised", "Final") where the
release has one, then the release's own filter columns (`school_type`, `characteristic`, `sex`,
`breakdown`, `subject`...) and indicator columns (`pt_rwm_met_expected_standard`,
`expected_standard_pupil_percent`...). A missing figure is a symbol, not a number: `z` (not
applicable), `x` (not available), `c` (confidential), `u` (low reliability), `low`, `:`.

`parse_ees(data, measure, statistic, column=...)` keeps England's national rows, the "total" row of
each filter (all pupils, all state-funded schools), and reads one figure per academic year. When it
cannot tell which column or row holds the headline figure it refuses with the choices it found,
never guesses. Nothing here writes; `services.load_national_figures_file` saves what it returns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.outcomes.imports.common import UTF8_BOM

MAX_BYTES = 20 * 1024 * 1024
ENGLAND = "E92000001"
STANDARD_COLUMNS = frozenset(
    {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "version",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
    }
)
SYMBOLS = frozenset({"z", "x", "c", "u", "low", ":", "~", "", "n/a", "na"})
# The value of a filter column on its "everyone" row, lower-cased. A headline figure is for all pupils
# in all state-funded schools.
TOTALS = (
    "total",
    "all pupils",
    "all",
    "all state-funded schools",
    "state-funded schools",
    "state-funded mainstream schools",
    "all schools",
)
_PERIOD = re.compile(r"^(\d{4})(\d{2})$")

# Indicator columns known to hold each headline figure, in the publications' own names; the first one
# the file has is read. `subject` is the value of a `subject` column in files that have one row per
# subject (with `expected_standard_pupil_percent` and `higher_standard_pupil_percent`).
KNOWN_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ks2_rwm", "expected_pct"): ("pt_rwm_met_expected_standard", "rwm_expected_standard_pupil_percentage"),
    ("ks2_rwm", "higher_pct"): ("pt_rwm_met_higher_standard", "rwm_higher_standard_pupil_percentage"),
    ("ks2_reading", "expected_pct"): ("pt_read_met_expected_standard",),
    ("ks2_reading", "higher_pct"): ("pt_read_met_higher_standard",),
    ("ks2_writing", "expected_pct"): ("pt_writta_met_expected_standard",),
    ("ks2_writing", "higher_pct"): ("pt_writta_met_higher_standard",),
    ("ks2_maths", "expected_pct"): ("pt_mat_met_expected_standard",),
    ("ks2_maths", "higher_pct"): ("pt_mat_met_higher_standard",),
    ("ks2_gps", "expected_pct"): ("pt_gps_met_expected_standard",),
    ("ks2_gps", "higher_pct"): ("pt_gps_met_higher_standard",),
}
SUBJECTS = {
    "ks2_rwm": "reading, writing and maths",
    "ks2_reading": "reading",
    "ks2_writing": "writing",
    "ks2_maths": "maths",
    "ks2_gps": "grammar, punctuation and spelling",
}
SUBJECT_COLUMNS = {"expected_pct": "expected_standard_pupil_percent", "higher_pct": "higher_standard_pupil_percent"}
RANGES = {"mean": (Decimal(0), Decimal(25))}
PERCENT = (Decimal(0), Decimal(100))


@dataclass(frozen=True)
class Found:
    academic_year: int
    value: Decimal
    version: str


@dataclass
class EesFigures:
    column: str
    figures: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # years the file has without a figure, and why


def _text(data: bytes) -> str:
    uploads.refuse_non_text(data, what="a CSV file")
    try:
        return data.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "The file is not UTF-8 text. Download the CSV from explore-education-statistics again.", field="file"
        ) from exc


def _period(value: str, line: int) -> int:
    match = _PERIOD.match(value.strip())
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ApplicationError(
            f"Row {line}, time_period: “{value[:20]}” is not an academic year such as 202425 (2024/25).",
            field="file",
        )
    return int(match.group(1))


def _is_number(value: str) -> bool:
    try:
        Decimal(value.strip())
    except InvalidOperation:
        return False
    return True


def _indicators(rows: list[dict[str, str]], headers: list[str]) -> set[str]:
    """Columns whose every national value is a number or an EES symbol: the figures, not filters."""
    return {
        name
        for name in headers
        if name not in STANDARD_COLUMNS
        and any(_is_number(row.get(name) or "") for row in rows)
        and all(_is_number(row.get(name) or "") or (row.get(name) or "").strip().lower() in SYMBOLS for row in rows)
    }


def _choose_column(
    measure: str, statistic: str, headers: list[str], indicators: set[str], column: str
) -> tuple[str, str | None]:
    """(the column to read, the subject its rows must be for, if the file has a subject column)."""
    if column:
        if column not in headers:
            raise ApplicationError(f"The file has no column called “{column[:60]}”.", field="column")
        if column not in indicators:
            raise ApplicationError(f"The column “{column[:60]}” does not hold figures.", field="column")
        subject = SUBJECTS.get(measure) if "subject" in headers else None
        return column, subject
    for name in KNOWN_COLUMNS.get((measure, statistic), ()):
        if name in indicators:
            return name, None
    subject_column = SUBJECT_COLUMNS.get(statistic)
    if "subject" in headers and subject_column in indicators and measure in SUBJECTS:
        return subject_column, SUBJECTS[measure]
    shown = ", ".join(sorted(indicators)[:30]) or "none"
    raise ApplicationError(
        "Could not tell which column of the file holds this figure. Columns with figures in the file: "
        f"{shown}. Type the column's name under 'Column' and upload the file again.",
        field="column",
    )


def _headline(rows: list[tuple[int, dict[str, str]]], filters: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Of one year's national rows, the one for everyone: each filter column at its total."""
    for name in filters:
        values = {row.get(name, "").strip().lower() for _, row in rows}
        if len(values) < 2:
            continue
        total = next((t for t in TOTALS if t in values), None)
        if total is None:
            shown = ", ".join(sorted(v for v in values if v)[:8])
            raise ApplicationError(
                f"The file's national rows differ in “{name}” ({shown}) and none of them is a total. "
                "Download the file that has the headline (all pupils) figures, or filter it to one row per year.",
                field="file",
            )
        rows = [(line, row) for line, row in rows if row.get(name, "").strip().lower() == total]
    return rows


def parse_ees(data: bytes, *, measure: str, statistic: str, column: str = "") -> EesFigures:
    """England's national figures, one per academic year, for one measure and statistic."""
    uploads.check_size(len(data), MAX_BYTES)
    reader = csv.DictReader(io.StringIO(_text(data), newline=""))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    missing = [name for name in ("time_period", "geographic_level") if name not in headers]
    if missing:
        raise ApplicationError(
            "This is not an explore-education-statistics data file: it has no "
            + " or ".join(missing)
            + " column. Download the data set's CSV from explore-education-statistics.service.gov.uk.",
            field="file",
        )
    national: list[tuple[int, dict[str, str]]] = []
    for line, row in enumerate(reader, start=2):
        if (row.get("geographic_level") or "").strip().lower() != "national":
            continue
        if (row.get("country_code") or ENGLAND).strip() not in (ENGLAND, ""):
            continue
        national.append((line, row))
    if not national:
        raise ApplicationError("The file has no national rows for England (geographic_level National).", field="file")
    indicators = _indicators([row for _, row in national], headers)
    chosen, subject = _choose_column(measure, statistic, headers, indicators, column.strip())
    if subject is not None:
        national = [(line, row) for line, row in national if (row.get("subject") or "").strip().lower() == subject]
        if not national:
            raise ApplicationError(f"The file has no national rows for the subject “{subject}”.", field="file")
    filters = [h for h in headers if h not in STANDARD_COLUMNS and h not in indicators and h != "subject"]
    by_year: dict[int, list[tuple[int, dict[str, str]]]] = {}
    for line, row in national:
        by_year.setdefault(_period(row.get("time_period") or "", line), []).append((line, row))
    result = EesFigures(column=chosen)
    low, high = RANGES.get(statistic, PERCENT)
    for year in sorted(by_year):
        rows = _headline(by_year[year], filters)
        values = {(row.get(chosen) or "").strip() for _, row in rows}
        if len(values) > 1:
            raise ApplicationError(
                f"The file has {len(rows)} different national figures for {year}/{(year + 1) % 100:02d} "
                f"in {chosen} (rows {', '.join(str(line) for line, _ in rows[:5])}): filter it to one row per year.",
                field="file",
            )
        line, row = rows[0]
        value = values.pop()
        if not _is_number(value):
            result.notes.append(f"{year}/{(year + 1) % 100:02d}: no figure published (“{value or 'blank'}”).")
            continue
        number = Decimal(value).quantize(Decimal("0.01"))
        if not low <= number <= high:
            raise ApplicationError(
                f"Row {line}, {chosen}: {value} is not between {low} and {high}. Check that this column holds "
                "the figure you chose.",
                field="file",
            )
        result.figures.append(Found(year, number, (row.get("version") or "").strip()))
    return result
