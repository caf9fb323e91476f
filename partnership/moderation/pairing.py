"""The comparative-judgement pairing generator: which judge compares which two scripts.

Pure Python and numpy, no Django imports. `generate_pairs` plans a whole session in advance;
`next_pair_for` gives one judge their next pair at a time (the judging screen).

The rules `generate_pairs` keeps (it raises `PairingInfeasible` when it cannot keep them all):

- Balanced: the session has ceil(scripts x per_script / 2) pairs, and every script appears in
  per_script of them, give or take one (and in at least one).
- Judges share the pairs evenly: any two judges' numbers of pairs differ by at most one.
- No pair is repeated, in either order, within the session or from `existing` (pairs generated
  before, e.g. an earlier round of the same session).
- A judge never sees a script from their own school (a judge whose school_id is None, such as an
  adviser, may see any script).
- The cross-school rule: each judge's pairs are numbered 1, 2, 3... in the order they appear in the
  returned list (the order the judge is meant to see them); pair number `cross_school_every`, twice
  that, and so on (with 5: the 5th, 10th, 15th...) puts side by side two scripts from two
  different schools, neither of them the judge's. The other pairs may be two scripts of one school
  or of two schools, as the random draw falls. `cross_school_every=None` (or 0) turns the rule
  off; 1 makes every pair cross-school.
- Left and right balanced: every script is shown on the left and on the right equally often,
  give or take one.
- Random, and deterministic for a seed: the same input and seed give the same pairs.

How: a randomised greedy builds the pairs one at a time. Judges take turns in rounds (a judge gets
their next pair only when every judge has as many as they do, which keeps loads within one); each
pair starts from the least-compared script that some judge still to be served this round may see
(ties broken at random), gives it to one of those judges at random, and adds the least-compared
partner that keeps the rules (not already compared with it, not the judge's school, from another
school when this is one of the judge's cross-school pairs). Sides are then chosen along an Euler
circuit of the comparison graph (with a dummy script joined to every script of odd degree), so each
script's left and right counts differ by at most one. Before the greedy, plain necessary checks give
the message for the common impossible cases (one school only, every judge at a script's school, too
few partners for per_script, a judge who can see scripts of one school only); if the greedy still
fails (it can paint itself into a corner in very tight sessions), it is started again with another
random draw, up to `ATTEMPTS` times, before giving up with a plain message. So a very tight session
that could just be paired may be refused: give fewer comparisons per script, or more judges.

`next_pair_for` is for adaptive judging: the least-compared script the judge may see, with the
least-compared partner not yet compared with it. Note (Bramley 2015; Bramley and Vitello 2019)
that adaptive pairing inflates scale separation reliability, so sessions default to the planned
random pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["ATTEMPTS", "Judge", "Pairing", "PairingInfeasible", "Script", "generate_pairs", "next_pair_for"]

ATTEMPTS = 25  # random restarts of the greedy before a session is declared impossible


@dataclass(frozen=True)
class Script:
    """A pseudonymised script: its id and the school it comes from."""

    id: Hashable
    school_id: Hashable


@dataclass(frozen=True)
class Judge:
    """A judge: their id and their school (None for someone outside the schools, e.g. an adviser)."""

    id: Hashable
    school_id: Hashable | None


@dataclass(frozen=True)
class Pairing:
    """One comparison: `judge_id` is shown script `left` on the left and script `right` on the right."""

    judge_id: Hashable
    left: Hashable
    right: Hashable


class PairingInfeasible(ValueError):  # noqa: N818 - the name the brief and the callers use
    """The pairing rules cannot all hold for this session; the message says why in plain words."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else word + 's'}"


