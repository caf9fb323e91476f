"""Services for review cycles, the rota, conflicts of interest, visits and evidence notes.

The views check the access policy; these change the data, each in one transaction, and audit every
change. A domain rule broken raises `ApplicationError` with the field it is about.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.models import Membership, RoleAssignment
from partnership.reviews.models import (
    Activity,
    ConflictOfInterest,
    EvidenceNote,
    FocusArea,
    Framework,
    FrameworkArea,
    Review,
    ReviewCycle,
    ReviewReport,
    TeamMember,
)
from partnership.reviews.rota import Reviewer, RotaInfeasible, check_rota, plan_rota

# A note's later saves are audited at most this often (its first save and every explicit save always).
NOTE_AUDIT_EVERY = datetime.timedelta(minutes=5)
WHAT_TO_CHANGE = (
    "To make a rota possible, raise the most reviews one reviewer takes on, make the teams smaller, "
    "include deputies as reviewers, or look again at a declared conflict of interest."
)


@dataclass(frozen=True)
class Named:
    """A school or person as the planner sees them: compared by primary key, printed by name, so the
    planner's notes and refusals come out in plain words ("Ann Lee reviews Oak Primary again")."""

    pk: int
    label: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.label or str(self.pk)


@dataclass(frozen=True)
class RotaInputs:
    """What the planner needs for one cycle: schools, reviewers, last cycle's pairings, conflicts."""

    schools: list[Named]
    reviewers: list[Reviewer]
    avoid: set[tuple[Named, Named]]
    conflicts: set[tuple[Named, Named]]


def default_framework() -> Framework | None:
    return Framework.objects.filter(partnership=None, is_default=True, is_current=True).order_by("name").first()


@transaction.atomic
def cycle_open(
    *,
    partnership: Any,
    actor: Any,
    name: str,
    academic_year: int,
    framework: Framework,
    rounds: int = 1,
    team_size: int = 2,
    max_load: int = 2,
    include_deputies: bool = False,
    request: HttpRequest | None = None,
) -> ReviewCycle:
    """Open a review cycle (status planning) for a partnership."""
    if rounds not in (1, 2):
        raise ApplicationError("Choose one or two rounds.", field="rounds")
    if team_size < 1:
        raise ApplicationError("A team needs at least one reviewer.", field="team_size")
    if max_load < 1:
        raise ApplicationError("Each reviewer must be able to take at least one review.", field="max_load")
    if framework.is_historic or not framework.is_current:
        raise ApplicationError("Choose a current framework.", field="framework")
    if framework.partnership_id not in (None, partnership.pk):
        raise ApplicationError("Choose a framework from the list.", field="framework")
    cycle = ReviewCycle.objects.create(
        partnership=partnership,
        academic_year=academic_year,
        name=name.strip(),
        framework=framework,
        rounds=rounds,
        team_size=team_size,
        max_load=max_load,
        include_deputies=include_deputies,
        created_by=actor,
    )
    audit.record(
        actor,
        "create",
        cycle,
        detail={"rounds": rounds, "team_size": team_size, "max_load": max_load},
        request=request,
        partnership_id=partnership.pk,
    )
    return cycle


def rota_inputs(cycle: ReviewCycle) -> RotaInputs:
    """The cycle's schools (current members), reviewers (their current heads, and senior leaders if
    the cycle includes deputies), last year's pairings in this partnership and declared conflicts."""
    memberships = Membership.objects.current().filter(partnership_id=cycle.partnership_id).select_related("school")
    schools = sorted({Named(m.school_id, m.school.name) for m in memberships}, key=lambda s: (s.label, s.pk))
    school_ids = [s.pk for s in schools]
    names = {s.pk: s for s in schools}
    roles = [Role.HEADTEACHER, Role.SENIOR_LEADER] if cycle.include_deputies else [Role.HEADTEACHER]
    assignments = (
        RoleAssignment.objects.current()
        .filter(role__in=roles, school_id__in=school_ids)
        .select_related("person")
        .order_by("school__name", "-role", "person__full_name", "person_id")
    )
    reviewers: list[Reviewer] = []
    seen: set[int] = set()
    for a in assignments:
        if a.person_id in seen:
            continue
        seen.add(a.person_id)
        reviewers.append(Reviewer(Named(a.person_id, a.person.full_name or a.person.email), names[a.school_id or 0]))
    last = TeamMember.objects.filter(
        review__cycle__partnership_id=cycle.partnership_id, review__cycle__academic_year=cycle.academic_year - 1
    ).values_list("person_id", "review__school_id")
    avoid = {(Named(p), Named(s)) for p, s in last}
    conflicts = {
        (Named(p), Named(s))
        for p, s in ConflictOfInterest.objects.filter(school_id__in=school_ids).values_list("person_id", "school_id")
    }
    return RotaInputs(schools=schools, reviewers=reviewers, avoid=avoid, conflicts=conflicts)


