"""`result_import`: the one service behind the `import_results` command and the upload page.

Validate first, write second. A file with any problem writes no pupil, year or result row; only a
`ResultImport` log row (status rejected, with the problems) records that it was tried, and
`ImportRejectedError` (an ApplicationError) carries the report to the caller. A good file is upserted in
one transaction: pupils by (school, UPN), their years by (pupil, academic year) and results by
(pupil, academic year, measure) and in-year teacher assessments by (pupil, academic year, term,
subject), with met_expected / met_higher from `outcomes/rules.py` and KS2 RWM
derived whenever reading, writing and maths are all known. Importing the same file twice changes
nothing the second time; a corrected file updates the rows it corrects, in place.

The report says, besides the counts, what happens to each pupil (`PupilChange`, for the preview's
pupil list; pupil-level, so never written to the log row), how the file was read (`notes`) and what
looks wrong without being a problem (`warnings`: a year group far smaller than the year before).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.utils import timezone

from partnership.core import audit, memo, uploads
from partnership.core.errors import ApplicationError
from partnership.outcomes import rules
from partnership.outcomes.imports.common import (
    RWM_PARTS,
    ParsedImport,
    Problem,
    PupilYearRecord,
    ResultRecord,
    year_text,
)
from partnership.outcomes.imports.parse import detect_format, parse_results
from partnership.outcomes.models import (
    FIGURES_GENERATION,
    Measure,
    Pupil,
    PupilYear,
    Result,
    ResultImport,
    TeacherAssessment,
)
from partnership.outcomes.tables import year_group_label

ACTOR_LABEL = "import_results"
BATCH = 500
PUPIL_FIELDS = ["surname", "forename", "date_of_birth", "sex"]
YEAR_FIELDS = ["year_group", "disadvantaged", "sen_provision", "eal"]
RESULT_FIELDS = ["score", "grade", "code", "detail", "met_expected", "met_higher"]
ASSESSMENT_FIELDS = ["judgement"]
LOGGED_PROBLEMS = 200  # problems kept in the ResultImport log row

T = TypeVar("T")


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    @property
    def changed(self) -> int:
        return self.new + self.updated

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


FIELD_WORDS = {
    "surname": "surname",
    "forename": "forename",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "year_group": "year group",
    "disadvantaged": "disadvantaged",
    "sen_provision": "SEN",
    "eal": "EAL",
}
# A year group looks like a partial cohort when the file has fewer than this share of the pupils the
# school had in that year group the year before, and at least this many fewer.
PARTIAL_COHORT_SHARE = 0.75
PARTIAL_COHORT_GAP = 5


@dataclass
class PupilChange:
    """What an import does to one pupil, for the preview's pupil list (pupil-level: never logged)."""

    upn: str
    name: str
    academic_year: int
    year_group: int
    year_group_from_birth: bool = False
    status: str = "unchanged"  # new, updated or unchanged
    changed: list[str] = field(default_factory=list)  # "surname", "year group in 2024/25"...
    results_added: list[str] = field(default_factory=list)  # measure labels
    results_changed: list[str] = field(default_factory=list)

    @property
    def year(self) -> str:
        return year_text(self.academic_year)


