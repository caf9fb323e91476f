"""Outcome aggregates for pages, exports, PDFs and the API (C5).

Pupil-level rows never leave this module: `count_results` reads them in ONE grouped query (however
many schools, pupils or years) and returns counts per school, year, measure and pupil group. The
views turn counts into figures with `outcomes/stats.py`, suppressing small groups for anyone who is
not the school's own staff (`access.sees_unsuppressed`). Callers check that the viewer may view the
school or partnership first; what comes back from here is aggregates only.

A result is counted in its pupil's group *for that academic year* (disadvantaged, SEN, EAL are
recorded per year in `PupilYear`); sex and summer-born come from the pupil.
"""

from partnership.outcomes.analysis.board import (  # noqa: F401
    PartnershipOutcomes,
    SchoolColumn,
    SchoolOutcomes,
    board_key,
    board_sources,
    cached_partnership_outcomes,
    cached_school_outcomes,
    partnership_outcomes,
    school_outcomes,
)
from partnership.outcomes.analysis.counts import (  # noqa: F401
    GAPS,
    GROUP_BY_KEY,
    GROUPS,
    HEADLINE_MEASURES,
    MEASURE_BY_KEY,
    MEASURES,
    ZERO,
    CountKey,
    Counts,
    Group,
    MeasureSpec,
    Month,
    count_results,
    three_years,
    total,
    year_text,
)
from partnership.outcomes.analysis.figures import (  # noqa: F401
    HIDDEN_LABEL,
    PARTITIONS,
    CountsFor,
    GapRow,
    GroupRow,
    MeasureRow,
    Nationals,
    Source,
    Viewpoint,
    figure,
    gap_rows,
    group_rows,
    hidden_groups,
    measure_row,
    school_source,
    shown_count,
)
from partnership.outcomes.analysis.flags import (  # noqa: F401
    FLAG_KINDS,
    Flag,
    flags_for,
)
from partnership.outcomes.analysis.tracking import (  # noqa: F401
    TERMS,
    TrackingCell,
    tracking,
    tracking_grid,
)
from partnership.outcomes.analysis.years import (  # noqa: F401
    YearCoverage,
    coverage_rows,
    year_coverage,
)
