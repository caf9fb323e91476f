"""The school calendar: bank holidays from GOV.UK's table, term-time holidays and school days."""

import datetime

import pytest

from partnership.core import schoolyear
from partnership.core.schoolyear import (
    BANK_HOLIDAYS,
    bank_holidays,
    first_school_day_of_term,
    is_bank_holiday,
    is_school_day,
    next_school_day,
    previous_school_day,
)

D = datetime.date


def _easter_sunday(year: int) -> datetime.date:
    """The Gregorian computus (Meeus/Jones/Butcher), used only to check the table."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    return D(year, month, (h + el - 7 * m + 114) % 31 + 1)


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_the_table_has_the_usual_holidays_of_each_year(year):
    days = bank_holidays(year)
    easter = _easter_sunday(year)
    assert easter - datetime.timedelta(days=2) in days and easter + datetime.timedelta(days=1) in days
    assert all(day.weekday() < 5 and day.year == year for day in days)  # substitutes, never a weekend
    assert len(days) == (9 if year == 2023 else 8) == len(set(days))
    mondays_in_may = [day for day in days if day.month == 5]
    assert mondays_in_may[0].day <= 7 and mondays_in_may[-1].day > 24  # early May and spring
    assert [day for day in days if day.month == 8][0].day > 24  # summer bank holiday: last Monday


def test_published_substitute_and_special_days():
    assert is_bank_holiday(D(2023, 5, 8))  # coronation of King Charles III
    assert is_bank_holiday(D(2026, 12, 28)) and not is_bank_holiday(D(2026, 12, 26))  # Boxing Day, a Saturday
    assert {D(2027, 12, 27), D(2027, 12, 28)} <= set(bank_holidays(2027))
    assert is_bank_holiday(D(2028, 1, 3))
    assert not is_bank_holiday(D(2026, 12, 2))


def test_a_year_outside_the_table_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="2031"):
        is_bank_holiday(D(2031, 5, 5))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 12, 2), True),  # a Wednesday in the autumn term
        (D(2026, 12, 5), False),  # Saturday
        (D(2026, 10, 28), False),  # October half term
        (D(2026, 12, 23), False),  # Christmas holiday
        (D(2027, 1, 4), True),  # spring term begins
        (D(2027, 2, 17), False),  # February half term
        (D(2027, 3, 26), False),  # Good Friday
        (D(2027, 4, 1), False),  # Easter holiday
        (D(2027, 4, 5), True),  # summer term begins
        (D(2027, 5, 3), False),  # early May bank holiday, in term
        (D(2027, 6, 2), False),  # spring half term
        (D(2027, 7, 20), True),
        (D(2027, 7, 26), False),  # summer holiday
        (D(2027, 9, 1), False),  # before pupils return
        (D(2027, 9, 3), True),
    ],
)
def test_school_days(day, expected):
    assert is_school_day(day) is expected


def test_next_and_previous_school_days_step_over_holidays():
    assert next_school_day(D(2026, 12, 5)) == D(2026, 12, 7)
    assert next_school_day(D(2026, 12, 7)) == D(2026, 12, 7)
    assert next_school_day(D(2026, 12, 7), after=True) == D(2026, 12, 8)
    assert next_school_day(D(2026, 12, 18), after=True) == D(2027, 1, 4)
    assert previous_school_day(D(2027, 1, 2)) == D(2026, 12, 18)
    assert previous_school_day(D(2027, 4, 5), before=True) == D(2027, 3, 19)


def test_first_school_day_of_each_term_is_a_school_day():
    for year in (2023, 2024, 2025, 2026, 2027):
        for term in schoolyear.TERM_ORDER:
            day = first_school_day_of_term(year, term)
            assert is_school_day(day) and day >= schoolyear.term_dates(year, term)[0]