def _pairs_of_round(teams: dict[Hashable, list[Hashable]]) -> set[tuple[Hashable, Hashable]]:
    return {(r, s) for s, team in teams.items() for r in team}


@transaction.atomic
def rota_propose(*, cycle: ReviewCycle, actor: Any, request: HttpRequest | None = None) -> ReviewCycle:
    """Plan the cycle's rota and save it as planned reviews with their teams (the first reviewer of
    each team leads), replacing any earlier proposal. Only while the cycle is still planning."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != ReviewCycle.Status.PLANNING:
        raise ApplicationError("The rota has been agreed; change a team on its own instead.", field="rota")
    inputs = rota_inputs(cycle)
    if not inputs.schools:
        raise ApplicationError("The partnership has no member schools to review.", field="rota")
    avoid: set[tuple[Hashable, Hashable]] = set(inputs.avoid)
    rounds: list[dict[Hashable, list[Hashable]]] = []
    notes: list[str] = []
    for number in range(1, cycle.rounds + 1):
        try:
            plan = plan_rota(
                inputs.schools,
                inputs.reviewers,
                team_size=cycle.team_size,
                max_load=cycle.max_load,
                avoid=avoid,
                conflicts=inputs.conflicts,
            )
        except RotaInfeasible as exc:
            text = str(exc)
            where = f" in round {number}" if cycle.rounds > 1 else ""
            raise ApplicationError(
                f"No rota can keep every rule{where}: {text}. {WHAT_TO_CHANGE}", field="rota"
            ) from exc
        rounds.append(plan.teams)
        prefix = f"Round {number}: " if cycle.rounds > 1 else ""
        if number > 1:  # the pairings to avoid are last year's and the earlier rounds'
            plan_notes = [n.replace(", as last cycle", ", as last year or in an earlier round") for n in plan.relaxed]
        else:
            plan_notes = [n.replace(", as last cycle", ", as last year") for n in plan.relaxed]
        notes.extend(prefix + _sentence(note) for note in plan_notes)
        avoid |= _pairs_of_round(plan.teams)
    Review.objects.filter(cycle=cycle).delete()
    school_of = {r.id: r.school_id for r in inputs.reviewers}
    members: list[TeamMember] = []
    for number, teams in enumerate(rounds, start=1):
        for school in inputs.schools:
            review = Review.objects.create(cycle=cycle, school_id=school.pk, round=number)
            members.extend(
                TeamMember(
                    review=review,
                    person_id=reviewer.pk,  # type: ignore[attr-defined]
                    from_school_id=school_of[reviewer].pk,  # type: ignore[attr-defined]
                    is_lead=i == 0,
                )
                for i, reviewer in enumerate(teams[school])
            )
    TeamMember.objects.bulk_create(members)
    cycle.relaxed = notes
    cycle.save(update_fields=["relaxed"])
    audit.record(
        actor,
        "propose_rota",
        cycle,
        detail={"reviews": len(inputs.schools) * cycle.rounds, "relaxed": len(notes)},
        request=request,
        partnership_id=cycle.partnership_id,
    )
    return cycle


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@transaction.atomic
def team_set(
    *, review: Review, actor: Any, members: Sequence[int], lead: int | None, request: HttpRequest | None = None
) -> Review:
    """Set a review's team (person ids) and its lead. The whole rota of the review's round, with this
    team in it, must keep the hard rules (`check_rota`); otherwise nothing is saved and the error
    gives every reason."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=review.cycle_id)
    if cycle.status == ReviewCycle.Status.CLOSED:
        raise ApplicationError("The cycle is closed.", field="team")
    chosen = list(dict.fromkeys(m for m in members if m))
    if lead is None or lead not in chosen:
        raise ApplicationError("Choose the lead reviewer from the team.", field="lead")
    inputs = rota_inputs(cycle)
    names = {r.id.pk: r.id for r in inputs.reviewers}  # type: ignore[attr-defined]
    schools = {s.pk: s for s in inputs.schools}
    # The round's rota as it would be with this team (teams of schools that have since left the
    # partnership are not part of the check).
    teams: dict[Hashable, list[Hashable]] = {school: [] for school in inputs.schools}
    teams_by_review: dict[int, list[int]] = {}
    review_school = dict(Review.objects.filter(cycle=cycle, round=review.round).values_list("pk", "school_id"))
    for review_id, person_id in TeamMember.objects.filter(review__cycle=cycle, review__round=review.round).values_list(
        "review_id", "person_id"
    ):
        teams_by_review.setdefault(review_id, []).append(person_id)
    teams_by_review[review.pk] = chosen
    for review_id, people in teams_by_review.items():
        school = schools.get(review_school[review_id])
        if school is not None:
            teams[school] = [names.get(pk) or Named(pk, _person_name(pk)) for pk in people]
    problems = check_rota(
        teams,
        inputs.schools,
        inputs.reviewers,
        team_size=cycle.team_size,
        max_load=cycle.max_load,
        conflicts=inputs.conflicts,
    )
    if problems:
        raise ApplicationError("This team cannot be saved: " + "; ".join(problems) + ".", field="team")
    before = sorted(TeamMember.objects.filter(review=review).values_list("person_id", flat=True))
    TeamMember.objects.filter(review=review).delete()
    school_of = {r.id.pk: r.school_id.pk for r in inputs.reviewers}  # type: ignore[attr-defined]
    TeamMember.objects.bulk_create(
        [TeamMember(review=review, person_id=pk, from_school_id=school_of.get(pk), is_lead=pk == lead) for pk in chosen]
    )
    audit.record(
        actor,
        "set_team",
        review,
        detail={"from": before, "to": sorted(chosen), "lead": lead},
        request=request,
        school_id=review.school_id,
        partnership_id=cycle.partnership_id,
    )
    return review


