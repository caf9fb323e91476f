"""The peer-review rota planner: which reviewers (heads, optionally deputies) visit which school.

Pure Python with no Django imports, so it can be tested and benchmarked alone; the review cycle
pages call `plan_rota` for a proposal and `check_rota` when a coordinator edits it.

Hard rules (never broken; `RotaInfeasible` when they cannot all hold): exactly `team_size`
distinct reviewers per school, nobody on their own school's team, nobody over `max_load` teams, no
declared conflict of interest. Soft rules (kept whenever the planner finds a way; every one broken
is named in `RotaPlan.relaxed`): nobody reviews a school they reviewed last cycle (`avoid`), no two
schools review each other, and every reviewer's load within one of every other's.

How, and why this way:

- Whether the hard rules can hold is a bipartite b-matching (reviewers with capacity `max_load`,
  schools with demand `team_size`, an edge wherever a reviewer may review a school), so a maximum
  flow decides it exactly. The graph is nearly complete (a reviewer may review every school but
  their own and their conflicts), so it is never built: augmenting paths are searched on the
  implicit graph, and each breadth-first search visits a reviewer at most once, which keeps a
  search close to linear in the number of reviewers rather than in the million edges of a
  1,000-school partnership. A general max-flow library would add a dependency and build those
  edges for nothing.
- Most of the flow comes from a greedy round robin (a queue of reviewers, each placed reviewer
  going to the back), which balances loads and skips avoided and reciprocal pairings as it goes;
  augmenting paths then fill any school the greedy left short. When no augmenting path reaches a
  short school, the schools the search reached are a set whose demand exceeds what the reviewers
  who may review them can give (a minimum cut, Hall's condition), which is what the message names.
- Last cycle's pairings are first treated as a hard rule, so the flow keeps them out exactly
  whenever a rota without them exists; only if none does (or it cannot be made free of the other
  soft-rule breaks) is the rota planned again with them allowed, keeping the better of the two.
- Loads are first capped at the balanced share (places divided by reviewers, rounded up), raised to
  `max_load` only if the rota cannot be made otherwise; then loads are evened out by moving one
  review at a time from the heaviest reviewer to a lighter one along an augmenting path.
- Reciprocal pairs are not a flow constraint (they couple two placements), so the soft rules are
  finished by a local search: replace a reviewer in a bad placement by a lighter one, or swap two
  placements, accepting a move only when it removes more broken soft rules than it adds and keeps
  every hard rule and the load spread. Stuck in a local optimum, it makes a random swap or
  replacement (seeded) and descends again, keeping the best rota seen; and while soft rules are
  still broken, the greedy is started again from other points round the schools. One work budget
  (`SEARCH_WORK`) bounds all of this, so a partnership whose soft rules cannot all hold still
  plans in about a second at 1,000 schools. A solver such as CP-SAT would prove optimality, but
  is not installed and would be a heavy dependency for a rota a coordinator reviews anyway; the
  tests check the search against an integer programme on small partnerships instead. Where the
  search leaves a soft rule broken on a rota of at most `EXACT_PLACES` places, a bounded
  backtracking search (`_exact`) looks through every rota for one that keeps them all.

Everything is indexed by the position of a school or reviewer in the input, and the only randomness
is seeded, so the same input always gives the same rota.
"""

from __future__ import annotations

import copy
import random
from collections import Counter, deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Reviewer", "RotaInfeasible", "RotaPlan", "check_rota", "plan_rota"]

Pair = tuple[Hashable, Hashable]
SHOWN_SCHOOLS = 5  # schools named in a message before "and N others"
SEARCH_WORK = 2_000_000  # steps (placements looked at) the soft-rule search may take in one planning
KICKS = 200  # random swaps tried to leave a local optimum of the soft rules
STARTS = 8  # greedy starting points tried while the soft rules are not all kept
EXACT_PLACES = 24  # up to this many places, a search that can prove it settles what the heuristic leaves
EXACT_NODES = 200_000  # placements the exact search may try before it gives up


@dataclass(frozen=True)
class Reviewer:
    """Someone who can review other schools: `id` is theirs, `school_id` the school they work in."""

    id: Hashable
    school_id: Hashable


@dataclass(frozen=True)
class RotaPlan:
    """A proposed rota: each school's team (reviewer ids), and notes on the soft rules broken."""

    teams: dict[Hashable, list[Hashable]]
    relaxed: list[str] = field(default_factory=list)


