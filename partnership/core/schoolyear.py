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


# ---------------------------------------------------------------------------------------------
# Bank holidays in England and Wales, from the published GOV.UK list (https://www.gov.uk/bank-holidays,
# also served as https://www.gov.uk/bank-holidays.json). Substitute days are listed where a holiday
# falls at a weekend (Boxing Day 2026, Christmas and Boxing Day 2027, New Year's Day 2028), and the
# extra holiday for the coronation of King Charles III (8 May 2023). Extend the table each year.
BANK_HOLIDAYS: dict[int, tuple[datetime.date, ...]] = {
    year: tuple(datetime.date.fromisoformat(day) for day in days)
    for year, days in {
        2023: (
            "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
            "2023-12-25", "2023-12-26",
        ),
        2024: (
            "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
            "2024-12-26",
        ),
        2025: (
            "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
            "2025-12-26",
        ),
        2026: (
            "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
            "2026-12-28",
        ),
        2027: (
            "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
            "2027-12-28",
        ),
        2028: (
            "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25",
            "2028-12-26",
        ),
    }.items()
}  # fmt: skip
_ALL_BANK_HOLIDAYS = frozenset(day for days in BANK_HOLIDAYS.values() for day in days)


def bank_holidays(year: int) -> tuple[datetime.date, ...]:
    """England and Wales bank holidays of a calendar year; an error for a year the table lacks,
    rather than a calendar that silently forgets Easter."""
    if year not in BANK_HOLIDAYS:
        raise ValueError(f"No bank holidays known for {year}: add that year to BANK_HOLIDAYS from GOV.UK.")
    return BANK_HOLIDAYS[year]


def is_bank_holiday(day: datetime.date) -> bool:
    bank_holidays(day.year)  # fails loudly outside the table
    return day in _ALL_BANK_HOLIDAYS


def _good_friday(year: int) -> datetime.date:
    """Good Friday is the only Friday bank holiday in March or April."""
    return next(d for d in bank_holidays(year) if d.month in (3, 4) and d.weekday() == 4)


def _monday_of_week(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def _last_monday(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=last.weekday())


def school_holidays(academic_year: int) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, first day after) of each holiday of an academic year in a typical English
    calendar: pupils start on the first weekday from 3 September; a week's half term from the last
    Monday of October; Christmas from the Saturday on or before 21 December to the first weekday
    from 4 January; a week's half term from the third Monday of February; two weeks at Easter (the
    weeks of Good Friday and Easter Monday); a week at the spring bank holiday; and the summer from
    23 July. Local authorities differ by a few days; the demo and
    "is this a school day" only need a believable calendar, not one authority's."""
    spring_year = academic_year + 1
    easter = _monday_of_week(_good_friday(spring_year))
    whitsun = _last_monday(spring_year, 5)
    return [
        (datetime.date(academic_year, 8, 1), _first_weekday_from(datetime.date(academic_year, 9, 3))),
        (_last_monday(academic_year, 10), _last_monday(academic_year, 10) + datetime.timedelta(days=7)),
        (
            _saturday_on_or_before(datetime.date(academic_year, 12, 21)),
            _first_weekday_from(datetime.date(spring_year, 1, 4)),
        ),
        (_nth_monday(spring_year, 2, 3), _nth_monday(spring_year, 2, 3) + datetime.timedelta(days=7)),
        (easter, easter + datetime.timedelta(days=14)),
        (whitsun, whitsun + datetime.timedelta(days=7)),
        (datetime.date(spring_year, 7, 23), datetime.date(spring_year, 9, 1)),
    ]


def _first_weekday_from(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _saturday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def is_school_day(day: datetime.date) -> bool:
    """A weekday in term time (outside `school_holidays`) that is not a bank holiday: a day pupils
    could be in school, so a day for a meeting in school hours or an INSET day."""
    if day.weekday() >= 5 or is_bank_holiday(day):
        return False
    return not any(start <= day < end for start, end in school_holidays(current_academic_year(day)))


def next_school_day(day: datetime.date, *, after: bool = False) -> datetime.date:
    """The first school day on or after `day` (strictly after it with `after=True`)."""
    day = day + datetime.timedelta(days=1) if after else day
    while not is_school_day(day):
        day += datetime.timedelta(days=1)
    return day


def previous_school_day(day: datetime.date, *, before: bool = False) -> datetime.date:
    """The last school day on or before `day` (strictly before it with `before=True`)."""
    day = day - datetime.timedelta(days=1) if before else day
    while not is_school_day(day):
        day -= datetime.timedelta(days=1)
    return day


def first_school_day_of_term(academic_year: int, term: str) -> datetime.date:
    """The first day pupils (or, on an INSET day, staff) are in school in `term`."""
    return next_school_day(term_dates(academic_year, term)[0])
