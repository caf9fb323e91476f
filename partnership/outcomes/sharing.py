"""The outcomes' part of a school's data-sharing record: its own figures (outcome aggregates) are
shown to each partnership it belongs to, with small groups suppressed. The threshold is read from
where it lives (each partnership's setting, the rule in `selectors.suppression_threshold`); who
set it and when comes from the audit log, else the school's joining date."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.directory.models import Membership
from partnership.outcomes.selectors import suppression_threshold
from partnership.outcomes.stats import DEFAULT_SUPPRESSION_THRESHOLD

FIELD = "suppression_threshold"


def _shown_with(threshold: int) -> str:
    return f"Shared, groups of fewer than {threshold} pupils hidden"


def _threshold_set(event: AuditEvent) -> int | None:
    """The threshold an audit event set, if it set one: a change ([old, new]) or a new row's value."""
    detail = event.detail or {}
    change = (detail.get("changes") or {}).get(FIELD)
    value = change[1] if isinstance(change, list) and len(change) == 2 else (detail.get("values") or {}).get(FIELD)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_label


def school_outcome_sharing(school: Any) -> list[SharingChoiceRecord]:
    """One record per current partnership of the school. Three queries, whatever the partnerships:
    the memberships, the threshold in force and the threshold changes of all the partnerships."""
    memberships = list(
        Membership.objects.current().filter(school=school).select_related("partnership").order_by("partnership__name")
    )
    if not memberships:
        return []
    threshold = suppression_threshold(school)
    changes: dict[str, list[tuple[AuditEvent, int]]] = {}
    for event in (
        AuditEvent.objects.filter(
            Q(detail__changes__has_key=FIELD) | Q(detail__values__has_key=FIELD),
            object_type="directory.partnership",
            object_id__in=[str(m.partnership_id) for m in memberships],
            verb__in=["create", "update"],
        )
        .select_related("actor")
        .order_by("-at", "-id")
    ):
        value = _threshold_set(event)
        if value is not None:
            changes.setdefault(event.object_id, []).append((event, value))
    records = []
    for membership in memberships:
        partnership = membership.partnership
        decisions = [
            SharingDecision(
                f"{_shown_with(max(DEFAULT_SUPPRESSION_THRESHOLD, value))} (the partnership's setting)",
                _actor(event),
                event.at,
            )
            for event, value in changes.get(str(partnership.pk), [])
        ]
        joined = SharingDecision(f"Shared from joining {partnership.name}", "", _day_start(membership.joined_on))
        # In force: the threshold now, decided by the partnership's latest change, else on joining.
        latest = decisions[0] if decisions else joined
        current = SharingDecision(_shown_with(threshold), latest.decided_by, latest.decided_at)
        history = (*decisions[1:], joined) if decisions else ()
        records.append(
            SharingChoiceRecord(
                subject="Outcome aggregates",
                item="The school's results by group (percentages and averages)",
                partnership=partnership.name,
                current=current,
                history=history,
                note=(
                    f"Everyone in {partnership.name} sees the school's own figures with groups of fewer than "
                    f"{threshold} pupils hidden: the strictest threshold of the school's partnerships "
                    f"({partnership.name}'s is {partnership.suppression_threshold}), never below "
                    f"{DEFAULT_SUPPRESSION_THRESHOLD}. A platform administrator changes a partnership's threshold. "
                    "Pupil-level data (names, UPNs, each pupil's results) is never shared."
                ),
            )
        )
    return records
