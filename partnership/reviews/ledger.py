"""The read side across reviews: calibration (a school's self-grades against its peers' grades) and
the reciprocity ledger (who reviewed whom; review days given and received).

Calibration compares like with like only: a SEF and a review on the same framework (the same
version), area by area. On a graded area the difference is peer rank minus self rank (rank 1 is the
best): above 0 the school rated itself better than its peers did (over-estimation), 0 is agreement,
below 0 under-estimation. On a met / not met area, "met" against "not met" is a difference of one.
Each function runs a fixed number of queries, however many schools and cycles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from partnership.core import access, charts
from partnership.directory.models import Membership, School
from partnership.reviews.models import (
    AreaJudgement,
    Review,
    ReviewReport,
    SefEntry,
    SelfEvaluation,
    Sharing,
    TeamMember,
)

OVER = "over"
AGREE = "agree"
UNDER = "under"
VERDICTS = {OVER: "Over-estimated", AGREE: "Agreed", UNDER: "Under-estimated"}
NOT_COMPARABLE = "not comparable"
AGREED_STAGES = [Review.Stage.FINDINGS, Review.Stage.REPORTED, Review.Stage.IMPACT]


@dataclass(frozen=True)
class AreaComparison:
    area: str
    self_grade: str
    peer_grade: str
    difference: int
    verdict: str

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]


@dataclass
class CycleCalibration:
    """One school's self-evaluation against one review."""

    school: str
    cycle: str
    year: int
    year_label: str
    framework: str
    comparable: bool
    reason: str = ""
    areas: list[AreaComparison] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for a in self.areas if a.verdict == verdict)

    @property
    def over(self) -> int:
        return self.count(OVER)

    @property
    def agree(self) -> int:
        return self.count(AGREE)

    @property
    def under(self) -> int:
        return self.count(UNDER)


def verdict_of(difference: int) -> str:
    return OVER if difference > 0 else UNDER if difference < 0 else AGREE


def _met_label(met: bool | None) -> str:
    return {True: "Met", False: "Not met"}.get(met, "") if met is not None else ""


def _compare(entry: SefEntry | None, judgement: AreaJudgement) -> AreaComparison | None:
    area = judgement.area
    if entry is None:
        return None
    if area.met_or_not:
        if entry.met is None or judgement.met is None:
            return None
        difference = int(not judgement.met) - int(not entry.met)  # not met ranks below met
        return AreaComparison(
            area.name, _met_label(entry.met), _met_label(judgement.met), difference, verdict_of(difference)
        )
    if entry.grade is None or judgement.grade is None:
        return None
    difference = judgement.grade.rank - entry.grade.rank
    return AreaComparison(area.name, entry.grade.label, judgement.grade.label, difference, verdict_of(difference))


def _calibrate(reviews: list[Review], sefs: list[SelfEvaluation]) -> list[CycleCalibration]:
    """Each review against its school's SEF of the cycle's year. Three queries."""
    sef_of = {(s.school_id, s.academic_year): s for s in sefs}
    entries: dict[int, dict[int, SefEntry]] = defaultdict(dict)
    for entry in SefEntry.objects.filter(sef__in=[s.pk for s in sefs]).select_related("grade"):
        entries[entry.sef_id][entry.area_id] = entry
    judgements: dict[int, list[AreaJudgement]] = defaultdict(list)
    for judgement in AreaJudgement.objects.filter(review__in=[r.pk for r in reviews]).select_related("area", "grade"):
        judgements[judgement.review_id].append(judgement)
    found = []
    for review in reviews:
        cycle = review.cycle
        sef = sef_of.get((review.school_id, cycle.academic_year))
        row = CycleCalibration(
            school=review.school.name,
            cycle=cycle.name,
            year=cycle.academic_year,
            year_label=cycle.year_label,
            framework=str(cycle.framework),
            comparable=True,
        )
        if sef is None:
            row.comparable, row.reason = False, f"no self-evaluation for {cycle.year_label} to compare"
        elif sef.framework_id != cycle.framework_id:
            row.comparable = False
            row.reason = f"{NOT_COMPARABLE}: the self-evaluation uses {sef.framework}, the review {cycle.framework}"
        else:
            for judgement in sorted(judgements[review.pk], key=lambda j: j.area.number):
                compared = _compare(entries[sef.pk].get(judgement.area_id), judgement)
                if compared is not None:
                    row.areas.append(compared)
        found.append(row)
    return found


def may_see_school_calibration(user: Any, school: School) -> bool:
    """The school's own people, and those who can read one of its review reports."""
    principal = access.principal_for(user)
    if principal.user_id is None:
        return False
    if principal.is_admin or principal.school_id == school.pk:
        return True
    return access.visible_to(user, ReviewReport).filter(review__school=school).exists()


