"""The access policy: who may do what, decided here and nowhere else.

Views, the API and exports call `can(user, action, obj)` for single objects and
`visible_to(user, Model)` to scope lists. The table below is the written policy; tests walk it
as a matrix of roles x schools x objects (`partnership/core/tests/test_access_matrix.py`).

| object | view | manage / act |
|---|---|---|
| Partnership | anyone at a member school, its coordinators and external advisers | `manage`: its coordinators (membership, networks, MoU versions, decisions, invitations of externals, raising partnership actions); `view_audit`: its coordinators |
| School | people who share a partnership with it; its own people | `manage` (details, staff roles, invitations): its headteacher; `view_audit`: its headteacher and its partnerships' coordinators; `add_action` (raise a school action): its own people; `manage_plan` (start a development plan): its headteacher and senior leaders |
| Person | people who share a partnership with them (directory contact details) | `change` (contact details): the person, their headteacher; `manage_roles`: their headteacher, or a coordinator for externals in their partnership |
| Role assignment | the person holding it, whoever gave it, the headteacher of its school, the coordinators of its partnership | `approve` (or refuse) a pupil-data role awaiting approval: the headteacher of its school or a platform administrator, never the person who gave it nor the person who would hold it (`directory.services.role_approval_check`) |
| Network | people who can view its partnership | `manage` (manual members, remit): the partnership's coordinators |
| MoU version | people who can view its partnership | `agree`: the headteacher of a current member school |
| Decision | people who can view its partnership | `vote`: the headteacher of a current member school, while open; `close`: coordinators |
| Network meetings | the network's members (by role, or added by name while they belong to the partnership) and its partnership's coordinators; a meeting also to anyone on its attendance list (e.g. a guest speaker), except people whose school or role has left the partnership | `run_meetings` / Meeting `manage` (schedule, agenda, papers, attendance, minutes): the network's members and its partnership's coordinators |
| Action | its owner, whoever raised it; people at its school (partnership actions: people who can view the partnership) who may also view where it arose: an action from a meeting only with the meeting, from a plan objective only with the objective (`ACTION_PLACES`) | `change` (status, notes, edits): its owner, whoever raised it, the school's headteacher, the partnership's coordinators |
| Improvement plan | a school plan: people at that school; a partnership plan: people who can view the partnership | `manage`: a school plan's headteacher and senior leaders; a partnership plan's coordinators |
| Plan priority | as its plan; and, when the school shares its priorities, people who can view one of the school's partnerships | `update` (RAG progress): the priority's lead, or whoever manages the plan |
| Plan objective | as its plan (never shared with other schools) | `update` (RAG progress, milestones achieved): the objective's lead, or whoever may update its priority |
| Calendar feed | its owner | `manage` (revoke): its owner |
| API token | its owner | `manage` (revoke): its owner |
| Pupil-level data (pupils, their years, results, teacher assessments, imports) | ONLY authorised staff of the pupil's own school: headteacher, senior leaders, data lead, SENCO. Not other schools, coordinators, advisers, governors, or platform administrators | `import_results` on a School: its headteacher, senior leaders and data lead |
| Outcome aggregates | anyone who can view the school; unsuppressed only for the school's own staff (`sees_unsuppressed`), small groups hidden for everyone else (governors included) | |
| Parts of the objects above (action notes; agenda items, papers, attendance; milestones, progress updates; memberships, network members, MoU agreements, votes) | with the object they belong to; invitations: whoever sent them, the school's headteacher, the partnership's coordinators; themes and national figures: anyone signed in | as their object's rules |
| Audit event | coordinators for their partnerships and member schools; headteachers for their school; a row's content (object and detail) only to readers who may view its object (`visible_keys`) | nobody edits or deletes |

Platform administrators may do everything. Inactive accounts may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from partnership.directory.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class Principal:
    """What the policy needs to know about a signed-in person, computed once per request."""

    user_id: int | None
    is_admin: bool = False
    school_id: int | None = None
    school_roles: frozenset[str] = field(default_factory=frozenset)
    coordinates: frozenset[int] = field(default_factory=frozenset)
    advises: frozenset[int] = field(default_factory=frozenset)
    school_partnerships: frozenset[int] = field(default_factory=frozenset)
    subjects: frozenset[str] = field(default_factory=frozenset)  # subjects they lead at their school
    # Partnerships the person has left (their school's membership or their partnership role ended)
    # and is not back in: nothing there is theirs any more, not even a meeting they were listed for.
    former_partnerships: frozenset[int] = field(default_factory=frozenset)

    @property
    def partnership_ids(self) -> frozenset[int]:
        """Partnerships whose shared (non-pupil) information this person may read."""
        return self.coordinates | self.advises | self.school_partnerships

    @property
    def is_school_leader(self) -> bool:
        """Headteacher or senior leader: they run their school's development plan."""
        return bool(self.school_roles & {Role.HEADTEACHER, Role.SENIOR_LEADER})

    @property
    def is_head(self) -> bool:
        return Role.HEADTEACHER in self.school_roles

    def heads(self, school_id: int | None) -> bool:
        return school_id is not None and self.is_head and self.school_id == school_id


