"""Results of a comparative-judgement session: the fitted scale and every table built from it.

`fit_session` fits the Bradley-Terry scale (`cj.fit_bradley_terry`, the eps method, with the
session's anchors fixed) to the decided pairs. `results` builds what the results page and the
exports show, for one reader:

- the scale: scripts ranked by score (logits) with a 95% interval (score +/- 1.96 standard
  errors), also read on 0 to 100 (50 + 15 x logit, clipped), by code only;
- reliability in plain words: scale separation reliability (SSR) and split-half reliability over
  judges (below 0.7 "more judgements needed", 0.7 to 0.8 "usable with care", 0.8 and above
  "reliable"); judgements made against those planned;
- judges' infit with the misfit flag (from 20 judgements): named to coordinators only, numbered
  for everyone else, a judge's own row marked "You";
- each school's distribution (minimum, quartiles, maximum of its scripts' scores), and its
  teacher judgements against the scale's bands (agree, generous: the teacher's judgement is above
  the scale's band, harsh: below). The bands' boundaries are the boundary scripts' scores (EXS,
  GDS) or, without them, an estimate: the midpoint between the mean scores of adjacent teacher-
  judgement groups across all scripts. Coordinators and advisers see schools by name; a school's
  staff see their own school named and the others as "School A", "School B"...;
- for a school's own staff only, "moderate next": its scripts whose teacher judgement lies
  furthest outside the scale's band, in standard errors, with the pupil's name (pupil-level).

Anchor scripts (kept scores from an earlier session) sit on the scale but not in the schools'
tables: they are another year's pupils.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache

from partnership.core import access, charts
from partnership.core.roles import STAFF_ROLES
from partnership.directory.models import School
from partnership.moderation.cj import BTFit, fit_bradley_terry, judge_infit, split_half_reliability
from partnership.moderation.models import CJJudge, CJPair, CJScript, CJSession, SampleIdentity

Z95 = 1.959964
READING_CENTRE = 50.0
READING_SPREAD = 15.0
MIN_INFIT_JUDGEMENTS = 20
BANDS = ("WTS", "EXS", "GDS")
BAND_RANK = {code: i for i, code in enumerate(BANDS)}
MODERATE_NEXT = 10


def reading(logit: float) -> float:
    """The 0 to 100 reading of a logit score: 50 + 15 x logit, clipped to 0..100."""
    return float(min(100.0, max(0.0, READING_CENTRE + READING_SPREAD * logit)))


def reliability_words(value: float | None) -> str:
    if value is None:
        return "not yet known"
    if value < 0.7:
        return "more judgements needed"
    if value < 0.8:
        return "usable with care"
    return "reliable"


@dataclass
class Scale:
    """The session's fit: `script_ids[i]` is the CJScript pk of index i in the fit."""

    scripts: list[CJScript]
    script_ids: list[int]
    fit: BTFit
    comparisons: list[tuple[int, int]]
    judge_of: list[int]  # CJJudge pk per comparison
    pairs: list[CJPair]
    judges: list[CJJudge]

    @property
    def judgements(self) -> int:
        return len(self.comparisons)


def fit_session(session: CJSession) -> Scale:
    """Fit the scale to the session's decided pairs (eps method, anchors fixed). Three queries."""
    scripts = list(
        CJScript.objects.filter(session=session).select_related("sample", "sample__school").order_by("position")
    )
    index = {s.pk: i for i, s in enumerate(scripts)}
    pairs = list(CJPair.objects.filter(session=session).order_by("judge_id", "number"))
    judges = list(CJJudge.objects.filter(session=session).select_related("person").order_by("pk"))
    comparisons: list[tuple[int, int]] = []
    judge_of: list[int] = []
    for p in pairs:
        if p.chosen and p.winner_id in index and p.loser_id in index:
            comparisons.append((index[p.winner_id], index[p.loser_id]))  # type: ignore[index]
            judge_of.append(p.judge_id)
    anchors = {i: float(s.anchor_score) for i, s in enumerate(scripts) if s.anchor_score is not None}
    fit = fit_bradley_terry(comparisons or np.zeros((0, 2), dtype=np.int64), len(scripts), anchors=anchors)
    return Scale(scripts, [s.pk for s in scripts], fit, comparisons, judge_of, pairs, judges)


