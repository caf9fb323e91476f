"""The one way to write the audit log, and the one way to read it back to a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest

from partnership.core import access
from partnership.core.client_ip import client_ip as proxied_client_ip
from partnership.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return proxied_client_ip(request) or None


def _scope_of(obj: models.Model | None) -> tuple[int | None, int | None]:
    """(school_id, partnership_id) an object belongs to, so coordinators and heads can read their log."""
    if obj is None:
        return None, None
    label = obj._meta.label_lower
    if label == "directory.school":
        return obj.pk, None
    if label == "directory.partnership":
        return None, obj.pk
    return getattr(obj, "school_id", None), getattr(obj, "partnership_id", None)


def record(
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    *,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    school_id: int | None = None,
    partnership_id: int | None = None,
) -> AuditEvent:
    """Append one event. `actor` may be None or anonymous (e.g. a failed sign-in)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    obj_school, obj_partnership = _scope_of(obj)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(actor_label or (user.email if user else ""))[:254],
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        school_id=school_id if school_id is not None else obj_school,
        partnership_id=partnership_id if partnership_id is not None else obj_partnership,
        detail=detail or {},
        ip_address=client_ip(request),
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed, as JSON-safe strings."""
    return {
        key: [None if before.get(key) is None else str(before.get(key)), None if value is None else str(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@dataclass(frozen=True)
class AuditRow:
    """An audit event as one reader may see it: who, when and what always; the object's name and
    the detail only when the reader may view the object itself."""

    event: AuditEvent
    shown: bool

    @property
    def object_kind(self) -> str:
        try:
            return str(apps.get_model(self.event.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return "item"


def rows_for_reader(user: Any, events: Iterable[AuditEvent]) -> list[AuditRow]:
    events = list(events)
    visible = access.visible_keys(user, ((e.object_type, e.object_id) for e in events))
    return [AuditRow(e, not e.object_type or (e.object_type, e.object_id) in visible) for e in events]
