"""Moderation sessions: set up, moderators, status and attendance. Each change is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from partnership.accounts.models import User
from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.core.roles import STAFF_ROLES, Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Membership, Partnership, RoleAssignment, School
from partnership.moderation.models import Attendance, ModerationSession, Moderator
from partnership.moderation.scales import SUBJECT_LABELS, YEAR_GROUP_LABELS

SESSION_FIELDS = ["kind", "subject", "year_group", "date", "start_time", "venue", "host_school_id", "sample_rule",
                  "samples_due", "notes", "status"]  # fmt: skip


def member_schools(partnership: Partnership) -> QuerySet[School]:
    """The partnership's current member schools, by name."""
    ids = Membership.objects.current().filter(partnership=partnership).values("school_id")
    return School.objects.filter(pk__in=ids).order_by("name")


def partnership_people(partnership: Partnership) -> QuerySet[User]:
    """Who can take part in the partnership's moderation: staff of its current member schools, and
    its coordinators and advisers. By name, with their school."""
    staff = RoleAssignment.objects.current().filter(
        school_id__in=member_schools(partnership).values("pk"), role__in=list(STAFF_ROLES)
    )
    external = RoleAssignment.objects.current().filter(
        partnership=partnership, role__in=[Role.COORDINATOR, Role.EXTERNAL_ADVISER]
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=staff.values("person_id")) | Q(pk__in=external.values("person_id")))
        .select_related("school")
        .order_by("full_name", "pk")
    )


def _check(session: ModerationSession) -> None:
    if session.subject not in SUBJECT_LABELS:
        raise ApplicationError("Choose a subject.", field="subject")
    if session.year_group not in YEAR_GROUP_LABELS:
        raise ApplicationError("Choose a year group.", field="year_group")
    if not member_schools(session.partnership).filter(pk=session.host_school_id).exists():
        raise ApplicationError("The host school must be a member of the partnership.", field="host_school")
    if session.samples_due and session.samples_due > session.date:
        raise ApplicationError("Samples must be due on or before the day of the session.", field="samples_due")


def _record(actor: Any, verb: str, obj: Any, request: HttpRequest | None, **detail: Any) -> None:
    audit.record(actor, verb, obj, detail=detail, request=request)


@transaction.atomic
def create_session(
    *,
    partnership: Partnership,
    actor: Any,
    subject: str,
    year_group: str,
    date: datetime.date,
    host_school: School,
    kind: str = ModerationSession.Kind.MODERATION,
    start_time: datetime.time | None = None,
    venue: str = "",
    sample_rule: str = ModerationSession.SampleRule.TEACHER_EXAMPLES,
    samples_due: datetime.date | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> ModerationSession:
    session = ModerationSession(
        partnership=partnership,
        kind=kind,
        subject=subject,
        year_group=year_group,
        academic_year=current_academic_year(date),
        date=date,
        start_time=start_time,
        venue=venue.strip(),
        host_school=host_school,
        sample_rule=sample_rule,
        samples_due=samples_due,
        notes=notes.strip(),
        created_by=actor,
    )
    _check(session)
    session.full_clean()
    session.save()
    _record(actor, "create", session, request, subject=subject, year_group=year_group, date=str(date))
    return session


@transaction.atomic
def update_session(
    session: ModerationSession, *, actor: Any, request: HttpRequest | None = None, **changes: Any
) -> ModerationSession:
    """Change a session's details (any of SESSION_FIELDS, `host_school` as a School)."""
    locked = ModerationSession.objects.select_for_update().select_related("partnership").get(pk=session.pk)
    before = audit.snapshot(locked, SESSION_FIELDS)
    if "host_school" in changes:
        locked.host_school = changes.pop("host_school")
    for name, value in changes.items():
        if name not in SESSION_FIELDS:
            raise ValueError(f"{name} is not a session field")
        setattr(locked, name, value.strip() if isinstance(value, str) and name in ("venue", "notes") else value)
    if "date" in changes:
        locked.academic_year = current_academic_year(locked.date)
        if locked.samples.exists() and locked.academic_year != session.academic_year:
            raise ApplicationError("Samples are in; the session cannot move to another school year.", field="date")
    _check(locked)
    locked.full_clean()
    locked.save()
    diff = audit.changes(before, audit.snapshot(locked, SESSION_FIELDS))
    if diff:
        _record(actor, "update", locked, request, **diff)
    return locked


@transaction.atomic
def set_status(
    session: ModerationSession, status: str, *, actor: Any, request: HttpRequest | None = None
) -> ModerationSession:
    if status not in ModerationSession.Status.values:
        raise ApplicationError("Choose a stage for the session.", field="status")
    return update_session(session, actor=actor, request=request, status=status)


@transaction.atomic
def add_moderator(
    session: ModerationSession, person: Any, *, actor: Any, request: HttpRequest | None = None
) -> Moderator:
    if not partnership_people(session.partnership).filter(pk=person.pk).exists():
        raise ApplicationError(
            f"{person} is not on the staff of a member school or a coordinator or adviser of "
            f"{session.partnership.name}.",
            field="person",
        )
    if session.status == ModerationSession.Status.CLOSED:
        raise ApplicationError("The session is closed.", field="person")
    try:
        with transaction.atomic():
            place = Moderator.objects.create(session=session, person=person, school=person.school, added_by=actor)
    except IntegrityError:
        raise ApplicationError(f"{person} is already a moderator of this session.", field="person") from None
    _record(actor, "add_moderator", session, request, person=person.pk)
    return place


@transaction.atomic
def remove_moderator(place: Moderator, *, actor: Any, request: HttpRequest | None = None) -> None:
    from partnership.moderation.models import ModeratorJudgement

    if ModeratorJudgement.objects.filter(sample__session_id=place.session_id, moderator_id=place.person_id).exists():
        raise ApplicationError(f"{place.person} has recorded judgements in this session, so they stay on the record.")
    _record(actor, "remove_moderator", place.session, request, person=place.person_id)
    place.delete()


@transaction.atomic
def record_attendance(
    session: ModerationSession, person: Any, status: str, *, actor: Any, request: HttpRequest | None = None
) -> Attendance:
    """Record (or change) whether a person came to the session's meeting."""
    if status not in Attendance.Status.values:
        raise ApplicationError("Choose present, apologies or absent.", field="status")
    if not partnership_people(session.partnership).filter(pk=person.pk).exists():
        raise ApplicationError(
            f"{person} is not on the staff of a member school or a coordinator or adviser of "
            f"{session.partnership.name}.",
            field="person",
        )
    row, created = Attendance.objects.select_for_update().get_or_create(
        session=session, person=person, defaults={"status": status, "school": person.school, "recorded_by": actor}
    )
    if not created and row.status != status:
        row.status = status
        row.recorded_by = actor
        row.save(update_fields=["status", "recorded_by"])
    _record(actor, "attendance", session, request, person=person.pk, status=status)
    return row


@transaction.atomic
def remove_attendance(row: Attendance, *, actor: Any, request: HttpRequest | None = None) -> None:
    _record(actor, "remove_attendance", row.session, request, person=row.person_id)
    row.delete()
