"""Support requests between schools: request -> accepted (capacity reserved) or declined -> agreed
plan -> sessions logged, each with a short impact note -> impact recorded against what it was
meant to move -> closed (capacity released). Withdrawn by the asking school while it waits.

Capacity: an entry can host `capacity` sessions a term; each accepted request still open holds the
sessions it asked for. Accepting locks the entry's row (`select_for_update`) and counts what its
open requests hold under that lock, so two heads accepting at once can never book more than the
entry has: the second waits for the first and then sees its reservation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from partnership.actions.models import Action
from partnership.actions.services import action_create
from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.core.schoolyear import current_academic_year
from partnership.goodpractice.models import PracticeArea, RegisterEntry, SupportRequest, SupportSession
from partnership.goodpractice.needs import NeedItem

Status = SupportRequest.Status
MAX_SESSIONS = 30


def _audit(actor: Any, verb: str, req: SupportRequest, request: HttpRequest | None, **detail: Any) -> None:
    audit.record(
        actor,
        verb,
        req,
        detail=detail or None,
        request=request,
        school_id=req.requesting_school_id,
        partnership_id=req.partnership_id,
    )


def _locked(req: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update(of=("self",)).select_related("entry").get(pk=req.pk)


def _expect(req: SupportRequest, *statuses: str, doing: str) -> None:
    if req.status not in statuses:
        raise ApplicationError(f"This request is {req.get_status_display().lower()}: it cannot be {doing} now.")


def reserved_sessions(entry: RegisterEntry) -> int:
    """What the entry's open requests hold now."""
    total = entry.requests.filter(status__in=SupportRequest.OPEN).aggregate(total=Sum("reserved"))["total"]
    return int(total or 0)


@transaction.atomic
def request_create(
    *,
    entry: RegisterEntry,
    school: Any,
    need: NeedItem,
    area: PracticeArea,
    message: str,
    sessions: int,
    actor: Any,
    request: HttpRequest | None = None,
) -> SupportRequest:
    """Ask the entry's school for support with a need of `school`."""
    if entry.school_id == school.pk:
        raise ApplicationError("Your school cannot ask itself for support: choose another school's entry.")
    if entry.status == RegisterEntry.Status.WITHDRAWN:
        raise ApplicationError("This entry has been withdrawn from the register.")
    from partnership.directory.models import Membership

    if not Membership.objects.current().filter(partnership_id=entry.partnership_id, school=school).exists():
        raise ApplicationError(f"{school.name} is not a member of {entry.partnership.name}.")
    if area.pk != entry.area_id:
        raise ApplicationError("This entry is in another area.")
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ApplicationError(f"Ask for between 1 and {MAX_SESSIONS} sessions.", field="sessions")
    duplicate = SupportRequest.objects.filter(
        entry=entry,
        requesting_school=school,
        need_kind=need.kind,
        need_ref=need.key[:200],
        status__in=[Status.REQUESTED, *SupportRequest.OPEN],
    )
    if duplicate.exists():
        raise ApplicationError("Your school has already asked this school for support with this need.")
    req = SupportRequest.objects.create(
        partnership_id=entry.partnership_id,
        entry=entry,
        requesting_school=school,
        supporting_school_id=entry.school_id,
        area=area,
        academic_year=current_academic_year(),
        need_kind=need.kind,
        need_ref=need.key[:200],
        need_title=need.title[:300],
        need_url=need.url[:500],
        message=message.strip(),
        sessions_requested=sessions,
        impact_target=need.title[:300],
        requested_by=actor,
    )
    _audit(actor, "create", req, request, entry=entry.title, need=req.need_title, sessions=sessions)
    return req


@transaction.atomic
def request_accept(*, req: SupportRequest, actor: Any, request: HttpRequest | None = None) -> SupportRequest:
    """Accept: reserve the sessions asked for, under the entry's row lock."""
    entry = RegisterEntry.objects.select_for_update().get(pk=req.entry_id)
    req = _locked(req)
    _expect(req, Status.REQUESTED, doing="accepted")
    if entry.status == RegisterEntry.Status.WITHDRAWN:
        raise ApplicationError("This entry has been withdrawn from the register.")
    held = reserved_sessions(entry)
    free = max(0, entry.capacity - held)
    if req.sessions_requested > free:
        raise ApplicationError(
            f"“{entry.title}” has {free} of {entry.capacity} sessions free this term and this request asks for "
            f"{req.sessions_requested}: close finished support, raise the capacity, or decline."
        )
    req.status = Status.ACCEPTED
    req.reserved = req.sessions_requested
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.version += 1
    req.save()
    _audit(actor, "accept", req, request, reserved=req.reserved, free_after=free - req.reserved)
    return req


@transaction.atomic
def request_decline(
    *, req: SupportRequest, reason: str, actor: Any, request: HttpRequest | None = None
) -> SupportRequest:
    req = _locked(req)
    _expect(req, Status.REQUESTED, doing="declined")
    if not reason.strip():
        raise ApplicationError("Say why, so the school can look elsewhere.", field="reason")
    req.status = Status.DECLINED
    req.decline_reason = reason.strip()
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.version += 1
    req.save()
    _audit(actor, "decline", req, request, reason=req.decline_reason)
    return req


@transaction.atomic
def request_withdraw(*, req: SupportRequest, actor: Any, request: HttpRequest | None = None) -> SupportRequest:
    req = _locked(req)
    _expect(req, Status.REQUESTED, doing="withdrawn")
    req.status = Status.WITHDRAWN
    req.closed_by = actor
    req.closed_at = timezone.now()
    req.version += 1
    req.save()
    _audit(actor, "withdraw", req, request)
    return req


