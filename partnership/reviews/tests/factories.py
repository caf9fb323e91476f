"""Self-evaluations and reviews in a given state, built straight into the database (the services
are tested on their own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from partnership.core.schoolyear import current_academic_year
from partnership.reviews import shipped
from partnership.reviews.models import (
    Framework,
    FrameworkArea,
    Grade,
    Review,
    ReviewCycle,
    SefEntry,
    SelfEvaluation,
    Sharing,
    TeamMember,
)


def framework(key: str = shipped.OFSTED_2025) -> Framework:
    """A shipped framework (loaded again if a transactional test flushed the migration's rows)."""
    shipped.load(Framework, FrameworkArea, Grade)
    return Framework.objects.get(key=key, partnership=None, version=1)


def sef(
    school: Any, *, by: Any, year: int | None = None, sharing: str = Sharing.OWN_SCHOOL, graded: bool = True
) -> SelfEvaluation:
    """A SEF with an entry per area; `graded` gives each scale area the middle grade."""
    fw = framework()
    made = SelfEvaluation.objects.create(
        school=school,
        academic_year=year or current_academic_year(),
        framework=fw,
        sharing=sharing,
        sharing_decided_by=by if sharing != Sharing.OWN_SCHOOL else None,
        sharing_decided_at=timezone.now() if sharing != Sharing.OWN_SCHOOL else None,
        created_by=by,
    )
    middle = fw.grades.get(rank=3) if graded else None
    SefEntry.objects.bulk_create(
        [
            SefEntry(
                sef=made,
                area=area,
                grade=None if area.met_or_not else middle,
                met=True if area.met_or_not and graded else None,
                narrative=f"What we know about {area.name.lower()}.",
                development=f"Next step in {area.name.lower()}",
            )
            for area in fw.areas.all()
        ]
    )
    return made


def cycle(partnership: Any, *, by: Any, year: int | None = None, **extra: Any) -> ReviewCycle:
    year = year or current_academic_year()
    return ReviewCycle.objects.create(
        partnership=partnership,
        academic_year=year,
        name=extra.pop("name", f"Peer review {year}/{str(year + 1)[2:]}"),
        framework=extra.pop("framework", None) or framework(),
        created_by=by,
        **extra,
    )


def review(
    of_cycle: ReviewCycle, school: Any, *, team: list[Any], lead: Any | None = None, days_ahead: int = 21, **extra: Any
) -> Review:
    """A review of `school` with `team` (the first leads unless `lead` says), visit in `days_ahead` days."""
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    made = Review.objects.create(
        cycle=of_cycle,
        school=school,
        visit_starts_on=extra.pop("visit_starts_on", start),
        visit_ends_on=extra.pop("visit_ends_on", start + datetime.timedelta(days=1)),
        stage=extra.pop("stage", Review.Stage.SCHEDULED),
        **extra,
    )
    lead = lead or (team[0] if team else None)
    TeamMember.objects.bulk_create(
        [TeamMember(review=made, person=p, from_school_id=p.school_id, is_lead=p == lead) for p in team]
    )
    return made
