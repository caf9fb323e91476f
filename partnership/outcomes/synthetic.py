"""Synthetic pupils and results: realistic enough that every outcomes page shows something honest.

`generate_results(schools, years=..., seed=...)` gives each school cohorts of 15-30 pupils per year
group, with characteristics near the national shares (disadvantaged ~25%, SEN support ~13%, EHCP
~2.5%, EAL ~20%, half girls; summer-born follows from the date of birth) and statutory results for
`years` whose rates sit near the national figures in DOMAIN.md, plus termly teacher assessments in
Years 1-6 for `assessment_year` (the current academic year by default) for the terms that have
begun by `today`. `subject_effects` makes a school weaker (or stronger) in a subject, so a demo can
tell a story: its plans then name the weak subjects as priorities.

How results are made: each pupil has a latent attainment = school effect + the pupil's general
attainment + a lasting subject strength + noise for the occasion, shifted by group effects
(disadvantaged, SEN, EAL, sex, month of birth) whose sizes give gaps of the order seen nationally.
The threshold for each measure is solved so that the national population (the mixture of those
groups) meets it at the national rate; a school's rate then varies with its school effect and its
intake, and a group's with its effect. Because one pupil's subjects share the general part,
combined RWM comes out near the national RWM figure without being forced.

Deterministic: each school's data depends only on `seed` and the school's URN, not on the order or
number of schools. Names are made up from short lists, no two pupils of a school alike; UPNs carry
a valid DfE check letter, the school's LAESTAB and an allocation year, so they are well formed but
belong to nobody.

Academic years are stored by their starting year (2024 means 2024/25), as in the models. National
figures are read from the NationalFigure table where a row exists, else from the constants below
(DOMAIN.md's table is by the summer the results were taken: its "2025" is academic year 2024).
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist

from django.db import transaction
from django.utils import timezone

from partnership.core.schoolyear import current_academic_year, term_dates
from partnership.outcomes import rules
from partnership.outcomes.models import (
    Measure,
    NationalFigure,
    Pupil,
    PupilYear,
    Result,
    SenProvision,
    Sex,
    TeacherAssessment,
)
from partnership.outcomes.upn import make_upn

DEFAULT_YEARS = (2022, 2023, 2024)
DEFAULT_SEED = 20261122
SUBJECTS = ("early", "reading", "writing", "maths")  # the lasting subject strengths, and `subject_effects` keys
# When a year's statutory results are all in: KS2 test results reach schools in early July, after
# the EYFS profile, the phonics check and the multiplication check in June.
RESULTS_IN_BY = (7, 7)
BATCH_SIZE = 2000  # rows per INSERT (Django lowers it further where the database needs)
SCHOOLS_PER_CHUNK = 25  # pupils of this many schools are built and written together

# ---------------------------------------------------------------------------------------------
# National figures by academic (starting) year, from DOMAIN.md. Fractions; MTC mean in marks.
EXPECTED = {
    Measure.KS2_RWM: {2021: 0.59, 2022: 0.60, 2023: 0.61, 2024: 0.62},
    Measure.KS2_READING: {2021: 0.75, 2022: 0.73, 2023: 0.74, 2024: 0.75},
    Measure.KS2_WRITING: {2021: 0.69, 2022: 0.71, 2023: 0.72, 2024: 0.72},
    Measure.KS2_MATHS: {2021: 0.71, 2022: 0.73, 2023: 0.73, 2024: 0.74},
    Measure.KS2_GPS: {2021: 0.72, 2022: 0.72, 2023: 0.72, 2024: 0.73},
    Measure.PHONICS_Y1: {2021: 0.75, 2022: 0.79, 2023: 0.80, 2024: 0.80},
    Measure.EYFS_GLD: {2021: 0.652, 2022: 0.672, 2023: 0.677, 2024: 0.683},
}
MTC_MEAN = {2021: 19.8, 2022: 20.2, 2023: 20.6, 2024: 21.0}
MTC_FULL_MARKS = {2021: 0.27, 2022: 0.29, 2023: 0.34, 2024: 0.37}
# Not in DOMAIN.md: approximate public figures, used only to shape synthetic data.
HIGHER = {Measure.KS2_READING: 0.28, Measure.KS2_MATHS: 0.24, Measure.KS2_GPS: 0.30, Measure.KS2_WRITING: 0.13}
KS1_EXPECTED = {Measure.KS1_READING: 0.68, Measure.KS1_WRITING: 0.60, Measure.KS1_MATHS: 0.70}  # 2022/23
KS1_GREATER_DEPTH = {Measure.KS1_READING: 0.19, Measure.KS1_WRITING: 0.08, Measure.KS1_MATHS: 0.16}
KS1_LAST_STATUTORY_YEAR = 2022  # KS1 teacher assessment was not collected after 2022/23
PHONICS_RETAKE_PASS = 0.58  # of Year 2 pupils retaking the check
# Termly teacher assessments: share at expected or above, and at greater depth, by term.
TA_EXPECTED = {"autumn": 0.60, "spring": 0.66, "summer": 0.71}
TA_GREATER_DEPTH = {"autumn": 0.10, "spring": 0.13, "summer": 0.16}

# Pupil characteristics (national shares; schools vary around them).
DISADVANTAGED = 0.25
SEN_SUPPORT = 0.13
EHCP = 0.025
EAL = 0.20
ABSENT = 0.006  # per KS2 test: code A

# ---------------------------------------------------------------------------------------------
# The latent model. Variances: school, general attainment, lasting subject strength, occasion.
SCHOOL_SD = 0.30
GENERAL_SD = 0.85
SUBJECT_SD = 0.35
OCCASION_SD = 0.30
TA_OCCASION_SD = 0.15


@dataclass(frozen=True)
class GroupEffects:
    """Shifts of the latent attainment for each group, per kind of measure (in latent SDs)."""

    disadvantaged: float
    sen_support: float
    ehcp: float
    eal: float
    female: float
    per_month_younger: float  # September-born = 0 months younger ... August-born = 11


PROFILES: dict[str, GroupEffects] = {
    "eyfs": GroupEffects(-0.50, -1.00, -2.20, -0.35, 0.35, -0.055),
    "phonics": GroupEffects(-0.45, -1.00, -2.20, -0.05, 0.20, -0.030),
    "reading": GroupEffects(-0.50, -1.00, -2.00, -0.15, 0.20, -0.012),
    "writing": GroupEffects(-0.50, -1.10, -2.20, 0.00, 0.35, -0.012),
    "gps": GroupEffects(-0.45, -1.00, -2.00, 0.15, 0.25, -0.010),
    "maths": GroupEffects(-0.50, -0.95, -2.00, 0.10, -0.05, -0.012),
}
# measure -> (effects profile, the subject strength it draws on)
MEASURE_PROFILE: dict[str, tuple[str, str]] = {
    Measure.EYFS_GLD: ("eyfs", "early"),
    Measure.PHONICS_Y1: ("phonics", "reading"),
    Measure.PHONICS_Y2: ("phonics", "reading"),
    Measure.KS1_READING: ("reading", "reading"),
    Measure.KS1_WRITING: ("writing", "writing"),
    Measure.KS1_MATHS: ("maths", "maths"),
    Measure.MTC: ("maths", "maths"),
    Measure.KS2_READING: ("reading", "reading"),
    Measure.KS2_WRITING: ("writing", "writing"),
    Measure.KS2_MATHS: ("maths", "maths"),
    Measure.KS2_GPS: ("gps", "writing"),
}
KS2_TESTS = (Measure.KS2_READING, Measure.KS2_MATHS, Measure.KS2_GPS)
KS1_MEASURES = (Measure.KS1_READING, Measure.KS1_WRITING, Measure.KS1_MATHS)
TERMS = ("autumn", "spring", "summer")

_NORMAL = NormalDist()
_SEN_GIVEN = {  # P(SEN support), P(EHCP) given disadvantaged or not: keeps the national shares overall
    True: (SEN_SUPPORT * 1.5, EHCP * 1.6),
    False: (SEN_SUPPORT * (1 - DISADVANTAGED * 1.5) / (1 - DISADVANTAGED), EHCP * (1 - DISADVANTAGED * 1.6) / 0.75),
}


def _population() -> list[tuple[float, bool, str, bool, bool, int]]:
    """Every combination of group memberships with its national weight."""
    cells = []
    for dis in (True, False):
        p_dis = DISADVANTAGED if dis else 1 - DISADVANTAGED
        k, e = _SEN_GIVEN[dis]
        for sen, p_sen in ((SenProvision.SEN_SUPPORT, k), (SenProvision.EHCP, e), (SenProvision.NONE, 1 - k - e)):
            for eal, p_eal in ((True, EAL), (False, 1 - EAL)):
                for female in (True, False):
                    for months in range(12):
                        cells.append((p_dis * p_sen * p_eal * 0.5 / 12, dis, sen, eal, female, months))
    return cells


def _shift(effects: GroupEffects, dis: bool, sen: str, eal: bool, female: bool, months: int) -> float:
    shift = effects.disadvantaged if dis else 0.0
    if sen == SenProvision.SEN_SUPPORT:
        shift += effects.sen_support
    elif sen == SenProvision.EHCP:
        shift += effects.ehcp
    if eal:
        shift += effects.eal
    if female:
        shift += effects.female
    return shift + effects.per_month_younger * months


def _sd(occasion_sd: float) -> float:
    return math.sqrt(SCHOOL_SD**2 + GENERAL_SD**2 + SUBJECT_SD**2 + occasion_sd**2)


@lru_cache(maxsize=512)
def threshold(profile: str, rate: float, occasion_sd: float = OCCASION_SD) -> float:
    """The latent cut-off that the national population passes at `rate`."""
    effects, sd = PROFILES[profile], _sd(occasion_sd)
    cells = [(w, _shift(effects, *rest)) for w, *rest in _population()]
    low, high = -8.0, 8.0
    for _ in range(60):
        mid = (low + high) / 2
        passing = sum(w * (1 - _NORMAL.cdf((mid - mu) / sd)) for w, mu in cells)
        low, high = (mid, high) if passing > rate else (low, mid)
    return (low + high) / 2


@lru_cache(maxsize=64)
def mtc_slope(profile: str, full_marks: float, mean: float) -> float:
    """Marks lost per latent SD below the full-marks cut-off, so the national mean comes out right.
    Uses a normal approximation of the mixture (good to a few tenths of a mark)."""
    effects, sd = PROFILES[profile], _sd(OCCASION_SD)
    cells = [(w, _shift(effects, *rest)) for w, *rest in _population()]
    mu = sum(w * m for w, m in cells)
    sigma = math.sqrt(sd**2 + sum(w * (m - mu) ** 2 for w, m in cells))
    cut = threshold(profile, full_marks)
    alpha = (cut - mu) / sigma
    below = _NORMAL.cdf(alpha)
    shortfall = (cut - mu) + sigma * _NORMAL.pdf(alpha) / below  # E[cut - z | z < cut]
    mean_below = (mean - 25 * full_marks) / (1 - full_marks)
    return max(0.5, (24 - 0.5 - mean_below) / shortfall)


def national_rates(years: Iterable[int]) -> dict[tuple[str, int, str], float]:
    """{(measure, year, statistic): value as a fraction (or marks for the MTC mean)}: the
    NationalFigure table where it has a row, else DOMAIN.md's figures."""
    years = list(years)
    rates: dict[tuple[str, int, str], float] = {}
    for measure, by_year in EXPECTED.items():
        for year in years:
            rates[(measure, year, "expected_pct")] = by_year.get(year, by_year[max(by_year)])
    for year in years:
        rates[(Measure.MTC, year, "mean")] = MTC_MEAN.get(year, MTC_MEAN[max(MTC_MEAN)])
        rates[(Measure.MTC, year, "full_marks_pct")] = MTC_FULL_MARKS.get(year, MTC_FULL_MARKS[max(MTC_FULL_MARKS)])
    stored = NationalFigure.objects.filter(academic_year__in=years).values_list(
        "measure", "academic_year", "statistic", "value"
    )
    for measure, year, statistic, value in stored:
        if (measure, year, statistic) in rates:
            rates[(measure, year, statistic)] = float(value) if statistic == "mean" else float(value) / 100
    return rates


