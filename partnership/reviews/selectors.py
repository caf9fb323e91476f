"""Read-side queries for self-evaluation and peer review. Every list goes through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from partnership.core import access
from partnership.directory.models import Partnership, School
from partnership.reviews.models import Framework, Review, ReviewCycle, SelfEvaluation


def _ways_in(user: Any) -> dict[str, Any]:
    """The front page's starting points this person may use: their school's SEF and calibration,
    and for each of their partnerships opening a cycle, building a framework, the ledger. Two
    queries, however many partnerships."""
    principal = access.principal_for(user)
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    partnerships = list(Partnership.objects.filter(pk__in=principal.partnership_ids).order_by("name"))
    return {
        "school": school,
        "can_start_sef": school is not None and access.can_within(user, "manage_sef", school),
        "partnership_links": [
            {
                "partnership": p,
                "open_cycle": access.can_within(user, "open_review_cycle", p),
                "ledger": access.can_within(user, "view_review_ledger", p),
            }
            for p in partnerships
        ],
    }


def index_context(user: Any) -> dict[str, Any]:
    """What the reviews front page shows this person: their school's SEFs, the reviews they are on
    or of their school, the cycles of their partnerships, the frameworks. A fixed number of queries."""
    sefs = list(
        access.visible_to(user, SelfEvaluation)
        .select_related("school", "framework")
        .order_by("-academic_year", "school__name")[:50]
    )
    reviews = list(
        access.visible_to(user, Review)
        .select_related("school", "cycle")
        .order_by("-cycle__academic_year", "visit_starts_on", "school__name")[:100]
    )
    cycles = list(
        access.visible_to(user, ReviewCycle).select_related("partnership").order_by("-academic_year", "name")[:50]
    )
    frameworks = list(access.visible_to(user, Framework).filter(is_current=True).order_by("partnership_id", "name"))
    return {"sefs": sefs, "reviews": reviews, "cycles": cycles, "frameworks": frameworks, **_ways_in(user)}


def home_reviews(request: Any) -> dict[str, Any] | None:
    """The home page's panel: peer reviews the person is on the team of, or of their school, whose
    visit is coming up or not yet dated (no card for people with none). One query."""
    user = request.user
    principal = access.principal_for(user)
    today = timezone.localdate()
    reviews = list(
        access.visible_to(user, Review)
        .filter(Q(team__person=user) | Q(school_id=principal.school_id or 0))
        .filter(
            Q(visit_starts_on__gte=today) | Q(visit_starts_on__isnull=True), cycle__status=ReviewCycle.Status.ACCEPTED
        )
        .select_related("school", "cycle")
        .distinct()
        .order_by(F("visit_starts_on").asc(nulls_last=True), "school__name")[:5]
    )
    if not reviews:
        return None
    for review in reviews:
        review.is_own_school = review.school_id == principal.school_id  # type: ignore[attr-defined]
    return {"reviews": reviews}