class RotaInfeasible(Exception):  # noqa: N818 - the name the review cycle code and its checks use
    """The hard rules cannot all hold for this cycle; the message says why in plain words."""


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _name_schools(ids: Sequence[Hashable]) -> str:
    """'school 3', 'schools 3 and 4', 'schools 1, 2, 3, 4, 5 and 7 others'."""
    if len(ids) == 1:
        return f"school {ids[0]}"
    shown = [str(i) for i in ids[:SHOWN_SCHOOLS]]
    rest = len(ids) - len(shown)
    if rest:
        return f"schools {', '.join(shown)} and {_plural(rest, 'other')}"
    return f"schools {', '.join(shown[:-1])} and {shown[-1]}"


class _Planner:
    """The working state: who is on which team, loads, and the school pairs reviewing each other."""

    def __init__(
        self,
        school_ids: Sequence[Hashable],
        reviewers: Sequence[Reviewer],
        team_size: int,
        max_load: int,
        avoid: Iterable[Pair],
        conflicts: Iterable[Pair],
    ) -> None:
        self.school_ids = list(school_ids)
        self.reviewers = list(reviewers)
        self.team_size = team_size
        self.max_load = max_load
        self.n = len(self.school_ids)
        self.r_count = len(self.reviewers)
        school_index = {s: i for i, s in enumerate(self.school_ids)}
        if len(school_index) != self.n:
            raise ValueError("each school may appear only once in school_ids")
        reviewer_index = {r.id: i for i, r in enumerate(self.reviewers)}
        if len(reviewer_index) != self.r_count:
            raise ValueError("each reviewer may appear only once in reviewers")
        if team_size < 0 or max_load < 0:
            raise ValueError("team_size and max_load cannot be negative")
        outside: dict[Hashable, int] = {}  # reviewers' schools not under review get indices >= n
        self.school_of = [
            school_index[r.school_id]
            if r.school_id in school_index
            else outside.setdefault(r.school_id, self.n + len(outside))
            for r in self.reviewers
        ]
        self.conflict = self._pairs(conflicts, reviewer_index, school_index)
        self.avoid = self._pairs(avoid, reviewer_index, school_index)
        self.work = [SEARCH_WORK]  # shared by every attempt (copies share the list)
        self.reset()

    def reset(self) -> None:
        """An empty rota (the input, indexed once, is kept)."""
        self.on: list[set[int]] = [set() for _ in range(self.n)]
        self.assigned: list[set[int]] = [set() for _ in range(self.r_count)]
        self.load = [0] * self.r_count
        self.reviews = Counter[tuple[int, int]]()  # (reviewer's school, reviewed school) -> placements
        self.strict = False  # True: last cycle's pairings are treated as a hard rule

    @staticmethod
    def _pairs(
        pairs: Iterable[Pair], reviewer_index: Mapping[Hashable, int], school_index: Mapping[Hashable, int]
    ) -> set[tuple[int, int]]:
        return {(reviewer_index[r], school_index[s]) for r, s in pairs if r in reviewer_index and s in school_index}

    # --- placements -------------------------------------------------------------------------------

    def may_review(self, r: int, s: int) -> bool:
        """The hard rules for one placement, other than load: not their school, no conflict, not on it
        (and, when `strict`, not a pairing from last cycle)."""
        return (
            self.school_of[r] != s
            and (r, s) not in self.conflict
            and s not in self.assigned[r]
            and not (self.strict and (r, s) in self.avoid)
        )

    def add(self, r: int, s: int) -> None:
        self.on[s].add(r)
        self.assigned[r].add(s)
        self.load[r] += 1
        self.reviews[(self.school_of[r], s)] += 1

    def remove(self, r: int, s: int) -> None:
        self.on[s].discard(r)
        self.assigned[r].discard(s)
        self.load[r] -= 1
        self.reviews[(self.school_of[r], s)] -= 1

    def reciprocal(self, a: int, b: int) -> bool:
        return self.reviews[(a, b)] > 0 and self.reviews[(b, a)] > 0

    def soft_cost(self, r: int, s: int) -> int:
        """Soft rules placing r on s would break now: an avoided pairing, a reciprocal pair."""
        return ((r, s) in self.avoid) + (self.reviews[(s, self.school_of[r])] > 0)

    # --- the hard rules ---------------------------------------------------------------------------

    def check_capacity(self) -> None:
        """The messages that need no search: too few places in all, a school with too few reviewers."""
        demand = self.n * self.team_size
        if demand == 0:
            return
        places = self.r_count * self.max_load
        if places < demand:
            each = " each" if self.n > 1 else ""
            raise RotaInfeasible(
                f"{_plural(self.n, 'school')} {'needs' if self.n == 1 else 'need'} "
                f"{_plural(self.team_size, 'reviewer')}{each}, but {_plural(self.r_count, 'reviewer')} "
                f"with a load of {self.max_load} {'gives' if self.r_count == 1 else 'give'} only "
                f"{_plural(places, 'place')}"
            )
        own = Counter(self.school_of)
        conflicted = Counter(s for r, s in self.conflict if self.school_of[r] != s)
        for s, school in enumerate(self.school_ids):
            eligible = self.r_count - own[s] - conflicted[s]
            if eligible < self.team_size:
                raise RotaInfeasible(
                    f"school {school} needs {_plural(self.team_size, 'reviewer')}, but only "
                    f"{_plural(eligible, 'reviewer')} may review it (the others work there or have "
                    "declared a conflict of interest)"
                )

    def greedy(self, cap: int, start: tuple[int, int]) -> None:
        """Fill teams round robin from a queue of reviewers, skipping soft-rule breaks where it can.

        `start` is (offset, direction): the queue starts `offset` schools round from the first
        school and goes round forwards (1) or backwards (-1), so a school's first reviewers come
        from schools away from it and from those reviewing it (no reciprocal pairs)."""
        offset, direction = start
        order = sorted(
            range(self.r_count),
            key=lambda r: (
                (direction * (self.school_of[r] - offset)) % self.n if self.school_of[r] < self.n else self.n,
                r,
            ),
        )
        queue = deque(r for r in order if cap > 0)
        for s in range(self.n):
            picked: list[int] = []
            skipped: list[int] = []
            while queue and len(picked) < self.team_size:
                r = queue.popleft()
                if self.may_review(r, s) and self.soft_cost(r, s) == 0:
                    self.add(r, s)
                    picked.append(r)
                else:
                    skipped.append(r)
            if len(picked) < self.team_size:  # second chance: break a soft rule rather than leave a gap
                rest = []
                for r in skipped:
                    if len(picked) < self.team_size and self.may_review(r, s):
                        self.add(r, s)
                        picked.append(r)
                    else:
                        rest.append(r)
                skipped = rest
            queue.extendleft(reversed(skipped))
            queue.extend(r for r in picked if self.load[r] < cap)

    def augment(self, s0: int, cap: int) -> bool | set[int]:
        """One more reviewer for school s0 along an augmenting path, reviewers held under `cap`.

        Breadth first from s0: a reviewer who may review the school either has room (done) or
        leaves one of their teams for it, and that team becomes the one to fill. Returns True when
        it found a path, else the set of schools reached (the cut)."""
        came: dict[int, tuple[int, int]] = {s0: (-1, -1)}  # school -> (reviewer leaving it, school they join)
        queue = [s0]
        unvisited = list(range(self.r_count))
        for s in queue:
            kept = []
            for r in unvisited:
                if not self.may_review(r, s):
                    kept.append(r)
                    continue
                if self.load[r] < cap:
                    self.add(r, s)
                    while s != s0:
                        leaving, joins = came[s]
                        self.remove(leaving, s)
                        self.add(leaving, joins)
                        s = joins
                    return True
                for other in self.assigned[r]:
                    if other not in came:
                        came[other] = (r, s)
                        queue.append(other)
            unvisited = kept
        return set(came)

    def fill(self, cap: int) -> set[int] | None:
        """Fill every short team with augmenting paths; the cut of the first that cannot be filled."""
        for s in range(self.n):
            while len(self.on[s]) < self.team_size:
                found = self.augment(s, cap)
                if found is not True:
                    return found if isinstance(found, set) else None
        return None

    def infeasible(self, cut: set[int]) -> RotaInfeasible:
        """Name the schools of a cut, what they need and what the reviewers who may review them give."""
        schools = sorted(cut)
        counts = Counter(
            r for s in schools for r in range(self.r_count) if self.school_of[r] != s and (r, s) not in self.conflict
        )
        fill = sum(min(self.max_load, c) for c in counts.values())
        demand = len(schools) * self.team_size
        names = _name_schools([self.school_ids[s] for s in schools])
        return RotaInfeasible(
            f"{names} need {_plural(self.team_size, 'reviewer')} each ({_plural(demand, 'place')}), but the "
            f"{_plural(len(counts), 'reviewer')} who may review them, at most {_plural(self.max_load, 'review')} each, "
            f"can fill only {fill} of those places"
        )

    # --- the soft rules ---------------------------------------------------------------------------

    def balance(self) -> None:
        """Move reviews from the heaviest reviewers to lighter ones until loads differ by one at most."""
        while self.r_count:
            high, low = max(self.load), min(self.load)
            if high - low <= 1 or not self._shed_one(high):
                return

    def _shed_one(self, high: int) -> bool:
        dead_ends: set[int] = set()  # schools from which no lighter reviewer can be reached
        for h in range(self.r_count):
            if self.load[h] != high:
                continue
            for s in sorted(self.assigned[h]):
                if s in dead_ends:
                    continue
                self.remove(h, s)
                found = self.augment(s, high - 1)
                if found is True:
                    return True
                self.add(h, s)
                if isinstance(found, set):
                    dead_ends |= found
        return False

    def violations(self, placements: Iterable[tuple[int, int]]) -> int:
        """Soft rules broken among these placements: avoided pairings, and reciprocal school pairs."""
        placements = list(placements)
        pairs = {frozenset((self.school_of[r], s)) for r, s in placements}
        avoided = sum((r, s) in self.avoid and s in self.assigned[r] for r, s in placements)
        return avoided + sum(len(p) == 2 and self.reciprocal(*p) for p in pairs)

    def bad_placements(self) -> list[tuple[int, int]]:
        return [
            (r, s)
            for s in range(self.n)
            for r in sorted(self.on[s])
            if (r, s) in self.avoid or self.reciprocal(self.school_of[r], s)
        ]

    def improve(self, budget: list[int]) -> None:
        """Local search on broken soft rules: replace or swap placements while that removes some."""
        changed = True
        while changed and budget[0] > 0:
            changed = False
            budget[0] -= self.n * self.team_size
            for r, s in self.bad_placements():
                if s in self.assigned[r] and (self._replace(r, s, budget) or self._swap(r, s, budget)):
                    changed = True

    def search(self) -> None:
        """Descend, then kick out of local optima: a seeded generator swaps a bad placement with
        another or gives it to a lighter reviewer (keeping every hard rule and the load spread),
        then descend again; keep the best rota seen."""
        budget = self.work
        self.improve(budget)
        best, kept = self.broken(), self.snapshot()
        kicks = random.Random(0)
        for _ in range(KICKS):
            if not best or budget[0] <= 0:
                break
            budget[0] -= self.n * self.team_size
            r, s = kicks.choice(self.bad_placements())
            t = kicks.randrange(self.n)
            other = kicks.randrange(self.r_count)
            if kicks.random() < 0.5:  # a lighter reviewer takes the place
                if self.load[other] < self.load[r]:
                    self._try([(r, s)], [(other, s)], budget, always=True)
            elif t != s and self.on[t]:
                other = kicks.choice(sorted(self.on[t]))
                if s not in self.assigned[other] and t not in self.assigned[r]:
                    self._try([(r, s), (other, t)], [(r, t), (other, s)], budget, always=True)
            budget[0] -= 1
            self.improve(budget)
            if (now := self.broken()) < best:
                best, kept = now, self.snapshot()
        self.restore(kept)

    def broken(self) -> int:
        """How many soft rules the rota breaks: avoided pairings kept, and school pairs reviewing each other."""
        avoided = sum(s in self.assigned[r] for r, s in self.avoid)
        return avoided + sum(1 for (a, b), count in self.reviews.items() if count and a < b and self.reciprocal(a, b))

    def snapshot(self) -> list[list[int]]:
        return [sorted(team) for team in self.on]

    def restore(self, teams: list[list[int]]) -> None:
        for s, team in enumerate(self.on):
            for r in list(team):
                self.remove(r, s)
        for s, rs in enumerate(teams):
            for r in rs:
                self.add(r, s)

    def _try(
        self, out: list[tuple[int, int]], into: list[tuple[int, int]], budget: list[int], *, always: bool = False
    ) -> bool:
        """Apply a move (remove `out`, add `into`) if it keeps the hard rules and leaves fewer soft
        rules broken (or, `always`, whatever it leaves); else undo it."""
        budget[0] -= 1
        touched = out + into
        before = self.violations(touched)
        for r, s in out:
            self.remove(r, s)
        if all(self.may_review(r, s) for r, s in into):
            for r, s in into:
                self.add(r, s)
            if always or self.violations(touched) < before:
                return True
            for r, s in into:
                self.remove(r, s)
        for r, s in out:
            self.add(r, s)
        return False

    def _replace(self, r: int, s: int, budget: list[int]) -> bool:
        budget[0] -= self.r_count
        for other in range(self.r_count):
            if budget[0] <= 0:
                return False
            if self.load[other] < self.load[r] and self.may_review(other, s) and self.soft_cost(other, s) == 0:
                if self._try([(r, s)], [(other, s)], budget):
                    return True
        return False

    def _swap(self, r: int, s: int, budget: list[int]) -> bool:
        budget[0] -= self.n
        for t in range(self.n):
            if t == s or not self.may_review(r, t) or (r, t) in self.avoid:
                continue
            for other in sorted(self.on[t]):
                budget[0] -= 1
                if budget[0] <= 0:
                    return False
                if self.may_review(other, s) and (other, s) not in self.avoid:
                    if self._try([(r, s), (other, t)], [(r, t), (other, s)], budget):
                        return True
        return False

    def relaxed(self) -> list[str]:
        """Every soft rule the rota breaks, in plain words."""
        notes = []
        school, reviewer = self.school_ids, self.reviewers
        for r, s in sorted(self.avoid):
            if s in self.assigned[r]:
                notes.append(f"reviewer {reviewer[r].id} reviews school {school[s]} again, as last cycle")
        for a, b in sorted(
            (a, b) for (a, b), count in self.reviews.items() if count and a < b and self.reciprocal(a, b)
        ):
            notes.append(f"schools {school[a]} and {school[b]} review each other")
        if self.load and max(self.load) - min(self.load) > 1:
            notes.append(
                f"loads are not balanced: reviewers carry from {min(self.load)} to {max(self.load)} reviews "
                "(conflicts of interest or reviewers' own schools leave no rota that balances them)"
            )
        return notes

    def teams(self) -> dict[Hashable, list[Hashable]]:
        return {self.school_ids[s]: [self.reviewers[r].id for r in sorted(self.on[s])] for s in range(self.n)}


