"""Agreement between teachers' and moderators' judgements, by school, year group or subject, year by
year: exact agreement and Cohen's kappa (`agreement.py`), from every moderator judgement in the
partnership's sessions. Only figures leave here, never a sample.

Who sees which names: a partnership's coordinators and advisers see every school named; a school's
staff see their own school named and the rest together as "Other schools". One query per page,
however many schools, sessions or judgements.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from partnership.core import access
from partnership.core.schoolyear import academic_year_label
from partnership.directory.models import Partnership, School
from partnership.moderation.agreement import GroupAgreement, agreement_summary, describe_kappa
from partnership.moderation.models import ModeratorJudgement
from partnership.moderation.scales import JUDGEMENT_CODES, SUBJECT_LABELS, YEAR_GROUP_LABELS, YEAR_ORDER

BY = {"school": "School", "year_group": "Year group", "subject": "Subject"}
OTHER_SCHOOLS = "Other schools"


@dataclass(frozen=True)
class Cell:
    n: int
    exact: float
    kappa: float
    generous: float
    harsh: float
    too_few: bool

    @property
    def words(self) -> str:
        return describe_kappa(None if self.too_few else self.kappa)


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Cell | None]  # one per year, None where there were no judgements
    is_own: bool = False


def names_schools(user: Any, partnership: Partnership) -> bool:
    principal = access.principal_for(user)
    return principal.is_admin or partnership.pk in principal.coordinates or partnership.pk in principal.advises


def _cell(group: GroupAgreement) -> Cell:
    return Cell(group.n, group.exact, group.kappa, group.generous, group.harsh, group.too_few)


def _rows(qs: Any) -> list[tuple[Any, ...]]:
    return list(
        qs.values_list(
            "sample__school_id",
            "sample__school__name",
            "sample__session__year_group",
            "sample__session__subject",
            "sample__session__academic_year",
            "sample__teacher_judgement",
            "judgement",
        )
    )


def _table(rows: list[tuple[Any, ...]], by: str, label_of: Any) -> dict[str, Any]:
    """Lines (one per group, plus "All") x years from (key, year, teacher, moderator) rows."""
    years = sorted({r[1] for r in rows})
    groups = agreement_summary(rows, ("key", "year"), labels=list(JUDGEMENT_CODES))
    overall = agreement_summary(
        [("All", r[1], r[2], r[3]) for r in rows], ("key", "year"), labels=list(JUDGEMENT_CODES)
    )
    found: dict[Hashable, dict[int, Cell]] = {}
    for group in groups + overall:
        found.setdefault(group.keys["key"], {})[int(group.keys["year"])] = _cell(group)  # type: ignore[call-overload]
    keys = [k for k in found if k != "All"]
    keys.sort(key=lambda k: (YEAR_ORDER.get(str(k), 99) if by == "year_group" else 0, str(label_of(k))))
    lines = [Line(str(label_of(k)), [found[k].get(y) for y in years]) for k in keys]
    if rows:
        lines.append(Line("All samples", [found["All"].get(y) for y in years]))
    return {"years": [academic_year_label(y) for y in years], "year_keys": years, "lines": lines}


def partnership_agreement(user: Any, partnership: Partnership, by: str = "school") -> dict[str, Any]:
    """The partnership's agreement table by `by` (school, year_group or subject), one column a year."""
    if by not in BY:
        by = "school"
    named = names_schools(user, partnership)
    own = access.principal_for(user).school_id
    rows = _rows(ModeratorJudgement.objects.filter(sample__session__partnership=partnership))
    keyed = []
    for school_id, school_name, year_group, subject, year, teacher, moderator in rows:
        if by == "school":
            key = school_name if named or school_id == own else OTHER_SCHOOLS
        elif by == "year_group":
            key = year_group
        else:
            key = subject
        keyed.append((key, year, teacher, moderator))
    labels = {"year_group": YEAR_GROUP_LABELS, "subject": SUBJECT_LABELS}.get(by, {})
    table = _table(keyed, by, lambda k: labels.get(k, k))
    if by == "school":
        own_name = next((r[1] for r in rows if r[0] == own), None)
        table["lines"] = [Line(line.label, line.cells, is_own=line.label == own_name) for line in table["lines"]]
        # "Other schools" after the named ones, before "All samples"
        table["lines"].sort(key=lambda line: (line.label == "All samples", line.label == OTHER_SCHOOLS))
    return {"by": by, "by_label": BY[by], "named": named, "count": len(rows), **table}


def school_agreement(school: School, by: str = "year_group") -> dict[str, Any]:
    """One school's agreement by year group or subject, year by year (for its staff and coordinators)."""
    if by not in ("year_group", "subject"):
        by = "year_group"
    rows = _rows(ModeratorJudgement.objects.filter(sample__school=school))
    index = 2 if by == "year_group" else 3
    keyed = [(r[index], r[4], r[5], r[6]) for r in rows]
    labels = YEAR_GROUP_LABELS if by == "year_group" else SUBJECT_LABELS
    return {"by": by, "by_label": BY[by], "count": len(rows), **_table(keyed, by, lambda k: labels.get(k, k))}


def chart_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    """Exact agreement (%) by line and year, for `core.charts.trend_lines` (groups too small left out)."""
    return [
        {
            "series": line.label,
            "year": year,
            "value": None if cell is None or cell.too_few else round(cell.exact * 100, 1),
        }
        for line in table["lines"]
        for year, cell in zip(table["year_keys"], line.cells, strict=True)
    ]
