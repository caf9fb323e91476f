"""Writes for improvement plans: plans, priorities, objectives, milestones, progress, sharing,
rolling forward, actions on objectives and working parties formed from shared priorities.

Every write is audited. Priorities, objectives and milestones carry no school of their own, so
their audit events name the plan's school or partnership explicitly (the audit logs filter on it).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils.text import slugify

from partnership.actions.models import Action
from partnership.actions.services import action_create, action_update
from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.directory.models import Network, Partnership, School
from partnership.directory.services import network_member_add, working_party_create
from partnership.plans import selectors
from partnership.plans.models import (
    FRAMEWORK_AREAS,
    ImprovementPlan,
    Milestone,
    Objective,
    Priority,
    ProgressUpdate,
    Rag,
    Term,
    Theme,
    academic_year_label,
)

FRAMEWORK_AREA_VALUES = {value for value, _ in FRAMEWORK_AREAS}


def _record(
    actor: Any,
    verb: str,
    obj: models.Model,
    plan: ImprovementPlan,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    audit.record(
        actor,
        verb,
        obj,
        detail=detail,
        request=request,
        school_id=plan.school_id,
        partnership_id=plan.partnership_id,
    )


def _check_plan_person(plan: ImprovementPlan, person: Any, *, field: str, what: str) -> None:
    """Leads and owners come from the plan's own people: the school's staff for a school plan, the
    partnership's schools and its coordinators and advisers for a partnership plan."""
    if person is None:
        return
    if not selectors.plan_people(plan).filter(pk=person.pk).exists():
        where = "at the school" if plan.kind == ImprovementPlan.Kind.SCHOOL else "in the partnership"
        raise ApplicationError(f"The {what} must be someone {where}.", field=field)


