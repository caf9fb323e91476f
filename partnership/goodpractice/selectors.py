"""Reads for the register, the support requests, the ledgers and the partnership's matrix of needs
against strengths. Every list is filtered by the access policy; queries do not grow with the number
of schools, entries or requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from partnership.core import access
from partnership.core.schoolyear import current_academic_year
from partnership.goodpractice import matching
from partnership.goodpractice.areas import ensure_shipped
from partnership.goodpractice.models import PracticeArea, RegisterEntry, SupportRequest, SupportSession
from partnership.goodpractice.needs import schools_needs
from partnership.goodpractice.suggestions import as_need, as_offer, entries_with_room, live_entries


def active_areas() -> list[PracticeArea]:
    ensure_shipped(PracticeArea)
    return list(PracticeArea.objects.filter(is_active=True))


def register_entries(
    user: Any,
    partnership: Any,
    *,
    area: str = "",
    school: str = "",
    status: str = "",
    query: str = "",
) -> QuerySet[RegisterEntry]:
    """The partnership's register as this person may see it, filtered. `status` "" means live
    (proposed and endorsed); "withdrawn" shows those this person may still see."""
    rows = access.visible_to(user, RegisterEntry).filter(partnership=partnership)
    if status:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=RegisterEntry.Status.WITHDRAWN)
    if area:
        rows = rows.filter(area__key=area)
    if school:
        rows = rows.filter(school__slug=school)
    for word in query.split()[:8]:
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(school__name__icontains=word)
            | Q(area__name__icontains=word)
        )
    return (
        entries_with_room(rows)
        .select_related("school", "area", "contact")
        .prefetch_related("evidence")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("area__order", "school__name", "title")
    )


def entry_requests(user: Any, entry: RegisterEntry) -> list[SupportRequest]:
    return list(
        access.visible_to(user, SupportRequest)
        .filter(entry=entry)
        .select_related("requesting_school", "area")
        .order_by("-requested_at")
    )


def asked_already(user: Any, school: Any, need: Any) -> dict[int, SupportRequest]:
    """The school's live requests (asked, or accepted and not yet closed) for this need, by entry:
    the entries that find support should not offer to ask again. One query."""
    rows = access.visible_to(user, SupportRequest).filter(
        requesting_school=school,
        need_kind=need.kind,
        need_ref=need.key[:200],
        status__in=[SupportRequest.Status.REQUESTED, *SupportRequest.OPEN],
    )
    return {req.entry_id: req for req in rows.order_by("requested_at")}


def request_list(user: Any, *, school: Any = None, partnership: Any = None) -> list[SupportRequest]:
    rows = access.visible_to(user, SupportRequest)
    if school is not None:
        rows = rows.filter(Q(requesting_school=school) | Q(supporting_school=school))
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    return list(
        rows.select_related("requesting_school", "supporting_school", "area", "entry").annotate(
            session_count=Count("sessions")
        )
    )


@dataclass
class LedgerLine:
    """Support given or received by one school with another, for one request."""

    request: SupportRequest
    other: Any  # the other school
    direction: str  # "given" or "received"
    sessions: int
    days: Decimal


@dataclass
class Ledger:
    given: list[LedgerLine] = field(default_factory=list)
    received: list[LedgerLine] = field(default_factory=list)

    def total(self, lines: list[LedgerLine]) -> tuple[int, Decimal]:
        return sum(line.sessions for line in lines), sum((line.days for line in lines), Decimal(0))

    @property
    def given_totals(self) -> tuple[int, Decimal]:
        return self.total(self.given)

    @property
    def received_totals(self) -> tuple[int, Decimal]:
        return self.total(self.received)


def _with_sessions(rows: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return rows.annotate(
        session_count=Count("sessions"), session_days=Coalesce(Sum("sessions__days"), Decimal(0))
    ).select_related("requesting_school", "supporting_school", "area")


def school_ledger(user: Any, school: Any, academic_year: int | None = None) -> Ledger:
    """The support a school has given and received: one line per request with sessions logged or
    accepted, counted in sessions and days."""
    rows = access.visible_to(user, SupportRequest).filter(Q(requesting_school=school) | Q(supporting_school=school))
    rows = rows.exclude(
        status__in=[SupportRequest.Status.REQUESTED, SupportRequest.Status.DECLINED, SupportRequest.Status.WITHDRAWN]
    )
    if academic_year is not None:
        rows = rows.filter(academic_year=academic_year)
    ledger = Ledger()
    for req in _with_sessions(rows).order_by("-requested_at"):
        count, days = req.session_count, req.session_days  # type: ignore[attr-defined]
        if req.supporting_school_id == school.pk:
            ledger.given.append(LedgerLine(req, req.requesting_school, "given", count, days))
        else:
            ledger.received.append(LedgerLine(req, req.supporting_school, "received", count, days))
    return ledger


@dataclass
class SchoolTotals:
    school: Any
    given_sessions: int = 0
    given_days: Decimal = Decimal(0)
    received_sessions: int = 0
    received_days: Decimal = Decimal(0)


def partnership_ledger(user: Any, partnership: Any, academic_year: int | None = None) -> list[SchoolTotals]:
    """Sessions and days given and received by each member school, from the logged sessions."""
    from partnership.directory.models import Membership

    schools = [m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")]
    totals = {school.pk: SchoolTotals(school) for school in schools}
    visible = access.visible_to(user, SupportRequest).filter(partnership=partnership)
    if academic_year is not None:
        visible = visible.filter(academic_year=academic_year)
    sessions = SupportSession.objects.filter(request__in=visible.values("pk"))
    for side in ("supporting_school", "requesting_school"):
        for row in sessions.values(f"request__{side}").annotate(n=Count("pk"), days=Sum("days")):
            line = totals.get(row[f"request__{side}"])
            if line is None:
                continue
            if side == "supporting_school":
                line.given_sessions, line.given_days = row["n"], row["days"] or Decimal(0)
            else:
                line.received_sessions, line.received_days = row["n"], row["days"] or Decimal(0)
    return sorted(totals.values(), key=lambda t: t.school.name)


@dataclass
class MatrixRow:
    school: Any
    needs: dict[str, list[Any]]  # area key -> NeedItems
    strengths: dict[str, list[RegisterEntry]]  # area key -> entries
    cells: list[tuple[list[Any], list[RegisterEntry]]] = field(default_factory=list)  # per shown area


@dataclass
class SupportMatrix:
    areas: list[PracticeArea]
    rows: list[MatrixRow]
    pairs: list[tuple[Any, Any, PracticeArea, Any, matching.Match]]  # (needy school, need, area, entry, match)
    unmet: list[tuple[Any, Any, PracticeArea]]  # needs no other school has an entry for


def support_matrix(user: Any, partnership: Any, academic_year: int | None = None) -> SupportMatrix:
    """Every member school's needs against every school's register entries, by area, and who could
    help whom (the best match for each need: one with room first, else the best of the full ones,
    whose reasons say so)."""
    from partnership.directory.models import Membership

    year = academic_year or current_academic_year()
    schools = [m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")]
    schools.sort(key=lambda s: s.name)
    needs = schools_needs(user, schools, year)
    entries = live_entries(user, [partnership.pk])
    offers = [as_offer(e) for e in entries]
    by_pk = {e.pk: e for e in entries}
    areas = active_areas()
    by_key = {a.key: a for a in areas}
    rows = []
    for school in schools:
        row = MatrixRow(school, {}, {})
        for item in needs[school.pk]:
            for area in item.areas:
                row.needs.setdefault(area.key, []).append(item)
        for entry in entries:
            if entry.school_id == school.pk:
                row.strengths.setdefault(entry.area.key, []).append(entry)
        rows.append(row)
    wanted = [
        (school, item, by_key[area.key])
        for school in schools
        for item in needs[school.pk]
        for area in item.areas[:1]
        if area.key in by_key
    ]
    found = matching.match_all([as_need(s.pk, item, area.key) for s, item, area in wanted], offers)
    pairs, unmet = [], []
    for (school, item, area), matches in zip(wanted, found, strict=True):
        best = matches[0] if matches else None  # with room if any has room; else the best of the full ones
        if best is None:
            unmet.append((school, item, area))
        else:
            pairs.append((school, item, area, by_pk[best.offer.entry_id], best))
    used = {key for row in rows for key in (*row.needs, *row.strengths)}
    shown = [a for a in areas if a.key in used]
    for row in rows:
        row.cells = [(row.needs.get(a.key, []), row.strengths.get(a.key, [])) for a in shown]
    return SupportMatrix(shown, rows, pairs, unmet)


def my_requests(user: Any) -> dict[str, list[SupportRequest]]:
    """For the home panel: requests waiting on this person's school, and its support under way."""
    school_id = access.principal_for(user).school_id
    if school_id is None:
        return {"waiting": [], "open": []}
    schools = [school_id]
    rows = list(
        access.visible_to(user, SupportRequest)
        .filter(Q(requesting_school_id__in=schools) | Q(supporting_school_id__in=schools))
        .filter(status__in=[SupportRequest.Status.REQUESTED, *SupportRequest.OPEN])
        .select_related("requesting_school", "supporting_school", "area")
    )
    return {
        "waiting": [
            r for r in rows if r.status == SupportRequest.Status.REQUESTED and r.supporting_school_id in schools
        ],
        "open": [r for r in rows if r.status != SupportRequest.Status.REQUESTED or r.requesting_school_id in schools],
    }
