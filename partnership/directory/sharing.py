"""A school's data-sharing record (PRODUCT.md C14): every choice it has made about what it shares
with its partnerships, gathered from the apps where each choice is made (`registry.sharing_record`)
and grouped by partnership, then by what is shared. Nothing is copied: the record is read afresh."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from partnership.core import registry
from partnership.core.registry import SharingChoiceRecord
from partnership.directory.models import Membership, School

EACH_PARTNERSHIP = "Each partnership"


@dataclass(frozen=True)
class SharingSubject:
    subject: str  # "Plan priorities", "Outcome aggregates"
    records: list[SharingChoiceRecord]


@dataclass(frozen=True)
class SharingGroup:
    partnership: str  # a partnership's name, or EACH_PARTNERSHIP for choices that reach all of them
    subjects: list[SharingSubject] = field(default_factory=list)

    @property
    def is_each(self) -> bool:
        return self.partnership == EACH_PARTNERSHIP


@dataclass(frozen=True)
class SharingRecord:
    school: School
    partnerships: list[str]  # the school's current partnerships, by name
    groups: list[SharingGroup]
    printed_at: datetime.datetime

    @property
    def choice_count(self) -> int:
        return sum(len(subject.records) for group in self.groups for subject in group.subjects)


def group_records(records: list[SharingChoiceRecord], partnerships: list[str]) -> list[SharingGroup]:
    """Choices that reach each partnership first, then the school's partnerships by name, then any
    other (a partnership the school has left, where an exemplar or an entry of its own remains).
    Within a partnership, subjects keep the order the sources gave them."""
    by_partnership: dict[str, dict[str, list[SharingChoiceRecord]]] = {}
    for record in records:
        by_partnership.setdefault(record.partnership, {}).setdefault(record.subject, []).append(record)
    rank = {name: number for number, name in enumerate(sorted(partnerships), start=1)}

    def order(name: str) -> tuple[int, str]:
        if name == EACH_PARTNERSHIP:
            return (0, "")
        return (rank.get(name, len(rank) + 1), name)

    return [
        SharingGroup(name, [SharingSubject(subject, rows) for subject, rows in by_partnership[name].items()])
        for name in sorted(by_partnership, key=order)
    ]


def school_sharing_record(school: School) -> SharingRecord:
    """The school's record: one query for its partnerships, then each source's own few queries."""
    partnerships = sorted(
        Membership.objects.current().filter(school=school).values_list("partnership__name", flat=True)
    )
    return SharingRecord(
        school=school,
        partnerships=partnerships,
        groups=group_records(registry.sharing_record(school), partnerships),
        printed_at=timezone.now(),
    )