# --- Plans --------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    academic_year: int,
    actor: Any,
    school: School | None = None,
    partnership: Partnership | None = None,
    title: str = "",
    vision: str = "",
    request: HttpRequest | None = None,
) -> ImprovementPlan:
    """Start a school's development plan or a partnership's improvement plan for one academic year."""
    if (school is None) == (partnership is None):
        raise ApplicationError("A plan belongs to one school or to one partnership.")
    existing = ImprovementPlan.objects.filter(academic_year=academic_year)
    existing = existing.filter(school=school) if school is not None else existing.filter(partnership=partnership)
    if existing.exists():
        raise ApplicationError(f"There is already a plan for {academic_year_label(academic_year)}.")
    plan = ImprovementPlan(
        kind=ImprovementPlan.Kind.SCHOOL if school is not None else ImprovementPlan.Kind.PARTNERSHIP,
        school=school,
        partnership=partnership,
        academic_year=academic_year,
        title=title.strip(),
        vision=vision.strip(),
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit.record(actor, "create", plan, detail={"academic_year": academic_year_label(academic_year)}, request=request)
    return plan


PLAN_FIELDS = ["title", "vision"]


@transaction.atomic
def plan_update(
    *, plan: ImprovementPlan, title: str, vision: str, actor: Any, request: HttpRequest | None = None
) -> ImprovementPlan:
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.title, plan.vision = title.strip(), vision.strip()
    plan.full_clean()
    plan.save(update_fields=PLAN_FIELDS)
    diff = audit.changes(before, audit.snapshot(plan, PLAN_FIELDS))
    if diff:
        audit.record(actor, "update", plan, detail={"changes": diff}, request=request)
    return plan


@transaction.atomic
def plan_set_sharing(
    *, plan: ImprovementPlan, shares: bool, actor: Any, request: HttpRequest | None = None
) -> ImprovementPlan:
    """A school chooses whether the partnership sees its plan's priorities (never objectives or actions)."""
    if plan.kind != ImprovementPlan.Kind.SCHOOL:
        raise ApplicationError("Only a school's development plan is shared with the partnership or kept private.")
    if plan.shares_priorities == shares:
        return plan
    plan.shares_priorities = shares
    plan.full_clean()
    plan.save(update_fields=["shares_priorities"])
    audit.record(
        actor,
        "share" if shares else "unshare",
        plan,
        detail={"shares_priorities": [str(not shares), str(shares)]},
        request=request,
    )
    return plan


@transaction.atomic
def plan_roll_forward(*, plan: ImprovementPlan, actor: Any, request: HttpRequest | None = None) -> ImprovementPlan:
    """Start next year's plan from this one, carrying what is not finished.

    Priorities that are not complete are copied with their objectives that are not complete (status
    kept, `rolled_from` set) and the milestones not yet achieved. Open actions of a copied objective
    (and open actions on a copied priority as a whole) move to the copy, so nothing open is left
    behind in last year's plan. Progress history stays with last year's items.
    """
    next_year = plan.academic_year + 1
    owner = Q(school_id=plan.school_id) if plan.school_id else Q(partnership_id=plan.partnership_id)
    if ImprovementPlan.objects.filter(owner, academic_year=next_year).exists():
        raise ApplicationError(f"There is already a plan for {academic_year_label(next_year)}.")
    new_plan = ImprovementPlan(
        kind=plan.kind,
        school_id=plan.school_id,
        partnership_id=plan.partnership_id,
        academic_year=next_year,
        title="",
        vision=plan.vision,
        shares_priorities=plan.shares_priorities,
        rolled_from=plan,
        created_by=actor,
    )
    new_plan.full_clean()
    new_plan.save()

    priorities = (
        Priority.objects.filter(plan=plan)
        .exclude(rag=Rag.COMPLETE)
        .prefetch_related("themes", "objectives__milestones")
        .order_by("number")
    )
    priority_map: dict[int, Priority] = {}
    objective_map: dict[int, Objective] = {}
    for number, old in enumerate(priorities, start=1):
        priority = Priority(
            plan=new_plan,
            number=number,
            title=old.title,
            description=old.description,
            framework_area=old.framework_area,
            lead_id=old.lead_id,
            rag=old.rag,
            rolled_from=old,
        )
        priority.full_clean()
        priority.save()
        priority.themes.set(old.themes.all())
        priority_map[old.pk] = priority
        unfinished = [o for o in old.objectives.all() if o.rag != Rag.COMPLETE]
        for objective_number, old_objective in enumerate(unfinished, start=1):
            objective = Objective(
                priority=priority,
                number=objective_number,
                title=old_objective.title,
                success_criteria=old_objective.success_criteria,
                lead_id=old_objective.lead_id,
                rag=old_objective.rag,
                rolled_from=old_objective,
            )
            objective.full_clean()
            objective.save()
            objective_map[old_objective.pk] = objective
            milestones = [
                Milestone(objective=objective, term=m.term, description=m.description)
                for m in old_objective.milestones.all()
                if not m.achieved
            ]
            for milestone in milestones:
                milestone.full_clean()
            Milestone.objects.bulk_create(milestones)

    moved = 0
    open_actions = Action.objects.open().filter(
        Q(objective_id__in=list(objective_map)) | Q(objective__isnull=True, priority_id__in=list(priority_map))
    )
    for action in open_actions:
        if action.objective_id:
            data: dict[str, Any] = {"objective": objective_map[action.objective_id]}
        else:
            data = {"priority": priority_map[action.priority_id]}  # type: ignore[index]
        action_update(action=action, expected_version=action.version, actor=actor, data=data, request=request)
        moved += 1

    audit.record(
        actor,
        "roll_forward",
        new_plan,
        detail={
            "from_plan": plan.pk,
            "from_year": academic_year_label(plan.academic_year),
            "priorities": len(priority_map),
            "objectives": len(objective_map),
            "actions_moved": moved,
        },
        request=request,
    )
    return new_plan


# --- Themes -------------------------------------------------------------------------------------

THEME_SEPARATORS = re.compile(r"[,;\n]")


def theme_names_parse(text: str) -> list[tuple[str, str]]:
    """Typed themes -> [(slug, name)]: split on commas, tidy spaces, drop empties and repeats."""
    seen: set[str] = set()
    parsed = []
    for raw in THEME_SEPARATORS.split(text or ""):
        name = " ".join(raw.split())[:80]
        slug = slugify(name)[:90]
        if not slug or slug in seen:
            continue
        seen.add(slug)
        parsed.append((slug, name[:1].upper() + name[1:]))
    return parsed


@transaction.atomic
def themes_resolve(*, text: str, actor: Any, request: HttpRequest | None = None) -> list[Theme]:
    """The Theme rows for typed text, creating new ones. "Reading", "reading " and "READING" are one
    theme (same slug), so the shared-priorities matrix lines schools up however they typed it."""
    parsed = theme_names_parse(text)
    found = {t.slug: t for t in Theme.objects.filter(slug__in=[slug for slug, _ in parsed])}
    for slug, name in parsed:
        if slug in found:
            continue
        theme = Theme(name=name, slug=slug)
        theme.full_clean()
        try:
            with transaction.atomic():
                theme.save()
        except IntegrityError:  # someone else created it a moment ago
            found[slug] = Theme.objects.get(slug=slug)
            continue
        audit.record(actor, "create", theme, detail={"name": name}, request=request)
        found[slug] = theme
    return [found[slug] for slug, _ in parsed]


# --- Priorities and objectives ------------------------------------------------------------------


def _check_framework_area(framework_area: str) -> None:
    if framework_area and framework_area not in FRAMEWORK_AREA_VALUES:
        raise ApplicationError("Choose a framework area from the list.", field="framework_area")


@transaction.atomic
def priority_create(
    *,
    plan: ImprovementPlan,
    title: str,
    actor: Any,
    description: str = "",
    framework_area: str = "",
    themes: str = "",
    lead: Any = None,
    request: HttpRequest | None = None,
) -> Priority:
    _check_framework_area(framework_area)
    _check_plan_person(plan, lead, field="lead", what="lead")
    ImprovementPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one numbering at a time
    number = (Priority.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    priority = Priority(
        plan=plan,
        number=number,
        title=title.strip(),
        description=description.strip(),
        framework_area=framework_area,
        lead=lead,
    )
    priority.full_clean()
    priority.save()
    theme_rows = themes_resolve(text=themes, actor=actor, request=request)
    priority.themes.set(theme_rows)
    _record(
        actor,
        "create",
        priority,
        plan,
        detail={"title": priority.title, "themes": [t.name for t in theme_rows]},
        request=request,
    )
    return priority


PRIORITY_FIELDS = ["title", "description", "framework_area", "lead"]


@transaction.atomic
def priority_update(
    *,
    priority: Priority,
    title: str,
    actor: Any,
    description: str = "",
    framework_area: str = "",
    themes: str = "",
    lead: Any = None,
    request: HttpRequest | None = None,
) -> Priority:
    plan = priority.plan
    _check_framework_area(framework_area)
    _check_plan_person(plan, lead, field="lead", what="lead")
    before = audit.snapshot(priority, PRIORITY_FIELDS)
    before_themes = sorted(t.name for t in priority.themes.all())
    priority.title, priority.description = title.strip(), description.strip()
    priority.framework_area, priority.lead = framework_area, lead
    priority.full_clean()
    priority.save()
    theme_rows = themes_resolve(text=themes, actor=actor, request=request)
    priority.themes.set(theme_rows)
    diff = audit.changes(before, audit.snapshot(priority, PRIORITY_FIELDS))
    after_themes = sorted(t.name for t in theme_rows)
    if after_themes != before_themes:
        diff["themes"] = [", ".join(before_themes), ", ".join(after_themes)]
    if diff:
        _record(actor, "update", priority, plan, detail={"changes": diff}, request=request)
    return priority


@transaction.atomic
def objective_create(
    *,
    priority: Priority,
    title: str,
    actor: Any,
    success_criteria: str = "",
    lead: Any = None,
    request: HttpRequest | None = None,
) -> Objective:
    plan = priority.plan
    _check_plan_person(plan, lead, field="lead", what="lead")
    Priority.objects.select_for_update().filter(pk=priority.pk).first()  # one numbering at a time
    number = (Objective.objects.filter(priority=priority).aggregate(n=Max("number"))["n"] or 0) + 1
    objective = Objective(
        priority=priority, number=number, title=title.strip(), success_criteria=success_criteria.strip(), lead=lead
    )
    objective.full_clean()
    objective.save()
    _record(actor, "create", objective, plan, detail={"title": objective.title}, request=request)
    return objective


OBJECTIVE_FIELDS = ["title", "success_criteria", "lead"]


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    title: str,
    actor: Any,
    success_criteria: str = "",
    lead: Any = None,
    request: HttpRequest | None = None,
) -> Objective:
    plan = objective.priority.plan
    _check_plan_person(plan, lead, field="lead", what="lead")
    before = audit.snapshot(objective, OBJECTIVE_FIELDS)
    objective.title, objective.success_criteria, objective.lead = title.strip(), success_criteria.strip(), lead
    objective.full_clean()
    objective.save()
    diff = audit.changes(before, audit.snapshot(objective, OBJECTIVE_FIELDS))
    if diff:
        _record(actor, "update", objective, plan, detail={"changes": diff}, request=request)
    return objective


# --- Milestones ---------------------------------------------------------------------------------


def _check_term(term: str) -> None:
    if term not in Term.values:
        raise ApplicationError("Choose the term.", field="term")


@transaction.atomic
def milestone_create(
    *, objective: Objective, term: str, description: str, actor: Any, request: HttpRequest | None = None
) -> Milestone:
    _check_term(term)
    milestone = Milestone(objective=objective, term=term, description=description.strip())
    milestone.full_clean()
    milestone.save()
    _record(
        actor,
        "create",
        milestone,
        objective.priority.plan,
        detail={"term": term, "description": milestone.description},
        request=request,
    )
    return milestone


MILESTONE_FIELDS = ["term", "description", "achieved"]


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    term: str,
    description: str,
    achieved: bool,
    actor: Any,
    request: HttpRequest | None = None,
) -> Milestone:
    _check_term(term)
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    milestone.term, milestone.description, milestone.achieved = term, description.strip(), achieved
    milestone.full_clean()
    milestone.save()
    diff = audit.changes(before, audit.snapshot(milestone, MILESTONE_FIELDS))
    if diff:
        _record(
            actor, "update", milestone, milestone.objective.priority.plan, detail={"changes": diff}, request=request
        )
    return milestone


