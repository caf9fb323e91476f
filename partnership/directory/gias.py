"""Create and update schools from a GIAS ("Get information about schools") CSV extract.

Two steps:

- `parse_gias(data)` is pure: it decodes and reads the file, rejects the whole file (ApplicationError) for
  file-level problems, and checks each row on its own, returning the rows to import, the rows skipped
  (a required value missing or malformed) and warnings (a malformed optional value, such as a website
  that is not a web address: the school is imported without it).
- `gias_import(...)` matches rows to schools on URN and writes creates and updates, with one audit event each.

Rows are numbered as a spreadsheet user counts them: the column headings are row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.directory.models import School

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
ACTOR_LABEL = "import_gias"

# GIAS column -> School field. The first group must be present; the others are read when they are.
REQUIRED_COLUMNS = {
    "URN": "urn",
    "LA (code)": "la_code",
    "EstablishmentNumber": "establishment_number",
    "EstablishmentName": "name",
    "TypeOfEstablishment (name)": "establishment_type",
    "PhaseOfEducation (name)": "phase",
    "Postcode": "postcode",
}
OPTIONAL_COLUMNS = {
    "Street": "street",
    "Locality": "locality",
    "Town": "town",
    "SchoolWebsite": "website",
}
STATUS_COLUMN = "EstablishmentStatus (name)"
FIELD_OF_COLUMN = {**REQUIRED_COLUMNS, **OPTIONAL_COLUMNS}
COLUMN_OF_FIELD = {f: c for c, f in FIELD_OF_COLUMN.items()}

_DIGITS = {"urn": 6, "la_code": 3, "establishment_number": 4}
_MAX_LENGTHS: dict[str, int | None] = {
    name: getattr(School._meta.get_field(name), "max_length", None)
    for name in ["name", "establishment_type", "street", "locality", "town", "postcode", "website"]
}

PHASES = {
    "nursery": School.Phase.NURSERY,
    "primary": School.Phase.PRIMARY,
    "middle deemed primary": School.Phase.MIDDLE,
    "middle deemed secondary": School.Phase.MIDDLE,
    "secondary": School.Phase.SECONDARY,
    "all-through": School.Phase.ALL_THROUGH,
    "all through": School.Phase.ALL_THROUGH,
    "16 plus": School.Phase.OTHER,
    "not applicable": School.Phase.OTHER,
}
_INFANT = re.compile(r"\binfants?\b", re.IGNORECASE)
_JUNIOR = re.compile(r"\bjuniors?\b", re.IGNORECASE)
_FIRST = re.compile(r"\bfirst\b", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"


class SkippedRow(NamedTuple):
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


@dataclass
class GiasRow:
    """One row that passed the file-only checks. `values` holds School fields, trimmed and normalised."""

    row: int
    values: dict[str, str]

    @property
    def urn(self) -> str:
        return self.values["urn"]

    @property
    def laestab(self) -> tuple[str, str]:
        return self.values["la_code"], self.values["establishment_number"]


@dataclass
class ParsedGias:
    rows: list[GiasRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    # Rows imported without a malformed optional value (a website that is not a web address).
    warnings: list[SkippedRow] = field(default_factory=list)


@dataclass
class GiasImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[SkippedRow] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, skipped {len(self.skipped)}"
        )


# ---------------------------------------------------------------------------------------------------------------------
# Pure step: bytes in, rows and skipped rows out.


def map_phase(phase: str, name: str = "", establishment_type: str = "") -> str:
    """GIAS `PhaseOfEducation (name)` -> School.Phase. Primary schools named Infant/Junior/First get that phase."""
    key = " ".join(phase.split()).lower()
    result = PHASES.get(key, School.Phase.OTHER)
    if result == School.Phase.PRIMARY:
        infant, junior = bool(_INFANT.search(name)), bool(_JUNIOR.search(name))
        if infant and not junior:
            result = School.Phase.INFANT
        elif junior and not infant:
            result = School.Phase.JUNIOR
        elif not infant and not junior and _FIRST.search(name):
            result = School.Phase.FIRST
    elif key == "not applicable" and "special" in establishment_type.lower():
        result = School.Phase.SPECIAL
    return str(result)


def _size(n: int) -> str:
    mb = 1024 * 1024
    return f"{n // mb} MB" if n >= mb and n % mb == 0 else f"{n:,} bytes"


def read_upload(file: BinaryIO | bytes) -> bytes:
    """The file's bytes, refusing anything over MAX_BYTES without reading all of it."""
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        data = file.read(MAX_BYTES + 1)
        if not isinstance(data, bytes | bytearray):
            raise ApplicationError("The file could not be read as bytes. Open it in binary mode.")
        data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ApplicationError(f"The file is larger than {_size(MAX_BYTES)}, the most that can be imported.")
    return data


