"""The access policy engine: who may do what, decided here and nowhere else.

Views, the API and exports call `can(user, action, obj)` for single objects and
`visible_to(user, Model)` to scope lists. The rules themselves are contributed by each app, for
its own models, in its `policy.py` (registered from its `AppConfig.ready()` through `register`):
a scope (which rows a person may view) and named object rules (`manage`, `vote`, ...), each with
the sentence of the written policy it implements. `policy_table()` assembles those sentences into
the table that `docs/access-policy.md` carries (a test keeps the two the same); tests walk the
policy as a matrix of roles x schools x objects (`partnership/core/tests/test_access_matrix.py`).

Two rules hold across every app and live here:
- Pupil-level rows (models registered with `pupil_level=True`) and pupil actions on a school are
  for the authorised staff of the pupil's own school only: no administrator bypass, anywhere.
- Platform administrators may do everything else, except the actions an app registers as
  `personal`: a person's own professional judgement or a school's own consent (a moderator's
  judgement of a sample, a school's consent to share a pupil's work), which nobody does for anyone.
  Inactive accounts may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from partnership.core.roles import STAFF_ROLES, Role


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

Scope = Callable[[Principal], Q]
Rule = Callable[[Principal, Any], bool]


@dataclass(frozen=True)
class PolicyRow:
    """One row of the written policy: an object, who views it, who may act on it."""

    label: str
    name: str
    view: str
    act: str


# The registry, filled by each app's policy module.
SCOPES: dict[str, Scope] = {}
RULES: dict[tuple[str, str], Rule] = {}
POLICY: list[PolicyRow] = []
PUPIL_LEVEL_MODELS: set[str] = set()
# (model label, action) pairs that are a person's or a school's own to do: no administrator bypass.
PERSONAL_ACTIONS: set[tuple[str, str]] = set()
# Where an action arose limits who sees it (see `actions_place_rule`): source model label -> the
# visible source rows for a principal.
ACTION_PLACES: dict[str, Callable[[Principal], Any]] = {}
_principal_builder: list[Callable[[Any], Principal]] = []


def register(
    label: str,
    *,
    name: str = "",
    scope: Scope | None = None,
    rules: dict[str, Rule] | None = None,
    view: str = "",
    act: str = "",
    pupil_level: bool = False,
    personal: Iterable[str] = (),
) -> None:
    """Declare the policy for one model (`app.model`): its scope, its object rules, and the sentences
    of the written policy. An app may add rules to another app's model (outcomes adds
    `view_pupils` to a School) by registering rules without a scope. `personal` names the rules that
    only the people they name may use, administrators included (see the module's docstring)."""
    if scope is not None:
        if label in SCOPES:
            raise ImproperlyConfigured(f"The access scope of {label} is declared twice.")
        SCOPES[label] = scope
    for action, rule in (rules or {}).items():
        if (label, action) in RULES:
            raise ImproperlyConfigured(f"The access rule {label} {action!r} is declared twice.")
        RULES[label, action] = rule
    if pupil_level:
        PUPIL_LEVEL_MODELS.add(label)
    for action in personal:
        if (label, action) not in RULES:
            raise ImproperlyConfigured(f"{label} {action!r} is personal but has no rule.")
        PERSONAL_ACTIONS.add((label, action))
    if view or act:
        POLICY.append(PolicyRow(label=label, name=name or label, view=view, act=act))


def register_action_place(label: str, visible_rows: Callable[[Principal], Any]) -> None:
    ACTION_PLACES[label] = visible_rows


def register_principal_builder(build: Callable[[Any], Principal]) -> None:
    """The directory app knows people's roles and memberships; it builds principals."""
    _principal_builder[:] = [build]


def principal_for(user: Any) -> Principal:
    """Build (and cache on the user object) the principal for a user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_access_principal", None)
    if cached is not None:
        return cached
    if not _principal_builder:
        raise ImproperlyConfigured("No principal builder is registered (is the directory app installed?).")
    principal = _principal_builder[0](user)
    user._access_principal = principal
    return principal


def model(label: str) -> Any:
    return apps.get_model(label)


def visible_rows(principal: Principal, label: str) -> Any:
    """The primary keys of a model's rows a principal may view, as a subquery."""
    return model(label).objects.filter(SCOPES[label](principal)).values("pk")


def child_scope(parent: str, path: str) -> Scope:
    """Rows that belong to a parent object (an agenda item's meeting, a note's action): visible
    with their parent."""

    def scope(p: Principal) -> Q:
        return Q(**{f"{path}__in": visible_rows(p, parent)})

    return scope


def everyone(p: Principal) -> Q:
    """Rows anyone signed in may view (published national figures, themes)."""
    return Q()


def actions_place_rule(p: Principal) -> Q:
    """An action from a registered place (a meeting's agenda item, a plan objective) is seen only
    by those who may see that place; actions from anywhere else are not limited by their source."""
    from django.contrib.contenttypes.models import ContentType

    types = {label: ContentType.objects.get_for_model(model(label)).pk for label in ACTION_PLACES}
    q = Q(source_type__isnull=True) | ~Q(source_type_id__in=list(types.values()))
    for label, type_id in types.items():
        q |= Q(source_type_id=type_id, source_id__in=ACTION_PLACES[label](p))
    return q


# Pupil-level data: the only rows that platform administrators do not see either.
PUPIL_DATA_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER, Role.DATA_LEAD, Role.SENCO})
RESULT_IMPORT_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER, Role.DATA_LEAD})
# Actions on a school that reach pupil-level data: no administrator bypass.
PUPIL_ACTIONS = frozenset({"view_pupils", "import_results"})


