"""Builders for buddy pairs and their meetings, named by state."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Partnership
from partnership.directory.tests.factories import member_school, staff
from partnership.goodpractice.models import BuddyMeeting, BuddyPair, year_end


def current_pair(
    partnership: Partnership,
    first: Any,
    second: Any,
    *,
    by: Any,
    role: str = Role.TEACHER,
    year_group: str = "",
    subject: str = "",
    focus: str = "",
    today: datetime.date | None = None,
) -> BuddyPair:
    """A pair of this academic year that began today and runs to the year's end."""
    day = today or timezone.localdate()
    year = current_academic_year(day)
    return BuddyPair.objects.create(
        partnership=partnership,
        first=first,
        first_school_id=first.school_id,
        second=second,
        second_school_id=second.school_id,
        role=role,
        year_group=year_group,
        subject=subject,
        focus=focus,
        academic_year=year,
        starts_on=day,
        ends_on=year_end(year),
        created_by=by,
    )


def last_years_pair(partnership: Partnership, first: Any, second: Any, *, by: Any, year_group: str = "") -> BuddyPair:
    """A pair of last academic year, ended at that year's end."""
    year = current_academic_year() - 1
    return BuddyPair.objects.create(
        partnership=partnership,
        first=first,
        first_school_id=first.school_id,
        second=second,
        second_school_id=second.school_id,
        role=Role.TEACHER,
        year_group=year_group,
        academic_year=year,
        starts_on=datetime.date(year, 9, 1),
        ends_on=year_end(year),
        created_by=by,
    )


def meeting(
    pair: BuddyPair, *, by: Any, day: datetime.date | None = None, note: str = "Shared planning."
) -> BuddyMeeting:
    return BuddyMeeting.objects.create(pair=pair, day=day or pair.starts_on, note=note, logged_by=by)


def school_with_teacher(partnership: Partnership, name: str, role: str = Role.TEACHER, **kwargs: Any) -> Any:
    """A new member school of the partnership and one member of its staff holding `role`."""
    school = member_school(partnership, name=name)
    return staff(school, role, **kwargs)
