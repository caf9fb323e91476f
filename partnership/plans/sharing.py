"""The plans' part of a school's data-sharing record: whether the partnership sees each of its
development plans' priorities, read from the plan, with the history the audit log holds."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.plans.models import ImprovementPlan

SHARED = "Priorities shared (not objectives or actions)"
NOT_SHARED = "Not shared"
NOTE = (
    "Everyone in the school's partnerships reads the plan's priorities when they are shared; the objectives, "
    "milestones and actions stay with the school."
)


def _level(shares: bool) -> str:
    return SHARED if shares else NOT_SHARED


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_label


def school_plan_sharing(school: Any) -> list[SharingChoiceRecord]:
    """One record per school development plan, newest year first. Two queries, whatever the plans:
    the plans (with their creators) and the share / unshare events of all of them."""
    plans = list(
        ImprovementPlan.objects.filter(kind=ImprovementPlan.Kind.SCHOOL, school=school)
        .select_related("created_by")
        .order_by("-academic_year")
    )
    if not plans:
        return []
    events: dict[str, list[AuditEvent]] = {}
    for event in (
        AuditEvent.objects.filter(
            object_type="plans.improvementplan",
            object_id__in=[str(plan.pk) for plan in plans],
            verb__in=["share", "unshare"],
        )
        .select_related("actor")
        .order_by("-at", "-id")
    ):
        events.setdefault(event.object_id, []).append(event)
    records = []
    for plan in plans:
        changes = events.get(str(plan.pk), [])
        decisions = [SharingDecision(_level(event.verb == "share"), _actor(event), event.at) for event in changes]
        # The plan's creation is the first decision: not shared, unless it was rolled forward from
        # a shared plan (the level before the first recorded change, or else the level now).
        first = (changes[-1].verb != "share") if changes else plan.shares_priorities
        decisions.append(SharingDecision(_level(first), str(plan.created_by), plan.created_at))
        title = f"School Development Plan {plan.year_label}" + (f": {plan.title}" if plan.title else "")
        records.append(
            SharingChoiceRecord(
                subject="Plan priorities",
                item=title,
                partnership="Each partnership",
                current=decisions[0],
                history=tuple(decisions[1:]),
                url=reverse("plans:detail", args=[plan.pk]) + "#sharing",
                note=NOTE,
            )
        )
    return records
