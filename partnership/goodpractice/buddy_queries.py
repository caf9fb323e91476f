"""What the buddy pages read: a partnership's pairs as one person may see them (current, starting
next year, ended), the person's own buddies, and one pair with its meetings. Each in a number of
queries that does not grow with the pairs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from partnership.core import access
from partnership.core.roles import Role
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.directory.models import Partnership
from partnership.goodpractice.buddies import year_group_label
from partnership.goodpractice.models import BuddyMeeting, BuddyPair, year_end


def visible_pairs(user: Any, partnership: Partnership) -> QuerySet[BuddyPair]:
    """The partnership's pairs this person may see, with their people and schools, the number of
    meetings, the last meeting's date and whether the pair has been renewed."""
    return (
        access.visible_to(user, BuddyPair)
        .filter(partnership=partnership)
        .select_related("first", "second", "first_school", "second_school")
        .annotate(
            meeting_count=Count("meetings"),
            last_met=Max("meetings__day"),
            renewed=Exists(BuddyPair.objects.filter(renewed_from=OuterRef("pk"))),
        )
        .order_by("-academic_year", "first_school__name", "first__full_name", "pk")
    )


@dataclass(frozen=True)
class MyBuddy:
    """One of the person's own pairs, seen from their side: who their buddy is."""

    pair: BuddyPair
    buddy: Any
    buddy_school: Any
    upcoming: bool


def _mine(user: Any, pairs: list[BuddyPair], day: datetime.date) -> list[MyBuddy]:
    found = []
    for pair in pairs:
        if pair.ends_on <= max(day, pair.starts_on) or user.pk not in (pair.first_id, pair.second_id):
            continue
        mine_first = pair.first_id == user.pk
        found.append(
            MyBuddy(
                pair=pair,
                buddy=pair.second if mine_first else pair.first,
                buddy_school=pair.second_school if mine_first else pair.first_school,
                upcoming=pair.starts_on > day,
            )
        )
    return found


@dataclass(frozen=True)
class PairRow:
    """A pair as a list shows it, in words."""

    pair: BuddyPair
    role_label: str
    year_group_label: str
    year_label: str
    meetings: int
    last_met: datetime.date | None
    renewed: bool


def pair_words(pair: BuddyPair) -> dict[str, str]:
    """The pair's role, year group and academic year as people say them."""
    return {
        "role_label": role_label(pair.role),
        "year_group_label": year_group_label(pair.year_group) if pair.year_group else "",
        "year_label": academic_year_label(pair.academic_year),
    }


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def _row(pair: Any) -> PairRow:
    return PairRow(
        pair=pair, meetings=pair.meeting_count, last_met=pair.last_met, renewed=pair.renewed, **pair_words(pair)
    )


def pairs_page(user: Any, partnership: Partnership, today: datetime.date | None = None) -> dict[str, Any]:
    """The partnership's buddy pairs page: the person's own buddies, current pairs, pairs starting
    next year (renewed), ended pairs, and whether they may pair people."""
    day = today or timezone.localdate()
    pairs = list(visible_pairs(user, partnership))
    return {
        "my_buddies": {"partnership": partnership, "mine": _mine(user, pairs, day)},
        "current": [_row(p) for p in pairs if p.starts_on <= day < p.ends_on],
        "upcoming": [_row(p) for p in pairs if p.starts_on > day and p.ends_on > p.starts_on],
        "ended": [_row(p) for p in pairs if p.ends_on <= max(day, p.starts_on)],
        "can_pair": access.can(user, "make_buddy_pair", partnership),
        "today": day,
    }


def my_buddies(user: Any, partnership: Partnership | None = None, day: datetime.date | None = None) -> list[MyBuddy]:
    """The person's current and coming buddies (in one partnership, or in all), soonest first. One query."""
    day = day or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return []
    pairs = BuddyPair.objects.filter(ends_on__gt=day).filter(Q(first=user) | Q(second=user))
    if partnership is not None:
        pairs = pairs.filter(partnership=partnership)
    visible = pairs.filter(pk__in=access.visible_to(user, BuddyPair).values("pk"))
    rows = visible.select_related("first", "second", "first_school", "second_school").order_by("starts_on", "pk")
    return _mine(user, list(rows), day)


@dataclass(frozen=True)
class PairState:
    current: bool
    upcoming: bool
    ended: bool
    renewed_to: BuddyPair | None
    can_end: bool
    can_renew: bool
    can_log: bool


def pair_page(user: Any, pair: BuddyPair, today: datetime.date | None = None) -> dict[str, Any]:
    """One pair: its meetings (newest first), what became of it, and what this person may do."""
    day = today or timezone.localdate()
    meetings = list(BuddyMeeting.objects.filter(pair=pair).select_related("logged_by").order_by("-day", "-pk"))
    renewed_to = BuddyPair.objects.filter(renewed_from=pair).order_by("pk").first()
    manages = access.can_within(user, "manage", pair)
    ended = pair.ends_on <= max(day, pair.starts_on)  # a renewal ended before it began never ran
    state = PairState(
        current=pair.starts_on <= day < pair.ends_on,
        upcoming=pair.starts_on > day and not ended,
        ended=ended,
        renewed_to=renewed_to,
        can_end=manages and not ended,
        can_renew=manages
        and renewed_to is None
        and pair.ends_on == year_end(pair.academic_year)
        and pair.academic_year + 1 >= current_academic_year(day),
        can_log=access.can_within(user, "log_meeting", pair) and pair.starts_on <= day,
    )
    return {"pair": pair, "meetings": meetings, "state": state, "today": day, **pair_words(pair)}
