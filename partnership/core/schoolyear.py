"""The English school year, as every app speaks of it: academic years (September to August),
their labels, the three terms as dates, and the summer-born rule.

Term dates differ by local authority and Easter moves, so terms are fixed, generous windows:
autumn from 1 September, spring from 1 January, summer from 1 April to the end of August.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


TERM_ORDER = [Term.AUTUMN, Term.SPRING, Term.SUMMER]


def academic_year_label(start_year: int | str) -> str:
    """'2025/26' for 2025 (the academic year starting that September); a string is taken as it is."""
    if isinstance(start_year, int):
        return f"{start_year}/{(start_year + 1) % 100:02d}"
    return str(start_year)


def current_academic_year(day: datetime.date | None = None) -> int:
    """The starting calendar year of the academic year containing `day` (today by default)."""
    day = day or timezone.localdate()
    return day.year if day.month >= 9 else day.year - 1


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


def is_summer_born(date_of_birth: datetime.date) -> bool:
    """Born April to August: the youngest in their year group."""
    return 4 <= date_of_birth.month <= 8


def year_group_for(date_of_birth: datetime.date, academic_year: int) -> int:
    """The year group a child born on `date_of_birth` belongs to in `academic_year` (its starting
    year), by the English rule: Reception (0) are the children who turn 5 during the academic year
    starting 1 September, Year 1 those who turn 6, and so on; Nursery (-1) turn 4. Children born
    from 1 September to 31 August share a year group. For pupils kept with their age group, which
    is almost all of them; a school's own record (a CTF's NCyearActual) wins where it has one."""
    return academic_year - current_academic_year(date_of_birth) - 5