SPLIT_HALF_TIMEOUT = 7 * 24 * 60 * 60


def cached_split_half(scale: Scale, seed: int) -> float | None:
    """Split-half reliability over the judges (100 random halvings, each a fit of its own: seconds
    for a few hundred scripts), kept in the cache under a digest of exactly what it is computed
    from (the decisions, their judges, the number of scripts, the seed), so a results page is slow
    only the first time after new decisions. None with fewer than two judges or too little data."""
    if not scale.judgements or len(set(scale.judge_of)) < 2:
        return None
    parts = (len(scale.scripts), seed, scale.comparisons, scale.judge_of)
    key = "cj-split-half:" + hashlib.sha256(pickle.dumps(parts, protocol=4)).hexdigest()[:40]
    found = cache.get(key)
    if found is not None:
        return None if found == "none" else float(found)
    try:
        value: float | None = split_half_reliability(scale.comparisons, scale.judge_of, len(scale.scripts), seed=seed)
    except ValueError:
        value = None
    cache.set(key, "none" if value is None else value, SPLIT_HALF_TIMEOUT)
    return value


@dataclass
class ScaleRow:
    rank: int
    script: CJScript
    code: str
    score: float
    low: float
    high: float
    standard_error: float | None
    reading: float
    judgements: int
    own: bool = False  # the reader's school's script (marked for its staff only)

    @property
    def anchor(self) -> bool:
        return self.script.is_anchor


@dataclass
class JudgeRow:
    label: str
    judgements: int
    infit: float | None
    misfit: bool
    qualifies: bool
    mine: bool
    median_seconds: float | None


@dataclass
class SchoolRow:
    label: str
    own: bool
    scripts: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float
    agree: int = 0
    generous: int = 0
    harsh: int = 0
    compared: int = 0


@dataclass
class Boundary:
    code: str
    score: float | None
    estimated: bool

    @property
    def reading(self) -> float | None:
        return None if self.score is None else reading(self.score)


@dataclass
class NextRow:
    code: str
    pupil_name: str
    teacher_judgement: str
    scale_band: str
    distance: float  # standard errors beyond the boundary


@dataclass
class Results:
    session: CJSession
    scale: Scale
    rows: list[ScaleRow]
    planned: int
    judgements: int
    ssr: float
    split_half: float | None
    judges: list[JudgeRow]
    boundaries: dict[str, Boundary]
    schools: list[SchoolRow]
    moderate_next: list[NextRow] = field(default_factory=list)
    names_schools: bool = False
    names_judges: bool = False
    own_school: School | None = None

    @property
    def ssr_words(self) -> str:
        return reliability_words(self.ssr if self.judgements else None)

    @property
    def split_half_words(self) -> str:
        return reliability_words(self.split_half)

    @property
    def bands_known(self) -> bool:
        return all(b.score is not None for b in self.boundaries.values())

    @property
    def estimated(self) -> bool:
        return any(b.estimated for b in self.boundaries.values())


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def band_of(score: float, boundaries: dict[str, Boundary]) -> str:
    """The scale's band for a score: GDS from the GDS boundary, EXS from the EXS boundary, else WTS."""
    gds, exs = boundaries["GDS"].score, boundaries["EXS"].score
    if gds is not None and score >= gds:
        return "GDS"
    if exs is not None and score >= exs:
        return "EXS"
    return "WTS"


def boundaries_for(scale: Scale) -> dict[str, Boundary]:
    """EXS and GDS boundaries: the mean score of the scripts marked as that boundary; else the
    midpoint between the mean scores of the two adjacent teacher-judgement groups (an estimate)."""
    scores = scale.fit.scores
    out: dict[str, Boundary] = {}
    groups: dict[str, list[float]] = {code: [] for code in BANDS}
    for i, s in enumerate(scale.scripts):
        if s.sample.teacher_judgement in groups and scale.fit.comparisons_per_script[i] > 0:
            groups[s.sample.teacher_judgement].append(float(scores[i]))
    for code, below in (("EXS", "WTS"), ("GDS", "EXS")):
        marked = [float(scores[i]) for i, s in enumerate(scale.scripts) if s.boundary == code]
        if marked:
            out[code] = Boundary(code, float(np.mean(marked)), estimated=False)
        elif groups[below] and groups[code]:
            out[code] = Boundary(code, (float(np.mean(groups[below])) + float(np.mean(groups[code]))) / 2, True)
        else:
            out[code] = Boundary(code, None, True)
    return out


