"""Buddy pairs (C8): two teachers or leaders of different schools of a partnership who support each
other for a school year, with a simple log of their meetings.

A pair is made by the partnership's coordinator or by a member school's headteacher or senior leader
(who pairs their own staff: one of the two works at their school). Both people are staff of
current member schools, never of the same school, and two people are paired once at a time. A pair
ends at the end of its academic year (`models.year_end`) unless it is renewed, which makes a new
pair for the next year that points back to the old one; either of the two, their schools' leaders
or the coordinator may end it sooner.

`suggest_buddies` proposes people of the partnership's other member schools who hold the same
role, best first: same subject (subject leaders), same year group (from the year groups of their
buddy pairs this year and last), fewest current pairs, then by name; each with why.

Every change is audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.roles import STAFF_ROLES, SUBJECTS, Role
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.directory.models import Membership, Partnership, RoleAssignment
from partnership.goodpractice.models import BuddyMeeting, BuddyPair, year_end

YEAR_GROUPS: tuple[tuple[str, str], ...] = (
    ("N", "Nursery"),
    ("R", "Reception"),
    ("1", "Year 1"),
    ("2", "Year 2"),
    ("3", "Year 3"),
    ("4", "Year 4"),
    ("5", "Year 5"),
    ("6", "Year 6"),
)
YEAR_GROUP_LABELS = dict(YEAR_GROUPS)

# The roles people are paired in, in the order a form offers them: class teachers first.
PAIRED_ROLES: tuple[str, ...] = (
    Role.TEACHER,
    Role.SENCO,
    Role.SUBJECT_LEADER,
    Role.SENIOR_LEADER,
    Role.HEADTEACHER,
    Role.DSL,
    Role.DATA_LEAD,
    Role.HSLW,
    Role.BUSINESS_MANAGER,
    Role.SUPPORT_STAFF,
)
assert set(PAIRED_ROLES) == set(STAFF_ROLES), "every staff role can be paired"

# How a sentence names someone holding a role: "Also a SENCO".
ROLE_NOUNS: dict[str, str] = {
    Role.TEACHER: "a teacher",
    Role.SENCO: "a SENCO",
    Role.SUBJECT_LEADER: "a subject leader",
    Role.SENIOR_LEADER: "a senior leader",
    Role.HEADTEACHER: "a headteacher",
    Role.DSL: "a designated safeguarding lead",
    Role.DATA_LEAD: "a data and assessment lead",
    Role.HSLW: "a home school link worker",
    Role.BUSINESS_MANAGER: "a school business manager",
    Role.SUPPORT_STAFF: "in the support staff",
}


# Subjects that keep their capital letters in a sentence ("Leads English too", "Leads maths too").
_PROPER_SUBJECTS = frozenset({"English", "PE", "RE", "PSHE", "EYFS"})


def subject_in_sentence(subject: str) -> str:
    return subject if subject in _PROPER_SUBJECTS else subject.lower()


def spoken_date(day: datetime.date) -> str:
    """ "1 September 2027"."""
    return f"{day.day} {day:%B %Y}"


def year_group_label(year_group: str) -> str:
    return YEAR_GROUP_LABELS.get(year_group, year_group)


def _record(actor: Any, verb: str, obj: Any, request: HttpRequest | None, **detail: Any) -> None:
    audit.record(actor, verb, obj, detail=detail, request=request)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _member_school_ids(partnership: Partnership, day: datetime.date) -> Any:
    return Membership.objects.current(day).filter(partnership=partnership).values("school_id")


def staff_roles(partnership: Partnership, day: datetime.date | None = None) -> QuerySet[RoleAssignment]:
    """Current staff roles held at the partnership's current member schools, by people who work
    there: who may be paired, and in what role."""
    day = _today(day)
    return (
        RoleAssignment.objects.current(day)
        .filter(role__in=STAFF_ROLES, school_id__in=_member_school_ids(partnership, day))
        .filter(person__school_id=F("school_id"))
    )


def pairable_people(
    partnership: Partnership, day: datetime.date | None = None, school_id: int | None = None
) -> list[Any]:
    """The people who may be paired in the partnership (of one school when `school_id` is given),
    by school then name, each with their school loaded. One query."""
    from partnership.accounts.models import User

    roles = staff_roles(partnership, day)
    if school_id is not None:
        roles = roles.filter(school_id=school_id)
    return list(
        User.objects.filter(pk__in=roles.values("person_id"))
        .select_related("school")
        .order_by("school__name", "full_name")
    )


def _is_staff(person: Any, partnership: Partnership, day: datetime.date) -> bool:
    return (
        person is not None
        and person.school_id is not None
        and staff_roles(partnership, day).filter(person=person).exists()
    )


def _current(day: datetime.date) -> Q:
    return Q(starts_on__lte=day, ends_on__gt=day)


def _together(first: Any, second: Any) -> Q:
    return Q(first=first, second=second) | Q(first=second, second=first)


def _check_two(partnership: Partnership, first: Any, second: Any, day: datetime.date) -> None:
    if first is None:
        raise ApplicationError("Choose the first person of the pair.", field="first")
    if second is None:
        raise ApplicationError("Choose their buddy.", field="second")
    if first.pk == second.pk:
        raise ApplicationError("Choose two different people: a buddy pair is two people.", field="second")
    for field, person in (("first", first), ("second", second)):
        if not _is_staff(person, partnership, day):
            raise ApplicationError(
                f"{person.full_name} is not on the staff of a member school of {partnership.name}.", field=field
            )
    if first.school_id == second.school_id:
        raise ApplicationError(
            f"Buddies come from different schools: {first.full_name} and {second.full_name} both work at "
            f"{first.school.name}.",
            field="second",
        )


def _check_actor(actor: Any, partnership: Partnership, first: Any, second: Any) -> None:
    """A coordinator pairs anyone in the partnership; a school's leader pairs their own staff."""
    if not access.can(actor, "make_buddy_pair", partnership):
        raise ApplicationError("Only the partnership's coordinators and member schools' leaders pair people.")
    principal = access.principal_for(actor)
    if principal.is_admin or partnership.pk in principal.coordinates:
        return
    if principal.school_id not in (first.school_id, second.school_id):
        raise ApplicationError(
            "You can pair your own school's staff: one of the two must work at your school.", field="first"
        )


