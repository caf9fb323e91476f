"""Writes for actions. Every change bumps `version`; an update carrying an old version is refused,
so two people editing the same action cannot silently overwrite each other."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.actions.models import Action, ActionNote
from partnership.core import audit
from partnership.core.errors import ApplicationError

EDITABLE_FIELDS = ["title", "description", "owner", "due_on", "status", "priority", "objective"]
STALE_MESSAGE = (
    "Someone else changed this action while you were editing it. Your changes have not been saved: "
    "the page now shows their version, with what you typed kept below so you can re-apply it."
)


class StaleActionError(ApplicationError):
    """The action changed since the editor loaded it."""


@transaction.atomic
def action_create(
    *,
    title: str,
    owner: Any,
    created_by: Any,
    school: Any = None,
    partnership: Any = None,
    due_on: datetime.date | None = None,
    description: str = "",
    source: models.Model | None = None,
    source_label: str = "",
    priority: Any = None,
    objective: Any = None,
    request: HttpRequest | None = None,
) -> Action:
    """Create an action. `school` and/or `partnership` say whose it is; `source` is where it arose."""
    if objective is not None and priority is None:
        priority = objective.priority
    action = Action(
        title=title.strip(),
        description=description,
        owner=owner,
        school=school,
        partnership=partnership,
        due_on=due_on,
        priority=priority,
        objective=objective,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        source_label=(source_label or (str(source) if source is not None else ""))[:200],
        created_by=created_by,
    )
    if school is None and partnership is None:
        raise ApplicationError("An action belongs to a school or to the partnership.")
    action.full_clean()
    action.save()
    audit.record(
        created_by,
        "create",
        action,
        detail={"title": action.title, "owner": owner.email, "due_on": str(due_on or "")},
        request=request,
    )
    return action


@transaction.atomic
def action_update(
    *, action: Action, expected_version: int, actor: Any, data: dict[str, Any], request: HttpRequest | None = None
) -> Action:
    """Apply `data` (a subset of EDITABLE_FIELDS) if nobody changed the action since `expected_version`.

    The check and the write happen in one UPDATE ... WHERE version = expected, so it holds across
    processes and database connections, not just within this one.
    """
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.version != expected_version:
        raise StaleActionError(STALE_MESSAGE)
    before = audit.snapshot(current, EDITABLE_FIELDS)
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ApplicationError(f"{name} cannot be changed here.")
        setattr(current, name, value)
    if "objective" in data and current.objective is not None:
        current.priority = current.objective.priority
    _stamp_completion(current)
    current.full_clean()
    updated = Action.objects.filter(pk=current.pk, version=expected_version).update(
        **{name: getattr(current, name) for name in [*EDITABLE_FIELDS, "completed_at"]},
        version=expected_version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:  # pragma: no cover - select_for_update makes this unreachable on PostgreSQL
        raise StaleActionError(STALE_MESSAGE)
    current.refresh_from_db()
    diff = audit.changes(before, audit.snapshot(current, EDITABLE_FIELDS))
    if diff:
        audit.record(actor, "update", current, detail={"changes": diff}, request=request)
    return current


def _stamp_completion(action: Action) -> None:
    if action.status == Action.Status.DONE and action.completed_at is None:
        action.completed_at = timezone.now()
    elif action.status != Action.Status.DONE:
        action.completed_at = None


@transaction.atomic
def action_add_note(
    *,
    action: Action,
    author: Any,
    text: str,
    evidence_url: str = "",
    status: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ActionNote:
    """Add a dated progress note, optionally moving the status on in the same step."""
    if not text.strip():
        raise ApplicationError("Write what has happened.", field="text")
    note = ActionNote(
        action=action, author=author, text=text.strip(), evidence_url=evidence_url.strip(), status_after=status
    )
    note.full_clean()
    note.save()
    audit.record(author, "note", action, detail={"text": note.text[:200], "status": status}, request=request)
    if status and status != action.status:
        action_update(
            action=action,
            expected_version=expected_version if expected_version is not None else action.version,
            actor=author,
            data={"status": status},
            request=request,
        )
    return note