class _Session:
    """The input indexed once: scripts and judges by position, schools as small integers, and the
    pairs already compared as a set of partners per script (memory grows with the pairs, not with
    the square of the number of scripts)."""

    def __init__(
        self, scripts: Sequence[Script], judges: Sequence[Judge], existing: Iterable[tuple[Hashable, Hashable]]
    ):
        self.scripts = list(scripts)
        self.judges = list(judges)
        self.n = len(self.scripts)
        self.index = {s.id: i for i, s in enumerate(self.scripts)}
        if len(self.index) != self.n:
            raise ValueError("each script may appear only once in scripts")
        if len({j.id for j in self.judges}) != len(self.judges):
            raise ValueError("each judge may appear only once in judges")
        codes: dict[Hashable, int] = {}
        self.school = np.array([codes.setdefault(s.school_id, len(codes)) for s in self.scripts], dtype=np.int64)
        # a judge's school not among the scripts' gets a code no script has; None gets -1
        self.judge_school = np.array(
            [-1 if j.school_id is None else codes.setdefault(j.school_id, len(codes)) for j in self.judges],
            dtype=np.int64,
        )
        self.code = codes
        self.school_name = {code: school for school, code in codes.items()}
        self.n_codes = len(codes)
        self.partners: list[set[int]] = [set() for _ in range(self.n)]
        for a, b in existing:
            if a in self.index and b in self.index and a != b:
                i, k = self.index[a], self.index[b]
                self.partners[i].add(k)
                self.partners[k].add(i)

    def sees(self, j: int) -> npt.NDArray[np.bool_]:
        """Which scripts judge j may see."""
        return self.school != self.judge_school[j]

    def done_row(self, a: int) -> npt.NDArray[np.bool_]:
        """Which scripts may not be paired with script a: itself and those compared with it before."""
        row = np.zeros(self.n, dtype=bool)
        row[list(self.partners[a])] = True
        row[a] = True
        return row

    def done_pairs(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The pairs compared before, each once, as two arrays a < b."""
        a = [i for i, ps in enumerate(self.partners) for k in ps if i < k]
        b = [k for i, ps in enumerate(self.partners) for k in ps if i < k]
        return np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)

    def judged_by_school(self) -> npt.NDArray[np.bool_]:
        """For two school codes, whether at least one judge may see a script of each (a judge at
        neither school exists unless every judge is at one of the two)."""
        k = self.n_codes
        if (self.judge_school == -1).any():
            return np.ones((k, k), dtype=bool)
        count = np.bincount(self.judge_school, minlength=k)
        at_either = np.where(np.eye(k, dtype=bool), count[:, None], count[:, None] + count[None, :])
        return np.asarray(at_either < len(self.judges), dtype=bool)


def _check(session: _Session, per_script: int, cross_school_every: int | None) -> None:
    """The necessary conditions, with the messages for the common impossible sessions."""
    s = session
    if s.n < 2:
        raise PairingInfeasible(f"a session needs at least 2 scripts to compare, and has {s.n}.")
    if not s.judges:
        raise PairingInfeasible("a session needs at least one judge, and has none.")
    judged = s.judged_by_school()
    per_school = np.bincount(s.school, minlength=s.n_codes)
    judge_count = np.bincount(s.judge_school[s.judge_school >= 0], minlength=s.n_codes)
    nobody = judge_count[s.school] == len(s.judges)  # every judge is at the script's school
    done_a, done_b = s.done_pairs()  # pairs compared before (usually few)
    done_judged = judged[s.school[done_a], s.school[done_b]]
    # partners: scripts some judge may see beside this one, less itself and those compared before
    partners = judged[s.school] @ per_school - judged[s.school, s.school]
    partners -= np.bincount(done_a[done_judged], minlength=s.n) + np.bincount(done_b[done_judged], minlength=s.n)
    short = partners < max(1, per_script - 1)
    for i in np.flatnonzero(nobody | short)[:1].tolist():
        script = s.scripts[i]
        if nobody[i]:
            raise PairingInfeasible(
                f"every judge works at school {script.school_id}, so no one may judge its scripts "
                f"(such as script {script.id}); add a judge from another school or an adviser."
            )
        raise PairingInfeasible(
            f"script {script.id} can be compared with only {_plural(int(partners[i]), 'other script')} "
            f"(not compared with it before, and with a judge from neither school), but each script "
            f"should appear in {per_script} comparisons; ask for fewer comparisons per script."
        )
    total = math.ceil(s.n * per_script / 2)
    across = np.triu(judged, 1)
    within = np.diag(judged)
    available = int(per_school @ across @ per_school) + sum(
        _pairs_of(int(m)) for m, ok in zip(per_school, within, strict=True) if ok
    )
    available -= int(done_judged.sum())
    if available < total:
        raise PairingInfeasible(
            f"{_plural(s.n, 'script')} with {per_script} comparisons each need {_plural(total, 'pair')}, but only "
            f"{_plural(available, 'pair')} of scripts are left that have not been compared before and that "
            "some judge may see; ask for fewer comparisons per script."
        )
    least_load = total // len(s.judges)
    least_cross = least_load // cross_school_every if cross_school_every else 0
    first_judge: dict[int, Judge] = {}
    for j, code in zip(s.judges, s.judge_school.tolist(), strict=True):
        first_judge.setdefault(code, j)
    for code in np.unique(s.judge_school).tolist():  # judges at one school share the counts
        sees = s.school != code
        by_school = np.bincount(s.school[sees])
        done_seen = sees[done_a] & sees[done_b]
        left = _pairs_of(int(sees.sum())) - int(done_seen.sum())
        left_cross = (
            left
            - sum(_pairs_of(int(m)) for m in by_school)
            + int((done_seen & (s.school[done_a] == s.school[done_b])).sum())
        )
        judge = first_judge[code]
        if left < least_load:
            raise PairingInfeasible(
                f"judge {judge.id} should judge {_plural(least_load, 'pair')} (an even share), but only "
                f"{_plural(left, 'pair')} of scripts not from their school are left to compare; "
                "ask for fewer comparisons per script, or add scripts from other schools."
            )
        if least_cross:
            schools = np.flatnonzero(by_school).tolist()
            if len(schools) < 2:
                only = f"school {s.school_name[schools[0]]}" if schools else "no school"
                raise PairingInfeasible(
                    f"judge {judge.id} must have {_every(cross_school_every)} from two different schools other "
                    f"than their own, but the only scripts they may see are from {only}."
                )
            if left_cross < least_cross:
                raise PairingInfeasible(
                    f"judge {judge.id} must have {_every(cross_school_every)} from two different schools other "
                    f"than their own ({least_cross} in all), but only {_plural(left_cross, 'such pair')} "
                    "is left to compare."
                )


def _pairs_of(m: int) -> int:
    return m * (m - 1) // 2


def _every(n: int | None) -> str:
    """'every pair', 'every 2nd pair', 'every 5th pair'."""
    if n == 1:
        return "every pair"
    suffix = "th" if n is None or 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"every {n}{suffix} pair"


class _Levels:
    """The scripts still below the cap, grouped by how many pairs they are in, with constant-time
    moves between groups (a list per level and each script's place in it)."""

    def __init__(self, n: int, cap: int):
        self.members: list[list[int]] = [list(range(n))] + [[] for _ in range(cap - 1)]
        self.place = list(range(n))
        self.count = [0] * n
        self.cap = cap

    def bump(self, a: int) -> None:
        """Script a is in one more pair: move it up a level (out of the levels at the cap)."""
        level = self.count[a]
        group = self.members[level]
        last = group.pop()
        if last != a:
            group[self.place[a]] = last
            self.place[last] = self.place[a]
        self.count[a] = level + 1
        if level + 1 < self.cap:
            self.place[a] = len(self.members[level + 1])
            self.members[level + 1].append(a)


def _shuffled(items: Sequence[int], rng: np.random.Generator) -> Iterator[int]:
    """The items in a uniformly random order, drawn lazily (a Fisher-Yates shuffle that records only
    the swaps it makes), so stopping after a few costs a few draws, not a shuffle of the whole list."""
    size = len(items)
    if size == 0:
        return
    swapped: dict[int, int] = {}
    draws = rng.random(64)
    for i in range(size):
        if i % 64 == 63:
            draws = rng.random(64)
        k = i + int(draws[i % 64] * (size - i))
        item_i, item_k = swapped.get(i, i), swapped.get(k, k)
        swapped[k] = item_i
        yield items[item_k]


def _attempt(
    s: _Session, per_script: int, cross_school_every: int | None, rng: np.random.Generator
) -> list[tuple[int, int, int]] | None:
    """One run of the randomised greedy: (judge, a, b) by positions, or None if it got stuck.

    Each choice is uniform among the least-compared scripts that qualify: the levels are visited
    from the lowest up and each in a random order, so a step looks at a few scripts, not all."""
    n, total = s.n, math.ceil(s.n * per_script / 2)
    cap = per_script + 1
    levels = _Levels(n, cap)
    partners = [set(p) for p in s.partners]
    school = s.school.tolist()
    judge_school = s.judge_school.tolist()
    load = [0] * len(s.judges)
    waiting: list[int] = []  # the judges still to be served this round
    waiting_place: dict[int, int] = {}
    waiting_schools: dict[int, int] = {}  # how many waiting judges each school has
    out: list[tuple[int, int, int]] = []

    def partner(a: int, j: int) -> int | None:
        own, cross = judge_school[j], cross_school_every and (load[j] + 1) % cross_school_every == 0
        done, school_a = partners[a], school[a]
        for group in levels.members:
            for b in _shuffled(group, rng):
                if b != a and school[b] != own and b not in done and not (cross and school[b] == school_a):
                    return b
        return None

    for _ in range(total):
        if not waiting:
            waiting = list(range(len(s.judges)))
            waiting_place = {j: j for j in waiting}
            waiting_schools = dict(Counter(judge_school))
        # every waiting judge at one school: none of them may see its scripts
        barred = next(iter(waiting_schools)) if len(waiting_schools) == 1 else None
        found = None
        for group in levels.members:
            for a in _shuffled(group, rng):
                if school[a] == barred:
                    continue
                failed: set[tuple[int, bool]] = set()  # (judge school, cross pair) with no partner for a
                for j in _shuffled(waiting, rng):
                    if judge_school[j] == school[a]:
                        continue
                    kind = (judge_school[j], bool(cross_school_every and (load[j] + 1) % cross_school_every == 0))
                    if kind in failed:
                        continue
                    b = partner(a, j)
                    if b is None:
                        failed.add(kind)
                        continue
                    found = (j, a, b)
                    break
                if found:
                    break
            if found:
                break
        if found is None:
            return None
        j, a, b = found
        out.append(found)
        levels.bump(a)
        levels.bump(b)
        load[j] += 1
        last = waiting.pop()
        if last != j:
            waiting[waiting_place[j]] = last
            waiting_place[last] = waiting_place[j]
        waiting_schools[judge_school[j]] -= 1
        if not waiting_schools[judge_school[j]]:
            del waiting_schools[judge_school[j]]
        partners[a].add(b)
        partners[b].add(a)
    counts = levels.count
    if min(counts) < max(1, per_script - 1) or max(counts) > per_script + 1:
        return None
    return out


def _orient(n: int, edges: Sequence[tuple[int, int]]) -> list[bool]:
    """For each edge (a, b), whether to flip it (show b on the left) so that every vertex is the left
    end of as many edges as it is the right end, give or take one: walk an Euler circuit of the graph
    with a dummy vertex n joined to every vertex of odd degree, and orient each edge along the walk."""
    ends: list[tuple[int, int]] = list(edges)
    degree = np.zeros(n + 1, dtype=np.int64)
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    ends += [(v, n) for v in np.flatnonzero(degree[:n] % 2).tolist()]
    incident: list[list[int]] = [[] for _ in range(n + 1)]
    for e, (a, b) in enumerate(ends):
        incident[a].append(e)
        incident[b].append(e)
    used = [False] * len(ends)
    flip = [False] * len(ends)
    pointer = [0] * (n + 1)
    for start in range(n + 1):
        stack = [start]
        while stack:  # Hierholzer: each edge is used once, leaving the vertex it is first walked from
            v = stack[-1]
            while pointer[v] < len(incident[v]) and used[incident[v][pointer[v]]]:
                pointer[v] += 1
            if pointer[v] == len(incident[v]):
                stack.pop()
                continue
            e = incident[v][pointer[v]]
            used[e] = True
            a, b = ends[e]
            flip[e] = v != a  # walked from v: v on the left
            stack.append(b if v == a else a)
    return flip[: len(edges)]


def generate_pairs(
    scripts: Sequence[Script],
    judges: Sequence[Judge],
    *,
    per_script: int,
    cross_school_every: int | None = 5,
    seed: int = 0,
    existing: Iterable[tuple[Hashable, Hashable]] = (),
) -> list[Pairing]:
    """Plan a session's comparisons (the rules are in the module's docstring). The list is in rounds:
    each judge's pairs, in list order, are the order they are meant to be shown in.

    Raises `PairingInfeasible` (a ValueError) with a plain message when the rules cannot all hold,
    and ValueError for malformed input (repeated ids, negative numbers)."""
    if per_script < 0:
        raise ValueError("per_script cannot be negative")
    if cross_school_every is not None and cross_school_every < 0:
        raise ValueError("cross_school_every cannot be negative")
    session = _Session(scripts, judges, existing)
    if per_script == 0:
        return []
    _check(session, per_script, cross_school_every)
    for attempt in range(ATTEMPTS):
        rng = np.random.default_rng([seed, attempt])
        found = _attempt(session, per_script, cross_school_every, rng)
        if found is not None:
            flips = _orient(session.n, [(a, b) for _, a, b in found])
            ids = [s.id for s in session.scripts]
            return [
                Pairing(session.judges[j].id, ids[b], ids[a]) if flip else Pairing(session.judges[j].id, ids[a], ids[b])
                for (j, a, b), flip in zip(found, flips, strict=True)
            ]
    rule = f", {_every(cross_school_every)} from two schools" if cross_school_every else ""
    raise PairingInfeasible(
        f"no pairing found for {_plural(session.n, 'script')} and {_plural(len(session.judges), 'judge')} "
        f"with {per_script} comparisons per script (no repeats, no judge seeing their own school's scripts{rule}); "
        "ask for fewer comparisons per script, or add judges from other schools or advisers."
    )


def next_pair_for(
    judge: Judge,
    scripts: Sequence[Script],
    done_pairs: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 0,
    cross_school: bool = False,
) -> Pairing | None:
    """The next pair for `judge` when judging one pair at a time.

    `done_pairs` are the session's comparisons so far, as (left, right) script ids, by any judge.
    The first script is the least-compared one the judge may see (not from their school); its partner
    the least-compared one the judge may see that has not been compared with it (ties broken at
    random, deterministically for `seed`). With `cross_school` the two come from two different
    schools (the caller asks for this on every fifth pair, say). The script shown on the left less
    often so far goes on the left. None when no such pair is left for this judge."""
    done_pairs = list(done_pairs)
    session = _Session(scripts, [judge], done_pairs)
    n = session.n
    counts = np.zeros(n, dtype=np.int64)
    lean = np.zeros(n, dtype=np.int64)  # times on the left minus times on the right
    for left, right in done_pairs:
        if left in session.index and right in session.index:
            counts[session.index[left]] += 1
            counts[session.index[right]] += 1
            lean[session.index[left]] += 1
            lean[session.index[right]] -= 1
    rng = np.random.default_rng(seed)
    sees = session.sees(0)
    order = np.lexsort((rng.random(n), counts))
    tie = rng.random(n)
    for a in order[sees[order]]:
        mask = sees & ~session.done_row(a)
        if cross_school:
            mask &= session.school != session.school[a]
        candidates = np.flatnonzero(mask)
        if candidates.size:
            b = int(candidates[np.lexsort((tie[candidates], counts[candidates]))[0]])
            left, right = (a, b) if (lean[a], tie[a]) <= (lean[b], tie[b]) else (b, a)
            return Pairing(judge.id, session.scripts[left].id, session.scripts[right].id)
    return None