def plan_rota(
    school_ids: Sequence[Hashable],
    reviewers: Sequence[Reviewer],
    *,
    team_size: int,
    max_load: int,
    avoid: Collection[Pair] = (),
    conflicts: Collection[Pair] = (),
) -> RotaPlan:
    """Propose a team of `team_size` reviewers for every school that keeps the hard rules.

    Raises `RotaInfeasible` (saying why) when no rota can keep them. Soft rules broken are listed
    in the plan's `relaxed` notes."""
    planner = _Planner(school_ids, reviewers, team_size, max_load, avoid, conflicts)
    planner.check_capacity()
    if not (planner.n and team_size):
        return RotaPlan(teams=planner.teams(), relaxed=[])
    best: tuple[list[str], _Planner] | None = None
    for start in _starts(planner.n):
        # first with last cycle's pairings ruled out (a flow then keeps them out exactly), then allowed
        for strict in (True, False) if planner.avoid else (False,):
            attempt = copy.copy(planner)
            attempt.reset()
            attempt.strict = strict
            cut = _solve(attempt, start)
            if cut is not None:
                if strict:
                    continue
                raise attempt.infeasible(cut)  # the flow is exact: no start can do better
            notes = attempt.relaxed()
            if best is None or len(notes) < len(best[0]):
                best = (notes, attempt)
            if not notes:
                return RotaPlan(teams=attempt.teams(), relaxed=[])
        if planner.work[0] <= 0:  # the search has had its time: settle for the best so far
            break
    assert best is not None  # noqa: S101 - the first loose attempt either succeeds or raises
    if planner.n * team_size <= EXACT_PLACES:
        exact = copy.copy(planner)
        exact.reset()
        if _exact(exact):
            return RotaPlan(teams=exact.teams(), relaxed=[])
    return RotaPlan(teams=best[1].teams(), relaxed=best[0])


