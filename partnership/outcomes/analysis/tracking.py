"""In-year tracking: termly teacher assessments as subject-by-term grids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from partnership.outcomes import stats
from partnership.outcomes.analysis.figures import Viewpoint
from partnership.outcomes.models import TeacherAssessment

# --- in-year tracking ---------------------------------------------------------------------------


@dataclass
class TrackingCell:
    term: str
    subject: str
    expected: stats.Figure
    greater_depth: stats.Figure


def tracking(school: Any, year: int, view: Viewpoint) -> dict[int, list[TrackingCell]]:
    """Termly teacher assessments by year group: % at expected or above and % at greater depth,
    per term and subject (one query)."""
    met = Q(judgement__in=[TeacherAssessment.Judgement.EXPECTED, TeacherAssessment.Judgement.GREATER_DEPTH])
    rows = (
        TeacherAssessment.objects.filter(
            pupil__school_id=school.pk, academic_year=year, pupil__years__academic_year=year
        )
        .values("pupil__years__year_group", "term", "subject")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=met),
            gds=Count("pk", filter=Q(judgement=TeacherAssessment.Judgement.GREATER_DEPTH)),
        )
        .order_by()
    )
    terms = [t.value for t in TeacherAssessment.Term]
    subjects = [s.value for s in TeacherAssessment.Subject]
    by_year: dict[int, list[TrackingCell]] = defaultdict(list)
    for row in sorted(
        rows,
        key=lambda r: (r["pupil__years__year_group"], terms.index(r["term"]), subjects.index(r["subject"])),
    ):

        def fig(successes: int, n: int = row["n"]) -> stats.Figure:
            return stats.figure_for(successes, n, suppressed_below=view.threshold, show_small=view.show_small)

        by_year[row["pupil__years__year_group"]].append(
            TrackingCell(row["term"], row["subject"], fig(row["met"]), fig(row["gds"]))
        )
    return dict(by_year)


TERMS = [(t.value, t.label) for t in TeacherAssessment.Term]


def tracking_grid(cells: Sequence[TrackingCell]) -> list[tuple[str, list[TrackingCell | None]]]:
    """One year group's cells as rows of subjects by columns of terms (None where not assessed)."""
    by_key = {(c.subject, c.term): c for c in cells}
    return [
        (label, [by_key.get((subject, term)) for term, _ in TERMS])
        for subject, label in TeacherAssessment.Subject.choices
        if any((subject, term) in by_key for term, _ in TERMS)
    ]
