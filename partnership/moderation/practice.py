"""What moderation knows about schools' practice, for the good practice register
(`core.registry.schools_practice`): each school's agreement between its teachers' and the
moderators' judgements, subject by subject, for the year and the year before, and its exemplars in
the partnership's bank.

Agreement is shown as the school's agreement page shows it (`view_school_agreement`: the school's
staff, the coordinators and advisers of its partnerships). An exemplar is in the bank by code only,
its school named to nobody but the school's own staff (`sample_queries.exemplar_bank`), so it is
offered as the school's practice to them alone. Three queries at most however many schools.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core import access, registry
from partnership.core.schoolyear import academic_year_label
from partnership.directory.models import School
from partnership.moderation.agreement import MIN_GROUP
from partnership.moderation.models import Exemplar, ModeratorJudgement
from partnership.moderation.policy import agreement_schools
from partnership.moderation.sample_queries import staff_school
from partnership.moderation.scales import SUBJECT_LABELS, SUBJECTS

STRONG = 0.8  # exact agreement at least this: a strength
WEAK = 0.6  # below this: a concern
# Moderated subjects named as the register's area keys; every EYFS area is early years.
SUBJECT_TOPICS: dict[str, tuple[str, ...]] = {
    "writing": ("writing",),
    "reading": ("reading",),
    "maths": ("maths",),
    "science": ("science",),
    "music": ("music",),
    "pe": ("pe",),
    "art": ("arts",),
    **{key: ("eyfs",) for key, _ in SUBJECTS if key.startswith("eyfs_")},
}
CURRICULUM_AREAS = ("curriculum-teaching", "quality-of-education", "curriculum", "quality-of-provision")
SUBJECT_ORDER = {key: number for number, (key, _) in enumerate(SUBJECTS)}


def _area_keys(subject: str) -> tuple[str, ...]:
    return CURRICULUM_AREAS + (("early-years",) if subject.startswith("eyfs_") else ())


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _agreement_items(
    school_ids: set[int], slugs: dict[int, str], years: tuple[int, int]
) -> list[tuple[int, registry.SchoolEvidence]]:
    rows = ModeratorJudgement.objects.filter(
        sample__school_id__in=school_ids, sample__session__academic_year__in=years
    ).values_list(
        "sample__school_id",
        "sample__session__subject",
        "sample__session__academic_year",
        "sample__teacher_judgement",
        "judgement",
    )
    counts: dict[tuple[int, str, int], list[int]] = {}
    for school_id, subject, year, teacher, moderator in rows:
        tally = counts.setdefault((school_id, subject, year), [0, 0])
        tally[0] += 1
        tally[1] += teacher == moderator
    found: list[tuple[int, registry.SchoolEvidence]] = []
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[0][2], SUBJECT_ORDER.get(kv[0][1], 99)))
    for (school_id, subject, year), (n, agreed) in ordered:
        if n < MIN_GROUP:
            continue
        share = agreed / n
        name = SUBJECT_LABELS.get(subject, subject)
        found.append(
            (
                school_id,
                registry.SchoolEvidence(
                    kind="moderation",
                    ref=f"agreement:{school_id}:{subject}:{year}",
                    label=f"{name} moderation {academic_year_label(year)}: {agreed} of {n} judgements agreed "
                    f"({_percent(share)})",
                    url=reverse("moderation:agreement_school", args=[slugs[school_id]]) + "?by=subject",
                    area_keys=_area_keys(subject),
                    concern=share < WEAK,
                    detail="Exact agreement between the school's teachers and the moderators",
                    topics=SUBJECT_TOPICS.get(subject, ()),
                    strength=share >= STRONG,
                ),
            )
        )
    return found


def _exemplar_items(user: Any, school_id: int, years: tuple[int, int]) -> list[tuple[int, registry.SchoolEvidence]]:
    exemplars = (
        access.visible_to(user, Exemplar)
        .filter(withdrawn_at__isnull=True, sample__school_id=school_id, sample__session__academic_year__in=years)
        .select_related("sample__session")
        .order_by("-sample__session__academic_year", "sample__session__year_group", "-consented_at", "pk")
    )
    found: list[tuple[int, registry.SchoolEvidence]] = []
    for exemplar in exemplars:
        session = exemplar.sample.session
        found.append(
            (
                school_id,
                registry.SchoolEvidence(
                    kind="moderation",
                    ref=f"exemplar:{exemplar.pk}",
                    label=f"Exemplar in the bank: {session.year_group_label} {session.subject_label.lower()}, "
                    f"{session.year_label}, {exemplar.standard} ({exemplar.sample.code})",
                    url=reverse("moderation:sample_detail", args=[exemplar.sample_id]),
                    area_keys=_area_keys(session.subject),
                    detail=exemplar.annotation,
                    topics=SUBJECT_TOPICS.get(session.subject, ()),
                    strength=True,
                ),
            )
        )
    return found


def schools_moderation_practice(
    user: Any, schools: list[Any], academic_year: int
) -> dict[int, list[registry.SchoolEvidence]]:
    """{school id: items this person may see}: each school's agreement by subject (at least
    `MIN_GROUP` judgements) for `academic_year` and the year before, newest first; then, for the
    person's own school's staff, its exemplars in the bank from those years."""
    found: dict[int, list[registry.SchoolEvidence]] = {school.pk: [] for school in schools}
    principal = access.principal_for(user)
    if principal.user_id is None:
        return found
    years = (academic_year, academic_year - 1)
    allowed = set(found) if principal.is_admin else agreement_schools(principal, found)
    if allowed:
        allowed &= set(access.visible_to(user, School).filter(pk__in=allowed).values_list("pk", flat=True))
    slugs = {school.pk: school.slug for school in schools}
    items = _agreement_items(allowed, slugs, years) if allowed else []
    own = staff_school(user)
    if own is not None and own in found:
        items += _exemplar_items(user, own, years)
    for school_id, item in items:
        found[school_id].append(item)
    return found
