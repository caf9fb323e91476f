"""The good practice register's part of a school's data-sharing record: each entry the school has
put in a partnership's register, read from the entry (proposed, endorsed) and, for a withdrawal,
from the audit log."""

from __future__ import annotations

from typing import Any

from partnership.core import registry
from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.goodpractice.models import RegisterEntry

PROPOSED = "Shared with the partnership: proposed by the school"
WITHDRAWN = "Withdrawn: the school and the partnership's coordinators only"
NOTE = (
    "Everyone in the partnership reads a live entry (what the school does well, its evidence, its contact and "
    "the support it can offer); a withdrawn entry stays with the school and the coordinators."
)


def _endorsed(entry: RegisterEntry) -> str:
    how = entry.get_endorsed_how_display()  # "The Raising Achievement Board", "A peer review"
    return (
        f"Shared with the partnership: endorsed by {how[:1].lower()}{how[1:]}"
        if how
        else ("Shared with the partnership: endorsed")
    )


def _live_level(entry: RegisterEntry) -> str:
    return _endorsed(entry) if entry.status == RegisterEntry.Status.ENDORSED else PROPOSED


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_label


def school_register_sharing(school: Any) -> list[SharingChoiceRecord]:
    """One record per register entry of the school. Two queries, whatever the entries: the entries
    (with their partnerships and the people who decided) and their withdrawals in the audit log."""
    entries = list(
        RegisterEntry.objects.filter(school=school)
        .select_related("partnership", "area", "proposed_by", "endorsed_by")
        .order_by("partnership__name", "area__order", "title")
    )
    if not entries:
        return []
    withdrawals: dict[str, list[AuditEvent]] = {}
    for event in AuditEvent.objects.filter(
        object_type="goodpractice.registerentry",
        object_id__in=[str(entry.pk) for entry in entries],
        verb="withdraw",
    ).select_related("actor"):
        withdrawals.setdefault(event.object_id, []).append(event)
    records = []
    for entry in entries:
        decisions = [SharingDecision(PROPOSED, str(entry.proposed_by), entry.proposed_at)]
        if entry.endorsed_at is not None:
            by = entry.endorsed_by
            decisions.append(SharingDecision(_endorsed(entry), str(by) if by else "", entry.endorsed_at))
        events = withdrawals.get(str(entry.pk), [])
        withdrawn = [SharingDecision(WITHDRAWN, _actor(event), event.at) for event in events]
        if entry.status == RegisterEntry.Status.WITHDRAWN and not withdrawn:
            withdrawn = [SharingDecision(WITHDRAWN, "", entry.updated_at)]  # no event recorded: its last change
        decisions += withdrawn
        decisions.sort(key=lambda d: d.decided_at or entry.proposed_at, reverse=True)
        if entry.is_live and decisions[0].level == WITHDRAWN:  # put back since: its last change
            decisions.insert(0, SharingDecision(_live_level(entry), "", entry.updated_at))
        records.append(
            SharingChoiceRecord(
                subject="Good practice register",
                item=f"{entry.title} ({entry.area.name})",
                partnership=entry.partnership.name,
                current=decisions[0],
                history=tuple(decisions[1:]),
                note=NOTE,
            )
        )
    return records


def register() -> None:
    """Add the register to every school's data-sharing record (from `AppConfig.ready()`)."""
    registry.register_sharing_source(registry.SharingSource("goodpractice", school_register_sharing, 50))