# ---------------------------------------------------------------------------------------------
# Names and identifiers. Clearly made-up surnames; common first names.
FORENAMES_F = [
    "Amara", "Bea", "Cora", "Daisy", "Esme", "Freya", "Gracie", "Hallie", "Isla", "Jaya", "Kiki", "Lila",
    "Mira", "Nell", "Orla", "Poppy", "Rumi", "Suki", "Tilly", "Wren",
]  # fmt: skip
FORENAMES_M = [
    "Arlo", "Bodhi", "Cass", "Dex", "Ezra", "Finn", "Gus", "Hugo", "Ivo", "Jude", "Kit", "Luca", "Milo",
    "Nico", "Otto", "Rafe", "Sonny", "Teo", "Vinnie", "Zeke",
]  # fmt: skip
SURNAMES = [
    "Applewick", "Bramblecote", "Cinderfield", "Dapplemere", "Elderbrook", "Fernhollow", "Glimmerton",
    "Hazelbury", "Inkwell", "Jumbleford", "Kettlewhistle", "Lanternby", "Marrowdene", "Nutmegger",
    "Oddlebury", "Puddingstone", "Quibbleton", "Rumbletree", "Sparrowmead", "Thistlecombe", "Umberfold",
    "Velvetine", "Wobbleton", "Yarrowby",
]  # fmt: skip