def _person_name(pk: int) -> str:
    from partnership.accounts.models import User

    person = User.objects.filter(pk=pk).first()
    return str(person) if person else str(pk)


@transaction.atomic
def rota_accept(*, cycle: ReviewCycle, actor: Any, request: HttpRequest | None = None) -> ReviewCycle:
    """Agree the proposed rota: the reviews go ahead with their teams."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != ReviewCycle.Status.PLANNING:
        raise ApplicationError("The rota has already been agreed.", field="rota")
    if not Review.objects.filter(cycle=cycle).exists():
        raise ApplicationError("Propose a rota before agreeing it.", field="rota")
    cycle.status = ReviewCycle.Status.ACCEPTED
    cycle.accepted_by = actor
    cycle.accepted_at = timezone.now()
    cycle.save(update_fields=["status", "accepted_by", "accepted_at"])
    audit.record(actor, "accept_rota", cycle, request=request, partnership_id=cycle.partnership_id)
    return cycle


def cycle_unfinished(cycle: ReviewCycle) -> int:
    """How many of the cycle's reviews have no final report yet. One query."""
    return Review.objects.filter(cycle=cycle).exclude(report__status=ReviewReport.Status.FINAL).count()


@transaction.atomic
def cycle_close(*, cycle: ReviewCycle, actor: Any, request: HttpRequest | None = None) -> ReviewCycle:
    """Close the year's cycle: its teams are settled and its visits leave people's "coming up"
    lists. Reports still in progress can be finished, and the cycle can be opened again."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == ReviewCycle.Status.CLOSED:
        raise ApplicationError("This review cycle is already closed.", field="close")
    if cycle.status != ReviewCycle.Status.ACCEPTED:
        raise ApplicationError("Agree the rota before closing the cycle.", field="close")
    unfinished = cycle_unfinished(cycle)
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.closed_by = actor
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(
        actor,
        "close_cycle",
        cycle,
        detail={"without_final_report": unfinished},
        request=request,
        partnership_id=cycle.partnership_id,
    )
    return cycle


@transaction.atomic
def cycle_reopen(*, cycle: ReviewCycle, actor: Any, request: HttpRequest | None = None) -> ReviewCycle:
    """Open a closed cycle again (closed by mistake, or a visit put off): the rota stays agreed."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != ReviewCycle.Status.CLOSED:
        raise ApplicationError("This review cycle is not closed.", field="close")
    cycle.status = ReviewCycle.Status.ACCEPTED
    cycle.closed_by = None
    cycle.closed_at = None
    cycle.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(actor, "reopen_cycle", cycle, request=request, partnership_id=cycle.partnership_id)
    return cycle


