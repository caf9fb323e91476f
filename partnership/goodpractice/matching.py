"""Find support: which register entries could meet a need, best first, each with the reasons.

A pure function of plain values (no database): `match_need(need, offers)`. An offer is suggested
for a need when it is in the need's area, from another school, and not withdrawn. Offers are ranked

1. those with room this term before those that are full (a full entry is still shown, last,
   so a school can ask to be next);
2. by the strength of their evidence (`evidence_strength`): endorsement counts most, then
   evidence that was measured or judged by others (an outcome measure significantly above
   national, an endorsed Area of Excellence, a peer review's strength, moderation agreement, an
   inspection finding), then what the school says of itself (its SEF, a document); evidence about
   the very measure the need is about counts extra;
3. by the room left (sessions free this term), more first;
4. by entry id, so the order never depends on the input's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# What one piece of evidence of each kind adds to an offer's strength.
EVIDENCE_WEIGHTS: dict[str, int] = {
    "measure": 3,
    "aoe": 3,
    "review": 2,
    "moderation": 2,
    "inspection": 2,
    "sef": 1,
    "document": 1,
}
ENDORSED_WEIGHT = 4
SAME_MEASURE_WEIGHT = 2
EVIDENCE_WORDS: dict[str, str] = {
    "measure": "an outcome measure above national",
    "aoe": "an endorsed Area of Excellence",
    "review": "a peer review strength",
    "moderation": "moderation agreement",
    "inspection": "an inspection finding",
    "sef": "its self-evaluation",
    "document": "a document",
}


@dataclass(frozen=True)
class Need:
    school_id: int
    area: str  # a PracticeArea key
    measure: str = ""  # the outcome measure it is about, e.g. "ks2_maths", where it came from data


@dataclass(frozen=True)
class Evidence:
    kind: str  # an `EVIDENCE_WEIGHTS` key; others count nothing
    label: str = ""
    measure: str = ""  # for kind "measure": the measure key


@dataclass(frozen=True)
class Offer:
    entry_id: int
    school_id: int
    area: str
    capacity: int  # sessions or visits a term
    reserved: int = 0  # held by accepted requests still open
    endorsed: bool = False
    endorsed_how: str = ""  # as people say it: "by the Raising Achievement Board"
    withdrawn: bool = False
    evidence: tuple[Evidence, ...] = ()

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.reserved)


@dataclass(frozen=True)
class Match:
    offer: Offer
    strength: int
    remaining: int
    reasons: tuple[str, ...]


def evidence_strength(offer: Offer, need: Need | None = None) -> int:
    """The offer's evidence score for a need (or for none)."""
    score = ENDORSED_WEIGHT if offer.endorsed else 0
    for item in offer.evidence:
        score += EVIDENCE_WEIGHTS.get(item.kind, 0)
        if need is not None and need.measure and item.kind == "measure" and item.measure == need.measure:
            score += SAME_MEASURE_WEIGHT
    return score


def is_candidate(need: Need, offer: Offer) -> bool:
    return offer.area == need.area and offer.school_id != need.school_id and not offer.withdrawn


def reasons_for(need: Need, offer: Offer) -> tuple[str, ...]:
    """Why an offer is suggested, in the words the page shows."""
    found: list[str] = []
    if offer.endorsed:
        found.append(f"Endorsed {offer.endorsed_how}".rstrip() if offer.endorsed_how else "Endorsed")
    same = [e for e in offer.evidence if need.measure and e.kind == "measure" and e.measure == need.measure]
    for item in same:
        found.append(f"Strong in the same measure: {item.label}" if item.label else "Strong in the same measure")
    counted = [e for e in offer.evidence if e.kind in EVIDENCE_WEIGHTS and e not in same]
    kinds: dict[str, int] = {}
    for item in counted:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    for kind in EVIDENCE_WEIGHTS:
        if kind in kinds:
            count = kinds[kind]
            words = EVIDENCE_WORDS[kind]
            found.append(f"Evidence: {words}" if count == 1 else f"Evidence: {words} ({count})")
    if not offer.endorsed and not offer.evidence:
        found.append("Proposed by the school, no evidence linked yet")
    if offer.remaining:
        found.append(f"{offer.remaining} of {offer.capacity} sessions free this term")
    else:
        found.append("Full this term: ask to be next")
    return tuple(found)


def _rank_key(need: Need, offer: Offer) -> tuple[int, int, int, int]:
    return (0 if offer.remaining else 1, -evidence_strength(offer, need), -offer.remaining, offer.entry_id)


def _ranked(need: Need, offers: Iterable[Offer]) -> list[Match]:
    """The live offers in the need's area, from any school, best first for the need. Only the
    need's area and measure bear on it, so needs that share both share the ranking."""
    found = sorted((o for o in offers if o.area == need.area and not o.withdrawn), key=lambda o: _rank_key(need, o))
    return [Match(o, evidence_strength(o, need), o.remaining, reasons_for(need, o)) for o in found]


def match_need(need: Need, offers: Iterable[Offer]) -> list[Match]:
    """The offers that could meet `need`, best first (see the module's docstring)."""
    return [m for m in _ranked(need, offers) if m.offer.school_id != need.school_id]


def match_all(needs: Sequence[Need], offers: Sequence[Offer]) -> list[list[Match]]:
    """`match_need` for each need, in the needs' order. The offers are grouped by area once and
    ranked once for each area and measure that the needs name; each need's list is that ranking
    less its own school's entries (cut out by position, which keeps the order). The `Match`
    values are shared between needs: they are frozen."""
    by_area: dict[str, list[Offer]] = {}
    for offer in offers:
        by_area.setdefault(offer.area, []).append(offer)
    rankings: dict[tuple[str, str], tuple[list[Match], dict[int, list[int]]]] = {}
    results: list[list[Match]] = []
    for need in needs:
        key = (need.area, need.measure)
        if key not in rankings:
            ranking = _ranked(need, by_area.get(need.area, ()))
            positions: dict[int, list[int]] = {}
            for index, match in enumerate(ranking):
                positions.setdefault(match.offer.school_id, []).append(index)
            rankings[key] = (ranking, positions)
        ranking, positions = rankings[key]
        own = positions.get(need.school_id)
        if not own:
            results.append(ranking[:])
            continue
        kept: list[Match] = []
        start = 0
        for index in own:
            kept.extend(ranking[start:index])
            start = index + 1
        kept.extend(ranking[start:])
        results.append(kept)
    return results
