"""Find support (`matching.py`): the ranking rule of its docstring case by case, with the full order of
entry ids, the reasons in the page's words, and properties over random needs and offers checked
against an independent statement of the rule (which offers are candidates, what each piece of
evidence is worth).

The property tests are derandomized, like the project's other ones: every run tries the same
examples, so a failure is reproducible."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.goodpractice.matching import (
    Evidence,
    Match,
    Need,
    Offer,
    evidence_strength,
    match_all,
    match_need,
    reasons_for,
)

MATHS_MEASURE = Evidence("measure", "KS2 maths: 85% at the expected standard (national 73%)", "ks2_maths")
READING_MEASURE = Evidence("measure", "KS2 reading: 84% at the expected standard (national 74%)", "ks2_reading")
AOE = Evidence("aoe", "Area of Excellence: maths mastery")
REVIEW = Evidence("review", "Peer review 2025: fluency")
MODERATION = Evidence("moderation", "Moderation agreement 92%")
INSPECTION = Evidence("inspection", "Ofsted 2025: Achievement, Strong standard")
SEF = Evidence("sef", "Self-evaluation: maths")
DOCUMENT = Evidence("document", "Calculation policy")


def offer(entry_id: int, school_id: int = 2, area: str = "maths", capacity: int = 3, **kwargs) -> Offer:
    return Offer(entry_id=entry_id, school_id=school_id, area=area, capacity=capacity, **kwargs)


def ids(matches: list[Match]) -> list[int]:
    return [m.offer.entry_id for m in matches]


MATHS = Need(school_id=1, area="maths")
MATHS_KS2 = Need(school_id=1, area="maths", measure="ks2_maths")

# (need, offers, the entry ids in the order expected)
ORDER_CASES = {
    "only the need's area": (
        MATHS,
        [offer(1, area="reading"), offer(2), offer(3, area="eal", endorsed=True), offer(4)],
        [2, 4],
    ),
    "never the needy school's own entries": (
        MATHS,
        [offer(1, school_id=1, endorsed=True, evidence=(AOE,)), offer(2, school_id=3), offer(3, school_id=1)],
        [2],
    ),
    "withdrawn never, however strong": (
        MATHS,
        [offer(1, withdrawn=True, endorsed=True, evidence=(AOE, MATHS_MEASURE)), offer(2), offer(3, withdrawn=True)],
        [2],
    ),
    "full entries last, however strong": (
        MATHS,
        [offer(1, reserved=3, endorsed=True, evidence=(AOE, REVIEW)), offer(2, capacity=1), offer(3, reserved=1)],
        [3, 2, 1],
    ),
    "full entries ranked among themselves by evidence, then id": (
        MATHS,
        [offer(5, reserved=3), offer(4, reserved=5, evidence=(SEF,)), offer(3, reserved=3), offer(6)],
        [6, 4, 3, 5],
    ),
    "endorsed beats unendorsed at equal capacity": (
        MATHS,
        [offer(1, evidence=(REVIEW,)), offer(2, endorsed=True, evidence=(REVIEW,)), offer(3)],
        [2, 1, 3],
    ),
    "endorsement alone beats one measured piece of evidence": (
        MATHS,
        [offer(1, evidence=(AOE,)), offer(2, endorsed=True)],
        [2, 1],
    ),
    "measured evidence beats self-declared": (
        MATHS,
        [offer(1, evidence=(SEF,)), offer(2, evidence=(DOCUMENT,)), offer(3, evidence=(READING_MEASURE,)), offer(4)],
        [3, 1, 2, 4],
    ),
    "judged by others beats self-declared": (
        MATHS,
        [offer(1, evidence=(DOCUMENT,)), offer(2, evidence=(MODERATION,)), offer(3, evidence=(INSPECTION,))],
        [2, 3, 1],
    ),
    "more evidence, more strength": (
        MATHS,
        [offer(1, evidence=(SEF,)), offer(2, evidence=(SEF, DOCUMENT)), offer(3, evidence=(SEF, DOCUMENT, REVIEW))],
        [3, 2, 1],
    ),
    "unknown evidence kinds count nothing": (
        MATHS,
        [offer(1, evidence=(Evidence("rumour", "heard it was good"),)), offer(2, capacity=4)],
        [2, 1],
    ),
    "without a measure on the need, a measure and a SEF beat one measure": (
        MATHS,
        [offer(1, evidence=(MATHS_MEASURE,)), offer(2, evidence=(READING_MEASURE, SEF))],
        [2, 1],
    ),
    "same-measure bonus turns that round": (
        MATHS_KS2,
        [offer(1, evidence=(MATHS_MEASURE,)), offer(2, evidence=(READING_MEASURE, SEF))],
        [1, 2],
    ),
    "more room first at equal evidence": (
        MATHS,
        [offer(1, capacity=2), offer(2, capacity=6, reserved=1), offer(3, capacity=4), offer(4, capacity=1)],
        [2, 3, 1, 4],
    ),
    "evidence before room": (
        MATHS,
        [offer(1, capacity=10), offer(2, capacity=1, evidence=(DOCUMENT,))],
        [2, 1],
    ),
    "ties broken by entry id": (
        MATHS,
        [offer(7), offer(3), offer(5), offer(4, school_id=9)],
        [3, 4, 5, 7],
    ),
    "no candidates": (MATHS, [offer(1, area="reading"), offer(2, school_id=1)], []),
    "no offers at all": (MATHS, [], []),
}


@pytest.mark.parametrize(("need", "offers", "expected"), ORDER_CASES.values(), ids=ORDER_CASES.keys())
def test_order(need, offers, expected):
    assert ids(match_need(need, offers)) == expected


@pytest.mark.parametrize(("need", "offers", "expected"), ORDER_CASES.values(), ids=ORDER_CASES.keys())
def test_order_does_not_depend_on_the_input_order(need, offers, expected):
    for seed in range(5):
        shuffled = list(offers)
        random.Random(seed).shuffle(shuffled)
        assert ids(match_need(need, shuffled)) == expected
    assert ids(match_need(need, reversed(offers))) == expected  # any iterable will do


def test_match_all_is_match_need_for_each_need_in_order():
    needs = [MATHS_KS2, Need(3, "reading"), MATHS, Need(2, "maths"), Need(1, "eal"), MATHS_KS2]
    offers = [case_offer for _, case_offers, _ in ORDER_CASES.values() for case_offer in case_offers]
    offers = list({o.entry_id: o for o in offers}.values())  # one offer per entry id
    assert match_all(needs, offers) == [match_need(need, offers) for need in needs]
    assert match_all([], offers) == []
    assert match_all(needs, []) == [[] for _ in needs]


def test_match_all_gives_each_need_its_own_list():
    offers = [offer(1), offer(2, school_id=3)]
    first, second = match_all([MATHS, MATHS], offers)
    first.clear()
    assert ids(second) == [1, 2]


def test_strength_and_remaining_are_on_the_match():
    [endorsed, measured] = match_need(
        MATHS_KS2,
        [offer(1, endorsed=True, evidence=(REVIEW, SEF)), offer(2, capacity=4, reserved=1, evidence=(MATHS_MEASURE,))],
    )
    assert (endorsed.strength, endorsed.remaining) == (4 + 2 + 1, 3)
    assert (measured.strength, measured.remaining) == (3 + 2, 3)
    assert evidence_strength(measured.offer) == 3  # with no need, no same-measure bonus
    assert evidence_strength(measured.offer, MATHS) == 3


@pytest.mark.parametrize(("capacity", "reserved", "remaining"), [(3, 0, 3), (3, 2, 1), (3, 3, 0), (3, 5, 0), (0, 0, 0)])
def test_remaining_is_never_negative(capacity, reserved, remaining):
    entry = offer(1, capacity=capacity, reserved=reserved)
    assert entry.remaining == remaining
    [match] = match_need(MATHS, [entry])
    assert match.remaining == remaining
    expected = f"{remaining} of {capacity} sessions free this term" if remaining else "Full this term: ask to be next"
    assert match.reasons[-1] == expected


REASON_CASES = {
    "no evidence, room left": (
        MATHS,
        offer(1, reserved=1),
        ("Proposed by the school, no evidence linked yet", "2 of 3 sessions free this term"),
    ),
    "no evidence, full": (
        MATHS,
        offer(1, reserved=3),
        ("Proposed by the school, no evidence linked yet", "Full this term: ask to be next"),
    ),
    "more reserved than the capacity": (
        MATHS,
        offer(1, capacity=2, reserved=4),
        ("Proposed by the school, no evidence linked yet", "Full this term: ask to be next"),
    ),
    "endorsed, saying by whom": (
        MATHS,
        offer(1, endorsed=True, endorsed_how="by the Raising Achievement Board"),
        ("Endorsed by the Raising Achievement Board", "3 of 3 sessions free this term"),
    ),
    "endorsed, not saying by whom": (
        MATHS,
        offer(1, capacity=1, endorsed=True),
        ("Endorsed", "1 of 1 sessions free this term"),
    ),
    "one piece of each kind, in the weights' order": (
        MATHS,
        offer(1, evidence=(DOCUMENT, SEF, INSPECTION, MODERATION, REVIEW, AOE, READING_MEASURE)),
        (
            "Evidence: an outcome measure above national",
            "Evidence: an endorsed Area of Excellence",
            "Evidence: a peer review strength",
            "Evidence: moderation agreement",
            "Evidence: an inspection finding",
            "Evidence: its self-evaluation",
            "Evidence: a document",
            "3 of 3 sessions free this term",
        ),
    ),
    "repeated kinds counted in brackets": (
        MATHS,
        offer(1, reserved=2, evidence=(REVIEW, SEF, Evidence("review", "Peer review 2024: reasoning"), REVIEW)),
        ("Evidence: a peer review strength (3)", "Evidence: its self-evaluation", "1 of 3 sessions free this term"),
    ),
    "the same measure named, and not counted again": (
        MATHS_KS2,
        offer(1, evidence=(READING_MEASURE, MATHS_MEASURE)),
        (
            "Strong in the same measure: KS2 maths: 85% at the expected standard (national 73%)",
            "Evidence: an outcome measure above national",
            "3 of 3 sessions free this term",
        ),
    ),
    "the same measure without a label": (
        MATHS_KS2,
        offer(1, evidence=(Evidence("measure", "", "ks2_maths"),)),
        ("Strong in the same measure", "3 of 3 sessions free this term"),
    ),
    "a measure is not the same measure when the need names none": (
        MATHS,
        offer(1, evidence=(MATHS_MEASURE,)),
        ("Evidence: an outcome measure above national", "3 of 3 sessions free this term"),
    ),
    "everything at once, in order": (
        MATHS_KS2,
        offer(
            1,
            capacity=4,
            reserved=1,
            endorsed=True,
            endorsed_how="by the partnership board",
            evidence=(SEF, MATHS_MEASURE, AOE, READING_MEASURE, READING_MEASURE, DOCUMENT),
        ),
        (
            "Endorsed by the partnership board",
            "Strong in the same measure: KS2 maths: 85% at the expected standard (national 73%)",
            "Evidence: an outcome measure above national (2)",
            "Evidence: an endorsed Area of Excellence",
            "Evidence: its self-evaluation",
            "Evidence: a document",
            "3 of 4 sessions free this term",
        ),
    ),
}


@pytest.mark.parametrize(("need", "entry", "expected"), REASON_CASES.values(), ids=REASON_CASES.keys())
def test_reasons(need, entry, expected):
    assert reasons_for(need, entry) == expected
    [match] = match_need(need, [entry])
    assert match.reasons == expected


# --- properties over random needs and offers --------------------------------------------------------

AREAS = ["maths", "reading", "eal"]
MEASURES = ["ks2_maths", "ks2_reading"]
KINDS = ["measure", "aoe", "review", "moderation", "inspection", "sef", "document", "other"]
# The rule restated, independently of the module: what each piece of evidence is worth.
WORTH = {"measure": 3, "aoe": 3, "review": 2, "moderation": 2, "inspection": 2, "sef": 1, "document": 1}

evidence_items = st.builds(
    Evidence,
    kind=st.sampled_from(KINDS),
    label=st.sampled_from(["", "a label"]),
    measure=st.sampled_from(["", *MEASURES]),
)
needs = st.builds(
    Need, school_id=st.integers(1, 4), area=st.sampled_from(AREAS), measure=st.sampled_from(["", *MEASURES])
)


@st.composite
def offer_lists(draw, max_size=14):
    """Up to `max_size` offers with distinct entry ids, drawn from a seeded generator (drawing each
    field through hypothesis costs tens of milliseconds an example; shrinking still lowers the
    count). Capacities from 0 to 4, reservations up to two more than the capacity, one in six
    withdrawn, up to four pieces of evidence of any kind (and of a kind that counts nothing)."""
    n = draw(st.integers(0, max_size))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    found = []
    for entry_id in rnd.sample(range(1, 200), n):
        capacity = rnd.randint(0, 4)
        evidence = tuple(
            Evidence(rnd.choice(KINDS), rnd.choice(["", "a label"]), rnd.choice(["", *MEASURES]))
            for _ in range(rnd.randint(0, 4))
        )
        found.append(
            Offer(
                entry_id=entry_id,
                school_id=rnd.randint(1, 4),
                area=rnd.choice(AREAS),
                capacity=capacity,
                reserved=rnd.randint(0, capacity + 2),
                endorsed=rnd.random() < 0.3,
                endorsed_how=rnd.choice(["", "by the board"]),
                withdrawn=rnd.random() < 1 / 6,
                evidence=evidence,
            )
        )
    return found


def expected_strength(need: Need, entry: Offer) -> int:
    score = 4 if entry.endorsed else 0
    for item in entry.evidence:
        score += WORTH.get(item.kind, 0)
        if item.kind == "measure" and need.measure and item.measure == need.measure:
            score += 2
    return score


def room(entry: Offer) -> int:
    return max(0, entry.capacity - entry.reserved)


PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(needs, offer_lists())
def test_the_matches_are_exactly_the_candidates(need, offers):
    matched = ids(match_need(need, offers))
    candidates = {
        o.entry_id for o in offers if o.area == need.area and o.school_id != need.school_id and not o.withdrawn
    }
    assert len(matched) == len(set(matched))
    assert set(matched) == candidates


@PROPERTY
@given(needs, offer_lists())
def test_sorted_by_full_then_strength_then_room_then_id(need, offers):
    matches = match_need(need, offers)
    for m in matches:
        assert m.strength == expected_strength(need, m.offer)
        assert m.remaining == room(m.offer) >= 0
    keys = [(m.remaining == 0, -m.strength, -m.remaining, m.offer.entry_id) for m in matches]
    assert keys == sorted(keys)


@PROPERTY
@given(needs, offer_lists(), st.randoms(use_true_random=False))
def test_shuffling_the_offers_changes_nothing(need, offers, rnd):
    shuffled = list(offers)
    rnd.shuffle(shuffled)
    assert match_need(need, shuffled) == match_need(need, offers)


@PROPERTY
@given(st.lists(needs, max_size=8), offer_lists(max_size=20))
def test_match_all_is_match_need_per_need(some_needs, offers):
    assert match_all(some_needs, offers) == [match_need(need, offers) for need in some_needs]


def position(matches: list[Match], entry_id: int) -> int:
    return ids(matches).index(entry_id)


@PROPERTY
@given(needs, offer_lists(), st.integers(0, 100), evidence_items)
def test_adding_evidence_never_moves_an_offer_down(need, offers, pick, item):
    before = match_need(need, offers)
    if not before:
        return
    chosen = before[pick % len(before)].offer
    changed = [replace(o, evidence=(*o.evidence, item)) if o is chosen else o for o in offers]
    after = match_need(need, changed)
    assert position(after, chosen.entry_id) <= position(before, chosen.entry_id)
    # endorsing it never moves it down either
    endorsed = [replace(o, endorsed=True) if o is chosen else o for o in offers]
    assert position(match_need(need, endorsed), chosen.entry_id) <= position(before, chosen.entry_id)


@PROPERTY
@given(needs, offer_lists(), st.integers(0, 100))
def test_reserving_one_more_session_never_moves_an_offer_up(need, offers, pick):
    before = match_need(need, offers)
    if not before:
        return
    chosen = before[pick % len(before)].offer
    changed = [replace(o, reserved=o.reserved + 1) if o is chosen else o for o in offers]
    after = match_need(need, changed)
    assert position(after, chosen.entry_id) >= position(before, chosen.entry_id)
    assert after[position(after, chosen.entry_id)].remaining == max(0, room(chosen) - 1)
