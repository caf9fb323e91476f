"""Access rules for accounts' own records: API tokens and invitations. Registered with
`partnership.core.access` (people themselves are the directory's)."""

from __future__ import annotations

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal


def _scope_invitation(p: Principal) -> Q:
    q = Q(invited_by_id=p.user_id) | Q(partnership_id__in=p.coordinates)
    if p.is_head and p.school_id:
        q |= Q(school_id=p.school_id)
    return q


def register() -> None:
    access.register(
        "accounts.apitoken",
        name="API token",
        scope=lambda p: Q(user_id=p.user_id),
        rules={"manage": lambda p, o: o.user_id == p.user_id},
        view="its owner",
        act="`manage` (revoke): its owner",
    )
    access.register(
        "accounts.invitation",
        name="Invitation",
        scope=_scope_invitation,
        view="whoever sent it, the school's headteacher, the partnership's coordinators",
        act="withdrawn by the school's headteacher (School `manage`)",
    )