def _exact(planner: _Planner) -> bool:
    """Search every rota of a small partnership for one that keeps every soft rule (no pairing from
    last cycle, no reciprocal pair, loads within one of each other) as well as the hard rules;
    leave it in `planner` and say whether one was found within `EXACT_NODES` placements. The
    local search misses such a rota now and then (two schools that can only be covered by
    reviewing each other unless a third team is rearranged first); this settles small cases."""
    places = planner.n * planner.team_size
    low, high = places // planner.r_count, -(-places // planner.r_count)
    if high > planner.max_load:
        return False
    eligible = [
        [r for r in range(planner.r_count) if planner.may_review(r, s) and (r, s) not in planner.avoid]
        for s in range(planner.n)
    ]
    order = sorted(range(planner.n), key=lambda s: len(eligible[s]))
    slots = [s for s in order for _ in range(planner.team_size)]
    nodes = [EXACT_NODES]

    def fill(i: int, after: int) -> bool:
        if i == len(slots):
            return all(load >= low for load in planner.load)
        if sum(max(0, low - load) for load in planner.load) > len(slots) - i:
            return False  # too few places left to bring every reviewer up to the balanced share
        s = slots[i]
        first_of_team = i == 0 or slots[i - 1] != s
        for r in eligible[s]:
            if not first_of_team and r <= after:
                continue  # a team is a set: its members are chosen in increasing order
            nodes[0] -= 1
            if nodes[0] <= 0:
                return False
            if planner.load[r] >= high or s in planner.assigned[r]:
                continue
            if planner.reviews[(s, planner.school_of[r])] > 0:
                continue  # school s already reviews r's school: a reciprocal pair
            planner.add(r, s)
            next_first = i + 1 < len(slots) and slots[i + 1] != s
            if fill(i + 1, -1 if next_first else r):
                return True
            planner.remove(r, s)
        return False

    return fill(0, -1)