@dataclass
class ImportReport:
    filename: str
    sha256: str
    file_format: str
    dry_run: bool = False
    status: str = ResultImport.Status.PREVIEWED
    pupils: Counts = field(default_factory=Counts)
    results: Counts = field(default_factory=Counts)
    results_by: dict[tuple[str, int], Counts] = field(default_factory=dict)
    assessments: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    skipped: list[Problem] = field(default_factory=list)
    skip_count: int = 0
    source: dict[str, str] = field(default_factory=dict)
    import_id: int | None = None
    # How the file was read (a year group from the date of birth...) and what looks wrong with it
    # without being a problem (a partial cohort): shown on the preview and printed by the command.
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The academic years the file is about (not the earlier years of its older results), latest first.
    academic_years: list[int] = field(default_factory=list)
    pupil_changes: list[PupilChange] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.status == ResultImport.Status.REJECTED

    def summary(self) -> str:
        """The command's last line, in a fixed form that scripts read: always "pupils", "results"."""
        return f"imported {self.pupils.changed} pupils, {self.results.changed} results, {self.skip_count} skipped"

    @property
    def headline(self) -> str:
        """The same, for people: "imported 1 pupil, 3 results, 0 skipped"."""
        pupils, results = self.pupils.changed, self.results.changed
        return (
            f"imported {pupils} pupil{pluralize(pupils)}, {results} result{pluralize(results)}, "
            f"{self.skip_count} skipped"
        )

    def details(self) -> str:
        p, r, a = self.pupils, self.results, self.assessments
        text = (
            f"pupils: {p.new} new, {p.updated} updated, {p.unchanged} unchanged; "
            f"results: {r.new} new, {r.updated} updated, {r.unchanged} unchanged"
        )
        if a.total:  # only files with in-year assessment columns filled in
            text += f"; assessments: {a.new} new, {a.updated} updated, {a.unchanged} unchanged"
        return text

    def in_words(self) -> list[str]:
        """What the import did, sentence by sentence, for the finish page."""
        p, r, a = self.pupils, self.results, self.assessments
        sentences = [
            f"{_count(p.new, 'new pupil')} added, {_count(p.updated, 'pupil')} updated and "
            f"{_count(p.unchanged, 'pupil')} already up to date."
        ]
        if r.total:
            sentences.append(
                f"{_count(r.new, 'result')} added, {r.updated} changed and {r.unchanged} already the same."
            )
        rows = self.measure_rows()
        for year in sorted({y for _, y in self.results_by}, reverse=True):
            parts = [
                f"{row['measure']}: {_changes_text(row['new'], row['updated'])}"
                for row in rows
                if row["year"] == year_text(year) and row["new"] + row["updated"]
            ]
            if parts:
                sentences.append(f"For {year_text(year)}, {'; '.join(parts)}.")
        if a.total:
            sentences.append(f"In-year teacher assessments: {a.new} added, {a.updated} changed.")
        if self.skip_count:
            sentences.append(f"{_count(self.skip_count, 'part')} of the file skipped, as listed below.")
        return sentences

    def measure_rows(self) -> list[dict[str, Any]]:
        """One row per measure and year, in the order of the Measure choices, for the preview table."""
        order = {m.value: i for i, m in enumerate(Measure)}
        return [
            {
                "measure": Measure(measure).label,
                "year": year_text(year),
                "new": c.new,
                "updated": c.updated,
                "unchanged": c.unchanged,
            }
            for (measure, year), c in sorted(self.results_by.items(), key=lambda kv: (kv[0][1], order[kv[0][0]]))
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "pupils": vars(self.pupils),
            "results": vars(self.results),
            "assessments": vars(self.assessments),
            "by_measure": [
                {"measure": m, "academic_year": y, **vars(c)} for (m, y), c in sorted(self.results_by.items())
            ],
            "skipped": self.skip_count,
            "problems": self.problem_count,
            "problem_list": [list(p) for p in self.problems[:LOGGED_PROBLEMS]],
            "source": self.source,
            "notes": self.notes,
            "warnings": self.warnings,
        }