def _check_details(role: str, year_group: str, subject: str) -> None:
    if role and role not in STAFF_ROLES:
        raise ApplicationError("Choose the role they share from the list.", field="role")
    if year_group and year_group not in YEAR_GROUP_LABELS:
        raise ApplicationError("Choose the year group from the list.", field="year_group")
    if subject and subject not in SUBJECTS:
        raise ApplicationError("Choose the subject from the list.", field="subject")


def _check_not_paired(partnership: Partnership, first: Any, second: Any, day: datetime.date, year: int) -> None:
    """Two people are one pair at a time: no pair of theirs current on `day` or made for `year`."""
    existing = (
        BuddyPair.objects.filter(partnership=partnership)
        .filter(_together(first, second))
        .filter(_current(day) | Q(academic_year=year, ends_on__gt=day))
        .order_by("-ends_on")
        .first()
    )
    if existing is not None:
        raise ApplicationError(
            f"{first.full_name} and {second.full_name} are already buddies: their pair ends on "
            f"{spoken_date(existing.ends_on)}.",
            field="second",
        )


@transaction.atomic
def pair_create(
    *,
    partnership: Partnership,
    first: Any,
    second: Any,
    actor: Any,
    role: str = "",
    year_group: str = "",
    subject: str = "",
    focus: str = "",
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> BuddyPair:
    """Pair two people of different member schools for the rest of this academic year."""
    day = _today(today)
    # One pair-making at a time per partnership, so two clicks do not make the same pair twice.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    _check_two(partnership, first, second, day)
    _check_actor(actor, partnership, first, second)
    _check_details(role, year_group, subject)
    year = current_academic_year(day)
    _check_not_paired(partnership, first, second, day, year)
    pair = BuddyPair(
        partnership=partnership,
        first=first,
        first_school_id=first.school_id,
        second=second,
        second_school_id=second.school_id,
        role=role,
        year_group=year_group,
        subject=subject,
        focus=" ".join(focus.split())[:300],
        academic_year=year,
        starts_on=day,
        ends_on=year_end(year),
        created_by=actor,
    )
    pair.full_clean()
    pair.save()
    _record(
        actor,
        "create",
        pair,
        request,
        first=first.pk,
        second=second.pk,
        role=role,
        year_group=year_group,
        subject=subject,
        academic_year=year,
    )
    return pair


def _locked(pair: BuddyPair) -> BuddyPair:
    return BuddyPair.objects.select_for_update().select_related("partnership", "first", "second").get(pk=pair.pk)


@transaction.atomic
def pair_end(
    pair: BuddyPair, *, actor: Any, request: HttpRequest | None = None, today: datetime.date | None = None
) -> BuddyPair:
    """End a pair now (one not yet started, renewed for next year, never starts)."""
    day = _today(today)
    locked = _locked(pair)
    if locked.ends_on <= day:
        raise ApplicationError(f"This pair has already ended, on {spoken_date(locked.ends_on)}.")
    before = locked.ends_on
    locked.ends_on = max(day, locked.starts_on)
    locked.save(update_fields=["ends_on"])
    _record(actor, "end", locked, request, ends_on=[before.isoformat(), locked.ends_on.isoformat()])
    return locked


@transaction.atomic
def pair_renew(
    pair: BuddyPair, *, actor: Any, request: HttpRequest | None = None, today: datetime.date | None = None
) -> BuddyPair:
    """The same two people paired again for the academic year after the pair's: a new pair that
    starts when the old one ends and points back to it."""
    day = _today(today)
    locked = _locked(pair)
    year = locked.academic_year + 1
    if BuddyPair.objects.filter(renewed_from=locked).exists():
        raise ApplicationError(f"This pair has already been renewed for {academic_year_label(year)}.")
    if locked.ends_on < year_end(locked.academic_year):
        raise ApplicationError("This pair was ended early, so it cannot be renewed: pair the two again instead.")
    if year < current_academic_year(day):
        raise ApplicationError(
            f"This pair's year ({academic_year_label(locked.academic_year)}) is long over: pair the two again instead."
        )
    partnership = locked.partnership
    first: Any = locked.first
    second: Any = locked.second
    _check_two(partnership, first, second, day)
    _check_not_paired(partnership, first, second, locked.ends_on, year)
    renewed = BuddyPair(
        partnership=partnership,
        first=first,
        first_school_id=first.school_id,
        second=second,
        second_school_id=second.school_id,
        role=locked.role,
        year_group=locked.year_group,
        subject=locked.subject,
        focus=locked.focus,
        academic_year=year,
        starts_on=locked.ends_on,
        ends_on=year_end(year),
        renewed_from=locked,
        created_by=actor,
    )
    renewed.full_clean()
    renewed.save()
    _record(actor, "renew", renewed, request, renewed_from=locked.pk, academic_year=year)
    return renewed


@transaction.atomic
def meeting_log(
    pair: BuddyPair,
    *,
    day: datetime.date | None,
    note: str,
    actor: Any,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> BuddyMeeting:
    """A meeting of the pair: its date (while the pair ran, not in the future) and a note."""
    now = _today(today)
    text = note.strip()
    if day is None:
        raise ApplicationError("Enter the date of the meeting.", field="day")
    if not text:
        raise ApplicationError("Enter a note of the meeting.", field="note")
    if day > now:
        raise ApplicationError("The date of the meeting must be today or in the past.", field="day")
    if day < pair.starts_on:
        raise ApplicationError(
            f"The date of the meeting must be on or after the pair began, {spoken_date(pair.starts_on)}.", field="day"
        )
    if day >= pair.ends_on:
        raise ApplicationError(f"The pair had ended by then, on {spoken_date(pair.ends_on)}.", field="day")
    meeting = BuddyMeeting.objects.create(pair=pair, day=day, note=text[:2000], logged_by=actor)
    _record(actor, "log_meeting", pair, request, meeting=meeting.pk, day=day.isoformat())
    return meeting


# Suggestions


@dataclass(frozen=True)
class Suggestion:
    """A possible buddy: the person (school loaded), why they fit, and how many pairs they have now."""

    person: Any
    reasons: tuple[str, ...]
    current_pairs: int
    same_subject: bool
    same_year_group: bool

    @property
    def reason(self) -> str:
        return self.reasons[0]


def _same_subject(subjects: Iterable[str], subject: str) -> bool:
    wanted = subject.strip().casefold()
    return bool(wanted) and any(s.strip().casefold() == wanted for s in subjects)


def _year_reason(role: str, year_group: str) -> str:
    label = year_group_label(year_group)
    return f"{label} teacher" if role == Role.TEACHER else f"Works with {label}"


def _load_reason(current: int) -> str:
    if current == 0:
        return "No buddy yet"
    return f"{current} buddy pair{'s' if current != 1 else ''} now"


def suggest_buddies(
    partnership: Partnership,
    person: Any,
    role: str,
    year_group: str = "",
    subject: str = "",
    limit: int | None = 5,
    today: datetime.date | None = None,
) -> list[Suggestion]:
    """People of the partnership's other member schools holding `role`, best buddy for `person`
    first: same subject, then same year group, then fewest current pairs, then name. Never anyone
    of the person's own school, nor anyone already their buddy. Two queries, however many people."""
    day = _today(today)
    rows = (
        staff_roles(partnership, day)
        .filter(role=role)
        .exclude(person_id=person.pk)
        .select_related("person", "person__school")
    )
    if person.school_id is not None:
        rows = rows.exclude(school_id=person.school_id)
    people: dict[int, Any] = {}
    subjects: dict[int, set[str]] = {}
    for row in rows:
        people[row.person_id] = row.person
        if row.subject:
            subjects.setdefault(row.person_id, set()).add(row.subject)
    if not people:
        return []
    ids = list(people)
    year = current_academic_year(day)
    years: dict[int, set[str]] = {}
    current: dict[int, int] = dict.fromkeys(ids, 0)
    paired_with: set[int] = set()
    pairs = (
        BuddyPair.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids), academic_year__gte=year - 1)
        .filter(partnership=partnership)
        .values_list("first_id", "second_id", "year_group", "starts_on", "ends_on")
    )
    for first_id, second_id, pair_year_group, starts_on, ends_on in pairs:
        now = starts_on <= day < ends_on
        for member, other in ((first_id, second_id), (second_id, first_id)):
            if member not in current:
                continue
            if pair_year_group:
                years.setdefault(member, set()).add(pair_year_group)
            if now:
                current[member] += 1
                if other == person.pk:
                    paired_with.add(member)
    made: list[Suggestion] = []
    for pk, candidate in people.items():
        if pk in paired_with:
            continue
        same_subject = _same_subject(subjects.get(pk, ()), subject)
        same_year = bool(year_group) and year_group in years.get(pk, set())
        reasons: list[str] = []
        if same_subject:
            reasons.append(f"Leads {subject_in_sentence(subject)} too")
        if same_year:
            reasons.append(_year_reason(role, year_group))
        if not reasons:
            held = sorted(subjects.get(pk, ()))
            if held:
                reasons.append(f"Leads {' and '.join(subject_in_sentence(s) for s in held)}")
            else:
                reasons.append(f"Also {ROLE_NOUNS.get(role, 'in that role')}")
        reasons.append(_load_reason(current[pk]))
        made.append(
            Suggestion(
                person=candidate,
                reasons=tuple(reasons),
                current_pairs=current[pk],
                same_subject=same_subject,
                same_year_group=same_year,
            )
        )
    made.sort(
        key=lambda s: (not s.same_subject, not s.same_year_group, s.current_pairs, s.person.full_name, s.person.pk)
    )
    return made if limit is None else made[:limit]
