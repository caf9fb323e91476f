"""A school's needs, gathered from what the platform already knows about it (the registry's
practice sources: data flags and measures below national, self-evaluation and peer-review areas for
development, plan priorities, weak moderation agreement) and those the school adds itself (`Need`).
Each shows only what its source lets this person see. Nothing is copied: a gathered need is worked
out again each time, so it goes when the flag or the priority goes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.core import access, audit, registry
from partnership.core.errors import ApplicationError
from partnership.goodpractice.areas import ensure_shipped
from partnership.goodpractice.models import Need, PracticeArea

SOURCE_LABELS = {
    "flag": "Data flag",
    "measure": "Outcome measure below national",
    "priority": "Plan priority",
    "sef": "Self-evaluation: area for development",
    "review": "Peer review: area for development",
    "moderation": "Moderation agreement",
    "own": "Added by the school",
}


@dataclass(frozen=True)
class NeedItem:
    key: str  # "<kind>|<ref>", stable while its source is there
    kind: str
    title: str
    url: str
    areas: tuple[PracticeArea, ...]
    measure: str = ""  # the outcome measure it is about, for data flags and measures
    detail: str = ""
    need: Need | None = field(default=None, compare=False)

    @property
    def source(self) -> str:
        return SOURCE_LABELS.get(self.kind, "The school's information")

    @property
    def area(self) -> PracticeArea | None:
        return self.areas[0] if self.areas else None


def measure_of(kind: str, ref: str) -> str:
    """The outcome measure key in an outcomes item's ref ("ks2_maths:2025"; a flag's
    "below:12:ks2_maths:2025")."""
    parts = ref.split(":")
    if kind == "measure" and len(parts) >= 2:
        return parts[0]
    if kind == "flag" and len(parts) >= 4:
        return parts[2]
    return ""


class AreaIndex:
    """The managed list, loaded once, for turning an item's topics and framework areas into areas."""

    def __init__(self, areas: list[PracticeArea] | None = None) -> None:
        if areas is None:
            ensure_shipped(PracticeArea)
            areas = list(PracticeArea.objects.filter(is_active=True))
        self.areas = areas
        self.by_key = {area.key: area for area in self.areas}
        self.by_framework: dict[str, list[PracticeArea]] = {}
        for area in self.areas:
            for key in area.framework_key_list:
                self.by_framework.setdefault(key, []).append(area)

    def for_item(self, item: registry.SchoolEvidence) -> tuple[PracticeArea, ...]:
        found = [self.by_key[topic] for topic in item.topics if topic in self.by_key]
        if not found:
            for key in item.area_keys:
                for area in self.by_framework.get(key, []):
                    if area not in found:
                        found.append(area)
        return tuple(found)


def _gathered(items: list[registry.SchoolEvidence], index: AreaIndex) -> list[NeedItem]:
    flagged = {measure_of(i.kind, i.ref) for i in items if i.kind == "flag"}
    found: list[NeedItem] = []
    seen: set[str] = set()
    for item in items:
        if not item.concern:
            continue
        measure = measure_of(item.kind, item.ref)
        if item.kind == "measure" and measure in flagged:
            continue  # the flag says it
        key = f"{item.kind}|{item.ref}"
        if key in seen:
            continue
        seen.add(key)
        found.append(NeedItem(key, item.kind, item.label, item.url, index.for_item(item), measure, item.detail))
    return found


def _own(need: Need) -> NeedItem:
    return NeedItem(f"own|{need.pk}", "own", need.title, "", (need.area,), "", need.description, need)


def schools_needs(user: Any, schools: list[Any], academic_year: int) -> dict[int, list[NeedItem]]:
    """Each school's current needs as this person may see them: {school id: needs}, gathered ones
    first then the school's own. Queries do not grow with the schools."""
    index = AreaIndex()
    practice = registry.schools_practice(user, schools, academic_year)
    own: dict[int, list[NeedItem]] = {school.pk: [] for school in schools}
    rows = (
        access.visible_to(user, Need)
        .filter(school__in=[s.pk for s in schools], academic_year=academic_year, resolved_at__isnull=True)
        .select_related("area")
    )
    for need in rows:
        own[need.school_id].append(_own(need))
    return {school.pk: _gathered(practice.get(school.pk, []), index) + own[school.pk] for school in schools}


def school_needs(user: Any, school: Any, academic_year: int) -> list[NeedItem]:
    return schools_needs(user, [school], academic_year)[school.pk]


def find_need(user: Any, school: Any, academic_year: int, key: str) -> NeedItem | None:
    return next((item for item in school_needs(user, school, academic_year) if item.key == key), None)


@transaction.atomic
def need_add(
    *,
    school: Any,
    academic_year: int,
    area: PracticeArea,
    title: str,
    description: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> Need:
    if not area.is_active:
        raise ApplicationError("Choose an area from the list.", field="area")
    if not title.strip():
        raise ApplicationError("Enter what the school needs.", field="title")
    need = Need.objects.create(
        school=school,
        academic_year=academic_year,
        area=area,
        title=title.strip()[:200],
        description=description.strip(),
        created_by=actor,
    )
    audit.record(
        actor, "create", need, detail={"title": need.title, "area": area.key}, request=request, school_id=school.pk
    )
    return need


@transaction.atomic
def need_resolve(*, need: Need, actor: Any, request: HttpRequest | None = None) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.resolved_at is not None:
        raise ApplicationError("This need is already marked as met.")
    need.resolved_at = timezone.now()
    need.save(update_fields=["resolved_at"])
    audit.record(actor, "resolve", need, request=request, school_id=need.school_id)
    return need