def school_calibration(user: Any, school: School) -> list[CycleCalibration]:
    """The school's calibration over cycles, from the reviews and the SEFs this person may read."""
    readable = access.visible_to(user, AreaJudgement).filter(review__school=school).values("review_id")
    reviews = list(
        Review.objects.filter(school=school, stage__in=AGREED_STAGES, pk__in=readable)
        .select_related("school", "cycle__framework")
        .order_by("cycle__academic_year", "round", "pk")
    )
    sefs = list(
        access.visible_to(user, SelfEvaluation)
        .filter(school=school, academic_year__in={r.cycle.academic_year for r in reviews})
        .select_related("framework")
    )
    return _calibrate(reviews, sefs)


@dataclass
class PartnershipCalibration:
    rows: list[CycleCalibration]
    schools_in: int
    schools_left_out: int
    reasons: dict[str, int]

    @property
    def comparable(self) -> list[CycleCalibration]:
        return [row for row in self.rows if row.comparable]

    def by_cycle(self) -> list[dict[str, Any]]:
        """Over-estimated / agreed / under-estimated areas per cycle, counts and percentages."""
        totals: dict[tuple[int, str], dict[str, int]] = {}
        for row in self.comparable:
            key = (row.year, row.cycle)
            counts = totals.setdefault(key, {OVER: 0, AGREE: 0, UNDER: 0})
            for verdict in counts:
                counts[verdict] += row.count(verdict)
        found = []
        for (year, cycle), counts in sorted(totals.items()):
            total = sum(counts.values())
            found.append(
                {
                    "cycle": cycle,
                    "year": year,
                    "total": total,
                    **{verdict: counts[verdict] for verdict in counts},
                    **{f"{verdict}_pct": round(100 * counts[verdict] / total) if total else None for verdict in counts},
                }
            )
        return found


LEFT_OUT_SEF = "their self-evaluation for the year is not shared with the partnership"
LEFT_OUT_REPORT = "their review report is not final or not shared with the partnership"
LEFT_OUT_NO_REVIEW = "their findings are not agreed yet"


def partnership_calibration(user: Any, partnership: Any) -> PartnershipCalibration:
    """The member schools whose SEF and final report are both shared with the partnership. Six
    queries, however many schools and cycles. The caller has checked `view_review_ledger`."""
    school_ids = set(Membership.objects.current().filter(partnership=partnership).values_list("school_id", flat=True))
    reviews = list(
        Review.objects.filter(cycle__partnership=partnership, school_id__in=school_ids)
        .select_related("school", "cycle__framework", "report")
        .order_by("cycle__academic_year", "school__name", "round")
    )
    sefs = {
        (s.school_id, s.academic_year): s
        for s in SelfEvaluation.objects.filter(
            school_id__in=school_ids, academic_year__in={r.cycle.academic_year for r in reviews}
        ).select_related("framework")
    }
    included: list[Review] = []
    shown_sefs: dict[int, SelfEvaluation] = {}
    why: dict[int, str] = {}
    for review in reviews:
        report = getattr(review, "report", None)
        sef = sefs.get((review.school_id, review.cycle.academic_year))
        if review.stage not in AGREED_STAGES:
            reason = LEFT_OUT_NO_REVIEW
        elif report is None or report.status != ReviewReport.Status.FINAL or report.sharing != Sharing.PARTNERSHIP:
            reason = LEFT_OUT_REPORT
        elif sef is None or sef.sharing != Sharing.PARTNERSHIP:
            reason = LEFT_OUT_SEF
        else:
            included.append(review)
            shown_sefs[sef.pk] = sef
            continue
        why.setdefault(review.school_id, reason)
    in_ids = {r.school_id for r in included}
    reasons: dict[str, int] = defaultdict(int)
    for school_id, reason in why.items():
        if school_id not in in_ids:
            reasons[reason] += 1
    left_out = len(school_ids - in_ids)
    never_reviewed = left_out - sum(reasons.values())
    if never_reviewed:
        reasons["they have not been reviewed yet"] = never_reviewed
    rows = _calibrate(included, list(shown_sefs.values()))
    return PartnershipCalibration(rows=rows, schools_in=len(in_ids), schools_left_out=left_out, reasons=dict(reasons))


def calibration_chart(rows: list[dict[str, Any]], *, title: str, description: str) -> charts.Spec:
    """Bars: the share of areas over-estimated, agreed and under-estimated in each cycle."""
    bars = [
        {"label": f"{row['cycle']}: {VERDICTS[verdict].lower()}", "percentage": row[f"{verdict}_pct"]}
        for row in rows
        for verdict in (OVER, AGREE, UNDER)
    ]
    return charts.percentage_bars(
        bars, title=title, description=description, value_title="Percentage of areas", suppressed_text=None
    )


def school_rows_by_cycle(rows: list[CycleCalibration]) -> list[dict[str, Any]]:
    """`PartnershipCalibration.by_cycle` for one school's rows."""
    return PartnershipCalibration(rows=rows, schools_in=1, schools_left_out=0, reasons={}).by_cycle()