def _laestab(school) -> str:  # type: ignore[no-untyped-def]
    la, estab = school.la_code or "", school.establishment_number or ""
    if la.isdigit() and estab.isdigit() and len(la) == 3 and len(estab) == 4:
        return la + estab
    return f"{int(school.urn or school.pk) % 10_000_000:07d}"


# ---------------------------------------------------------------------------------------------
# Year groups a school teaches, by phase.
PHASE_YEAR_GROUPS = {"infant": (0, 2), "first": (0, 4), "junior": (3, 6), "middle": (3, 6)}
PRIMARY_YEAR_GROUPS = (0, 6)


def year_groups_of(school) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return PHASE_YEAR_GROUPS.get(school.phase, PRIMARY_YEAR_GROUPS)


@dataclass
class _Pupil:
    model: Pupil
    entry_year: int  # the academic year the pupil is (or would be) in Reception
    disadvantaged: bool
    sen: str
    eal: bool
    female: bool
    months_younger: int
    general: float
    strengths: dict[str, float] = field(default_factory=dict)
    passed_phonics: bool | None = None


@dataclass
class GenerationSummary:
    schools: int = 0
    skipped_schools: int = 0
    pupils: int = 0
    pupil_years: int = 0
    results: int = 0
    assessments: int = 0

    @property
    def rows(self) -> int:
        return self.pupils + self.pupil_years + self.results + self.assessments


