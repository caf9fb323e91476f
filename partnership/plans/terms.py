"""Which term a plan's termly review is for. Terms as dates are core vocabulary
(`partnership.core.schoolyear`)."""

from __future__ import annotations

import datetime

from partnership.core.schoolyear import TERM_ORDER, Term, term_dates, term_of  # noqa: F401


def current_term_for(academic_year: int, day: datetime.date) -> str:
    """The term to review by default: today's term if the plan's year is running, else autumn or summer."""
    start, _ = term_dates(academic_year, Term.AUTUMN)
    _, end = term_dates(academic_year, Term.SUMMER)
    if day < start:
        return Term.AUTUMN
    if day >= end:
        return Term.SUMMER
    return term_of(day)
