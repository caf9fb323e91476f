"""Reads for the directory. Each selector owns its joins so a page's query count stays flat."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from partnership.accounts.models import User
from partnership.core.access import principal_for, visible_to
from partnership.core.errors import ApplicationError
from partnership.directory.models import (
    Decision,
    Membership,
    MemorandumVersion,
    Network,
    NetworkMember,
    Partnership,
    RoleAssignment,
    School,
)
from partnership.directory.services import role_approval_check


def _current_roles() -> Prefetch:
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.current().select_related("partnership").order_by("role", "subject"),
        to_attr="current_roles",
    )


def partnerships_for(user: Any) -> QuerySet[Partnership]:
    return visible_to(user, Partnership).annotate(
        school_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True)
    )


def partnership_schools(partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.current().filter(partnership=partnership).select_related("school").order_by("school__name")
    )


def partnership_people_in_roles(partnership: Partnership, role: str) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=RoleAssignment.objects.current().filter(partnership=partnership, role=role).values("person_id")
    ).order_by("full_name")


def memorandum_current(partnership: Partnership) -> MemorandumVersion | None:
    return (
        MemorandumVersion.objects.filter(partnership=partnership)
        .select_related("published_by")
        .prefetch_related(Prefetch("agreements", queryset=_agreements_qs()))
        .order_by("-number")
        .first()
    )


def _agreements_qs() -> QuerySet[Any]:
    from partnership.directory.models import MemorandumAgreement

    return MemorandumAgreement.objects.select_related("school", "agreed_by").order_by("school__name")


def memorandum_status(partnership: Partnership) -> dict[str, Any]:
    """The current MoU version and, for each current member school, whether it has agreed it."""
    version = memorandum_current(partnership)
    members = list(partnership_schools(partnership))
    agreed = {a.school_id: a for a in version.agreements.all()} if version else {}
    rows = [{"school": m.school, "agreement": agreed.get(m.school_id)} for m in members]
    return {"version": version, "rows": rows, "agreed_count": sum(1 for r in rows if r["agreement"])}


def decisions_for(partnership: Partnership) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(partnership=partnership)
        .select_related("proposed_by")
        .prefetch_related("votes__school")
        .order_by("-opened_at")
    )


def decision_tally(decision: Decision, members: list[Membership]) -> dict[str, Any]:
    votes = {v.school_id: v for v in decision.votes.all()}
    rows = [{"school": m.school, "vote": votes.get(m.school_id)} for m in members]
    counts = {choice: sum(1 for v in votes.values() if v.choice == choice) for choice in ("for", "against", "abstain")}
    return {"rows": rows, "counts": counts, "not_voted": sum(1 for r in rows if r["vote"] is None)}


def schools_for(user: Any, query: str = "") -> QuerySet[School]:
    qs = visible_to(user, School)
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(urn=query) | Q(town__icontains=query) | Q(postcode__icontains=query)
        )
    return qs.order_by("name")


def school_people(school: School) -> QuerySet[User]:
    return User.objects.filter(school=school, is_active=True).prefetch_related(_current_roles()).order_by("full_name")


def school_partnerships(school: School) -> QuerySet[Membership]:
    return Membership.objects.current().filter(school=school).select_related("partnership")


def people_for(user: Any, *, query: str = "", role: str = "", school_id: int | None = None) -> QuerySet[User]:
    qs = visible_to(user, User).filter(is_active=True).select_related("school").prefetch_related(_current_roles())
    if query:
        qs = qs.filter(
            Q(full_name__icontains=query)
            | Q(email__icontains=query)
            | Q(job_title__icontains=query)
            | Q(school__name__icontains=query)
            | Q(organisation__icontains=query)
        )
    if role:
        qs = qs.filter(pk__in=RoleAssignment.objects.current().filter(role=role).values("person_id"))
    if school_id:
        qs = qs.filter(school_id=school_id)
    return qs.order_by("full_name")


def networks_for(user: Any) -> QuerySet[Network]:
    return (
        visible_to(user, Network)
        .filter(closed_on__isnull=True)
        .select_related("partnership")
        .order_by("partnership__name", "kind", "name")
    )


def _role_members_q(network: Network) -> Q:
    assignments = RoleAssignment.objects.current().filter(
        role=network.role,
        school_id__in=Membership.objects.current().filter(partnership_id=network.partnership_id).values("school_id"),
    )
    if network.subject:
        assignments = assignments.filter(subject=network.subject)
    return Q(pk__in=assignments.values("person_id"))


def network_members(network: Network) -> list[dict[str, Any]]:
    """Everyone in the network: those whose current role brings them in, and manual members.

    Role members are computed from roles today, so a new SENCO appears at once and a leaver
    (role ended, account disabled or school left the partnership) drops out. Manual members count
    while they belong to the network's partnership (their school is a current member, or they hold
    a current role in it), as in the access policy. Two queries.
    """
    manual = {m.person_id: m for m in NetworkMember.objects.filter(network=network)}
    # Role networks and boards with a role bring people in by role (as the access policy does).
    by_role = network.kind in (Network.Kind.ROLE, Network.Kind.BOARD) and network.role
    role_q = _role_members_q(network) if by_role else Q(pk__in=[])
    belongs = Q(
        school_id__in=Membership.objects.current().filter(partnership_id=network.partnership_id).values("school_id")
    ) | Q(pk__in=RoleAssignment.objects.current().filter(partnership_id=network.partnership_id).values("person_id"))
    manual_q = Q(pk__in=NetworkMember.objects.filter(network=network).values("person_id")) & belongs
    people = (
        User.objects.filter(role_q | manual_q)
        .filter(is_active=True)
        .annotate(via_role=ExpressionWrapper(role_q, output_field=BooleanField()))
        .select_related("school")
        .order_by("school__name", "full_name")
    )
    return [{"person": p, "via_role": p.via_role, "manual": manual.get(p.pk)} for p in people]


def my_networks(user: Any) -> list[Network]:
    """Networks the person belongs to, by role or by name (the access policy's definition)."""
    from partnership.directory.policy import belongs_to_networks

    principal = principal_for(user)
    if principal.user_id is None:
        return []
    return list(networks_for(user).filter(belongs_to_networks(principal)))


def roles_awaiting_approval(user: Any, *, school: School | None = None) -> QuerySet[RoleAssignment]:
    """Grants awaiting approval that this user may see (their school's as its head, their own, the
    ones they gave; all of them for platform administrators), oldest first."""
    qs = visible_to(user, RoleAssignment.objects.awaiting_approval())
    if school is not None:
        qs = qs.filter(school=school)
    return qs.select_related("person", "school", "granted_by").order_by("started_on", "pk")


def approval_rows(user: Any, assignments: Any) -> list[dict[str, Any]]:
    """Each waiting grant with whether `user` may approve or refuse it, and if not, why: the
    service's own check (no queries), so the page offers exactly what the service allows."""
    rows = []
    for assignment in assignments:
        try:
            role_approval_check(assignment=assignment, actor=user)
        except ApplicationError as exc:
            rows.append({"assignment": assignment, "may_decide": False, "reason": exc.message})
        else:
            rows.append({"assignment": assignment, "may_decide": True, "reason": ""})
    return rows


# --- Home page panels (registered in apps.py) -------------------------------------------------


def home_school(request: Any) -> dict[str, Any] | None:
    """The person's school and roles; no card for people who are not at a school (coordinators,
    advisers: their partnerships panel says what they hold)."""
    principal = principal_for(request.user)
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    if school is None:
        return None
    roles = RoleAssignment.objects.current().filter(person=request.user).select_related("partnership")
    return {"school": school, "my_roles": roles}


def home_partnerships(request: Any) -> dict[str, Any]:
    principal = principal_for(request.user)
    return {
        "partnerships": partnerships_for(request.user),
        "coordinates": principal.coordinates,
        "advises": principal.advises,
    }


def home_networks(request: Any) -> dict[str, Any]:
    return {"networks": my_networks(request.user)}


def network_sections(request: Any, network: Network) -> list[dict[str, Any]]:
    """The sections other apps add to a network's page (core.registry), for this person."""
    from partnership.core.registry import NETWORK_SECTIONS

    shown = []
    for section in NETWORK_SECTIONS:
        context = section.context(request, network)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
