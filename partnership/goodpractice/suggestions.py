"""Register entries as the matching function's offers, and the suggestions for a need: the
database side of `matching.py`, in a fixed number of queries whatever the size of the register."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, Sum

from partnership.core import access
from partnership.goodpractice import matching
from partnership.goodpractice.models import EntryEvidence, RegisterEntry, SupportRequest
from partnership.goodpractice.needs import NeedItem, measure_of


def entries_with_room(queryset: Any) -> Any:
    """Entries with `reserved_now`: the sessions their open requests hold."""
    return queryset.annotate(
        reserved_now=Sum("requests__reserved", filter=Q(requests__status__in=SupportRequest.OPEN), default=0)
    )


def live_entries(user: Any, partnership_ids: Any) -> list[RegisterEntry]:
    """The live entries of these partnerships this person may see, with their evidence and room."""
    rows = entries_with_room(
        access.visible_to(user, RegisterEntry)
        .filter(partnership_id__in=list(partnership_ids))
        .exclude(status="withdrawn")
    )
    return list(
        rows.select_related("school", "area", "contact", "partnership").prefetch_related(
            Prefetch("evidence", queryset=EntryEvidence.objects.order_by("pk"))
        )
    )


def as_offer(entry: RegisterEntry) -> matching.Offer:
    return matching.Offer(
        entry_id=entry.pk,
        school_id=entry.school_id,
        area=entry.area.key,
        capacity=entry.capacity,
        reserved=getattr(entry, "reserved_now", 0) or 0,
        endorsed=entry.status == RegisterEntry.Status.ENDORSED,
        endorsed_how=f"by {entry.get_endorsed_how_display()[0].lower()}{entry.get_endorsed_how_display()[1:]}"
        if entry.endorsed_how
        else "",
        withdrawn=entry.status == RegisterEntry.Status.WITHDRAWN,
        evidence=tuple(
            matching.Evidence(e.kind, e.label, measure_of(e.kind, e.ref) if e.kind == "measure" else "")
            for e in entry.evidence.all()
        ),
    )


def as_need(school_id: int, item: NeedItem, area_key: str) -> matching.Need:
    return matching.Need(school_id=school_id, area=area_key, measure=item.measure)


def school_partnerships(school: Any) -> list[int]:
    from partnership.directory.models import Membership

    return list(Membership.objects.current().filter(school=school).values_list("partnership_id", flat=True))


def suggestions_for(
    user: Any, school: Any, item: NeedItem, area_key: str
) -> list[tuple[matching.Match, RegisterEntry]]:
    """The entries of the school's partnerships that could meet the need in `area_key`, best first."""
    entries = {
        entry.pk: entry for entry in live_entries(user, school_partnerships(school)) if entry.area.key == area_key
    }
    found = matching.match_need(as_need(school.pk, item, area_key), [as_offer(e) for e in entries.values()])
    return [(match, entries[match.offer.entry_id]) for match in found]