class ImportRejectedError(ApplicationError):
    """The file was not imported; `report.problems` says why, row by row."""

    def __init__(self, report: ImportReport) -> None:
        n = report.problem_count
        if n == 1 and report.problems and report.problems[0].where == "file":
            message = report.problems[0].reason
        else:
            message = f"The file was not imported: {n} problem{'s' if n != 1 else ''} to correct first."
        super().__init__(message, field="file")
        self.report = report


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _changes_text(new: int, updated: int) -> str:
    return ", ".join(x for x in (f"{new} added" if new else "", f"{updated} changed" if updated else "") if x)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def result_import(
    *,
    school: Any,
    data: bytes,
    filename: str,
    actor: Any = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ImportReport:
    """Check a CSV or CTF file and, unless `dry_run` or the file has problems, save it for `school`.

    Raises ImportRejectedError (an ApplicationError) when nothing can be imported. Not itself atomic, so
    that the log row of a rejected file survives the rejection; the writes are in `_save`, which is.
    """
    report = ImportReport(
        filename=uploads.safe_name(filename, default="results"), sha256=sha256_of(data), file_format="", dry_run=dry_run
    )
    try:
        report.file_format = detect_format(data[:4096])
        parsed = parse_results(data, school=school, today=today)
    except ApplicationError as exc:
        report.problems = [Problem("file", exc.field or "file", exc.message)]
        report.problem_count = 1
        _reject(school=school, actor=actor, report=report)
        raise ImportRejectedError(report) from exc
    report.file_format = parsed.file_format
    report.skipped, report.skip_count, report.source = parsed.skipped, parsed.skip_count, parsed.source
    report.notes = list(parsed.notes)
    report.academic_years = sorted({y for (_, y), r in parsed.years.items() if not r.only_if_missing}, reverse=True)
    if not parsed.ok:
        report.problems, report.problem_count = parsed.problems, parsed.problem_count
        _reject(school=school, actor=actor, report=report)
        raise ImportRejectedError(report)
    return _save(school=school, parsed=parsed, actor=actor, report=report)


def _reject(*, school: Any, actor: Any, report: ImportReport) -> None:
    report.status = ResultImport.Status.REJECTED
    log = _log_row(school=school, actor=actor, report=report)
    log.save()
    report.import_id = log.pk


def _log_row(*, school: Any, actor: Any, report: ImportReport) -> ResultImport:
    log = ResultImport(
        school=school,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        filename=report.filename,
        sha256=report.sha256,
        file_format=report.file_format or "unknown",
        status=report.status,
        summary=report.as_json(),
    )
    log.full_clean(exclude=["school", "uploaded_by"])
    return log


def _chunks(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _differs(obj: Any, values: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _clean(obj: Any) -> None:
    # Values are already checked by the parser; full_clean guards the model's own rules. The
    # uniqueness and foreign-key checks would cost a query per row and are settled by the upsert.
    # met_expected / met_higher come from rules.met(), where None means "does not apply" (the model
    # fields allow null but not blank, so full_clean would refuse the None it means to hold).
    exclude = ["school", "pupil", "met_expected", "met_higher"]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@transaction.atomic
def _save(*, school: Any, parsed: ParsedImport, actor: Any, report: ImportReport) -> ImportReport:
    now = timezone.now()
    upns = list(parsed.pupils)
    existing: dict[str, Pupil] = {}
    for chunk in _chunks(upns):
        query = Pupil.objects.filter(school=school, upn__in=chunk)
        if not report.dry_run:
            query = query.select_for_update()
        existing.update({p.upn: p for p in query})
    upn_of = {p.pk: upn for upn, p in existing.items()}
    years = sorted({year for _, year in parsed.years})

    # Pupils.
    pupils: dict[str, Pupil] = {}
    new_pupils: list[Pupil] = []
    changed_pupils: list[Pupil] = []
    pupil_changed: set[str] = set()
    pupil_fields_changed: dict[str, list[str]] = {}
    for upn, record in parsed.pupils.items():
        values = {name: getattr(record, name) for name in PUPIL_FIELDS}
        pupil = existing.get(upn)
        if pupil is None:
            pupil = Pupil(school=school, upn=upn, created_at=now, updated_at=now, **values)
            _clean(pupil)
            new_pupils.append(pupil)
        elif _differs(pupil, values):
            differing_fields = [name for name, value in values.items() if getattr(pupil, name) != value]
            for name, value in values.items():
                setattr(pupil, name, value)
            pupil.updated_at = now
            _clean(pupil)
            changed_pupils.append(pupil)
            pupil_changed.add(upn)
            pupil_fields_changed[upn] = differing_fields
        pupils[upn] = pupil

    # Their years.
    existing_years: dict[tuple[str, int], PupilYear] = {}
    existing_results: dict[tuple[str, int, str], Result] = {}
    existing_assessments: dict[tuple[str, int, str, str], TeacherAssessment] = {}
    for ids in _chunks(list(upn_of)):
        for py in PupilYear.objects.filter(pupil_id__in=ids, academic_year__in=years):
            existing_years[(upn_of[py.pupil_id], py.academic_year)] = py
        for stored in Result.objects.filter(pupil_id__in=ids, academic_year__in=years):
            existing_results[(upn_of[stored.pupil_id], stored.academic_year, stored.measure)] = stored
        if parsed.assessments:
            for ta in TeacherAssessment.objects.filter(pupil_id__in=ids, academic_year__in=years):
                existing_assessments[(upn_of[ta.pupil_id], ta.academic_year, ta.subject, ta.term)] = ta
    changes = _pupil_changes(parsed)
    new_years: list[PupilYear] = []
    changed_years: list[PupilYear] = []
    for (upn, year), year_record in parsed.years.items():
        values = {name: getattr(year_record, name) for name in YEAR_FIELDS}
        pupil_year = existing_years.get((upn, year))
        if pupil_year is None:
            pupil_year = PupilYear(pupil=pupils[upn], academic_year=year, **values)
            _clean(pupil_year)
            new_years.append(pupil_year)
            if upn in existing:
                pupil_changed.add(upn)
                changes[upn].changed.append(f"new year {year_text(year)}")
            continue
        if year_record.only_if_missing:
            continue
        values = {name: value for name, value in values.items() if name not in year_record.keep}
        differing = [name for name, value in values.items() if getattr(pupil_year, name) != value]
        if differing:
            for name, value in values.items():
                setattr(pupil_year, name, value)
            _clean(pupil_year)
            changed_years.append(pupil_year)
            pupil_changed.add(upn)
            changes[upn].changed.extend(f"{FIELD_WORDS[name]} in {year_text(year)}" for name in differing)
        if year == changes[upn].academic_year and "year_group" in year_record.keep:
            changes[upn].year_group = pupil_year.year_group  # the school's own, which is kept
            changes[upn].year_group_from_birth = False

    # Results, then RWM from the results as they will stand after this import.
    wanted: dict[tuple[str, int, str], dict[str, Any]] = {}
    for key, result_record in parsed.results.items():
        wanted[key] = _result_values(result_record)
    for upn, year in {(upn, year) for (upn, year, measure) in parsed.results if measure in RWM_PARTS}:
        combined = _rwm(upn, year, wanted, existing_results)
        if combined is not None:
            wanted[(upn, year, Measure.KS2_RWM)] = combined
    new_results: list[Result] = []
    changed_results: list[Result] = []
    for (upn, year, measure), values in wanted.items():
        counts = report.results_by.setdefault((measure, year), Counts())
        found = existing_results.get((upn, year, measure))
        if found is None:
            result = Result(pupil=pupils[upn], academic_year=year, measure=measure, **values)
            _clean(result)
            new_results.append(result)
            kind = "new"
        elif _differs(found, values):
            for name, value in values.items():
                setattr(found, name, value)
            _clean(found)
            changed_results.append(found)
            kind = "updated"
        else:
            kind = "unchanged"
        counts.add(kind)
        report.results.add(kind)
        label = Measure(measure).label
        if year != changes[upn].academic_year:
            label = f"{label} {year_text(year)}"
        if kind == "new":
            changes[upn].results_added.append(label)
        elif kind == "updated":
            changes[upn].results_changed.append(label)

    # In-year teacher assessments: only those the file has; a blank cell leaves a stored one alone.
    new_assessments: list[TeacherAssessment] = []
    changed_assessments: list[TeacherAssessment] = []
    for (upn, year, subject, term), assessment_record in parsed.assessments.items():
        found_assessment = existing_assessments.get((upn, year, subject, term))
        if found_assessment is None:
            assessment = TeacherAssessment(
                pupil=pupils[upn],
                academic_year=year,
                subject=subject,
                term=term,
                judgement=assessment_record.judgement,
            )
            _clean(assessment)
            new_assessments.append(assessment)
            report.assessments.add("new")
            changes[upn].results_added.append(_assessment_label(subject, term, year, changes[upn]))
        elif found_assessment.judgement != assessment_record.judgement:
            found_assessment.judgement = assessment_record.judgement
            _clean(found_assessment)
            changed_assessments.append(found_assessment)
            report.assessments.add("updated")
            changes[upn].results_changed.append(_assessment_label(subject, term, year, changes[upn]))
        else:
            report.assessments.add("unchanged")

    for upn in parsed.pupils:
        status = "new" if upn not in existing else "updated" if upn in pupil_changed else "unchanged"
        report.pupils.add(status)
        changes[upn].status = status
        changes[upn].changed[:0] = [FIELD_WORDS[name] for name in pupil_fields_changed.get(upn, [])]
    report.pupil_changes = sorted(
        changes.values(), key=lambda c: (c.academic_year, c.year_group, c.name.casefold(), c.upn)
    )
    report.warnings = partial_cohort_warnings(school, parsed)

    report.status = ResultImport.Status.PREVIEWED if report.dry_run else ResultImport.Status.IMPORTED
    log = _log_row(school=school, actor=actor, report=report)
    log.save()
    report.import_id = log.pk
    if report.dry_run:
        return report

    Pupil.objects.bulk_create(new_pupils, batch_size=BATCH)
    Pupil.objects.bulk_update(changed_pupils, [*PUPIL_FIELDS, "updated_at"], batch_size=BATCH)
    PupilYear.objects.bulk_create(new_years, batch_size=BATCH)
    PupilYear.objects.bulk_update(changed_years, YEAR_FIELDS, batch_size=BATCH)
    Result.objects.bulk_create(new_results, batch_size=BATCH)
    Result.objects.bulk_update(changed_results, RESULT_FIELDS, batch_size=BATCH)
    TeacherAssessment.objects.bulk_create(new_assessments, batch_size=BATCH)
    TeacherAssessment.objects.bulk_update(changed_assessments, ASSESSMENT_FIELDS, batch_size=BATCH)
    memo.bump(FIGURES_GENERATION)  # every cached figure of the school's partnerships is now out of date
    audit.record(
        actor,
        "import",
        log,
        detail={
            "filename": report.filename,
            "format": report.file_format,
            "pupils": vars(report.pupils),
            "results": vars(report.results),
            "assessments": vars(report.assessments),
            "skipped": report.skip_count,
        },
        actor_label="" if getattr(actor, "is_authenticated", False) else ACTOR_LABEL,
    )
    return report


def _assessment_label(subject: str, term: str, year: int, change: PupilChange) -> str:
    """'Reading assessment (autumn)', with the year when it is not the one the pupil's row is about."""
    label = f"{TeacherAssessment.Subject(subject).label} assessment ({term})"
    return label if year == change.academic_year else f"{label} {year_text(year)}"


def _pupil_changes(parsed: ParsedImport) -> dict[str, PupilChange]:
    """One PupilChange per pupil in the file, at the latest academic year the file is about for them."""
    latest: dict[str, PupilYearRecord] = {}
    for (upn, year), record in parsed.years.items():
        current = latest.get(upn)
        if current is None or (current.only_if_missing, -current.academic_year) > (record.only_if_missing, -year):
            latest[upn] = record
    changes = {}
    for upn, pupil in parsed.pupils.items():
        record = latest[upn]
        changes[upn] = PupilChange(
            upn=upn,
            name=f"{pupil.forename} {pupil.surname}",
            academic_year=record.academic_year,
            year_group=record.year_group,
            year_group_from_birth=record.year_group_from_birth,
        )
    return changes


def partial_cohort_warnings(school: Any, parsed: ParsedImport) -> list[str]:
    """A warning for each year group of the file with far fewer pupils than the school had in that year
    group the year before (PARTIAL_COHORT_SHARE, PARTIAL_COHORT_GAP): an export of part of a class,
    or a filter left on in the MIS, looks like a whole cohort that did badly. One query."""
    in_file = Counter(
        (record.academic_year, record.year_group) for record in parsed.years.values() if not record.only_if_missing
    )
    if not in_file:
        return []
    last_years = {year - 1 for year, _ in in_file}
    before = {
        (row["academic_year"], row["year_group"]): row["n"]
        for row in PupilYear.objects.filter(pupil__school=school, academic_year__in=last_years)
        .order_by()
        .values("academic_year", "year_group")
        .annotate(n=Count("pk"))
    }
    warnings = []
    for (year, year_group), n in sorted(in_file.items()):
        had = before.get((year - 1, year_group), 0)
        if n < had * PARTIAL_COHORT_SHARE and had - n >= PARTIAL_COHORT_GAP:
            group = year_group_label(year_group)
            warnings.append(
                f"{group} in {year_text(year)}: the file has {_count(n, 'pupil')}, but the school had {had} in "
                f"{group} in {year_text(year - 1)}. This may be part of the year group only (a class, or a filter "
                "left on in the MIS export); if so, export the whole year group before importing."
            )
    return warnings


def _result_values(record: ResultRecord) -> dict[str, Any]:
    met_expected, met_higher = rules.met(record.measure, score=record.score, grade=record.grade, code=record.code)
    return {
        "score": record.score,
        "grade": record.grade,
        "code": record.code,
        "detail": record.detail,
        "met_expected": met_expected,
        "met_higher": met_higher,
    }


def _rwm(
    upn: str,
    year: int,
    wanted: dict[tuple[str, int, str], dict[str, Any]],
    existing: dict[tuple[str, int, str], Result],
) -> dict[str, Any] | None:
    parts: list[dict[str, Any]] = []
    for measure in RWM_PARTS:
        values = wanted.get((upn, year, measure))
        if values is None and (upn, year, measure) in existing:
            stored = existing[(upn, year, measure)]
            values = {"score": stored.score, "grade": stored.grade, "code": stored.code}
        if values is None:
            return None
        parts.append(values)
    reading, writing, maths = parts
    met_expected, met_higher = rules.rwm(
        (reading["score"], reading["code"]), writing["grade"], (maths["score"], maths["code"])
    )
    return {
        "score": None,
        "grade": "",
        "code": "",
        "detail": {},
        "met_expected": met_expected,
        "met_higher": met_higher,
    }


def problems_text(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