@transaction.atomic
def milestone_set_achieved(
    *, milestone: Milestone, achieved: bool, actor: Any, request: HttpRequest | None = None
) -> Milestone:
    if milestone.achieved == achieved:
        return milestone
    milestone.achieved = achieved
    milestone.full_clean()
    milestone.save(update_fields=["achieved"])
    _record(
        actor,
        "update",
        milestone,
        milestone.objective.priority.plan,
        detail={"changes": {"achieved": [str(not achieved), str(achieved)]}},
        request=request,
    )
    return milestone


# --- Progress -----------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    item: Priority | Objective,
    rag: str,
    note: str,
    actor: Any,
    evidence_url: str = "",
    request: HttpRequest | None = None,
) -> ProgressUpdate:
    """Record a dated RAG judgement on a priority or an objective and make it the current status.

    Updates are never edited: the item's history is the list of its updates, newest first.
    """
    if rag not in Rag.values:
        raise ApplicationError("Choose a status.", field="rag")
    if not note.strip():
        raise ApplicationError("Say briefly what has happened and why you chose this status.", field="note")
    update = ProgressUpdate(
        priority=item if isinstance(item, Priority) else None,
        objective=item if isinstance(item, Objective) else None,
        rag=rag,
        note=note.strip(),
        evidence_url=evidence_url.strip(),
        author=actor,
    )
    update.full_clean()
    update.save()
    before = item.rag
    item.rag = rag
    item.full_clean()
    item.save(update_fields=["rag"])
    plan = item.plan if isinstance(item, Priority) else item.priority.plan
    _record(
        actor,
        "progress",
        item,
        plan,
        detail={"rag": [before, rag], "note": update.note[:200], "evidence_url": update.evidence_url},
        request=request,
    )
    return update


