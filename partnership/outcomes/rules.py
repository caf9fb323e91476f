"""What "met the expected standard" and "met the higher standard" mean for each measure (DOMAIN.md).

One place for the thresholds, so imports, analysis and exports agree.
"""

from __future__ import annotations

from partnership.outcomes.models import Measure

KS2_TEST_MEASURES = {Measure.KS2_READING, Measure.KS2_MATHS, Measure.KS2_GPS}
KS2_SCALED_MIN, KS2_SCALED_MAX = 80, 120
KS2_EXPECTED, KS2_HIGHER = 100, 110
PHONICS_MAX, PHONICS_THRESHOLD = 40, 32
MTC_MAX = 25
TA_GRADES_KS2_WRITING = {"GDS", "EXS", "WTS", "PK1", "PK2", "PK3", "PK4", "PK5", "PK6", "EM"}
TA_GRADES_KS1 = {"GDS", "EXS", "WTS", "PKF"}
MET_TA = {"EXS", "GDS"}


def met(measure: str, *, score: int | None = None, grade: str = "", code: str = "") -> tuple[bool | None, bool | None]:
    """(met_expected, met_higher) for one result; None where the idea does not apply.

    A non-result code (absent, working below the test, ...) counts as not meeting the standard in
    the cohort (DfE includes these pupils in the denominator), so it returns (False, False) for
    KS2 tests; MTC has no pass mark and returns (None, None).
    """
    if measure == Measure.MTC:
        return None, None
    if code:
        return False, False
    if measure in KS2_TEST_MEASURES:
        if score is None:
            return None, None
        return score >= KS2_EXPECTED, score >= KS2_HIGHER
    if measure in (Measure.PHONICS_Y1, Measure.PHONICS_Y2):
        return (None, None) if score is None else (score >= PHONICS_THRESHOLD, None)
    if measure == Measure.KS2_WRITING:
        return grade in MET_TA, grade == "GDS"
    if measure in (Measure.KS1_READING, Measure.KS1_WRITING, Measure.KS1_MATHS):
        return grade in MET_TA, grade == "GDS"
    if measure == Measure.EYFS_GLD:
        return grade == "GLD", None
    return None, None


def rwm(reading: tuple[int | None, str], writing: str, maths: tuple[int | None, str]) -> tuple[bool, bool]:
    """Combined RWM from (reading score, code), writing TA grade and (maths score, code):
    expected = expected in all three; higher = 110+ in reading and maths and GDS in writing."""
    r_exp, r_high = met(Measure.KS2_READING, score=reading[0], code=reading[1])
    m_exp, m_high = met(Measure.KS2_MATHS, score=maths[0], code=maths[1])
    w_exp, w_high = met(Measure.KS2_WRITING, grade=writing)
    return bool(r_exp and w_exp and m_exp), bool(r_high and w_high and m_high)