def _decode(data: bytes) -> str:
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApplicationError(
                "The file starts with a UTF-8 marker but is not valid UTF-8. Save it again as 'CSV UTF-8'."
            ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "The file is not UTF-8 or Windows-1252 text, so it cannot be read. Save it as 'CSV UTF-8' and try again."
        ) from exc


def _refuse_non_text(data: bytes) -> None:
    if data.startswith(b"PK\x03\x04"):
        raise ApplicationError("This is an Excel workbook or other zip file, not a CSV. Save it as 'CSV UTF-8'.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError("This is an old-style Excel (.xls) file, not a CSV. Save it as 'CSV UTF-8'.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ApplicationError("This file is UTF-16 text, which cannot be imported. Save it as 'CSV UTF-8'.")
    if data.startswith(b"%PDF"):
        raise ApplicationError("This is a PDF, not a CSV file.")
    if data.count(0) * 10 > len(data):
        raise ApplicationError("This does not look like a CSV file: it contains binary data.")


def _column_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).lower()


def _header_positions(header: list[str]) -> dict[str, int]:
    """GIAS column name -> position, matching case and spacing loosely. Rejects a header that is not GIAS."""
    wanted = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, STATUS_COLUMN]
    by_key = {_column_key(c): c for c in wanted}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = by_key.get(_column_key(cell))
        if column is None:
            continue
        if column in positions:
            raise ApplicationError(f"The column '{column}' appears more than once in the headings.")
        positions[column] = index
    if not positions and len(header) < 2:
        raise ApplicationError(
            "This does not look like a CSV file: the first row should be the GIAS column headings, separated by commas."
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise ApplicationError(f"The file is missing required columns: {', '.join(missing)}.")
    return positions


def _check_row(row: int, cells: dict[str, str]) -> SkippedRow | None:
    """The first problem with one row's cleaned cells (GIAS column -> text) that means the school
    cannot be imported, or None. Optional columns are checked apart (`_optional_values`)."""
    if cells.get(STATUS_COLUMN, "").lower() == "closed":
        return SkippedRow(row, STATUS_COLUMN, "closed")
    for name, digits in _DIGITS.items():
        column = COLUMN_OF_FIELD[name]
        if not re.fullmatch(rf"[0-9]{{{digits}}}", cells[column]):
            return SkippedRow(row, column, f"must be {digits} digits" if cells[column] else "missing")
    if not cells["EstablishmentName"]:
        return SkippedRow(row, "EstablishmentName", "missing")
    for name, limit in _MAX_LENGTHS.items():
        column = COLUMN_OF_FIELD[name]
        if column in OPTIONAL_COLUMNS:
            continue
        if limit is not None and len(cells.get(column, "")) > limit:
            return SkippedRow(row, column, f"longer than {limit} characters")
    return None


def _optional_values(row: int, values: dict[str, str], warnings: list[SkippedRow]) -> None:
    """Drop each malformed optional value (an overlong street, a website that is not a web address)
    from `values`, with a warning: the school is still imported, and a value it already has for
    that field is kept. GIAS extracts carry values in the wrong column now and then."""
    for column, name in OPTIONAL_COLUMNS.items():
        value = values.get(name, "")
        if not value:
            continue
        problem: str | None = None
        if name == "website":
            values[name] = value = _website(value)
            found = _check_website(row, value)
            problem = found.reason if found else None
        else:
            limit = _MAX_LENGTHS.get(name)
            if limit is not None and len(value) > limit:
                problem = f"longer than {limit} characters"
        if problem is not None:
            del values[name]
            warnings.append(SkippedRow(row, column, f"{problem}; the school is imported without it"))


def _website(text: str) -> str:
    if text and not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return f"https://{text}"
    return text


def _check_website(row: int, url: str) -> SkippedRow | None:
    limit = _MAX_LENGTHS["website"] or 200
    if len(url) > limit:
        return SkippedRow(row, "SchoolWebsite", f"longer than {limit} characters")
    try:
        URLValidator()(url)
    except ValidationError:
        return SkippedRow(row, "SchoolWebsite", "not a valid web address")
    return None


def parse_gias(data: bytes) -> ParsedGias:
    """Read a GIAS extract. Raises ApplicationError for a file that cannot be imported at all."""
    if len(data) > MAX_BYTES:
        raise ApplicationError(f"The file is larger than {_size(MAX_BYTES)}, the most that can be imported.")
    if not data.removeprefix(_UTF8_BOM).strip():
        raise ApplicationError("The file is empty.")
    _refuse_non_text(data)
    text = _decode(data).replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed = ParsedGias()
    positions: dict[str, int] = {}
    first_row_of_urn: dict[str, int] = {}
    row = 0
    try:
        for row, record in enumerate(reader, start=1):
            if row == 1:
                positions = _header_positions(record)
                continue
            if row - 1 > MAX_ROWS:
                raise ApplicationError(f"The file has more than {MAX_ROWS:,} rows, the most that can be imported.")
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a school
            cells = {
                column: (record[index].strip() if index < len(record) else "") for column, index in positions.items()
            }
            problem = _check_row(row, cells)
            if problem is None and cells["URN"] in first_row_of_urn:
                first = first_row_of_urn[cells["URN"]]
                problem = SkippedRow(row, "URN", f"appears more than once in the file (first at row {first})")
            values = {name: cells[column] for column, name in FIELD_OF_COLUMN.items() if column in cells}
            if problem is not None:
                parsed.skipped.append(problem)
                continue
            _optional_values(row, values, parsed.warnings)
            values["phase"] = map_phase(values["phase"], values["name"], values["establishment_type"])
            first_row_of_urn[values["urn"]] = row
            parsed.rows.append(GiasRow(row=row, values=values))
    except csv.Error as exc:
        raise ApplicationError(f"This does not look like a CSV file: row {row + 1} could not be read ({exc}).") from exc
    if row < 2:
        raise ApplicationError("The file has column headings but no rows of schools.")
    return parsed


# ---------------------------------------------------------------------------------------------------------------------
# Write step.


def _school_problem(row: int, exc: ValidationError) -> SkippedRow:
    errors = getattr(exc, "message_dict", {"__all__": exc.messages})
    name, messages = next(iter(errors.items()))
    column = COLUMN_OF_FIELD.get(name, "EstablishmentNumber" if name == "__all__" else name)
    return SkippedRow(row, column, " ".join(messages))


def _existing_schools(urns: list[str]) -> dict[str, School]:
    found: dict[str, School] = {}
    for start in range(0, len(urns), 500):
        for school in School.objects.select_for_update().filter(urn__in=urns[start : start + 500]):
            found[school.urn] = school
    return found


@transaction.atomic
def gias_import(*, file: BinaryIO | bytes, actor: Any = None, dry_run: bool = False) -> GiasImportReport:
    """Create and update schools from a GIAS extract, matching on URN. A rejected file saves nothing."""
    parsed = parse_gias(read_upload(file))
    report = GiasImportReport(skipped=list(parsed.skipped), warnings=list(parsed.warnings), dry_run=dry_run)
    existing = _existing_schools([r.urn for r in parsed.rows])
    owner_of_laestab: dict[tuple[str, str], str] = {
        (la, estab): urn for la, estab, urn in School.objects.values_list("la_code", "establishment_number", "urn")
    }
    actor_label = "" if actor is not None else ACTOR_LABEL

    for item in parsed.rows:
        owner = owner_of_laestab.get(item.laestab)
        if owner is not None and owner != item.urn:
            report.skipped.append(
                SkippedRow(
                    item.row, "EstablishmentNumber", f"LAESTAB {''.join(item.laestab)} is already used by URN {owner}"
                )
            )
            continue
        school = existing.get(item.urn)
        if school is None:
            school = School(**item.values)
            try:
                school.full_clean(exclude=["slug"], validate_unique=not dry_run, validate_constraints=not dry_run)
            except ValidationError as exc:
                report.skipped.append(_school_problem(item.row, exc))
                continue
            if not dry_run:
                school.save()
                audit.record(
                    actor,
                    "create",
                    school,
                    detail={"source": "gias", "row": item.row, "urn": school.urn},
                    actor_label=actor_label,
                )
            report.created += 1
        else:
            fields = list(item.values)
            before = audit.snapshot(school, fields)
            diff = audit.changes(before, item.values)
            if not diff:
                report.unchanged += 1
                continue
            for name, value in item.values.items():
                setattr(school, name, value)
            try:
                school.full_clean(validate_unique=not dry_run, validate_constraints=not dry_run)
            except ValidationError as exc:
                for name, value in before.items():
                    setattr(school, name, value)
                report.skipped.append(_school_problem(item.row, exc))
                continue
            if not dry_run:
                school.save()
                audit.record(
                    actor,
                    "update",
                    school,
                    detail={"source": "gias", "row": item.row, "changes": diff},
                    actor_label=actor_label,
                )
            report.updated += 1
            previous = (before["la_code"], before["establishment_number"])
            if owner_of_laestab.get(previous) == item.urn:
                del owner_of_laestab[previous]
        owner_of_laestab[item.laestab] = item.urn

    report.skipped.sort(key=lambda s: s.row)
    skipped_rows = {s.row for s in report.skipped}
    report.warnings = [w for w in report.warnings if w.row not in skipped_rows]  # only schools imported
    return report


__all__ = ["GiasImportReport", "SkippedRow", "gias_import", "map_phase", "parse_gias", "MAX_BYTES", "MAX_ROWS"]
