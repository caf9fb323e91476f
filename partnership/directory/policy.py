"""Access rules for the directory: who people are (the principal), partnerships, schools, people,
roles, networks, the MoU, decisions and the audit log. Registered with `partnership.core.access`.

Network membership is defined once, here (`member_networks`): the access rules for meetings, the
meetings' lists of people and the home page all use it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from partnership.core import access
from partnership.core.access import Principal, child_scope
from partnership.core.roles import Role
from partnership.directory.models import Membership, Network, NetworkMember, RoleAssignment


def build_principal(user: Any) -> Principal:
    """What the policy needs to know about a person: their approved roles and their school's
    memberships, current and ended (to tell which partnerships they have left). Two queries."""
    today = timezone.localdate()

    def current(started: Any, ended: Any) -> bool:
        return started <= today and (ended is None or ended > today)

    school_roles: set[str] = set()
    subjects: set[str] = set()
    coordinates: set[int] = set()
    advises: set[int] = set()
    left: set[int] = set()
    # Approved roles only (a grant awaiting approval gives nothing).
    for role, school_id, partnership_id, subject, started_on, ended_on in RoleAssignment.objects.filter(
        person=user, approved_at__isnull=False
    ).values_list("role", "school_id", "partnership_id", "subject", "started_on", "ended_on"):
        if not current(started_on, ended_on):
            if partnership_id is not None and ended_on is not None and ended_on <= today:
                left.add(partnership_id)
            continue
        if partnership_id is not None and role == Role.COORDINATOR:
            coordinates.add(partnership_id)
        elif partnership_id is not None and role == Role.EXTERNAL_ADVISER:
            advises.add(partnership_id)
        elif school_id is not None and school_id == user.school_id:
            school_roles.add(role)
            if subject:
                subjects.add(subject)
    school_partnerships: set[int] = set()
    if user.school_id is not None:
        for partnership_id, joined_on, left_on in Membership.objects.filter(school_id=user.school_id).values_list(
            "partnership_id", "joined_on", "left_on"
        ):
            if current(joined_on, left_on):
                school_partnerships.add(partnership_id)
            elif left_on is not None and left_on <= today:
                left.add(partnership_id)
    return Principal(
        user_id=user.pk,
        is_admin=bool(user.is_platform_admin or user.is_superuser),
        school_id=user.school_id,
        school_roles=frozenset(school_roles),
        coordinates=frozenset(coordinates),
        advises=frozenset(advises),
        school_partnerships=frozenset(school_partnerships),
        subjects=frozenset(subjects),
        former_partnerships=frozenset(left - coordinates - advises - school_partnerships),
    )


def school_ids_in(partnership_ids: frozenset[int]) -> Any:
    """The current member schools of these partnerships, as a subquery."""
    return Membership.objects.current().filter(partnership_id__in=partnership_ids).values("school_id")


def belongs_to_networks(p: Principal) -> Q:
    """Networks the person belongs to: by role (role networks and boards with a role) or by name.
    Applies to `Network` rows. Membership follows the dated memberships: a manual member counts
    only while they belong to the network's partnership (their school is a current member, or
    their partnership role is current)."""
    by_role = (
        Q(kind__in=["role", "board"], role__in=p.school_roles, partnership_id__in=p.school_partnerships)
        & ~Q(role="")
        & (Q(subject="") | Q(subject__in=p.subjects))
    )
    manual = Q(pk__in=NetworkMember.objects.filter(person_id=p.user_id).values("network_id")) & Q(
        partnership_id__in=p.partnership_ids
    )
    return by_role | manual


def member_networks(p: Principal) -> Q:
    """Networks whose meetings the person sees and runs: those they belong to, and every network of
    a partnership they coordinate."""
    return belongs_to_networks(p) | Q(partnership_id__in=p.coordinates)


def member_of_network(p: Principal, network: Any) -> bool:
    return Network.objects.filter(member_networks(p), pk=network.pk).exists()


def _scope_school(p: Principal) -> Q:
    return Q(pk__in=school_ids_in(p.partnership_ids)) | Q(pk=p.school_id)


def _scope_person(p: Principal) -> Q:
    externals = RoleAssignment.objects.current().filter(partnership_id__in=p.partnership_ids).values("person_id")
    return (
        Q(school_id__in=school_ids_in(p.partnership_ids))
        | Q(pk__in=externals)
        | Q(pk=p.user_id)
        | (Q(school_id=p.school_id) if p.school_id else Q(pk__in=[]))
    )


def _scope_by_partnership(p: Principal) -> Q:
    return Q(partnership_id__in=p.partnership_ids)


def _scope_role_assignment(p: Principal) -> Q:
    # Its holder, its giver, and whoever manages such roles: the school's head, the partnership's
    # coordinators. A grant awaiting approval is seen by these people only.
    q = Q(person_id=p.user_id) | Q(granted_by_id=p.user_id) | Q(partnership_id__in=p.coordinates)
    if p.is_head and p.school_id:
        q |= Q(school_id=p.school_id)
    return q


def _scope_audit(p: Principal) -> Q:
    q = Q(partnership_id__in=p.coordinates) | Q(school_id__in=school_ids_in(p.coordinates))
    if p.is_head and p.school_id:
        q |= Q(school_id=p.school_id)
    return q


def _partnership_ids_of_school(school_id: int | None) -> set[int]:
    if school_id is None:
        return set()
    return set(Membership.objects.current().filter(school_id=school_id).values_list("partnership_id", flat=True))


def _is_external_in(person: Any, partnership_ids: frozenset[int]) -> bool:
    return (
        person.school_id is None
        and RoleAssignment.objects.current()
        .filter(person=person, partnership_id__in=partnership_ids, role=Role.EXTERNAL_ADVISER)
        .exists()
    )


def _sees_sharing_record(p: Principal, school: Any) -> bool:
    """The school's leaders and governors: those who answer for its data protection impact assessment."""
    return p.school_id == school.pk and (p.is_school_leader or Role.GOVERNOR in p.school_roles)