# --- Actions ------------------------------------------------------------------------------------


def objective_action_add(
    *,
    objective: Objective,
    title: str,
    owner: Any,
    actor: Any,
    due_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Action:
    """An action towards an objective, in the one action log (it shows in its owner's actions)."""
    plan = objective.priority.plan
    if owner is None:
        raise ApplicationError("Choose who will do it.", field="owner")
    if not title.strip():
        raise ApplicationError("Say what will be done.", field="title")
    _check_plan_person(plan, owner, field="owner", what="person doing it")
    return action_create(
        title=title,
        owner=owner,
        created_by=actor,
        school=plan.school if plan.school_id else None,
        partnership=plan.partnership if plan.partnership_id else None,
        due_on=due_on,
        objective=objective,
        source=objective,
        source_label=f"{plan}: objective {objective.priority.number}.{objective.number} {objective.title}",
        request=request,
    )


# --- Shared priorities --------------------------------------------------------------------------


@transaction.atomic
def working_party_from_theme(
    *,
    partnership: Partnership,
    theme: Theme,
    academic_year: int,
    actor: Any,
    request: HttpRequest | None = None,
) -> Network:
    """Form a working party for a theme that two or more schools share as a priority.

    Its remit names the theme and the schools; each school's lead for that priority joins it.
    """
    column = selectors.shared_theme_column(partnership=partnership, theme=theme, academic_year=academic_year)
    if len(column) < 2:
        raise ApplicationError("A working party needs at least two schools that share this priority.")
    year = academic_year_label(academic_year)
    school_names = [school.name for school in column]
    listed = ", ".join(school_names[:-1]) + f" and {school_names[-1]}"
    priorities = "; ".join(
        f"{school.name}: {', '.join(p.title for p in school_priorities)}"
        for school, school_priorities in column.items()
    )
    network = working_party_create(
        partnership=partnership,
        name=f"{theme.name} working party {year}",
        remit=(
            f"{theme.name} is a shared priority in the {year} development plans of {listed}. "
            f"The working party brings their leads together to plan and share the work. "
            f"The priorities: {priorities}."
        ),
        actor=actor,
        request=request,
    )
    added: set[int] = set()
    for school_priorities in column.values():
        for priority in school_priorities:
            lead = priority.lead
            if lead is None or not lead.is_active or lead.pk in added:
                continue
            network_member_add(network=network, person=lead, actor=actor, request=request)
            added.add(lead.pk)
    return network
