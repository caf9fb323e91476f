"""Reads for actions: the three lists people use (mine, my school's, the partnership's), one action's
page, and the people an action can be given to. Each selector owns its joins, so a page's query
count does not grow with the number of actions or notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from partnership.accounts.models import User
from partnership.actions.models import Action, ActionNote
from partnership.core.access import principal_for, visible_keys, visible_to
from partnership.directory.models import Membership, Partnership, RoleAssignment

LIST_RELATED = ["owner", "school", "partnership", "priority", "objective"]
PAGE_RELATED = [*LIST_RELATED, "owner__school", "created_by"]


# --- The three lists ------------------------------------------------------------------------------
# Each scope is a plain queryset (no joins) so it can also feed the owner filter's choices.


def _scope_mine(user: Any) -> QuerySet[Action]:
    return visible_to(user, Action).filter(owner=user)


def _scope_school(user: Any) -> QuerySet[Action]:
    school_id = principal_for(user).school_id
    return visible_to(user, Action).filter(school_id=school_id) if school_id else Action.objects.none()


def _scope_partnerships(user: Any) -> QuerySet[Action]:
    return visible_to(user, Action).filter(partnership_id__isnull=False)


SCOPES: dict[str, Callable[[Any], QuerySet[Action]]] = {
    "mine": _scope_mine,
    "school": _scope_school,
    "partnership": _scope_partnerships,
}


def _listed(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.select_related(*LIST_RELATED).annotate(note_count=Count("notes"))


def actions_mine(user: Any) -> QuerySet[Action]:
    return _listed(_scope_mine(user))


def actions_of_school(user: Any) -> QuerySet[Action]:
    return _listed(_scope_school(user))


def actions_of_partnerships(user: Any) -> QuerySet[Action]:
    return _listed(_scope_partnerships(user))


def actions_visible(user: Any) -> QuerySet[Action]:
    """Every action the user may view (the API's list)."""
    return _listed(visible_to(user, Action))


def actions_list(user: Any, which: str) -> QuerySet[Action]:
    """One of the three lists by name: "mine", "school" or "partnership"."""
    return _listed(SCOPES[which](user))


def action_owners(user: Any, which: str) -> QuerySet[User]:
    """The people who own actions in one of the lists: the choices of its owner filter."""
    return User.objects.filter(pk__in=SCOPES[which](user).values("owner_id")).order_by("full_name")


def action_partnerships(user: Any, which: str) -> QuerySet[Partnership]:
    """The partnerships of the actions in one of the lists: the choices of its partnership filter."""
    return Partnership.objects.filter(pk__in=SCOPES[which](user).values("partnership_id")).order_by("name")


def action_filter(
    qs: QuerySet[Action],
    *,
    status: str = "",
    overdue: bool = False,
    owner_id: int | None = None,
    query: str = "",
    partnership_slug: str = "",
) -> QuerySet[Action]:
    if status == "open":
        qs = qs.filter(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])
    elif status in Action.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS], due_on__lt=timezone.localdate()
        )
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if partnership_slug:
        qs = qs.filter(partnership__slug=partnership_slug)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query) | Q(source_label__icontains=query))
    # Undated actions last on every database (SQLite and PostgreSQL disagree on NULLs by default).
    return qs.order_by(F("due_on").asc(nulls_last=True), "id")


def open_actions_for_home(user: Any, limit: int = 5) -> list[Action]:
    return list(action_filter(actions_mine(user), status="open")[:limit])


def with_source_links(actions: Iterable[Action], user: Any) -> list[Action]:
    """Set `source_url` on each action: the page of the meeting, plan or finding where it arose,
    when that object has one and `user` may open it (an owner given an action from a meeting they
    may not see gets the source as text, never a link to a refusal). One query per kind of source
    to load the sources and one to check them, however many actions."""
    rows = list(actions)
    sourced = [a for a in rows if a.source_type_id]
    prefetch_related_objects(sourced, "source")
    keys = {_source_key(a) for a in sourced if a.source is not None}
    openable = visible_keys(user, keys)
    for action in rows:
        url = _source_url(action)
        action.source_url = url if url and _source_key(action) in openable else ""  # type: ignore[attr-defined]
    return rows


def _source_key(action: Action) -> tuple[str, str]:
    """The source as the access policy names it: (model label, primary key)."""
    return (action.source._meta.label_lower, str(action.source_id)) if action.source is not None else ("", "")


def _source_url(action: Action) -> str:
    if not action.source_type_id or action.source is None:
        return ""
    get_url = getattr(action.source, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


# --- One action -----------------------------------------------------------------------------------


def action_for_page() -> QuerySet[Action]:
    """The queryset an action's page and API detail look an action up in."""
    return Action.objects.select_related(*PAGE_RELATED)


def action_notes(action: Action) -> QuerySet[ActionNote]:
    return action.notes.select_related("author").order_by("written_at", "id")


def action_owner_choices(
    user: Any, *, school_id: int | None = None, partnership_id: int | None = None, current_owner_id: int | None = None
) -> QuerySet[User]:
    """People the user may give an action to: those they can see at the action's school, or, for a
    partnership action, at its member schools and among its coordinators and external advisers.
    The current owner stays a choice, so editing other fields never forces a new owner."""
    if partnership_id is not None:
        where = Q(
            school_id__in=Membership.objects.current().filter(partnership_id=partnership_id).values("school_id")
        ) | Q(pk__in=RoleAssignment.objects.current().filter(partnership_id=partnership_id).values("person_id"))
    elif school_id is not None:
        where = Q(school_id=school_id)
    else:
        where = Q(pk__in=[])
    people = visible_to(user, User).filter(where, is_active=True)
    if current_owner_id is not None:
        people = people | User.objects.filter(pk=current_owner_id)
    return people.select_related("school").order_by("full_name", "pk")


def action_priority_choices(user: Any, *, school_id: int | None = None, partnership_id: int | None = None) -> Any:
    """Priorities an action can serve: those of the school's own plans, or of the partnership's plans.
    (The plan priority model is the one `Action.priority` points to: the action log builds on no app
    above it.)"""
    priority_model: Any = Action._meta.get_field("priority").related_model
    if partnership_id is not None:
        where = Q(plan__kind="partnership", plan__partnership_id=partnership_id)
    else:
        where = Q(plan__kind="school", plan__school_id=school_id)
    priorities = visible_to(user, priority_model).filter(where).select_related("plan")
    return priorities.order_by("-plan__academic_year", "number", "pk")


def home_actions(request: Any) -> dict[str, Any]:
    """The home page's panel: the person's open actions, soonest due first."""
    return {"open_actions": open_actions_for_home(request.user)}