def pupil_school(p: Principal) -> int | None:
    """The school whose pupil-level data this person may see, if any."""
    return p.school_id if p.school_id and p.school_roles & PUPIL_DATA_ROLES else None


def _admin_passes(principal: Principal, label: str, action: str = "view") -> bool:
    return (
        principal.is_admin
        and label not in PUPIL_LEVEL_MODELS
        and action not in PUPIL_ACTIONS
        and (label, action) not in PERSONAL_ACTIONS
    )


def visible_to(user: Any, model_or_qs: type[models.Model] | models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The rows of a model (or queryset) this user may view."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    principal = principal_for(user)
    if principal.user_id is None:
        return qs.none()
    label = qs.model._meta.label_lower
    if _admin_passes(principal, label):
        return qs
    scope = SCOPES.get(label)
    if scope is None:
        # A model without a written rule is visible to nobody but administrators.
        return qs.none()
    return qs.filter(scope(principal))


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
    if _admin_passes(principal, label, action):
        return True
    if action == "view":
        return visible_to(user, type(obj)).filter(pk=obj.pk).exists()
    rule = RULES.get((label, action))
    if rule is None:
        return False
    return rule(principal, obj) and visible_to(user, type(obj)).filter(pk=obj.pk).exists()


def _rule_allows(user: Any, action: str, model_class: type[models.Model], obj: models.Model | None) -> bool:
    """The object rule alone (with the administrator pass and the pupil-data guard), no query."""
    principal = principal_for(user)
    if principal.user_id is None:
        return False
    label = model_class._meta.label_lower
    if _admin_passes(principal, label, action):
        return True
    rule = RULES.get((label, action))
    return rule is not None and rule(principal, obj)


def can_within(user: Any, action: str, obj: models.Model) -> bool:
    """`can` for one of many rows on a page whose container the caller has already checked the user
    may view (each priority and objective of a plan page): the object rule alone, no query per row."""
    return _rule_allows(user, action, type(obj), obj)


def may(user: Any, action: str, model_class: type[models.Model]) -> bool:
    """A model-level action that no one object carries (load national figures for England): the
    rule registered for (model, action), given the principal and no object."""
    return _rule_allows(user, action, model_class, None)


def visible_keys(user: Any, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of (model label, primary key) pairs, those whose object exists and this user may view. One
    query per model named, however many keys (used to show an audit row's content only to readers
    who may see its object)."""
    wanted: dict[str, set[str]] = {}
    for label, pk in keys:
        if label and pk:
            wanted.setdefault(label, set()).add(pk)
    found: set[tuple[str, str]] = set()
    for label, pks in wanted.items():
        try:
            found_model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        valid = []
        for pk in pks:
            try:
                valid.append(found_model._meta.pk.to_python(pk))
            except ValidationError:
                continue
        seen = visible_to(user, found_model).filter(pk__in=valid).values_list("pk", flat=True)
        found.update((label, str(pk)) for pk in seen)
    return found


def require(request: HttpRequest, action: str, obj: models.Model) -> None:
    """Raise PermissionDenied (and audit the denial) unless the request's user may act."""
    if can(request.user, action, obj):
        return
    from partnership.core import audit

    audit.record(request.user, "denied", obj, detail={"action": action, "path": request.path}, request=request)
    raise PermissionDenied("You do not have access to this.")


def policy_table() -> str:
    """The written policy, one Markdown row per object, in the order the apps declared them."""
    lines = ["| object | view | manage / act |", "|---|---|---|"]
    lines += [f"| {row.name} | {row.view} | {row.act} |" for row in POLICY]
    lines.append(
        "| Everything else | platform administrators (never pupil-level data) | platform administrators "
        "(never pupil-level data, nor what is a person's own judgement or a school's own consent); inactive "
        "accounts may do nothing |"
    )
    return "\n".join(lines)