def _starts(n: int) -> list[tuple[int, int]]:
    """Where the greedy round robin starts, tried in turn until a rota keeps every soft rule."""
    offsets = [n // 3, (2 * n) // 3, n // 2, 1, n - 1, 2, n - 2]
    starts = [(offset % n, direction) for offset in offsets for direction in (1, -1)]
    return list(dict.fromkeys(starts))[:STARTS]


def _solve(planner: _Planner, start: tuple[int, int]) -> set[int] | None:
    """Fill every team (loads first held to the balanced share), then even out loads and remove
    broken soft rules; the cut when the teams cannot all be filled."""
    share = -(-planner.n * planner.team_size // max(planner.r_count, 1))  # places per reviewer, rounded up
    cap = min(planner.max_load, share)
    planner.greedy(cap, start)
    cut = planner.fill(cap)
    if cut is not None and cap < planner.max_load:
        cut = planner.fill(planner.max_load)
    if cut is not None:
        return cut
    planner.balance()
    planner.search()
    return None


def check_rota(
    plan_or_teams: RotaPlan | Mapping[Hashable, Sequence[Hashable]],
    school_ids: Sequence[Hashable],
    reviewers: Sequence[Reviewer],
    *,
    team_size: int,
    max_load: int,
    conflicts: Collection[Pair] = (),
) -> list[str]:
    """The hard rules a rota breaks, in plain words (empty when it keeps them all).

    For a coordinator's edit to a proposal: an edit that breaks a hard rule is refused with these."""
    teams = plan_or_teams.teams if isinstance(plan_or_teams, RotaPlan) else plan_or_teams
    by_id = {r.id: r for r in reviewers}
    cycle = set(school_ids)
    conflict = set(conflicts)
    problems: list[str] = []
    loads: Counter[Hashable] = Counter()
    for school in teams:
        if school not in cycle:
            problems.append(f"the rota has a team for school {school}, which is not in this cycle")
    for school in school_ids:
        team = list(teams.get(school, ()))
        distinct = list(dict.fromkeys(team))
        if len(distinct) != team_size:
            problems.append(f"school {school} has {_plural(len(distinct), 'reviewer')}; it needs {team_size}")
        for rid, times in Counter(team).items():
            if times > 1:
                problems.append(f"reviewer {rid} is on school {school}'s team {times} times")
        for rid in distinct:
            reviewer = by_id.get(rid)
            if reviewer is None:
                problems.append(f"school {school}'s team names {rid}, who is not a reviewer in this cycle")
                continue
            loads[rid] += 1
            if reviewer.school_id == school:
                problems.append(f"reviewer {rid} works at school {school}, so cannot review it")
            if (rid, school) in conflict:
                problems.append(f"reviewer {rid} has declared a conflict of interest with school {school}")
    for rid, load in loads.items():
        if load > max_load:
            problems.append(f"reviewer {rid} is on {load} teams; the most is {max_load}")
    return problems
