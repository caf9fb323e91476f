"""Access rules for the action log (core's own models). Registered with `partnership.core.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal, actions_place_rule, child_scope


def _scope_action(p: Principal) -> Q:
    where = Q(partnership_id__in=p.partnership_ids)
    if p.school_id:
        where |= Q(school_id=p.school_id)
    return Q(owner_id=p.user_id) | Q(created_by_id=p.user_id) | (where & actions_place_rule(p))


def _changes_action(p: Principal, action: Any) -> bool:
    return (
        p.user_id in (action.owner_id, action.created_by_id)
        or (action.school_id is not None and p.heads(action.school_id))
        or (action.partnership_id is not None and action.partnership_id in p.coordinates)
    )


def register() -> None:
    access.register(
        "actions.action",
        name="Action",
        scope=_scope_action,
        rules={"change": _changes_action},
        view="its owner, whoever raised it; people at its school (partnership actions: people who can view "
        "the partnership) who may also view where it arose: an action from a meeting only with the "
        "meeting, from a plan objective only with the objective (`ACTION_PLACES`)",
        act="`change` (status, notes, edits): its owner, whoever raised it, the school's headteacher, the "
        "partnership's coordinators",
    )
    access.register("actions.actionnote", scope=child_scope("actions.action", "action_id"))
    access.register(
        "directory.school",
        name="School (actions)",
        rules={"add_action": lambda p, o: p.school_id == o.pk},
        view="as School",
        act="`add_action` (raise a school action): its own people",
    )
