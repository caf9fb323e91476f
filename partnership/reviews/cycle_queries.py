"""Read side of review cycles and visits: what the cycle, review and notes pages show. Every list goes
through the access policy, and each page takes a fixed number of queries however many schools,
reviewers, activities or notes there are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from partnership.core import access
from partnership.core.registry import school_evidence
from partnership.core.roles import Role
from partnership.directory.models import RoleAssignment
from partnership.reviews.cycles import rota_inputs
from partnership.reviews.models import (
    Activity,
    ConflictOfInterest,
    EvidenceNote,
    FrameworkArea,
    Review,
    ReviewCycle,
    SelfEvaluation,
    TeamMember,
)
from partnership.reviews.policy import readable_reviews

NOT_SHARED = "The school has not shared its self-evaluation with the review team."


@dataclass(frozen=True)
class RotaRow:
    """One school's team in the rota, with each reviewer's load in that round."""

    review: Review
    team: list[TeamMember]
    loads: dict[int, int]

    @property
    def lead(self) -> TeamMember | None:
        return next((m for m in self.team if m.is_lead), None)


@dataclass(frozen=True)
class Suggestion:
    """A focus area the visit might take, and why."""

    title: str
    why: str
    area: FrameworkArea | None = None


def _team_prefetch() -> Prefetch[Any]:
    return Prefetch("team", queryset=TeamMember.objects.select_related("person", "from_school"))


def cycle_page(user: Any, cycle: ReviewCycle) -> dict[str, Any]:
    """The cycle page: the rota (each review this person may see, by round, with team, lead and
    loads), the relaxed rules, conflicts of interest (coordinators), and the reviewers a coordinator
    may choose from when editing a team."""
    manage = access.can(user, "manage", cycle)
    reviews = list(
        access.visible_to(user, Review.objects.filter(cycle=cycle))
        .select_related("school")
        .prefetch_related(_team_prefetch())
        .order_by("round", "school__name")
    )
    loads: dict[int, Counter[int]] = {}
    for member in TeamMember.objects.filter(review__cycle=cycle).values_list("review__round", "person_id"):
        loads.setdefault(member[0], Counter())[member[1]] += 1
    rounds: list[tuple[int, list[RotaRow]]] = []
    for review in reviews:
        team = list(review.team.all())
        row = RotaRow(review, team, {m.person_id: loads.get(review.round, Counter())[m.person_id] for m in team})
        for m in team:
            m.load = row.loads[m.person_id]  # type: ignore[attr-defined]
        if not rounds or rounds[-1][0] != review.round:
            rounds.append((review.round, []))
        rounds[-1][1].append(row)
    reviewers: list[tuple[int, str]] = []
    conflicts: list[ConflictOfInterest] = []
    if manage:
        inputs = rota_inputs(cycle)
        reviewers = [(r.id.pk, f"{r.id} ({r.school_id})") for r in inputs.reviewers]  # type: ignore[attr-defined]
        conflicts = list(
            access.visible_to(user, ConflictOfInterest)
            .filter(school__memberships__partnership=cycle.partnership_id)
            .select_related("person", "school")
            .distinct()
            .order_by("school__name", "person__full_name")
        )
    return {
        "rounds": rounds,
        "manage": manage,
        "reviewers": reviewers,
        "conflicts": conflicts,
        "relaxed": list(cycle.relaxed or []),
    }


def school_leaders(school_id: int) -> list[Any]:
    """The school's current headteachers and senior leaders (who may host an activity)."""
    assignments = (
        RoleAssignment.objects.current()
        .filter(school_id=school_id, role__in=[Role.HEADTEACHER, Role.SENIOR_LEADER])
        .select_related("person")
        .order_by("person__full_name")
    )
    return list({a.person_id: a.person for a in assignments}.values())


def focus_suggestions(user: Any, review: Review, sef: SelfEvaluation | None) -> list[Suggestion]:
    """Focus areas to suggest: the development lines of the school's SEF for the cycle's year (only
    if this person may read it) and the data concerns other apps know of (what this person may see),
    leaving out those already agreed."""
    agreed = {f.title.lower() for f in review.focus_areas.all()}
    areas = {a.key: a for a in review.cycle.framework.areas.all()}
    found: list[Suggestion] = []
    if sef is not None:
        for entry in sef.entries.all():
            for line in entry.development.splitlines():
                line = line.strip(" -•\t")
                if line:
                    area = entry.area if entry.area.framework_id == review.cycle.framework_id else None
                    found.append(Suggestion(line, f"The school's self-evaluation: {entry.area.name}", area))
    for item in school_evidence(user, review.school, review.cycle.academic_year):
        if item.concern:
            area = next((areas[k] for k in item.area_keys if k in areas), None)
            why = item.detail or {
                "flag": "A data flag",
                "measure": "An outcome measure",
                "priority": "A plan priority",
            }.get(item.kind, "The school's data")
            found.append(Suggestion(item.label, why, area))
    seen: set[str] = set()
    unique = []
    for s in found:
        key = s.title.lower()
        if key not in agreed and key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