# --- The reciprocity ledger -------------------------------------------------------------------------

NO_SCHOOL = "No school (advisers and others)"


@dataclass
class Ledger:
    schools: list[tuple[int | None, str]]
    cycles: list[tuple[int, str]]
    pairs: dict[tuple[int | None, int], int]  # (reviewer's school, school reviewed) -> places, all cycles
    given: dict[tuple[int, int | None], int]  # (cycle, school) -> review days given
    received: dict[tuple[int, int | None], int]  # (cycle, school) -> review days received
    pair_rows: list[list[Any]]  # cycle, year, reviewer's school, school reviewed, reviewers, days

    def matrix(self) -> list[dict[str, Any]]:
        """A row per reviewer's school: places on each school's teams (columns in `schools` order)."""
        reviewed = [(pk, name) for pk, name in self.schools if pk is not None]
        return [
            {"school": name, "cells": [self.pairs.get((pk, other), 0) for other, _ in reviewed]}
            for pk, name in self.schools
        ]

    def totals(self) -> list[dict[str, Any]]:
        found = []
        for pk, name in self.schools:
            given = sum(v for (c, s), v in self.given.items() if s == pk)
            received = sum(v for (c, s), v in self.received.items() if s == pk)
            found.append({"school": name, "given": given, "received": received, "balance": given - received})
        return found

    def by_cycle(self) -> list[list[Any]]:
        """cycle, year, school, given, received, balance: a row per cycle and school that took part."""
        rows = []
        for cycle_pk, cycle_name in self.cycles:
            for pk, name in self.schools:
                given = self.given.get((cycle_pk, pk), 0)
                received = self.received.get((cycle_pk, pk), 0)
                if given or received or (cycle_pk, pk) in self.given or (cycle_pk, pk) in self.received:
                    rows.append([cycle_name, name, given, received, given - received])
        return rows


def reciprocity(partnership: Any) -> Ledger:
    """Who reviewed whom and review days given and received, over the partnership's cycles. Three
    queries. A reviewer's place gives their school the review's visit days; a school receives its
    team size times its visit days."""
    members = {
        m.school_id: m.school.name
        for m in Membership.objects.current().filter(partnership=partnership).select_related("school")
    }
    reviews = list(
        Review.objects.filter(cycle__partnership=partnership)
        .select_related("cycle", "school")
        .order_by("cycle__academic_year", "cycle__name", "school__name")
    )
    places = list(
        TeamMember.objects.filter(review__cycle__partnership=partnership)
        .select_related("from_school")
        .order_by("review_id", "pk")
    )
    by_review = {r.pk: r for r in reviews}
    names: dict[int | None, str] = {pk: name for pk, name in members.items()}
    cycles: dict[int, str] = {}
    for review in reviews:
        cycles.setdefault(review.cycle_id, f"{review.cycle.name}")
        names.setdefault(review.school_id, review.school.name)
    pairs: dict[tuple[int | None, int], int] = defaultdict(int)
    pair_days: dict[tuple[int, int | None, int], list[int]] = defaultdict(lambda: [0, 0])
    given: dict[tuple[int, int | None], int] = defaultdict(int)
    received: dict[tuple[int, int | None], int] = defaultdict(int)
    for review in reviews:
        received[(review.cycle_id, review.school_id)] += 0  # reviewed, even with no team yet
    for place in places:
        review = by_review[place.review_id]
        days = review.visit_days
        source = place.from_school_id
        if source is not None:
            names.setdefault(source, place.from_school.name if place.from_school else "")
        else:
            names[None] = NO_SCHOOL
        pairs[(source, review.school_id)] += 1
        cell = pair_days[(review.cycle_id, source, review.school_id)]
        cell[0] += 1
        cell[1] += days
        given[(review.cycle_id, source)] += days
        received[(review.cycle_id, review.school_id)] += days
    schools: list[tuple[int | None, str]] = sorted(
        ((pk, name) for pk, name in names.items() if pk is not None), key=lambda s: s[1]
    )
    if None in names:
        schools.append((None, NO_SCHOOL))
    years = {r.cycle_id: r.cycle.year_label for r in reviews}
    pair_rows = [
        [cycles[cycle_pk], years[cycle_pk], names[source], names[target], count, days]
        for (cycle_pk, source, target), (count, days) in pair_days.items()
    ]
    return Ledger(
        schools=schools,
        cycles=list(cycles.items()),
        pairs=dict(pairs),
        given=dict(given),
        received=dict(received),
        pair_rows=pair_rows,
    )


def ledger_sheets(ledger: Ledger) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The ledger as two spreadsheet sheets."""
    return [
        (
            "Who reviewed whom",
            ["Cycle", "Year", "Reviewer's school", "School reviewed", "Reviewers", "Review days"],
            ledger.pair_rows,
        ),
        (
            "Days given and received",
            ["Cycle", "School", "Review days given", "Review days received", "Balance"],
            ledger.by_cycle(),
        ),
    ]