ANONYMOUS = Principal(user_id=None)


def principal_for(user: Any) -> Principal:
    """Build (and cache on the user object) the principal for a user. Two queries at most."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_access_principal", None)
    if cached is not None:
        return cached
    from partnership.directory.models import Membership, RoleAssignment

    today = timezone.localdate()

    def current(started: Any, ended: Any) -> bool:
        return started <= today and (ended is None or ended > today)

    school_roles: set[str] = set()
    subjects: set[str] = set()
    coordinates: set[int] = set()
    advises: set[int] = set()
    left: set[int] = set()
    # Approved roles only (a grant awaiting approval gives nothing); current and ended ones alike,
    # to tell which partnerships the person has left.
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
    principal = Principal(
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
    user._access_principal = principal
    return principal


# ---------------------------------------------------------------------------------------------
# Queryset scoping: one function per model, keyed by the model's label.


def _school_ids_in(partnership_ids: frozenset[int]) -> Any:
    from partnership.directory.models import Membership

    return Membership.objects.current().filter(partnership_id__in=partnership_ids).values("school_id")


def _scope_partnership(p: Principal) -> Q:
    return Q(pk__in=p.partnership_ids)


def _scope_school(p: Principal) -> Q:
    return Q(pk__in=_school_ids_in(p.partnership_ids)) | Q(pk=p.school_id)


def _scope_person(p: Principal) -> Q:
    from partnership.directory.models import RoleAssignment

    externals = RoleAssignment.objects.current().filter(partnership_id__in=p.partnership_ids).values("person_id")
    return (
        Q(school_id__in=_school_ids_in(p.partnership_ids))
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
    q = Q(partnership_id__in=p.coordinates) | Q(school_id__in=_school_ids_in(p.coordinates))
    if p.is_head and p.school_id:
        q |= Q(school_id=p.school_id)
    return q


def _member_networks(p: Principal) -> Q:
    """Networks the person belongs to: by role (role networks and boards with a role), by manual
    membership, or as coordinator of the partnership. Applies to `Network` rows. Membership follows
    the dated memberships: a manual member counts only while they belong to the network's
    partnership (their school is a current member, or their partnership role is current)."""
    from partnership.directory.models import NetworkMember

    by_role = (
        Q(kind__in=["role", "board"], role__in=p.school_roles, partnership_id__in=p.school_partnerships)
        & ~Q(role="")
        & (Q(subject="") | Q(subject__in=p.subjects))
    )
    manual = Q(pk__in=NetworkMember.objects.filter(person_id=p.user_id).values("network_id")) & Q(
        partnership_id__in=p.partnership_ids
    )
    return by_role | manual | Q(partnership_id__in=p.coordinates)


def _visible_meetings(p: Principal) -> Any:
    from partnership.meetings.models import Meeting

    return Meeting.objects.filter(_scope_meeting(p)).values("pk")


def _scope_meeting(p: Principal) -> Q:
    from partnership.directory.models import Network
    from partnership.meetings.models import Attendance

    # Anyone on a meeting's list sees it (a guest speaker from elsewhere), except in a partnership
    # the person has left.
    listed = (
        Attendance.objects.filter(person_id=p.user_id)
        .exclude(meeting__network__partnership_id__in=p.former_partnerships)
        .values("meeting_id")
    )
    return Q(network_id__in=Network.objects.filter(_member_networks(p)).values("pk")) | Q(pk__in=listed)


# Where an action arose limits who sees it: an action from a meeting is seen by those who may see
# the meeting, one from a plan objective by those who may see the objective (besides its owner and
# whoever raised it). Source model label -> the visible source rows for a principal.
ACTION_PLACES: dict[str, Callable[[Principal], Any]] = {
    "meetings.agendaitem": lambda p: _model("meetings.agendaitem")
    .objects.filter(meeting_id__in=_visible_meetings(p))
    .values("pk"),
    "plans.objective": lambda p: _model("plans.objective")
    .objects.filter(priority__plan_id__in=_plans_of(p))
    .values("pk"),
}


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _place_rule(p: Principal) -> Q:
    from django.contrib.contenttypes.models import ContentType

    types = {label: ContentType.objects.get_for_model(_model(label)).pk for label in ACTION_PLACES}
    q = Q(source_type__isnull=True) | ~Q(source_type_id__in=list(types.values()))
    for label, type_id in types.items():
        q |= Q(source_type_id=type_id, source_id__in=ACTION_PLACES[label](p))
    return q


def _scope_action(p: Principal) -> Q:
    where = Q(partnership_id__in=p.partnership_ids)
    if p.school_id:
        where |= Q(school_id=p.school_id)
    return Q(owner_id=p.user_id) | Q(created_by_id=p.user_id) | (where & _place_rule(p))


def _scope_plan(p: Principal) -> Q:
    # A school's whole plan is its own people's; a partnership plan is the partnership's.
    q = Q(kind="partnership", partnership_id__in=p.partnership_ids)
    if p.school_id:
        q |= Q(kind="school", school_id=p.school_id)
    return q


def _plans_of(p: Principal) -> Any:
    from partnership.plans.models import ImprovementPlan

    return ImprovementPlan.objects.filter(_scope_plan(p)).values("pk")


def _scope_priority(p: Principal) -> Q:
    # Priorities of a school plan that shares them are visible across the school's partnerships.
    plans = _plans_of(p)
    shared = Q(plan__kind="school", plan__shares_priorities=True, plan__school_id__in=_school_ids_in(p.partnership_ids))
    return Q(plan_id__in=plans) | shared


def _scope_invitation(p: Principal) -> Q:
    q = Q(invited_by_id=p.user_id) | Q(partnership_id__in=p.coordinates)
    if p.is_head and p.school_id:
        q |= Q(school_id=p.school_id)
    return q


def _scope_child(parent: str, path: str) -> Callable[[Principal], Q]:
    """Rows that belong to a parent object (an agenda item's meeting, a note's action): visible
    with their parent."""

    def scope(p: Principal) -> Q:
        return Q(**{f"{path}__in": _model(parent).objects.filter(SCOPES[parent](p)).values("pk")})

    return scope


def _scope_progress(p: Principal) -> Q:
    priorities = _model("plans.priority").objects.filter(_scope_priority(p)).values("pk")
    objectives = _model("plans.objective").objects.filter(priority__plan_id__in=_plans_of(p)).values("pk")
    return Q(priority_id__in=priorities) | Q(objective_id__in=objectives)


def _scope_calendar_feed(p: Principal) -> Q:
    return Q(owner_id=p.user_id)


# Pupil-level data: the only rows that platform administrators do not see either.
PUPIL_DATA_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER, Role.DATA_LEAD, Role.SENCO})
RESULT_IMPORT_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER, Role.DATA_LEAD})
PUPIL_LEVEL_MODELS = frozenset(
    {"outcomes.pupil", "outcomes.pupilyear", "outcomes.result", "outcomes.teacherassessment", "outcomes.resultimport"}
)


def _pupil_school(p: Principal) -> int | None:
    return p.school_id if p.school_id and p.school_roles & PUPIL_DATA_ROLES else None


def _scope_pupil_rows(path: str) -> Callable[[Principal], Q]:
    def scope(p: Principal) -> Q:
        school_id = _pupil_school(p)
        return Q(**{path: school_id}) if school_id else Q(pk__in=[])

    return scope


SCOPES: dict[str, Callable[[Principal], Q]] = {
    "directory.partnership": _scope_partnership,
    "directory.school": _scope_school,
    "accounts.user": _scope_person,
    "directory.roleassignment": _scope_role_assignment,
    "directory.network": _scope_by_partnership,
    "directory.memorandumversion": _scope_by_partnership,
    "directory.decision": _scope_by_partnership,
    "core.auditevent": _scope_audit,
    "core.action": _scope_action,
    "plans.improvementplan": _scope_plan,
    "plans.priority": _scope_priority,
    "plans.objective": lambda p: Q(priority__plan_id__in=_plans_of(p)),
    "meetings.meeting": _scope_meeting,
    "meetings.calendarfeed": _scope_calendar_feed,
    "accounts.apitoken": lambda p: Q(user_id=p.user_id),
    # Rows that hang off the objects above are seen with them (audit rows name them too).
    "core.actionnote": _scope_child("core.action", "action_id"),
    "accounts.invitation": _scope_invitation,
    "directory.membership": _scope_by_partnership,
    "directory.networkmember": lambda p: Q(network__partnership_id__in=p.partnership_ids),
    "directory.memorandumagreement": lambda p: Q(version__partnership_id__in=p.partnership_ids),
    "directory.decisionvote": lambda p: Q(decision__partnership_id__in=p.partnership_ids),
    "plans.theme": lambda p: Q(),
    "plans.milestone": _scope_child("plans.objective", "objective_id"),
    "plans.progressupdate": _scope_progress,
    "meetings.agendaitem": _scope_child("meetings.meeting", "meeting_id"),
    "meetings.agendapaper": _scope_child("meetings.meeting", "item__meeting_id"),
    "meetings.attendance": _scope_child("meetings.meeting", "meeting_id"),
    "outcomes.nationalfigure": lambda p: Q(),  # published national statistics
    "outcomes.pupil": _scope_pupil_rows("school_id"),
    "outcomes.pupilyear": _scope_pupil_rows("pupil__school_id"),
    "outcomes.result": _scope_pupil_rows("pupil__school_id"),
    "outcomes.teacherassessment": _scope_pupil_rows("pupil__school_id"),
    "outcomes.resultimport": _scope_pupil_rows("school_id"),
}


def visible_to(user: Any, model_or_qs: type[models.Model] | models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The rows of a model (or queryset) this user may view."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    principal = principal_for(user)
    if principal.user_id is None:
        return qs.none()
    label = qs.model._meta.label_lower
    if principal.is_admin and label not in PUPIL_LEVEL_MODELS:
        return qs
    scope = SCOPES.get(label)
    if scope is None:
        # A model without a written rule is visible to nobody but administrators.
        return qs.none()
    return qs.filter(scope(principal))


# ---------------------------------------------------------------------------------------------
# Object rules: (model label, action) -> rule. "view" falls back to the scope above.


def _partnership_ids_of_school(school_id: int | None) -> set[int]:
    from partnership.directory.models import Membership

    if school_id is None:
        return set()
    return set(Membership.objects.current().filter(school_id=school_id).values_list("partnership_id", flat=True))


def _is_external_in(person: Any, partnership_ids: frozenset[int]) -> bool:
    from partnership.directory.models import RoleAssignment

    return (
        person.school_id is None
        and RoleAssignment.objects.current()
        .filter(person=person, partnership_id__in=partnership_ids, role=Role.EXTERNAL_ADVISER)
        .exists()
    )


def _head_of_member_school(p: Principal, partnership_id: int) -> bool:
    return p.is_head and partnership_id in p.school_partnerships


def _member_of_network(p: Principal, network: Any) -> bool:
    from partnership.directory.models import Network

    return Network.objects.filter(_member_networks(p), pk=network.pk).exists()


def _manages_plan(p: Principal, plan: Any) -> bool:
    if plan.kind == "school":
        return p.school_id == plan.school_id and p.is_school_leader
    return plan.partnership_id in p.coordinates


def _updates_priority(p: Principal, priority: Any) -> bool:
    return priority.lead_id == p.user_id or _manages_plan(p, priority.plan)


def _changes_action(p: Principal, action: Any) -> bool:
    return (
        p.user_id in (action.owner_id, action.created_by_id)
        or (action.school_id is not None and p.heads(action.school_id))
        or (action.partnership_id is not None and action.partnership_id in p.coordinates)
    )


RULES: dict[tuple[str, str], Callable[[Principal, Any], bool]] = {
    ("directory.partnership", "manage"): lambda p, o: o.pk in p.coordinates,
    ("directory.partnership", "view_audit"): lambda p, o: o.pk in p.coordinates,
    ("directory.school", "manage"): lambda p, o: p.heads(o.pk),
    ("directory.school", "view_pupils"): lambda p, o: _pupil_school(p) == o.pk,
    ("directory.school", "import_results"): lambda p, o: p.school_id == o.pk
    and bool(p.school_roles & RESULT_IMPORT_ROLES),
    ("directory.school", "add_action"): lambda p, o: p.school_id == o.pk,
    ("directory.school", "view_audit"): lambda p, o: p.heads(o.pk)
    or bool(p.coordinates & _partnership_ids_of_school(o.pk)),
    ("accounts.user", "change"): lambda p, o: o.pk == p.user_id or p.heads(o.school_id),
    ("accounts.user", "manage_roles"): lambda p, o: p.heads(o.school_id) or _is_external_in(o, p.coordinates),
    # Approving a waiting grant: the school's head. Who else is refused (the giver, the grantee) is
    # decided once, by the service (`directory.services.role_approval_check`).
    ("directory.roleassignment", "approve"): lambda p, o: p.heads(o.school_id),
    ("directory.network", "manage"): lambda p, o: o.partnership_id in p.coordinates,
    ("directory.memorandumversion", "agree"): lambda p, o: _head_of_member_school(p, o.partnership_id),
    ("directory.decision", "vote"): lambda p, o: o.status == "open" and _head_of_member_school(p, o.partnership_id),
    ("directory.decision", "close"): lambda p, o: o.status == "open" and o.partnership_id in p.coordinates,
    # Meetings: a network's members (and its partnership's coordinators) see and run its meetings.
    ("directory.network", "view_meetings"): lambda p, o: _member_of_network(p, o),
    ("directory.network", "run_meetings"): lambda p, o: _member_of_network(p, o),
    ("meetings.meeting", "manage"): lambda p, o: _member_of_network(p, o.network),
    ("meetings.calendarfeed", "manage"): lambda p, o: o.owner_id == p.user_id,
    ("accounts.apitoken", "manage"): lambda p, o: o.user_id == p.user_id,
    # Actions: the owner, whoever raised it, the school's head, or the partnership's coordinators.
    ("core.action", "change"): _changes_action,
    # Plans: a school's head and senior leaders run its SDP; coordinators run the partnership plan.
    ("plans.improvementplan", "manage"): _manages_plan,
    ("plans.priority", "update"): _updates_priority,
    ("plans.objective", "update"): lambda p, o: o.lead_id == p.user_id or _updates_priority(p, o.priority),
    ("directory.school", "manage_plan"): lambda p, o: p.school_id == o.pk and p.is_school_leader,
}


# Actions on a school that reach pupil-level data: no administrator bypass.
PUPIL_ACTIONS = frozenset({"view_pupils", "import_results"})


def sees_unsuppressed(user: Any, school_id: int) -> bool:
    """Whether outcome figures for this school may be shown to this user without small-group
    suppression: only to the school's own staff (not its governors, not other schools)."""
    principal = principal_for(user)
    return principal.school_id == school_id and bool(principal.school_roles & STAFF_ROLES)


