"""Read side of frameworks and self-evaluations: lists through the access policy, the SEF page's
rows in a fixed number of queries, the plain-data snapshot of a SEF and the readable diff between
two snapshots."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from partnership.core import access
from partnership.reviews import shipped
from partnership.reviews.models import (
    Framework,
    FrameworkArea,
    Grade,
    SefEntry,
    SefEvidence,
    SefVersion,
    SelfEvaluation,
)
from partnership.reviews.sharing import sharing_history

# --- Frameworks ----------------------------------------------------------------------------------


def ensure_shipped() -> None:
    """Load the shipped frameworks if they are missing (a flushed test database)."""
    if not Framework.objects.filter(partnership__isnull=True).exists():
        shipped.load(Framework, FrameworkArea, Grade)


def framework_list(user: Any) -> list[Framework]:
    """The current frameworks this person may see: shipped ones first, then partnerships' own."""
    ensure_shipped()
    return list(
        access.visible_to(user, Framework)
        .filter(is_current=True)
        .select_related("partnership")
        .order_by("partnership_id", "-is_default", "is_historic", "name")
    )


def frameworks_for_new_sef(user: Any, *, include_historic: bool = False) -> list[Framework]:
    """The frameworks offered for a new SEF: current ones, the default first; historic ones only
    if asked."""
    ensure_shipped()
    qs = access.visible_to(user, Framework).filter(is_current=True)
    if not include_historic:
        qs = qs.filter(is_historic=False)
    return list(qs.select_related("partnership").order_by("-is_default", "partnership_id", "name"))


def framework_with_parts(framework: Framework) -> tuple[list[FrameworkArea], list[Grade]]:
    return list(framework.areas.order_by("number")), list(framework.grades.order_by("rank"))


def framework_in_use(framework: Framework) -> bool:
    """Whether a SEF or a review cycle uses this framework (then editing makes a new version)."""
    return framework.self_evaluations.exists() or framework.cycles.exists()


def framework_versions(framework: Framework) -> list[Framework]:
    """Every version of this framework, newest first."""
    return list(Framework.objects.filter(same_framework(framework)).order_by("-version"))


def same_framework(framework: Framework) -> Q:
    """Every version of `framework` (the same key, of the same partnership or shipped)."""
    owner = (
        Q(partnership__isnull=True) if framework.partnership_id is None else Q(partnership_id=framework.partnership_id)
    )
    return Q(key=framework.key) & owner


# --- SEFs ----------------------------------------------------------------------------------------


def sef_queryset() -> QuerySet[SelfEvaluation]:
    return SelfEvaluation.objects.select_related(
        "school", "framework", "framework__partnership", "sharing_decided_by", "created_by", "copied_from"
    )


def school_sefs(user: Any, school: Any) -> list[SelfEvaluation]:
    """A school's SEFs this person may read, newest year first."""
    return list(
        access.visible_to(user, SelfEvaluation)
        .filter(school=school)
        .select_related("framework")
        .order_by("-academic_year")
    )


def sef_entries(sef: SelfEvaluation) -> list[SefEntry]:
    """The SEF's areas in the framework's order, with grade and evidence: three queries."""
    return list(
        sef.entries.select_related("area", "grade")
        .prefetch_related(Prefetch("evidence", queryset=SefEvidence.objects.order_by("kind", "id")))
        .order_by("area__number")
    )


def sef_page(sef: SelfEvaluation) -> dict[str, Any]:
    """What the SEF page shows: its areas, the latest version, the sharing history."""
    latest = sef.versions.select_related("author").order_by("-number").first()
    return {
        "entries": sef_entries(sef),
        "latest_version": latest,
        "sharing_history": sharing_history(sef.school, "sef", sef.pk),
    }


def lines(text: str) -> list[str]:
    """The non-empty lines of a one-per-line field."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def snapshot(sef: SelfEvaluation, entries: list[SefEntry] | None = None) -> dict[str, Any]:
    """The whole SEF as plain data, for a version: summary and each area's grade, narrative,
    strengths, development and evidence labels."""
    rows = entries if entries is not None else sef_entries(sef)
    return {
        "framework": str(sef.framework),
        "summary": sef.summary,
        "areas": [
            {
                "key": entry.area.key,
                "name": entry.area.name,
                "grade": entry.grade.label if entry.grade else "",
                "met": entry.met,
                "narrative": entry.narrative,
                "strengths": entry.strengths,
                "development": entry.development,
                "evidence": [evidence.label for evidence in entry.evidence.all()],
            }
            for entry in rows
        ],
    }


# --- Diffs ---------------------------------------------------------------------------------------

_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words taken out of `old` in <del> and the words put in within <ins>."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def _met_label(met: bool | None) -> str:
    return "Met" if met is True else "Not met" if met is False else "Not judged"


@dataclass(frozen=True)
class Change:
    """One field of the SEF that changed between two versions."""

    where: str  # "Summary", or the area's name
    what: str  # "self-grade", "narrative", ...
    old: str = ""
    new: str = ""
    marked: SafeString | None = None  # word-level diff of a text field

    @property
    def line(self) -> str:
        """The change in one line of plain words: "Achievement - self-grade: A -> B"."""
        return f"{self.where} - {self.what}: {self.old or 'none'} -> {self.new or 'none'}"


TEXT_FIELDS = (("narrative", "narrative"), ("strengths", "strengths"), ("development", "areas for development"))


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from one version of a SEF to the next, area by area and field by field."""
    changes: list[Change] = []
    if old.get("summary", "") != new.get("summary", ""):
        changes.append(
            Change(
                "Summary",
                "summary",
                old.get("summary", ""),
                new.get("summary", ""),
                word_diff(old.get("summary", ""), new.get("summary", "")),
            )
        )
    before = {area["key"]: area for area in old.get("areas", [])}
    for area in new.get("areas", []):
        was = before.get(area["key"], {})
        name = area["name"]
        if was.get("grade", "") != area["grade"]:
            changes.append(Change(name, "self-grade", was.get("grade", ""), area["grade"]))
        if was.get("met") != area["met"]:
            changes.append(Change(name, "judgement", _met_label(was.get("met")), _met_label(area["met"])))
        for key, label in TEXT_FIELDS:
            a, b = was.get(key, ""), area[key]
            if a != b:
                changes.append(Change(name, label, a, b, word_diff(a, b)))
        old_evidence, new_evidence = was.get("evidence", []), area["evidence"]
        for label in new_evidence:
            if label not in old_evidence:
                changes.append(Change(name, "evidence added", "", label))
        for label in old_evidence:
            if label not in new_evidence:
                changes.append(Change(name, "evidence removed", label, ""))
    return changes


@dataclass
class VersionRow:
    version: SefVersion
    changes: list[Change] = field(default_factory=list)


def version_history(sef: SelfEvaluation) -> list[VersionRow]:
    """Every version, newest first, each with what changed since the one before: two queries."""
    versions = list(sef.versions.select_related("author").order_by("number"))
    rows: list[VersionRow] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        rows.append(VersionRow(version, diff_snapshots(previous, version.snapshot) if previous is not None else []))
        previous = version.snapshot
    rows.reverse()
    return rows