def review_page(user: Any, review: Review) -> dict[str, Any]:
    """The review page: team and lead, dates, enquiry question, focus areas (and suggestions), the
    schedule, the pre-review meeting, and the SEF the school shares with its team."""
    team = list(review.team.select_related("person", "from_school"))
    activities = list(Activity.objects.filter(review=review).select_related("host").prefetch_related("reviewers"))
    focus = list(review.focus_areas.select_related("area"))
    review._prefetched_objects_cache = {"focus_areas": focus}  # type: ignore[attr-defined]
    sef = (
        access.visible_to(user, SelfEvaluation)
        .filter(school_id=review.school_id, academic_year=review.cycle.academic_year)
        .select_related("framework")
        .prefetch_related(Prefetch("entries", queryset=_entries()))
        .first()
    )
    at_school = getattr(user, "school_id", None) == review.school_id
    if sef is None:
        sef_message = f"No self-evaluation for {review.cycle.year_label} yet." if at_school else NOT_SHARED
    else:
        sef_message = ""
    plan = access.can(user, "plan_visit", review)
    return {
        "team": team,
        "lead": next((m for m in team if m.is_lead), None),
        "activities": activities,
        "focus": focus,
        "suggestions": focus_suggestions(user, review, sef) if plan else [],
        "sef": sef,
        "sef_message": sef_message,
        "can_plan": plan,
        "can_schedule": access.can(user, "manage", review) or access.can(user, "finalise", review),
        "can_ask": access.can(user, "respond", review),
        "on_team": any(m.person_id == user.pk for m in team),
        "sees_notes": access.can(user, "write_notes", review) or _leads_school(user, review),
        "reads_findings": _reads_findings(user, review),
        "can_follow_up": access.can(user, "follow_up", review),
        "leaders": school_leaders(review.school_id) if plan else [],
    }


def _entries() -> Any:
    from partnership.reviews.models import SefEntry

    return SefEntry.objects.select_related("area", "grade").order_by("area__number")


def _leads_school(user: Any, review: Review) -> bool:
    principal = access.principal_for(user)
    return principal.school_id == review.school_id and principal.is_school_leader


def may_read_notes(user: Any, review: Review) -> bool:
    """The notes page: the team (who write) and the school's headteacher and senior leaders (who read)."""
    return access.can(user, "write_notes", review) or _leads_school(user, review)


@dataclass(frozen=True)
class AreaNotes:
    """One framework area on the notes page: this person's note and everyone else's they may read."""

    area: FrameworkArea
    mine: EvidenceNote | None
    others: list[EvidenceNote]


def _reads_findings(user: Any, review: Review) -> bool:
    """Whether the person may read the review's findings and report (the school, the team, and
    readers of a report the school shares)."""
    principal = access.principal_for(user)
    return principal.is_admin or Review.objects.filter(readable_reviews(principal), pk=review.pk).exists()


def notes_page(user: Any, review: Review) -> dict[str, Any]:
    """Every area of the review's framework with this person's note and the others' notes (as the
    policy lets them read), and the visit's activities a note can come from."""
    areas = list(review.cycle.framework.areas.all())
    notes = list(
        access.visible_to(user, EvidenceNote.objects.filter(review=review))
        .select_related("author", "activity")
        .order_by("area__number", "created_at", "id")
    )
    by_area: dict[int, list[EvidenceNote]] = {}
    for note in notes:
        by_area.setdefault(note.area_id, []).append(note)
    rows = []
    for area in areas:
        here = by_area.get(area.pk, [])
        mine = next((n for n in here if n.author_id == user.pk), None)
        rows.append(AreaNotes(area, mine, [n for n in here if n is not mine]))
    return {
        "rows": rows,
        "activities": list(Activity.objects.filter(review=review)),
        "writes": access.can(user, "write_notes", review),
    }