class _SchoolGenerator:
    """Builds (unsaved) rows for one school."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        school,
        *,
        years: Sequence[int],
        assessment_year: int,
        seed: int,
        rates,
        now,
        terms: Sequence[str] = TERMS,
        subject_effects: Mapping[str, float] | None = None,
        school_effect: float | None = None,
    ) -> None:
        self.school = school
        self.years = set(years)
        self.assessment_year = assessment_year
        self.terms = tuple(terms)
        self.subject_effects = dict(subject_effects or {})
        self.rates = rates
        self.now = now
        self.rng = random.Random(f"{seed}:{school.urn or school.pk}")
        rng = self.rng
        self.effect = rng.gauss(0, SCHOOL_SD)
        if school_effect is not None:  # drawn all the same, so the rest of the school's data is unchanged
            self.effect = school_effect
        self.disadvantaged = rng.betavariate(2.5, 2.5 * (1 - DISADVANTAGED) / DISADVANTAGED)
        self.eal = rng.betavariate(1.2, 1.2 * (1 - EAL) / EAL)
        self.cohort_size = rng.randint(15, 30)
        self.laestab = _laestab(school)
        self.pupils: list[_Pupil] = []
        self.names: set[tuple[str, str]] = set()
        self.pupil_years: list[PupilYear] = []
        self.results: list[Result] = []
        self.assessments: list[TeacherAssessment] = []

    # -- pupils -----------------------------------------------------------------------------
    def build(self) -> None:
        low, high = year_groups_of(self.school)
        first = min(self.years | {self.assessment_year})
        last = max(self.years | {self.assessment_year})
        for entry_year in range(first - high, last - low + 1):
            size = min(30, max(15, self.cohort_size + self.rng.randint(-3, 3)))
            for serial in range(size):
                pupil = self._pupil(entry_year, serial)
                self.pupils.append(pupil)
                for year in range(max(first, entry_year + low), min(last, entry_year + high) + 1):
                    self._year(pupil, year, year - entry_year)

    def _pupil(self, entry_year: int, serial: int) -> _Pupil:
        rng = self.rng
        female = rng.random() < 0.5
        # Born September (entry_year - 5) to August (entry_year - 4): 5 during the Reception year.
        born = datetime.date(entry_year - 5, 9, 1) + datetime.timedelta(days=rng.randrange(365))
        months_younger = (born.month - 9) % 12
        disadvantaged = rng.random() < self.disadvantaged
        k, e = _SEN_GIVEN[disadvantaged]
        draw = rng.random()
        sen = SenProvision.EHCP if draw < e else SenProvision.SEN_SUPPORT if draw < e + k else SenProvision.NONE
        forenames = FORENAMES_F if female else FORENAMES_M
        forename, surname = self._unused_name(forenames, rng.choice(forenames), rng.choice(SURNAMES))
        model = Pupil(
            school=self.school,
            upn=make_upn(
                self.laestab[:3], self.laestab[3:], entry_year + 1, serial + 1
            ),  # allocated in the Reception year
            surname=surname,
            forename=forename,
            date_of_birth=born,
            sex=Sex.FEMALE if female else Sex.MALE,
            created_at=self.now,
            updated_at=self.now,
        )
        return _Pupil(
            model=model,
            entry_year=entry_year,
            disadvantaged=disadvantaged,
            sen=sen,
            eal=rng.random() < self.eal,
            female=female,
            months_younger=months_younger,
            general=rng.gauss(0, GENERAL_SD),
            strengths={s: rng.gauss(0, SUBJECT_SD) for s in ("early", "reading", "writing", "maths")},
        )

    def _unused_name(self, forenames: list[str], forename: str, surname: str) -> tuple[str, str]:
        """The drawn name, or the next one no pupil of the school has (surnames first, then
        forenames), so no two pupils of a school share a name. Draws nothing more from the
        generator, so the rest of the school's data is the same as without it."""
        start_f, start_s = forenames.index(forename), SURNAMES.index(surname)
        for step_f in range(len(forenames)):
            for step_s in range(len(SURNAMES)):
                name = (
                    forenames[(start_f + step_f) % len(forenames)],
                    SURNAMES[(start_s + step_s) % len(SURNAMES)],
                )
                if name not in self.names:
                    self.names.add(name)
                    return name
        return forename, surname  # more pupils than names: a school of over 480 of one sex

    def _latent(self, pupil: _Pupil, measure: str, occasion_sd: float = OCCASION_SD) -> float:
        profile, subject = MEASURE_PROFILE[measure]
        shift = _shift(PROFILES[profile], pupil.disadvantaged, pupil.sen, pupil.eal, pupil.female, pupil.months_younger)
        school = self.effect + self.subject_effects.get(subject, 0.0)
        return school + pupil.general + pupil.strengths[subject] + shift + self.rng.gauss(0, occasion_sd)

    def _year(self, pupil: _Pupil, year: int, year_group: int) -> None:
        self.pupil_years.append(
            PupilYear(
                pupil=pupil.model,
                academic_year=year,
                year_group=year_group,
                disadvantaged=pupil.disadvantaged,
                sen_provision=pupil.sen,
                eal=pupil.eal,
            )
        )
        if year_group == 2 and pupil.passed_phonics is None:  # Year 1 was before the first year made
            self._phonics(pupil, year - 1, Measure.PHONICS_Y1, save=False)
        if year in self.years:
            self._results(pupil, year, year_group)
        elif year_group == 1:  # not saved, but decides who retakes the check in Year 2
            self._phonics(pupil, year, Measure.PHONICS_Y1, save=False)
        if year == self.assessment_year and 1 <= year_group <= 6:
            self._assessments(pupil, year)

    # -- results ----------------------------------------------------------------------------
    def _result(self, pupil: _Pupil, year: int, measure: str, *, score=None, grade="", code="", detail=None) -> None:  # type: ignore[no-untyped-def]
        met_expected, met_higher = rules.met(measure, score=score, grade=grade, code=code)
        self.results.append(
            Result(
                pupil=pupil.model,
                academic_year=year,
                measure=measure,
                score=score,
                grade=grade,
                code=code,
                detail=detail or {},
                met_expected=met_expected,
                met_higher=met_higher,
            )
        )

    def _rate(self, measure: str, year: int, statistic: str = "expected_pct") -> float:
        return self.rates[(measure, year, statistic)]

    def _results(self, pupil: _Pupil, year: int, year_group: int) -> None:
        if year_group == 0:
            self._eyfs(pupil, year)
        elif year_group == 1:
            self._phonics(pupil, year, Measure.PHONICS_Y1)
        elif year_group == 2:
            if not pupil.passed_phonics:
                self._phonics(pupil, year, Measure.PHONICS_Y2)
            if year <= KS1_LAST_STATUTORY_YEAR:
                for measure in KS1_MEASURES:
                    self._ks1(pupil, year, measure)
        elif year_group == 4:
            self._mtc(pupil, year)
        elif year_group == 6:
            self._ks2(pupil, year)

    def _eyfs(self, pupil: _Pupil, year: int) -> None:
        z = self._latent(pupil, Measure.EYFS_GLD)
        cut = threshold("eyfs", self._rate(Measure.EYFS_GLD, year))
        gld = z >= cut
        goals = {goal: "2" for goal in ELGS}
        if not gld:  # at least one of the GLD goals emerging; more the further below
            missed = min(len(GLD_GOALS), 1 + int((cut - z) * 3))
            for goal in self.rng.sample(GLD_GOALS, max(1, missed)):
                goals[goal] = "1"
        for goal in OTHER_GOALS:
            if self.rng.random() < (0.08 if gld else 0.4):
                goals[goal] = "1"
        self._result(pupil, year, Measure.EYFS_GLD, grade="GLD" if gld else "not", detail={"elg": goals})

    def _phonics(self, pupil: _Pupil, year: int, measure: str, *, save: bool = True) -> None:
        if measure == Measure.PHONICS_Y2:
            # Retakers: those who did not reach the threshold in Year 1; most pass the second time.
            chance = {SenProvision.EHCP: 0.2, SenProvision.SEN_SUPPORT: 0.45}.get(pupil.sen, PHONICS_RETAKE_PASS + 0.07)
            if self.rng.random() < chance:
                mark = min(40, 32 + int(abs(self.rng.gauss(0, 3))))
            else:
                mark = max(0, 31 - int(abs(self.rng.gauss(0, 8))))
        else:
            z = self._latent(pupil, measure)
            rate = self.rates.get((Measure.PHONICS_Y1, year, "expected_pct"), EXPECTED[Measure.PHONICS_Y1][2023])
            cut = threshold("phonics", rate)
            mark = min(40, max(0, 32 + math.floor((z - cut) * (8 if z >= cut else 9))))
            pupil.passed_phonics = mark >= rules.PHONICS_THRESHOLD
        if save:
            self._result(pupil, year, measure, score=mark)

    def _ta_grade(self, z: float, expected_cut: float, depth_cut: float, pupil: _Pupil) -> str:
        if z >= depth_cut:
            return "GDS"
        if z >= expected_cut:
            return "EXS"
        if pupil.sen != SenProvision.NONE and z < expected_cut - 1.6:
            return "PKF"
        return "WTS"

    def _ks1(self, pupil: _Pupil, year: int, measure: str) -> None:
        profile = MEASURE_PROFILE[measure][0]
        z = self._latent(pupil, measure)
        grade = self._ta_grade(
            z, threshold(profile, KS1_EXPECTED[measure]), threshold(profile, KS1_GREATER_DEPTH[measure]), pupil
        )
        self._result(pupil, year, measure, grade=grade)

    def _mtc(self, pupil: _Pupil, year: int) -> None:
        if self.rng.random() < ABSENT * 2:
            self._result(pupil, year, Measure.MTC, code="A")
            return
        full = self._rate(Measure.MTC, year, "full_marks_pct")
        mean = self._rate(Measure.MTC, year, "mean")
        z = self._latent(pupil, Measure.MTC)
        cut = threshold("maths", full)
        score = 25 if z >= cut else max(0, 24 + math.floor((z - cut) * mtc_slope("maths", full, mean)))
        self._result(pupil, year, Measure.MTC, score=score)

    def _ks2(self, pupil: _Pupil, year: int) -> None:
        parts: dict[str, tuple[int | None, str]] = {}
        for measure in KS2_TESTS:
            profile = MEASURE_PROFILE[measure][0]
            z = self._latent(pupil, measure)
            # Absent pupils count as not meeting the standard: aim the others a little higher.
            expected_cut = threshold(profile, min(0.99, self._rate(measure, year) / (1 - ABSENT)))
            higher_cut = threshold(profile, HIGHER[measure])
            code, score = "", None
            if (pupil.sen == SenProvision.EHCP and self.rng.random() < 0.4) or z < expected_cut - 2.4:
                code = "B"  # working below the level of the test
            elif self.rng.random() < ABSENT:
                code = "A"
            elif z >= higher_cut:
                score = min(120, 110 + math.floor((z - higher_cut) * 8))
            elif z >= expected_cut:
                score = 100 + math.floor((z - expected_cut) / (higher_cut - expected_cut) * 10)
            else:
                score = max(80, 100 + math.floor((z - expected_cut) * 10))
            parts[measure] = (score, code)
            self._result(pupil, year, measure, score=score, code=code)
        z = self._latent(pupil, Measure.KS2_WRITING)
        expected_cut = threshold("writing", self._rate(Measure.KS2_WRITING, year))
        grade = self._ta_grade(z, expected_cut, threshold("writing", HIGHER[Measure.KS2_WRITING]), pupil)
        if grade == "PKF":  # KS2 writing has pre-key stage standards 1-6 and the engagement model
            below = expected_cut - 1.6 - z
            grade = "EM" if pupil.sen == SenProvision.EHCP and below > 1.0 else f"PK{max(1, 6 - int(below * 3))}"
        self._result(pupil, year, Measure.KS2_WRITING, grade=grade)
        met_expected, met_higher = rules.rwm(parts[Measure.KS2_READING], grade, parts[Measure.KS2_MATHS])
        self.results.append(
            Result(
                pupil=pupil.model,
                academic_year=year,
                measure=Measure.KS2_RWM,
                met_expected=met_expected,
                met_higher=met_higher,
            )
        )

    # -- termly teacher assessments -----------------------------------------------------------
    def _assessments(self, pupil: _Pupil, year: int) -> None:
        for subject, measure in (
            ("reading", Measure.KS2_READING),
            ("writing", Measure.KS2_WRITING),
            ("maths", Measure.KS2_MATHS),
        ):
            profile = MEASURE_PROFILE[measure][0]
            for term in TERMS:  # every term drawn, so the data does not depend on how many are kept
                z = self._latent(pupil, measure, TA_OCCASION_SD)
                if term not in self.terms:
                    continue
                expected_cut = threshold(profile, TA_EXPECTED[term], TA_OCCASION_SD)
                depth_cut = threshold(profile, TA_GREATER_DEPTH[term], TA_OCCASION_SD)
                judgement = "GDS" if z >= depth_cut else "EXS" if z >= expected_cut else "WTS"
                self.assessments.append(
                    TeacherAssessment(
                        pupil=pupil.model, academic_year=year, term=term, subject=subject, judgement=judgement
                    )
                )