# --- Conflicts of interest ---------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, person: Any, school: Any, reason: str, request: HttpRequest | None = None
) -> ConflictOfInterest:
    """Declare that `person` should not review `school`, and why."""
    if school.pk == getattr(person, "school_id", None):
        raise ApplicationError("Nobody reviews their own school, so there is no need to declare it.", field="school")
    if ConflictOfInterest.objects.filter(person=person, school=school).exists():
        raise ApplicationError(f"You have already declared a conflict of interest with {school}.", field="school")
    conflict = ConflictOfInterest.objects.create(person=person, school=school, reason=reason.strip())
    audit.record(person, "create", conflict, detail={"school": school.pk}, request=request)
    return conflict


@transaction.atomic
def conflict_withdraw(*, conflict: ConflictOfInterest, actor: Any, request: HttpRequest | None = None) -> None:
    audit.record(actor, "delete", conflict, detail={"school": conflict.school_id}, request=request)
    conflict.delete()


# --- The visit ---------------------------------------------------------------------------------


def _audited_change(review: Review, actor: Any, fields: list[str], request: HttpRequest | None) -> None:
    review.version += 1
    review.save(update_fields=[*fields, "version"])


@transaction.atomic
def visit_schedule(
    *,
    review: Review,
    actor: Any,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    request: HttpRequest | None = None,
) -> Review:
    """Set the visit's dates; a planned review becomes scheduled."""
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("The last day of the visit must be the same as or after the first.", field="ends_on")
    before = audit.snapshot(review, ["visit_starts_on", "visit_ends_on", "stage"])
    review.visit_starts_on = starts_on
    review.visit_ends_on = ends_on or starts_on
    if review.stage == Review.Stage.PLANNED:
        review.stage = Review.Stage.SCHEDULED
    _audited_change(review, actor, ["visit_starts_on", "visit_ends_on", "stage"], request)
    after = audit.snapshot(review, ["visit_starts_on", "visit_ends_on", "stage"])
    audit.record(actor, "schedule", review, detail=audit.changes(before, after), request=request)
    return review


@transaction.atomic
def enquiry_set(*, review: Review, actor: Any, question: str, request: HttpRequest | None = None) -> Review:
    """The school's enquiry question for its review ("To what extent ...")."""
    question = question.strip()
    if not question:
        raise ApplicationError("Enter the enquiry question.", field="enquiry_question")
    review.enquiry_question = question
    _audited_change(review, actor, ["enquiry_question"], request)
    audit.record(actor, "update", review, detail={"enquiry_question": question[:200]}, request=request)
    return review


@transaction.atomic
def pre_review_set(
    *,
    review: Review,
    actor: Any,
    on: datetime.date | None,
    notes: str,
    request: HttpRequest | None = None,
) -> Review:
    """The pre-review meeting's date and notes."""
    review.pre_review_on = on
    review.pre_review_notes = notes.strip()
    _audited_change(review, actor, ["pre_review_on", "pre_review_notes"], request)
    audit.record(actor, "update", review, detail={"pre_review_on": str(on or "")}, request=request)
    return review


@transaction.atomic
def focus_add(
    *,
    review: Review,
    actor: Any,
    title: str,
    area: FrameworkArea | None = None,
    why: str = "",
    request: HttpRequest | None = None,
) -> FocusArea:
    """Agree a focus area for the visit."""
    title = title.strip()
    if not title:
        raise ApplicationError("Enter the focus area.", field="title")
    if area is not None and area.framework_id != review.cycle.framework_id:
        raise ApplicationError("Choose an area of this cycle's framework.", field="area")
    if FocusArea.objects.filter(review=review, title__iexact=title).exists():
        raise ApplicationError("That focus area is already agreed.", field="title")
    focus = FocusArea.objects.create(review=review, area=area, title=title[:200], why=why.strip()[:300])
    audit.record(actor, "create", focus, detail={"title": focus.title}, request=request, school_id=review.school_id)
    return focus