def _distance(score: float, se: float | None, ta: str, boundaries: dict[str, Boundary]) -> float:
    """How far outside the teacher's band the score lies, in standard errors (0 inside it)."""
    low = {"WTS": -math.inf, "EXS": boundaries["EXS"].score, "GDS": boundaries["GDS"].score}[ta]
    high = {"WTS": boundaries["EXS"].score, "EXS": boundaries["GDS"].score, "GDS": math.inf}[ta]
    assert low is not None and high is not None
    gap = low - score if score < low else (score - high if score > high else 0.0)
    return gap / se if se and math.isfinite(se) and se > 0 else gap


def _letters(n: int) -> list[str]:
    out = []
    for i in range(n):
        label, k = "", i
        while True:
            label = chr(ord("A") + k % 26) + label
            k = k // 26 - 1
            if k < 0:
                break
        out.append(label)
    return out


def results(user: Any, session: CJSession, *, scale: Scale | None = None) -> Results:
    """Everything the results page shows, for `user` (who may view the session)."""
    principal = access.principal_for(user)
    scale = scale or fit_session(session)
    fit = scale.fit
    staff_school = principal.school_id if principal.school_id and principal.school_roles & STAFF_ROLES else None
    names_schools = (
        session.partnership_id in principal.coordinates or session.partnership_id in principal.advises
    ) or principal.is_admin
    names_judges = session.partnership_id in principal.coordinates or principal.is_admin

    rows: list[ScaleRow] = []
    for i, script in enumerate(scale.scripts):
        se = _finite(float(fit.standard_errors[i]))
        score = float(fit.scores[i])
        spread = Z95 * (se or 0.0)
        rows.append(
            ScaleRow(
                rank=0,
                script=script,
                code=script.sample.code,
                score=score,
                low=score - spread,
                high=score + spread,
                standard_error=se,
                reading=reading(score),
                judgements=int(fit.comparisons_per_script[i]),
                own=staff_school is not None and script.sample.school_id == staff_school and not script.is_anchor,
            )
        )
    rows.sort(key=lambda r: (-r.score, r.code))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank

    split_half = cached_split_half(scale, session.seed)

    judges = _judge_rows(scale, principal.user_id, names_judges)
    boundaries = boundaries_for(scale)
    schools, by_school = _school_rows(scale, boundaries, staff_school, names_schools)
    moderate_next: list[NextRow] = []
    if staff_school is not None and staff_school in by_school and all(b.score is not None for b in boundaries.values()):
        moderate_next = _moderate_next(scale, by_school[staff_school], boundaries)
    own_school = School.objects.filter(pk=staff_school).first() if staff_school else None
    return Results(
        session=session,
        scale=scale,
        rows=rows,
        planned=len(scale.pairs),
        judgements=scale.judgements,
        ssr=float(fit.ssr),
        split_half=split_half,
        judges=judges,
        boundaries=boundaries,
        schools=schools,
        moderate_next=moderate_next,
        names_schools=names_schools,
        names_judges=names_judges,
        own_school=own_school,
    )


def _judge_rows(scale: Scale, user_id: int | None, names: bool) -> list[JudgeRow]:
    infits = (
        judge_infit(scale.comparisons, scale.judge_of, scale.fit, min_judgements=MIN_INFIT_JUDGEMENTS)
        if scale.judgements
        else {}
    )
    seconds: dict[int, list[float]] = {}
    for p in scale.pairs:
        if p.chosen and p.seconds is not None:
            seconds.setdefault(p.judge_id, []).append(p.seconds)
    out = []
    for number, judge in enumerate(scale.judges, start=1):
        mine = judge.person_id == user_id
        label = judge.person.full_name if names else ("You" if mine else f"Judge {number}")
        if names and mine:
            label += " (you)"
        info = infits.get(judge.pk)
        times = seconds.get(judge.pk)
        out.append(
            JudgeRow(
                label=label,
                judgements=info.judgements if info else 0,
                infit=_finite(info.infit) if info else None,
                misfit=bool(info and info.misfit),
                qualifies=bool(info and info.judgements >= MIN_INFIT_JUDGEMENTS),
                mine=mine,
                median_seconds=float(np.median(times)) if times else None,
            )
        )
    return out