def _head_of_member_school(p: Principal, partnership_id: int) -> bool:
    return p.is_head and partnership_id in p.school_partnerships


def register() -> None:
    access.register_principal_builder(build_principal)
    access.register(
        "directory.partnership",
        name="Partnership",
        scope=lambda p: Q(pk__in=p.partnership_ids),
        rules={"manage": lambda p, o: o.pk in p.coordinates, "view_audit": lambda p, o: o.pk in p.coordinates},
        view="anyone at a member school, its coordinators and external advisers",
        act="`manage`: its coordinators (membership, networks, MoU versions, decisions, invitations of "
        "externals, raising partnership actions); `view_audit`: its coordinators",
    )
    access.register(
        "directory.school",
        name="School",
        scope=_scope_school,
        rules={
            "manage": lambda p, o: p.heads(o.pk),
            "view_audit": lambda p, o: p.heads(o.pk) or bool(p.coordinates & _partnership_ids_of_school(o.pk)),
            "view_sharing_record": _sees_sharing_record,
        },
        view="people who share a partnership with it; its own people",
        act="`manage` (details, staff roles, invitations): its headteacher; `view_audit`: its headteacher "
        "and its partnerships' coordinators; `view_sharing_record` (what the school shares with its "
        "partnerships, who decided and when): its headteacher, senior leaders and governors",
    )
    access.register(
        "accounts.user",
        name="Person",
        scope=_scope_person,
        rules={
            "change": lambda p, o: o.pk == p.user_id or p.heads(o.school_id),
            "manage_roles": lambda p, o: p.heads(o.school_id) or _is_external_in(o, p.coordinates),
        },
        view="people who share a partnership with them (directory contact details)",
        act="`change` (contact details): the person, their headteacher; `manage_roles`: their headteacher, "
        "or a coordinator for externals in their partnership",
    )
    access.register(
        "directory.roleassignment",
        name="Role assignment",
        scope=_scope_role_assignment,
        # Who else is refused (the giver, the grantee) is decided once, by the service
        # (`directory.services.role_approval_check`).
        rules={"approve": lambda p, o: p.heads(o.school_id)},
        view="the person holding it, whoever gave it, the headteacher of its school, the coordinators of "
        "its partnership",
        act="`approve` (or refuse) a pupil-data role awaiting approval: the headteacher of its school or a "
        "platform administrator, never the person who gave it nor the person who would hold it "
        "(`directory.services.role_approval_check`)",
    )
    access.register(
        "directory.network",
        name="Network",
        scope=_scope_by_partnership,
        rules={"manage": lambda p, o: o.partnership_id in p.coordinates},
        view="people who can view its partnership",
        act="`manage` (manual members, remit): the partnership's coordinators",
    )
    access.register(
        "directory.memorandumversion",
        name="MoU version",
        scope=_scope_by_partnership,
        rules={"agree": lambda p, o: _head_of_member_school(p, o.partnership_id)},
        view="people who can view its partnership",
        act="`agree`: the headteacher of a current member school",
    )
    access.register(
        "directory.decision",
        name="Decision",
        scope=_scope_by_partnership,
        rules={
            "vote": lambda p, o: o.status == "open" and _head_of_member_school(p, o.partnership_id),
            "close": lambda p, o: o.status == "open" and o.partnership_id in p.coordinates,
        },
        view="people who can view its partnership",
        act="`vote`: the headteacher of a current member school, while open; `close`: coordinators",
    )
    access.register(
        "directory.membership",
        name="Membership, network member, MoU agreement, vote",
        scope=_scope_by_partnership,
        view="with the partnership, network, MoU version or decision they belong to",
        act="as their object's rules",
    )
    access.register("directory.networkmember", scope=lambda p: Q(network__partnership_id__in=p.partnership_ids))
    access.register("directory.memorandumagreement", scope=lambda p: Q(version__partnership_id__in=p.partnership_ids))
    access.register("directory.decisionvote", scope=child_scope("directory.decision", "decision_id"))
    access.register(
        "core.auditevent",
        name="Audit event",
        scope=_scope_audit,
        view="coordinators for their partnerships and member schools; headteachers for their school; a row's "
        "content (object and detail) only to readers who may view its object (`visible_keys`)",
        act="nobody edits or deletes",
    )
