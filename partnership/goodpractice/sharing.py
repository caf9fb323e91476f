"""The good practice register's part of a school's data-sharing record: each entry the school has
put in a partnership's register, shared with that partnership. Proposed is read from the entry;
endorsements, withdrawals and puttings forward again from the audit rows `entries.py` writes (an
entry put forward again loses its endorsement fields, so the log is where the earlier ones live)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core import registry
from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.goodpractice.models import RegisterEntry

PROPOSED = "Shared with the partnership: proposed by the school"
RESTORED = "Shared with the partnership: put forward again"
WITHDRAWN = "Withdrawn: the school and the partnership's coordinators only"
NOTE = (
    "Everyone in the partnership reads a live entry (what the school does well, its evidence, its contact and "
    "the support it can offer); a withdrawn entry stays with the school and the coordinators."
)
VERBS = ("endorse", "withdraw", "restore")


def _endorsed(how: str) -> str:
    label = RegisterEntry.EndorsedBy(how).label if how in RegisterEntry.EndorsedBy.values else ""
    return (
        f"Shared with the partnership: endorsed by {label[:1].lower()}{label[1:]}"
        if label
        else ("Shared with the partnership: endorsed")
    )


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_label


def _from_event(event: AuditEvent) -> SharingDecision:
    if event.verb == "endorse":
        level = _endorsed(str((event.detail or {}).get("how", "")))
    else:
        level = WITHDRAWN if event.verb == "withdraw" else RESTORED
    return SharingDecision(level, _actor(event), event.at)


def _status_level(entry: RegisterEntry) -> str:
    if entry.status == RegisterEntry.Status.WITHDRAWN:
        return WITHDRAWN
    return _endorsed(entry.endorsed_how) if entry.status == RegisterEntry.Status.ENDORSED else PROPOSED


def _timeline(entry: RegisterEntry, events: list[AuditEvent]) -> list[SharingDecision]:
    """The entry's decisions, newest first, ending in the state the entry is in now."""
    decisions = [SharingDecision(PROPOSED, str(entry.proposed_by), entry.proposed_at)]
    decisions += [_from_event(event) for event in events]
    endorsed_logged = any(event.verb == "endorse" for event in events)
    if entry.endorsed_at is not None and not endorsed_logged:  # endorsed without a logged event (loaded data)
        by = entry.endorsed_by
        decisions.append(SharingDecision(_endorsed(entry.endorsed_how), str(by) if by else "", entry.endorsed_at))
    decisions.sort(key=lambda d: d.decided_at or entry.proposed_at, reverse=True)
    now = _status_level(entry)
    if decisions[0].level != now and not (now == PROPOSED and decisions[0].level == RESTORED):
        # The entry changed without an event this record can read: its state now, from its last change.
        decisions.insert(0, SharingDecision(now, "", entry.updated_at))
    return decisions


def school_register_sharing(school: Any) -> list[SharingChoiceRecord]:
    """One record per register entry of the school. Two queries, whatever the entries: the entries
    (with their partnerships and the people who decided) and their events in the audit log."""
    entries = list(
        RegisterEntry.objects.filter(school=school)
        .select_related("partnership", "area", "proposed_by", "endorsed_by")
        .order_by("partnership__name", "area__order", "title")
    )
    if not entries:
        return []
    events: dict[str, list[AuditEvent]] = {}
    for event in (
        AuditEvent.objects.filter(
            object_type="goodpractice.registerentry",
            object_id__in=[str(entry.pk) for entry in entries],
            verb__in=VERBS,
        )
        .select_related("actor")
        .order_by("-at", "-id")
    ):
        events.setdefault(event.object_id, []).append(event)
    records = []
    for entry in entries:
        decisions = _timeline(entry, events.get(str(entry.pk), []))
        records.append(
            SharingChoiceRecord(
                subject="Good practice register",
                item=f"{entry.title} ({entry.area.name})",
                partnership=entry.partnership.name,
                current=decisions[0],
                history=tuple(decisions[1:]),
                url=reverse("goodpractice:entry_detail", args=[entry.pk]),
                note=NOTE,
            )
        )
    return records


def register() -> None:
    """Add the register to every school's data-sharing record (from `AppConfig.ready()`)."""
    registry.register_sharing_source(registry.SharingSource("goodpractice", school_register_sharing, 50))
