"""Read-side queries for moderation and comparative judgement. Every list goes through the access policy."""

from __future__ import annotations

from typing import Any

from partnership.core import access
from partnership.directory.models import Partnership, School
from partnership.moderation.models import CJSession, ModerationSession


def index_context(user: Any) -> dict[str, Any]:
    """The front page: the sessions of this person's partnerships (latest first), the CJ sessions,
    and what they may start. A fixed number of queries, however many partnerships or sessions."""
    principal = access.principal_for(user)
    partnerships = list(Partnership.objects.filter(pk__in=principal.partnership_ids).order_by("name"))
    sessions = list(
        access.visible_to(user, ModerationSession)
        .select_related("partnership", "host_school")
        .order_by("-date", "pk")[:100]
    )
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    cj_sessions = list(access.visible_to(user, CJSession).select_related("partnership").order_by("-created_at")[:50])
    return {
        "sessions": sessions,
        "cj_sessions": cj_sessions,
        "partnership_links": [
            {
                "partnership": p,
                "run_moderation": access.can_within(user, "run_moderation", p),
                "run_cj": access.can_within(user, "run_cj", p),
                "agreement": access.can_within(user, "view_moderation_agreement", p),
            }
            for p in partnerships
        ],
        "school": school,
        "school_agreement": school is not None and access.can_within(user, "view_school_agreement", school),
    }


def home_moderation(request: Any) -> dict[str, Any] | None:
    """The home page's panel: the sessions this person moderates that are not closed, and the CJ
    sessions they judge with pairs still to do (no card for people with neither). Two queries."""
    from django.db.models import Count, Q

    from partnership.moderation.models import CJJudge, Moderator

    user = request.user
    principal = access.principal_for(user)
    places = list(
        Moderator.objects.filter(person=user)
        .exclude(session__status=ModerationSession.Status.CLOSED)
        .exclude(session__partnership_id__in=principal.former_partnerships)
        .select_related("session")
        .order_by("session__date")[:5]
    )
    judging = list(
        CJJudge.objects.filter(person=user, session__status=CJSession.Status.JUDGING)
        .exclude(session__partnership_id__in=principal.former_partnerships)
        .annotate(left=Count("pairs", filter=Q(pairs__chosen="")))
        .filter(left__gt=0)
        .select_related("session")
        .order_by("session__created_at")[:5]
    )
    if not places and not judging:
        return None
    return {"sessions": [p.session for p in places], "judging": judging}