@transaction.atomic
def focus_remove(*, focus: FocusArea, actor: Any, request: HttpRequest | None = None) -> None:
    audit.record(
        actor, "delete", focus, detail={"title": focus.title}, request=request, school_id=focus.review.school_id
    )
    focus.delete()


@transaction.atomic
def activity_add(
    *,
    review: Review,
    actor: Any,
    kind: str,
    day: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time | None = None,
    focus: str = "",
    host: Any | None = None,
    reviewers: Iterable[Any] = (),
    request: HttpRequest | None = None,
) -> Activity:
    """Add an item to the visit's schedule."""
    if kind not in Activity.Kind.values:
        raise ApplicationError("Choose what the activity is.", field="kind")
    if ends_at is not None and ends_at <= starts_at:
        raise ApplicationError("The activity must end after it starts.", field="ends_at")
    if review.visit_starts_on and not (review.visit_starts_on <= day <= (review.visit_ends_on or day)):
        raise ApplicationError("Choose a day of the visit.", field="day")
    if host is not None and host.school_id != review.school_id:
        raise ApplicationError("The host must be a leader of the school.", field="host")
    team = set(TeamMember.objects.filter(review=review).values_list("person_id", flat=True))
    chosen = list(reviewers)
    if any(r.pk not in team for r in chosen):
        raise ApplicationError("Choose reviewers from the team.", field="reviewers")
    activity = Activity.objects.create(
        review=review, kind=kind, day=day, starts_at=starts_at, ends_at=ends_at, focus=focus.strip(), host=host
    )
    activity.reviewers.set(chosen)
    audit.record(actor, "create", activity, request=request, school_id=review.school_id)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity, actor: Any, request: HttpRequest | None = None) -> None:
    audit.record(actor, "delete", activity, request=request, school_id=activity.review.school_id)
    activity.delete()


# --- Evidence notes ----------------------------------------------------------------------------


class StaleNoteError(ApplicationError):
    """The note was saved elsewhere since this copy was loaded; `current` is the saved one."""

    def __init__(self, current: EvidenceNote | None) -> None:
        super().__init__(
            "This note was changed in another window or on another device since you opened it. Your text is "
            "still here: copy it, reload the page to see the saved note, and add your text to it.",
            field="version",
        )
        self.current = current


@transaction.atomic
def note_save(
    *,
    review: Review,
    area: FrameworkArea,
    author: Any,
    text: str,
    version: int,
    activity: Activity | None = None,
    explicit: bool = False,
    request: HttpRequest | None = None,
) -> EvidenceNote:
    """Save the author's note on one area of the review. `version` is the version the writer last
    had (0 for a new note); a different saved version is refused (`StaleNoteError`) and nothing is saved.
    Returns the note with its new version.

    Audited on its first save, on every explicit save (the form's button), and otherwise at most once
    every `NOTE_AUDIT_EVERY` (autosaves as they type are not each audited)."""
    if area.framework_id != review.cycle.framework_id:
        raise ApplicationError("Choose an area of this review's framework.", field="area")
    if activity is not None and activity.review_id != review.pk:
        raise ApplicationError("Choose an activity of this visit.", field="activity")
    note = (
        EvidenceNote.objects.select_for_update()
        .filter(review=review, area=area, author=author)
        .order_by("created_at", "id")
        .first()
    )
    now = timezone.now()
    if note is None:
        if version != 0:
            raise StaleNoteError(None)
        note = EvidenceNote.objects.create(
            review=review, area=area, author=author, text=text, activity=activity, created_at=now, updated_at=now
        )
        audit.record(author, "create", note, detail={"area": area.key}, request=request, school_id=review.school_id)
        return note
    if note.version != version:
        raise StaleNoteError(note)
    note.text = text
    note.activity = activity
    note.version += 1
    note.updated_at = now
    note.save(update_fields=["text", "activity", "version", "updated_at"])
    last = (
        AuditEvent.objects.filter(object_type="reviews.evidencenote", object_id=str(note.pk))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if explicit or last is None or now - last >= NOTE_AUDIT_EVERY:
        audit.record(
            author,
            "update",
            note,
            detail={"area": area.key, "version": note.version, "explicit": explicit},
            request=request,
            school_id=review.school_id,
        )
    return note
