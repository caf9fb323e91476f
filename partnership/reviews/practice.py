"""What self-evaluation and peer review know about schools' practice, for the good practice register
(`core.registry.schools_practice`): each line of a SEF's strengths and areas for development, a
peer review's agreed strengths and areas for development, and an endorsed Area of Excellence.

Each reaches only the people the reviews pages show it to: a SEF as far as the school shares it
(`reviews.selfevaluation`'s scope), findings and the Area of Excellence as far as the review's
report is shared (`readable_reviews`). Three queries however many schools.

An item names the framework area it is about (`area_keys`); its `topics` are the register's area
keys only where the text itself names a subject ("Maths reasoning in KS2" is about maths).
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from partnership.core import access, registry
from partnership.core.schoolyear import academic_year_label
from partnership.reviews.models import AreaOfExcellence, Finding, Review, SefEntry

# Words that name a subject -> the register's area key. Acronyms count only in capitals ("we send
# home" is not about SEND).
SUBJECT_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(maths|mathematics|numeracy)\b", re.IGNORECASE), "maths"),
    (re.compile(r"\breading\b", re.IGNORECASE), "reading"),
    (re.compile(r"\bwriting\b", re.IGNORECASE), "writing"),
    (re.compile(r"\bphonics\b", re.IGNORECASE), "phonics"),
    (re.compile(r"\bEAL\b"), "eal"),
    (re.compile(r"\bSEND?\b"), "send"),
    (re.compile(r"\battendance\b", re.IGNORECASE), "attendance"),
    (re.compile(r"\bbehaviour\b", re.IGNORECASE), "behaviour"),
    (re.compile(r"\bscience\b", re.IGNORECASE), "science"),
    (re.compile(r"\bmusic\b", re.IGNORECASE), "music"),
    (re.compile(r"\bPE\b"), "pe"),
    (re.compile(r"\bart\b", re.IGNORECASE), "arts"),
)
# Reviews whose findings the team has agreed: until then they are the team's drafts.
AGREED_STAGES = (Review.Stage.FINDINGS, Review.Stage.REPORTED, Review.Stage.IMPACT)


def text_topics(text: str) -> tuple[str, ...]:
    """The register's area keys of the subjects a piece of text names, in `SUBJECT_WORDS` order."""
    return tuple(key for pattern, key in SUBJECT_WORDS if pattern.search(text))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sef_items(user: Any, school_ids: list[int], academic_year: int) -> list[tuple[int, registry.SchoolEvidence]]:
    entries = (
        access.visible_to(user, SefEntry)
        .filter(sef__school_id__in=school_ids, sef__academic_year=academic_year)
        .select_related("sef", "area")
        .order_by("sef__school_id", "area__number", "pk")
    )
    found: list[tuple[int, registry.SchoolEvidence]] = []
    for entry in entries:
        url = reverse("reviews:sef_detail", args=[entry.sef_id])
        detail = f"{entry.area.name}, self-evaluation {academic_year_label(entry.sef.academic_year)}"
        for field, strength in (("strengths", True), ("development", False)):
            for number, line in enumerate(_lines(getattr(entry, field)), start=1):
                found.append(
                    (
                        entry.sef.school_id,
                        registry.SchoolEvidence(
                            kind="sef",
                            ref=f"sef:{entry.pk}:{'strength' if strength else 'development'}:{number}",
                            label=line,
                            url=url,
                            area_keys=(entry.area.key,),
                            concern=not strength,
                            detail=detail,
                            topics=text_topics(line),
                            strength=strength,
                        ),
                    )
                )
    return found


def _finding_items(user: Any, school_ids: list[int], academic_year: int) -> list[tuple[int, registry.SchoolEvidence]]:
    findings = (
        access.visible_to(user, Finding)
        .filter(
            review__school_id__in=school_ids,
            review__cycle__academic_year=academic_year,
            review__stage__in=AGREED_STAGES,
        )
        .select_related("review__cycle", "area")
        .order_by("review__school_id", "review__cycle__academic_year", "review__round", "kind", "area__number", "pk")
    )
    found: list[tuple[int, registry.SchoolEvidence]] = []
    for finding in findings:
        strength = finding.kind == Finding.Kind.STRENGTH
        year = academic_year_label(finding.review.cycle.academic_year)
        area = f"{finding.area.name}, " if finding.area else ""
        found.append(
            (
                finding.review.school_id,
                registry.SchoolEvidence(
                    kind="review",
                    ref=f"finding:{finding.pk}",
                    label=finding.text.strip(),
                    url=reverse("reviews:findings_page", args=[finding.review_id]),
                    area_keys=(finding.area.key,) if finding.area else (),
                    concern=not strength,
                    detail=f"{area}peer review {year}",
                    topics=text_topics(finding.text),
                    strength=strength,
                ),
            )
        )
    return found


def _excellence_items(
    user: Any, school_ids: list[int], academic_year: int
) -> list[tuple[int, registry.SchoolEvidence]]:
    endorsed = (
        access.visible_to(user, AreaOfExcellence)
        .filter(review__school_id__in=school_ids, review__cycle__academic_year=academic_year, endorsed=True)
        .select_related("review__cycle")
        .order_by("review__school_id", "review__round", "pk")
    )
    return [
        (
            aoe.review.school_id,
            registry.SchoolEvidence(
                kind="aoe",
                ref=f"aoe:{aoe.pk}",
                label=f"Area of Excellence: {aoe.title}",
                url=reverse("reviews:findings_page", args=[aoe.review_id]) + "#excellence",
                detail="Endorsed by the review team, peer review "
                f"{academic_year_label(aoe.review.cycle.academic_year)}",
                topics=text_topics(f"{aoe.title}\n{aoe.description}"),
                strength=True,
            ),
        )
        for aoe in endorsed
    ]


def schools_review_practice(
    user: Any, schools: list[Any], academic_year: int
) -> dict[int, list[registry.SchoolEvidence]]:
    """{school id: items this person may see}: each school's SEF lines for `academic_year`, then
    its peer reviews' agreed findings and endorsed Area of Excellence that year."""
    found: dict[int, list[registry.SchoolEvidence]] = {school.pk: [] for school in schools}
    ids = list(found)
    for collect in (_sef_items, _finding_items, _excellence_items):
        for school_id, item in collect(user, ids, academic_year):
            found[school_id].append(item)
    return found
