"""Agreement between a teacher's judgement and the moderator's on the same samples.

Pure Python and numpy, no Django imports. A "pair" is `(teacher_code, moderator_code)` for one
pupil's sample, the codes coming from an ordered scale (for example WTS < EXS < GDS, or the EYFS
"emerging" < "expected").

- `exact_agreement`: the share of pairs where both gave the same code.
- `cohens_kappa`: Cohen's kappa (Cohen 1960), agreement corrected for the agreement two judges would
  reach by chance given how often each used each code; optionally weighted (Cohen 1968) so that a
  disagreement by two steps of the scale counts more than one by one step ("linear": weight
  |i - j|, "quadratic": (i - j)^2). The same definition as scikit-learn's `cohen_kappa_score`.
- `agreement_summary`: per group (school, year group, subject...): n, exact agreement, kappa and the
  direction of disagreement (teacher more generous or harsher than the moderator).
- `describe_kappa`: the Landis and Koch (1977) band in plain words.

References: J. Cohen, "A coefficient of agreement for nominal scales", Educational and Psychological
Measurement 20 (1960) 37-46; J. Cohen, "Weighted kappa", Psychological Bulletin 70 (1968) 213-220;
J. R. Landis and G. G. Koch, "The measurement of observer agreement for categorical data",
Biometrics 33 (1977) 159-174 (the bands are in their section 4, p. 165).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "MIN_GROUP",
    "GroupAgreement",
    "agreement_summary",
    "cohens_kappa",
    "describe_group",
    "describe_kappa",
    "exact_agreement",
]

Pair = tuple[Hashable, Hashable]
Weights = Literal["linear", "quadratic"] | None
MIN_GROUP = 5  # fewer pairs than this in a group: too few to judge (STA: a sample of at least 5 pupils)


def exact_agreement(pairs: Iterable[Pair]) -> float | None:
    """The share of pairs where the teacher and the moderator gave the same code; None with no pairs."""
    pairs = list(pairs)
    if not pairs:
        return None
    return sum(1 for t, m in pairs if t == m) / len(pairs)


def _labels(pairs: Sequence[Pair], labels: Sequence[Hashable] | None) -> list[Hashable]:
    """The scale in order: `labels` as given (every code must be on it), else the codes sorted."""
    used = {c for pair in pairs for c in pair}
    if labels is None:
        return sorted(used)  # type: ignore[type-var]  # codes without an order must be given as labels
    order = list(labels)
    if len(set(order)) != len(order):
        raise ValueError("each code may appear only once in labels")
    missing = used - set(order)
    if missing:
        raise ValueError(f"codes not on the scale: {', '.join(sorted(map(str, missing)))}")
    return order


def cohens_kappa(
    pairs: Iterable[Pair], *, labels: Sequence[Hashable] | None = None, weights: Weights = None
) -> float | None:
    """Cohen's kappa of the teacher's codes against the moderator's.

    `labels` gives the scale in order (lowest first); without it the codes are sorted, which is the
    order only for codes that sort that way. `weights` None is Cohen's unweighted kappa; "linear"
    and "quadratic" weight a disagreement by its distance on the scale.

    kappa = 1 - (sum of w * observed) / (sum of w * expected), where observed is the table of pairs,
    expected the table chance would give from each judge's own use of the codes, and w is 0 on the
    diagonal and 1 (unweighted), |i - j| or (i - j)^2 elsewhere.

    Returns None with no pairs. When the expected disagreement is zero, kappa is 0 / 0; that happens
    exactly when every pair is the same one code for both judges (for example every sample judged
    EXS by both). Then this returns 1.0: the judges agreed on every sample, and a number that would
    read as "no better than chance" (0) or a gap (None) would misreport complete agreement. It is a
    convention, not an estimate: such a sample cannot show whether the two would agree on other
    codes, and scikit-learn returns NaN there.
    """
    pairs = list(pairs)
    if not pairs:
        return None
    order = _labels(pairs, labels)
    index = {c: i for i, c in enumerate(order)}
    k = len(order)
    observed = np.zeros((k, k))
    for t, m in pairs:
        observed[index[t], index[m]] += 1
    observed /= len(pairs)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    steps = np.abs(np.subtract.outer(np.arange(k), np.arange(k))).astype(float)
    if weights is None:
        w = (steps > 0).astype(float)
    elif weights == "linear":
        w = steps
    elif weights == "quadratic":
        w = steps**2
    else:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    expected_disagreement = float((w * expected).sum())
    if expected_disagreement <= 0.0:
        return 1.0
    return 1.0 - float((w * observed).sum()) / expected_disagreement


@dataclass(frozen=True)
class GroupAgreement:
    """One group's agreement. `keys` maps each `by` name to the group's value; `generous` is the share
    of pairs where the teacher's code was above the moderator's on the scale, `harsh` below; `too_few`
    is True under `MIN_GROUP` pairs, when the figures are too few to judge by."""

    keys: dict[str, Hashable]
    n: int
    exact: float
    kappa: float
    generous: float
    harsh: float
    too_few: bool


def agreement_summary(
    rows: Iterable[Sequence[Hashable]],
    by: Sequence[str],
    *,
    labels: Sequence[Hashable],
    weights: Weights = None,
) -> list[GroupAgreement]:
    """Agreement per group. Each row is `(key_1, ..., key_k, teacher_code, moderator_code)` with one
    key for each name in `by` (e.g. `by=("school", "year_group")`; `by=()` gives one overall group).
    `labels` is the scale, lowest first, which gives the direction of each disagreement.
    Groups come in the order they first appear in `rows`."""
    width = len(by) + 2
    groups: dict[tuple[Hashable, ...], list[Pair]] = {}
    for row in rows:
        if len(row) != width:
            raise ValueError(f"each row needs {width} values ({len(by)} keys, teacher, moderator), got {len(row)}")
        groups.setdefault(tuple(row[: len(by)]), []).append((row[-2], row[-1]))
    rank = {c: i for i, c in enumerate(labels)}
    out = []
    for key, pairs in groups.items():
        kappa = cohens_kappa(pairs, labels=labels, weights=weights)
        exact = exact_agreement(pairs)
        assert kappa is not None and exact is not None  # a group has at least one pair
        n = len(pairs)
        out.append(
            GroupAgreement(
                keys=dict(zip(by, key, strict=True)),
                n=n,
                exact=exact,
                kappa=kappa,
                generous=sum(1 for t, m in pairs if rank[t] > rank[m]) / n,
                harsh=sum(1 for t, m in pairs if rank[t] < rank[m]) / n,
                too_few=n < MIN_GROUP,
            )
        )
    return out


# Landis and Koch (1977), p. 165: <0.00 poor, 0.00-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate,
# 0.61-0.80 substantial, 0.81-1.00 almost perfect. Between the printed bands (e.g. 0.205) a value
# goes to the lower band: each band runs up to and including its upper bound.
KAPPA_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"), (1.0, "almost perfect"))


def describe_kappa(kappa: float | None) -> str:
    """The strength of agreement in Landis and Koch's words (1977, p. 165), e.g. "moderate"; "poor"
    below 0 (worse than chance); "no data" for None."""
    if kappa is None:
        return "no data"
    if kappa < 0:
        return "poor"
    for upper, word in KAPPA_BANDS:
        if kappa <= upper + 1e-12:
            return word
    return KAPPA_BANDS[-1][1]


def describe_group(group: GroupAgreement) -> str:
    """One plain sentence for a group, e.g. "12 samples: 75% exact agreement, kappa 0.62 (substantial);
    teacher above the moderator in 17%, below in 8%." Groups under `MIN_GROUP` say they are too few."""
    samples = f"{group.n} sample{'s' if group.n != 1 else ''}"
    if group.too_few:
        return f"{samples}: too few to judge agreement (at least {MIN_GROUP} are needed)."
    return (
        f"{samples}: {group.exact:.0%} exact agreement, kappa {group.kappa:.2f} ({describe_kappa(group.kappa)}); "
        f"teacher above the moderator in {group.generous:.0%}, below in {group.harsh:.0%}."
    )
