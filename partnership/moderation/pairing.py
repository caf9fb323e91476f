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
from collections.abc import Hashable, Iterable, Sequence
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
    """The input indexed once: scripts and judges by position, schools as small integers."""

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
        self.done = np.zeros((self.n, self.n), dtype=bool)
        np.fill_diagonal(self.done, True)
        for a, b in existing:
            if a in self.index and b in self.index:
                self.done[self.index[a], self.index[b]] = self.done[self.index[b], self.index[a]] = True

    def sees(self, j: int) -> npt.NDArray[np.bool_]:
        """Which scripts judge j may see."""
        return self.school != self.judge_school[j]

    def judged_by_someone(self) -> npt.NDArray[np.bool_]:
        """Pairs of scripts (a, b) that at least one judge may see both of."""
        n_codes = int(max(self.school.max(initial=-1), self.judge_school.max(initial=-1))) + 1
        if (self.judge_school == -1).any():
            return np.ones((self.n, self.n), dtype=bool)
        count = np.bincount(self.judge_school, minlength=n_codes)
        # a judge at neither school exists unless every judge is at school[a] or school[b]
        total = len(self.judges)
        sa = self.school[:, None]
        sb = self.school[None, :]
        at_either = np.where(sa == sb, count[sa], count[sa] + count[sb])
        return at_either < total


def _check(session: _Session, per_script: int, cross_school_every: int | None) -> None:
    """The necessary conditions, with the messages for the common impossible sessions."""
    s = session
    if s.n < 2:
        raise PairingInfeasible(f"a session needs at least 2 scripts to compare, and has {s.n}.")
    if not s.judges:
        raise PairingInfeasible("a session needs at least one judge, and has none.")
    judged = s.judged_by_someone()
    for i, script in enumerate(s.scripts):
        if not (s.judge_school != s.school[i]).any():
            raise PairingInfeasible(
                f"every judge works at school {script.school_id}, so no one may judge its scripts "
                f"(such as script {script.id}); add a judge from another school or an adviser."
            )
        partners = int((judged[i] & ~s.done[i]).sum())
        if partners < max(1, per_script - 1):
            raise PairingInfeasible(
                f"script {script.id} can be compared with only {_plural(partners, 'other script')} "
                f"(not compared with it before, and with a judge from neither school), but each script "
                f"should appear in {per_script} comparisons; ask for fewer comparisons per script."
            )
    total = math.ceil(s.n * per_script / 2)
    available = int(np.triu(judged & ~s.done).sum())
    if available < total:
        raise PairingInfeasible(
            f"{_plural(s.n, 'script')} with {per_script} comparisons each need {_plural(total, 'pair')}, but only "
            f"{_plural(available, 'pair')} of scripts are left that have not been compared before and that "
            "some judge may see; ask for fewer comparisons per script."
        )
    least_load = total // len(s.judges)
    least_cross = least_load // cross_school_every if cross_school_every else 0
    done_a, done_b = np.nonzero(np.triu(s.done, 1))  # pairs compared before (usually few)
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
        judge = next(j for j in s.judges if (-1 if j.school_id is None else s.code[j.school_id]) == code)
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


def _attempt(
    s: _Session, per_script: int, cross_school_every: int | None, rng: np.random.Generator
) -> list[tuple[int, int, int]] | None:
    """One run of the randomised greedy: (judge, a, b) by positions, or None if it got stuck."""
    n, total = s.n, math.ceil(s.n * per_script / 2)
    counts = np.zeros(n, dtype=np.int64)
    done = s.done.copy()
    load = np.zeros(len(s.judges), dtype=np.int64)
    sees = s.school[None, :] != s.judge_school[:, None]  # judge x script: may see
    out: list[tuple[int, int, int]] = []
    cap = per_script + 1
    for _ in range(total):
        open_judges = np.flatnonzero(load == load.min())
        open_schools = np.unique(s.judge_school[open_judges])
        key = counts + rng.random(n)  # least compared first, ties at random
        key[counts >= cap] = np.inf
        if open_schools.size == 1:  # every judge still to be served this round is at one school
            key[s.school == open_schools[0]] = np.inf
        found = None
        while True:
            a = int(np.argmin(key))
            if key[a] == np.inf:
                break
            key[a] = np.inf
            judges_for_a = open_judges[sees[open_judges, a]]
            for j in rng.permutation(judges_for_a):
                mask = sees[j] & ~done[a] & (counts < cap)
                if cross_school_every and (load[j] + 1) % cross_school_every == 0:
                    mask &= s.school != s.school[a]
                candidates = np.flatnonzero(mask)
                if candidates.size:
                    key = counts[candidates] + rng.random(candidates.size)
                    found = (int(j), int(a), int(candidates[np.argmin(key)]))
                    break
            if found:
                break
        if found is None:
            return None
        j, a, b = found
        out.append(found)
        counts[a] += 1
        counts[b] += 1
        load[j] += 1
        done[a, b] = done[b, a] = True
    if counts.min() < max(1, per_script - 1) or counts.max() > per_script + 1:
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
        mask = sees & ~session.done[a]
        if cross_school:
            mask &= session.school != session.school[a]
        candidates = np.flatnonzero(mask)
        if candidates.size:
            b = int(candidates[np.lexsort((tie[candidates], counts[candidates]))[0]])
            left, right = (a, b) if (lean[a], tie[a]) <= (lean[b], tie[b]) else (b, a)
            return Pairing(judge.id, session.scripts[left].id, session.scripts[right].id)
    return None