def _school_rows(
    scale: Scale, boundaries: dict[str, Boundary], staff_school: int | None, names: bool
) -> tuple[list[SchoolRow], dict[int, list[int]]]:
    by_school: dict[int, list[int]] = {}
    for i, s in enumerate(scale.scripts):
        if not s.is_anchor:
            by_school.setdefault(s.sample.school_id, []).append(i)
    scores = scale.fit.scores
    bands_known = all(b.score is not None for b in boundaries.values())
    rows: list[tuple[int, SchoolRow]] = []
    for school_id, idx in by_school.items():
        values = scores[idx]
        q = np.percentile(values, [0, 25, 50, 75, 100])
        row = SchoolRow(
            label="",
            own=school_id == staff_school,
            scripts=len(idx),
            minimum=float(q[0]),
            lower_quartile=float(q[1]),
            median=float(q[2]),
            upper_quartile=float(q[3]),
            maximum=float(q[4]),
        )
        if bands_known:
            for i in idx:
                ta = scale.scripts[i].sample.teacher_judgement
                if ta not in BAND_RANK or scale.fit.comparisons_per_script[i] == 0:
                    continue
                band = band_of(float(scores[i]), boundaries)
                row.compared += 1
                if BAND_RANK[ta] > BAND_RANK[band]:
                    row.generous += 1
                elif BAND_RANK[ta] < BAND_RANK[band]:
                    row.harsh += 1
                else:
                    row.agree += 1
        rows.append((school_id, row))
    # Highest median first; the letters follow that order, so they say nothing but the results.
    rows.sort(key=lambda r: (-r[1].median, r[0]))
    schools = {s.pk: s.name for s in School.objects.filter(pk__in=list(by_school))} if rows else {}
    letters = iter(_letters(len(rows)))
    for school_id, row in rows:
        if names or row.own:
            row.label = schools.get(school_id, "")
        else:
            row.label = f"School {next(letters)}"
    return [r for _, r in rows], by_school


def _moderate_next(scale: Scale, idx: list[int], boundaries: dict[str, Boundary]) -> list[NextRow]:
    scores, ses = scale.fit.scores, scale.fit.standard_errors
    found = []
    for i in idx:
        sample = scale.scripts[i].sample
        ta = sample.teacher_judgement
        if ta not in BAND_RANK or scale.fit.comparisons_per_script[i] == 0:
            continue
        band = band_of(float(scores[i]), boundaries)
        if band == ta:
            continue
        distance = _distance(float(scores[i]), _finite(float(ses[i])), ta, boundaries)
        found.append((distance, sample, band))
    found.sort(key=lambda f: (-f[0], f[1].code))
    found = found[:MODERATE_NEXT]
    names = dict(
        SampleIdentity.objects.filter(sample_id__in=[f[1].pk for f in found]).values_list("sample_id", "pupil_name")
    )
    return [
        NextRow(
            code=sample.code,
            pupil_name=names.get(sample.pk, ""),
            teacher_judgement=sample.teacher_judgement,
            scale_band=band,
            distance=distance,
        )
        for distance, sample, band in found
    ]


# --- The chart -------------------------------------------------------------------------------------


def scale_chart(res: Results) -> charts.Spec:
    """Points (the score on the 0 to 100 reading) with 95% interval bars, one row per script in rank
    order, and the boundaries as dashed lines."""
    rows = [
        {
            "label": f"{r.rank}. {r.code}",
            "reading": round(r.reading, 1),
            "low": round(reading(r.low), 1),
            "high": round(reading(r.high), 1),
        }
        for r in res.rows
    ]
    markers = [
        b.reading or 0 for code in ("EXS", "GDS") if (b := res.boundaries.get(code)) is not None and b.score is not None
    ]
    return charts.interval_points(
        rows,
        title="The scale",
        description=f"The scale: {len(rows)} scripts ranked by score on the 0 to 100 reading, each with its "
        "95% interval.",
        label_field="label",
        value_field="reading",
        low_field="low",
        high_field="high",
        value_title="Reading (0 to 100)",
        markers=markers,
    )
