"""What a plan's PDF (for governors) and Excel workbook contain. The files themselves are made by
`partnership.core.exports`; this module only lays out the plan's rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from partnership.plans import selectors
from partnership.plans.models import ImprovementPlan


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _name(person: Any) -> str:
    return person.full_name or person.email if person is not None else ""


def plan_pdf_context(plan: ImprovementPlan, plan_name: str, user: Any) -> dict[str, Any]:
    priorities = selectors.plan_priorities(plan, user)
    return {
        "title": plan_name,
        "plan": plan,
        "priorities": priorities,
        "summary": selectors.plan_summary(priorities),
        "printed_on": timezone.localdate(),
    }


def plan_sheets(plan: ImprovementPlan, user: Any) -> list[tuple[str, Sequence[str], list[list[Any]]]]:
    """Sheets: Priorities, Objectives, Milestones, Actions, Progress updates."""
    priorities = selectors.plan_priorities(plan, user)
    priority_rows, objective_rows, milestone_rows, action_rows, update_rows = [], [], [], [], []
    for p in priorities:
        latest = p.latest_update
        priority_rows.append(
            [
                p.number,
                p.title,
                p.description,
                p.get_framework_area_display(),
                ", ".join(t.name for t in p.themes.all()),
                _name(p.lead),
                p.get_rag_display(),
                latest.note if latest else "",
                _when(latest.recorded_at) if latest else "",
            ]
        )
        for u in p.history:
            update_rows.append(
                [
                    f"Priority {p.number}",
                    p.title,
                    u.get_rag_display(),
                    u.note,
                    u.evidence_url,
                    _name(u.author),
                    _when(u.recorded_at),
                ]
            )
        for a in p.priority_actions:
            action_rows.append(_action_row(str(p.number), "", a))
        for o in p.objectives.all():
            label = f"{p.number}.{o.number}"
            latest = o.latest_update
            objective_rows.append(
                [
                    label,
                    o.title,
                    o.success_criteria,
                    _name(o.lead),
                    o.get_rag_display(),
                    latest.note if latest else "",
                    _when(latest.recorded_at) if latest else "",
                ]
            )
            for m in o.milestones.all():
                milestone_rows.append(
                    [label, o.title, m.get_term_display(), m.description, "Yes" if m.achieved else "No"]
                )
            for a in o.plan_actions:
                action_rows.append(_action_row(str(p.number), label, a))
            for u in o.history:
                update_rows.append(
                    [
                        f"Objective {label}",
                        o.title,
                        u.get_rag_display(),
                        u.note,
                        u.evidence_url,
                        _name(u.author),
                        _when(u.recorded_at),
                    ]
                )
    return [
        (
            "Priorities",
            ["Number", "Priority", "Why", "Framework area", "Themes", "Lead", "Status", "Latest update", "Updated at"],
            priority_rows,
        ),
        (
            "Objectives",
            ["Number", "Objective", "Success criteria", "Lead", "Status", "Latest update", "Updated at"],
            objective_rows,
        ),
        ("Milestones", ["Objective", "Objective title", "Term", "Milestone", "Achieved"], milestone_rows),
        ("Actions", ["Priority", "Objective", "Action", "Owner", "Due", "Status", "Overdue"], action_rows),
        ("Progress updates", ["Item", "Title", "Status", "Note", "Evidence", "By", "Recorded at"], update_rows),
    ]


def _action_row(priority: str, objective: str, action: Any) -> list[Any]:
    return [
        priority,
        objective,
        action.title,
        _name(action.owner),
        action.due_on,
        action.get_status_display(),
        "Overdue" if action.overdue else "",
    ]