@transaction.atomic
def plan_agree(
    *,
    req: SupportRequest,
    plan: str,
    sessions: int,
    visits: int,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    cost: Decimal | None,
    impact_target: str,
    actor: Any,
    request: HttpRequest | None = None,
) -> SupportRequest:
    """Record the agreed plan. Agreeing more sessions than were reserved reserves the difference,
    under the entry's lock; fewer gives the rest back."""
    entry = RegisterEntry.objects.select_for_update().get(pk=req.entry_id)
    req = _locked(req)
    _expect(req, Status.ACCEPTED, Status.AGREED, doing="planned")
    if not plan.strip():
        raise ApplicationError("Enter what was agreed.", field="plan")
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ApplicationError(f"Plan between 1 and {MAX_SESSIONS} sessions.", field="sessions")
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError("The end date must be on or after the start date.", field="ends_on")
    if cost is not None and cost < 0:
        raise ApplicationError("The cost cannot be negative.", field="cost")
    if sessions > req.reserved:
        free = max(0, entry.capacity - reserved_sessions(entry))
        if sessions - req.reserved > free:
            raise ApplicationError(
                f"“{entry.title}” has {free} more sessions free this term: plan at most {req.reserved + free}.",
                field="sessions",
            )
    req.plan = plan.strip()
    req.planned_sessions = sessions
    req.planned_visits = visits
    req.reserved = sessions
    req.starts_on = starts_on
    req.ends_on = ends_on
    req.cost = cost
    req.impact_target = impact_target.strip()[:300] or req.impact_target
    req.plan_agreed_by = actor
    req.plan_agreed_at = timezone.now()
    req.status = Status.AGREED
    req.version += 1
    req.save()
    _audit(actor, "agree_plan", req, request, sessions=sessions, visits=visits, cost=str(cost or ""))
    return req


@transaction.atomic
def session_log(
    *,
    req: SupportRequest,
    day: datetime.date,
    kind: str,
    days: Decimal,
    attendees: str,
    impact_note: str,
    actor: Any,
    request: HttpRequest | None = None,
) -> SupportSession:
    req = _locked(req)
    _expect(req, Status.ACCEPTED, Status.AGREED, Status.IMPACT, doing="given sessions")
    if kind not in SupportSession.Kind.values:
        raise ApplicationError("Choose what kind of session it was.", field="kind")
    if not impact_note.strip():
        raise ApplicationError("Enter what changed, in a sentence or two.", field="impact_note")
    if not Decimal("0.1") <= days <= Decimal("10"):
        raise ApplicationError("Enter the length in days, between 0.1 and 10.", field="days")
    if day > timezone.localdate():
        raise ApplicationError("Log a session once it has happened: the date is in the future.", field="day")
    session = SupportSession.objects.create(
        request=req,
        day=day,
        kind=kind,
        days=days,
        attendees=attendees.strip()[:300],
        impact_note=impact_note.strip(),
        logged_by=actor,
    )
    _audit(actor, "log_session", req, request, day=str(day), days=str(days))
    return session


@transaction.atomic
def impact_record(
    *, req: SupportRequest, impact: str, note: str, target: str, actor: Any, request: HttpRequest | None = None
) -> SupportRequest:
    req = _locked(req)
    _expect(req, Status.ACCEPTED, Status.AGREED, Status.IMPACT, doing="given an impact")
    if impact not in SupportRequest.Impact.values:
        raise ApplicationError("Choose how far it moved.", field="impact")
    if not note.strip():
        raise ApplicationError("Enter what changed, and how you know.", field="note")
    if not req.sessions.exists():
        raise ApplicationError("Log at least one session before recording the impact.")
    req.impact = impact
    req.impact_note = note.strip()
    req.impact_target = target.strip()[:300] or req.impact_target
    req.impact_recorded_by = actor
    req.impact_recorded_at = timezone.now()
    req.status = Status.IMPACT
    req.version += 1
    req.save()
    _audit(actor, "record_impact", req, request, impact=impact)
    return req


@transaction.atomic
def request_close(*, req: SupportRequest, actor: Any, request: HttpRequest | None = None) -> SupportRequest:
    """Close: the reservation goes back to the entry."""
    RegisterEntry.objects.select_for_update().get(pk=req.entry_id)
    req = _locked(req)
    _expect(req, *SupportRequest.OPEN, doing="closed")
    released = req.reserved
    req.status = Status.CLOSED
    req.reserved = 0
    req.closed_by = actor
    req.closed_at = timezone.now()
    req.version += 1
    req.save()
    _audit(actor, "close", req, request, released=released)
    return req


def request_actions(req: SupportRequest) -> list[Action]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        Action.objects.filter(source_type=ContentType.objects.get_for_model(SupportRequest), source_id=req.pk)
        .select_related("owner", "school")
        .order_by("due_on", "pk")
    )


def request_action_create(
    *,
    req: SupportRequest,
    title: str,
    owner: Any,
    due_on: datetime.date | None,
    actor: Any,
    request: HttpRequest | None = None,
) -> Action:
    """An action in the one action log, arising from this request; it belongs to the owner's school
    (one of the two) and the partnership."""
    from partnership.directory.models import RoleAssignment

    schools = set(
        RoleAssignment.objects.current().filter(person=owner).exclude(school=None).values_list("school_id", flat=True)
    )
    both = {req.requesting_school_id, req.supporting_school_id}
    owner_school = next(iter(sorted(schools & both)), None)
    if owner_school is None:
        raise ApplicationError("Choose someone from one of the two schools.", field="owner")
    school = req.requesting_school if owner_school == req.requesting_school_id else req.supporting_school
    return action_create(
        title=title,
        owner=owner,
        created_by=actor,
        school=school,
        partnership=req.partnership,
        due_on=due_on,
        source=req,
        source_label=f"Support from {req.supporting_school.name}: {req.area.name}",
        request=request,
    )
