"""The three terms of an English school year, as dates.

Term dates differ by local authority and Easter moves, so the termly review uses fixed, generous
windows: autumn from 1 September, spring from 1 January, summer from 1 April to the end of August.
"""

from __future__ import annotations

import datetime

from partnership.plans.models import Term

TERM_ORDER = [Term.AUTUMN, Term.SPRING, Term.SUMMER]


def term_dates(academic_year: int, term: str) -> tuple[datetime.date, datetime.date]:
    """(first day, first day after) of `term` in the academic year starting in `academic_year`."""
    if term == Term.AUTUMN:
        return datetime.date(academic_year, 9, 1), datetime.date(academic_year + 1, 1, 1)
    if term == Term.SPRING:
        return datetime.date(academic_year + 1, 1, 1), datetime.date(academic_year + 1, 4, 1)
    if term == Term.SUMMER:
        return datetime.date(academic_year + 1, 4, 1), datetime.date(academic_year + 1, 9, 1)
    raise ValueError(f"Unknown term: {term}")


def term_of(day: datetime.date) -> str:
    """The term a day falls in."""
    if day.month >= 9:
        return Term.AUTUMN
    if day.month <= 3:
        return Term.SPRING
    return Term.SUMMER


def current_term_for(academic_year: int, day: datetime.date) -> str:
    """The term to review by default: today's term if the plan's year is running, else autumn or summer."""
    start, _ = term_dates(academic_year, Term.AUTUMN)
    _, end = term_dates(academic_year, Term.SUMMER)
    if day < start:
        return Term.AUTUMN
    if day >= end:
        return Term.SUMMER
    return term_of(day)