def can(user: Any, action: str, obj: models.Model) -> bool:
    principal = principal_for(user)
    if principal.user_id is None:
        return False
    label = obj._meta.label_lower
    if principal.is_admin and label not in PUPIL_LEVEL_MODELS and action not in PUPIL_ACTIONS:
        return True
    if action == "view":
        return visible_to(user, type(obj)).filter(pk=obj.pk).exists()
    rule = RULES.get((label, action))
    if rule is None:
        return False
    return rule(principal, obj) and visible_to(user, type(obj)).filter(pk=obj.pk).exists()


def can_within(user: Any, action: str, obj: models.Model) -> bool:
    """`can` for one of many rows on a page whose container the caller has already checked the user
    may view (each priority and objective of a plan page): the object rule alone, no query per row."""
    principal = principal_for(user)
    if principal.user_id is None:
        return False
    label = obj._meta.label_lower
    if principal.is_admin and label not in PUPIL_LEVEL_MODELS and action not in PUPIL_ACTIONS:
        return True
    rule = RULES.get((label, action))
    return rule is not None and rule(principal, obj)


def visible_keys(user: Any, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of (model label, primary key) pairs, those whose object exists and this user may view. One
    query per model named, however many keys (used to show an audit row's content only to readers
    who may see its object)."""
    from django.apps import apps

    wanted: dict[str, set[str]] = {}
    for label, pk in keys:
        if label and pk:
            wanted.setdefault(label, set()).add(pk)
    found: set[tuple[str, str]] = set()
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        valid = []
        for pk in pks:
            try:
                valid.append(model._meta.pk.to_python(pk))
            except ValidationError:
                continue
        seen = visible_to(user, model).filter(pk__in=valid).values_list("pk", flat=True)
        found.update((label, str(pk)) for pk in seen)
    return found


def require(request: HttpRequest, action: str, obj: models.Model) -> None:
    """Raise PermissionDenied (and audit the denial) unless the request's user may act."""
    if can(request.user, action, obj):
        return
    from partnership.core import audit

    audit.record(request.user, "denied", obj, detail={"action": action, "path": request.path}, request=request)
    raise PermissionDenied("You do not have access to this.")
