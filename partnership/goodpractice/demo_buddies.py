"""Demo buddy pairs for a demo partnership (run after the directory demo): two Year 2 teachers, two
SENCOs and two maths leaders, each pair of two different member schools, paired by the
partnership's coordinator at the start of the school year (or some nine weeks ago, whichever is
later) with two or three meetings logged since.

Built through the services (`buddies.py`), so the checks and the audit rows are as in use.
Idempotent: a pair of the same two people that exists already is left alone, with its meetings.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year, next_school_day, previous_school_day
from partnership.directory.models import Membership, Partnership
from partnership.goodpractice import buddies
from partnership.goodpractice.models import BuddyPair

# (email prefix, role, year group, subject, focus, notes of their meetings, oldest first), and the
# positions (in the partnership's member schools by name) of the two schools.
PAIRS: tuple[tuple[str, str, str, str, str, tuple[str, ...], tuple[int, int]], ...] = (
    (
        "teacher",
        Role.TEACHER,
        "2",
        "",
        "Phonics catch-up and reading fluency in Year 2",
        (
            "Met after school to compare our phonics groupings; swapped the tracking sheets we use for "
            "the pupils who did not pass the check in Year 1.",
            "Watched each other's guided reading by video. Agreed to try paired fluency reading three "
            "times a week until half term.",
            "Fluency reading going well in both classes; next we compare the Year 2 reading moderation "
            "samples before the meeting.",
        ),
        (0, 1),
    ),
    (
        "senco",
        Role.SENCO,
        "",
        "",
        "Writing support plans that class teachers use",
        (
            "Shared our templates for SEN support plans and how often we review them with parents.",
            "Looked at three anonymised plans each: ours set too many targets. Agreed on three targets "
            "at most, in the pupil's words.",
        ),
        (2, 3),
    ),
    (
        "maths-lead",
        Role.SUBJECT_LEADER,
        "",
        "Maths",
        "Times tables fluency before the Year 4 check",
        (
            "Compared our Year 4 multiplication check results and the daily practice each school does.",
            "Visited for a morning: saw the ten-minute fluency sessions and the games the Year 3 team uses.",
            "Planned a shared staff meeting on fluency for next half term.",
        ),
        (1, 3),
    ),
)


def _person(prefix: str, school_slug: str) -> User | None:
    return User.objects.filter(email=f"{prefix}.{school_slug}@demo.example").first()


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _meeting_days(start: datetime.date, today: datetime.date, count: int) -> list[datetime.date]:
    """`count` school days spread between the pair's start and today (fewer if there is no room)."""
    days: list[datetime.date] = []
    span = (today - start).days
    for position in range(1, count + 1):
        day = start + datetime.timedelta(days=span * position // (count + 1))
        day = previous_school_day(day) if day > start else day
        if start <= day <= today and day not in days:
            days.append(day)
    return days


@transaction.atomic
def load_buddies(partnership: Partnership, today: datetime.date) -> int:
    """The demo's buddy pairs for one partnership; returns how many pairs were made."""
    coordinator = User.objects.filter(email=f"coordinator.{partnership.slug}@demo.example").first()
    schools = [
        m.school
        for m in Membership.objects.current(today)
        .filter(partnership=partnership)
        .select_related("school")
        .order_by("school__name")
    ]
    if coordinator is None or len(schools) < 4:
        return 0
    year_start = datetime.date(current_academic_year(today), 9, 1)
    start = max(next_school_day(year_start), previous_school_day(today - datetime.timedelta(days=63)))
    start = min(start, today)
    made = 0
    for prefix, role, year_group, subject, focus, notes, (a, b) in PAIRS:
        first, second = _person(prefix, schools[a].slug), _person(prefix, schools[b].slug)
        if first is None or second is None:
            continue
        together = BuddyPair.objects.filter(
            partnership=partnership, first__in=[first, second], second__in=[first, second]
        )
        if together.exists():
            continue
        pair = buddies.pair_create(
            partnership=partnership,
            first=first,
            second=second,
            role=role,
            year_group=year_group,
            subject=subject,
            focus=focus,
            actor=coordinator,
            today=today,
        )
        # As if paired at `start`: the demo's story has had a few weeks to run.
        BuddyPair.objects.filter(pk=pair.pk).update(starts_on=start, created_at=_at(start, 16))
        pair.refresh_from_db()
        made += 1
        for number, day in enumerate(_meeting_days(start, today, len(notes))):
            buddies.meeting_log(
                pair, day=day, note=notes[number], actor=first if number % 2 == 0 else second, today=today
            )
    return made
