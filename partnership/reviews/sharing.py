"""A school's data-sharing choices for its SEF and its review reports: the one place they are
recorded (who decided, when), so the school's data-sharing record can list them with their history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.reviews.models import Sharing, SharingChoice


def record_sharing_choice(
    *, obj: Any, subject: str, school: Any, level: str, by: Any, request: HttpRequest | None = None
) -> SharingChoice:
    """Set `obj.sharing` to `level` and record the choice. The caller holds the transaction and has
    checked the policy; `obj` is a SelfEvaluation or a ReviewReport."""
    if level not in Sharing.values:
        raise ApplicationError("Choose who can see it from the list.", field="sharing")
    old = obj.sharing
    choice = SharingChoice.objects.create(
        school=school, subject=subject, object_id=obj.pk, level=level, decided_by=by, decided_at=timezone.now()
    )
    obj.sharing = level
    if hasattr(obj, "sharing_decided_by_id"):
        obj.sharing_decided_by = by
        obj.sharing_decided_at = choice.decided_at
    obj.save()
    audit.record(by, "share", obj, detail={"from": old, "to": level}, request=request, school_id=school.pk)
    return choice


def sharing_history(school: Any, subject: str, object_id: int) -> list[SharingChoice]:
    """Every choice made for one object, newest first."""
    return list(
        SharingChoice.objects.filter(school=school, subject=subject, object_id=object_id)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
