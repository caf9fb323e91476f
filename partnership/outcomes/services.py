"""What changes outcomes data: importing results (the import service, `imports.result_import`),
holding a previewed file until its importer confirms it, and loading national figures.

Between preview and import the uploaded file waits in the cache (Redis in production, shared by
every web worker), under a key made of the user, the school and the file's SHA-256, for an hour at
most; it is deleted once imported. Not in the session: a session is loaded on every request, and a
20 MB file would weigh on each of them; not on disk: pupil data should not outlive the upload in
files. The key holds the user's id, so nobody else can import a file someone previewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction

from partnership.core import access, audit, memo, uploads
from partnership.core.errors import ApplicationError
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.outcomes.imports import ImportRejectedError, ImportReport, ees, result_import
from partnership.outcomes.imports.service import PupilChange, sha256_of
from partnership.outcomes.models import FIGURES_GENERATION, Measure, NationalFigure

PENDING_SECONDS = 60 * 60

__all__ = [
    "PENDING_SECONDS",
    "ImportRejectedError",
    "ImportReport",
    "NationalChange",
    "NationalLoad",
    "PupilChange",
    "discard_pending",
    "figures_changed",
    "load_national_figures_file",
    "record_national_figure",
    "hold_pending",
    "result_import",
    "take_pending",
]


def _pending_key(user_id: Any, school_id: Any, sha256: str) -> str:
    return f"outcomes-import:{user_id}:{school_id}:{sha256}"


def hold_pending(*, user: Any, school: Any, filename: str, data: bytes, sha256: str) -> None:
    """Keep a previewed file for `user` to import into `school` within the hour."""
    cache.set(_pending_key(user.pk, school.pk, sha256), (filename, data), PENDING_SECONDS)


def take_pending(*, user: Any, school: Any, sha256: str) -> tuple[str, bytes] | None:
    """The file `user` previewed for `school` with this SHA-256, or None when it is gone or forged."""
    if len(sha256) != 64:
        return None
    pending = cache.get(_pending_key(user.pk, school.pk, sha256))
    if pending is None or sha256_of(pending[1]) != sha256:
        return None
    return pending[0], pending[1]


def discard_pending(*, user: Any, school: Any, sha256: str) -> None:
    cache.delete(_pending_key(user.pk, school.pk, sha256))


def figures_changed() -> None:
    """Results, pupils' groups, national figures or a school changed: recompute cached figures."""
    memo.bump(FIGURES_GENERATION)


# --- national figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalChange:
    """One national figure as a load left it: `previous` is None for a new figure."""

    measure: str
    academic_year: int
    statistic: str
    value: Decimal
    previous: Decimal | None

    @property
    def changed(self) -> bool:
        return self.previous != self.value

    @property
    def label(self) -> str:
        return f"{Measure(self.measure).label}, {NationalFigure.Statistic(self.statistic).label}"


@dataclass
class NationalLoad:
    changes: list[NationalChange]
    notes: list[str]
    column: str = ""


def _check_loader(actor: Any) -> None:
    if not access.may(actor, "load", NationalFigure):
        raise ApplicationError("Only partnership coordinators and platform administrators can load national figures.")


def _check_figure(measure: str, statistic: str, academic_year: int) -> None:
    if measure not in Measure.values:
        raise ApplicationError("Choose a measure from the list.", field="measure")
    if statistic not in NationalFigure.Statistic.values:
        raise ApplicationError("Choose a statistic from the list.", field="statistic")
    if not 2000 <= academic_year <= current_academic_year():
        raise ApplicationError(
            "National figures can only be added for years that have happened.", field="academic_year"
        )


def _save_figure(
    *, actor: Any, measure: str, academic_year: int, statistic: str, value: Decimal, source: str
) -> NationalChange:
    figure = (
        NationalFigure.objects.select_for_update()
        .filter(measure=measure, academic_year=academic_year, statistic=statistic)
        .first()
    )
    previous = figure.value if figure is not None else None
    if figure is None:
        figure = NationalFigure(measure=measure, academic_year=academic_year, statistic=statistic)
    elif figure.value == value and figure.source == source:
        return NationalChange(measure, academic_year, statistic, value, previous)
    figure.value, figure.source, figure.added_by = value, source[:300], actor
    figure.full_clean()
    figure.save()
    audit.record(
        actor,
        "create" if previous is None else "update",
        figure,
        detail={"value": str(value), "previous": None if previous is None else str(previous), "source": source[:300]},
    )
    return NationalChange(measure, academic_year, statistic, value, previous)


@transaction.atomic
def record_national_figure(
    *, actor: Any, measure: str, academic_year: int, statistic: str, value: Decimal, source: str
) -> NationalChange:
    """Add or correct one national figure for England, naming where it was published."""
    _check_loader(actor)
    _check_figure(measure, statistic, academic_year)
    source = source.strip()
    if not source:
        raise ApplicationError("Enter where the figure was published.", field="source")
    low, high = ees.RANGES.get(statistic, ees.PERCENT)
    if not low <= value <= high:
        raise ApplicationError(f"Enter a figure between {low} and {high}.", field="value")
    change = _save_figure(
        actor=actor, measure=measure, academic_year=academic_year, statistic=statistic, value=value, source=source
    )
    figures_changed()
    return change


@transaction.atomic
def load_national_figures_file(
    *, actor: Any, data: bytes, filename: str, measure: str, statistic: str, column: str = ""
) -> NationalLoad:
    """Load one measure's national figures, every year the file has, from an explore-education-
    statistics CSV. All or nothing: a file that cannot be read saves no figure."""
    _check_loader(actor)
    if measure not in Measure.values:
        raise ApplicationError("Choose a measure from the list.", field="measure")
    if statistic not in NationalFigure.Statistic.values:
        raise ApplicationError("Choose a statistic from the list.", field="statistic")
    found = ees.parse_ees(data, measure=measure, statistic=statistic, column=column)
    if not found.figures:
        raise ApplicationError("The file has no national figure to load for this measure.", field="file")
    name = uploads.safe_name(filename, default="data.csv")
    latest = current_academic_year()
    changes, notes = [], list(found.notes)
    for each in found.figures:
        if each.academic_year > latest:
            notes.append(f"{academic_year_label(each.academic_year)}: not loaded, that year has not happened.")
            continue
        version = f", {each.version.lower()}" if each.version else ""
        source = f"explore-education-statistics: {name} ({found.column}{version})"
        changes.append(
            _save_figure(
                actor=actor,
                measure=measure,
                academic_year=each.academic_year,
                statistic=statistic,
                value=each.value,
                source=source,
            )
        )
    figures_changed()
    return NationalLoad(changes, notes, found.column)