# The 17 early learning goals; the first 12 (prime areas, literacy, maths) make up GLD.
GLD_GOALS = [
    "CL_LAU", "CL_SPK", "PSED_SR", "PSED_MS", "PSED_BR", "PD_GM", "PD_FM",
    "LIT_COMP", "LIT_WR", "LIT_WRI", "MAT_NUM", "MAT_NP",
]  # fmt: skip
OTHER_GOALS = ["UW_PP", "UW_PCC", "UW_NW", "EAD_CWM", "EAD_BIE"]
ELGS = GLD_GOALS + OTHER_GOALS


def results_in_by(academic_year: int) -> datetime.date:
    """The day by which every statutory result of `academic_year` has reached schools."""
    return datetime.date(academic_year + 1, *RESULTS_IN_BY)


def latest_results_year(today: datetime.date) -> int:
    """The latest academic year whose statutory results are all in by `today`."""
    year = current_academic_year(today)
    return year if results_in_by(year) <= today else year - 1


def terms_begun(academic_year: int, today: datetime.date) -> tuple[str, ...]:
    """The terms of `academic_year` that have begun by `today`: in-year tracking exists only for them."""
    return tuple(term for term in TERMS if term_dates(academic_year, term)[0] <= today)


@transaction.atomic
def generate_results(
    schools: Iterable,  # type: ignore[type-arg]
    *,
    years: Sequence[int] = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    assessment_year: int | None = None,
    today: datetime.date | None = None,
    subject_effects: Mapping[str, Mapping[str, float]] | None = None,
    school_effects: Mapping[str, float] | None = None,
) -> GenerationSummary:
    """Pupils, their years, results for `years` and termly teacher assessments for
    `assessment_year` (default: this academic year) for each school that has no pupils yet.

    With `today`, teacher assessments are made only for the terms of `assessment_year` begun by then.
    `subject_effects` maps a school's slug to shifts of its attainment by subject (`SUBJECTS`; in
    latent SDs, so -0.5 puts a subject well below the school's others); `school_effects` fixes a
    school's overall standing (in latent SDs; 0 is the national average) instead of drawing it."""
    schools = list(schools)
    assessment_year = current_academic_year(today) if assessment_year is None else assessment_year
    terms = TERMS if today is None else terms_begun(assessment_year, today)
    subject_effects = subject_effects or {}
    school_effects = school_effects or {}
    summary = GenerationSummary()
    with_pupils = set(
        Pupil.objects.filter(school_id__in=[s.pk for s in schools]).values_list("school_id", flat=True).distinct()
    )
    todo = [s for s in schools if s.pk not in with_pupils]
    summary.skipped_schools = len(schools) - len(todo)
    if not todo:
        return summary
    rates = national_rates(set(years) | {y + 1 for y in years} | {y - 1 for y in years})
    now = timezone.now()
    for start in range(0, len(todo), SCHOOLS_PER_CHUNK):
        generators = []
        for school in todo[start : start + SCHOOLS_PER_CHUNK]:
            generator = _SchoolGenerator(
                school,
                years=years,
                assessment_year=assessment_year,
                seed=seed,
                rates=rates,
                now=now,
                terms=terms,
                subject_effects=subject_effects.get(school.slug),
                school_effect=school_effects.get(school.slug),
            )
            generator.build()
            generators.append(generator)
        pupils = [p.model for g in generators for p in g.pupils]
        Pupil.objects.bulk_create(pupils, batch_size=BATCH_SIZE)
        pupil_years = [row for g in generators for row in g.pupil_years]
        results = [row for g in generators for row in g.results]
        assessments = [row for g in generators for row in g.assessments]
        PupilYear.objects.bulk_create(pupil_years, batch_size=BATCH_SIZE)
        Result.objects.bulk_create(results, batch_size=BATCH_SIZE)
        TeacherAssessment.objects.bulk_create(assessments, batch_size=BATCH_SIZE)
        summary.schools += len(generators)
        summary.pupils += len(pupils)
        summary.pupil_years += len(pupil_years)
        summary.results += len(results)
        summary.assessments += len(assessments)
    return summary
