"""Services for evaluation frameworks and self-evaluations (SEFs). The caller has checked the
access policy; each service holds its transaction, refuses with an ApplicationError naming the
field, audits the change, and (for a SEF) writes a version with the whole SEF as it now stands.

Frameworks are data: one that a SEF or review cycle uses is never changed in place. Editing it
makes a new version (same key, version + 1, `supersedes` the old, which stops being current), so
past SEFs keep the areas, grades and words they were written against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from partnership.core import audit, registry
from partnership.core.errors import ApplicationError
from partnership.reviews import sef_queries
from partnership.reviews.models import (
    Framework,
    FrameworkArea,
    Grade,
    SefEntry,
    SefEvidence,
    SefVersion,
    SelfEvaluation,
    Sharing,
)
from partnership.reviews.sharing import record_sharing_choice

MET_MARK = "(met or not met)"
OPTIONAL_MARK = "(optional)"

# --- Frameworks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaLine:
    name: str
    met_or_not: bool = False
    optional: bool = False


def parse_areas(text: str) -> list[AreaLine]:
    """Areas one per line; "(met or not met)" or "(optional)" at the end of a line marks it."""
    found: list[AreaLine] = []
    for raw in sef_queries.lines(text):
        name, met, optional = raw, False, False
        for _ in range(2):
            lowered = name.lower()
            if lowered.endswith(MET_MARK):
                name, met = name[: -len(MET_MARK)].strip(), True
            elif lowered.endswith(OPTIONAL_MARK):
                name, optional = name[: -len(OPTIONAL_MARK)].strip(), True
        found.append(AreaLine(name[:120], met, optional))
    if not found:
        raise ApplicationError("Enter the framework's areas, one per line.", field="areas")
    keys = [slugify(area.name) for area in found]
    if any(not key for key in keys):
        raise ApplicationError("Each area needs a name with letters or numbers in it.", field="areas")
    if len(set(keys)) != len(keys):
        raise ApplicationError("Each area must have a different name.", field="areas")
    return found


def parse_grades(text: str) -> list[str]:
    grades = [grade[:60] for grade in sef_queries.lines(text)]
    if len(grades) < 2:
        raise ApplicationError("Enter at least two grades, best first, one per line.", field="grades")
    if len({grade.lower() for grade in grades}) != len(grades):
        raise ApplicationError("Each grade must be different.", field="grades")
    return grades


def areas_text(framework: Framework) -> str:
    """The framework's areas as the edit form shows them (the inverse of `parse_areas`)."""
    out = []
    for area in framework.areas.order_by("number"):
        marks = (f" {MET_MARK}" if area.met_or_not else "") + (f" {OPTIONAL_MARK}" if area.optional else "")
        out.append(area.name + marks)
    return "\n".join(out)


def grades_text(framework: Framework) -> str:
    return "\n".join(framework.grades.order_by("rank").values_list("label", flat=True))


def _fill(framework: Framework, areas: list[AreaLine], grades: list[str], keep_keys: dict[str, str]) -> None:
    """Create the framework's areas and grades. `keep_keys` maps an area name to the key an earlier
    version gave it, so an unchanged area keeps its key across versions."""
    FrameworkArea.objects.bulk_create(
        [
            FrameworkArea(
                framework=framework,
                number=number,
                key=keep_keys.get(area.name.lower(), slugify(area.name)[:60]),
                name=area.name,
                met_or_not=area.met_or_not,
                optional=area.optional,
            )
            for number, area in enumerate(areas, start=1)
        ]
    )
    Grade.objects.bulk_create(
        [Grade(framework=framework, rank=rank, label=label) for rank, label in enumerate(grades, start=1)]
    )


def _unique_key(partnership: Any, name: str) -> str:
    base = slugify(name)[:50] or "framework"
    key, n = base, 1
    while Framework.objects.filter(partnership=partnership, key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def framework_create(
    *,
    partnership: Any,
    name: str,
    areas: str = "",
    grades: str = "",
    description: str = "",
    copy_of: Framework | None = None,
    actor: Any,
    request: HttpRequest | None = None,
) -> Framework:
    """A partnership's own framework, from its areas and grades (one per line), or as a copy of
    another framework (its areas and grades, unless given)."""
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name for the framework.", field="name")
    if copy_of is not None:
        areas = areas or areas_text(copy_of)
        grades = grades or grades_text(copy_of)
        description = description or copy_of.description
    parsed_areas, parsed_grades = parse_areas(areas), parse_grades(grades)
    framework = Framework.objects.create(
        key=_unique_key(partnership, name),
        name=name[:120],
        description=description,
        partnership=partnership,
        created_by=actor,
    )
    keep = {a.name.lower(): a.key for a in copy_of.areas.all()} if copy_of is not None else {}
    _fill(framework, parsed_areas, parsed_grades, keep)
    audit.record(
        actor,
        "create",
        framework,
        detail={"copy_of": copy_of.pk} if copy_of else None,
        request=request,
        partnership_id=partnership.pk,
    )
    return framework


@transaction.atomic
def framework_update(
    *,
    framework: Framework,
    name: str,
    areas: str,
    grades: str,
    description: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> Framework:
    """Change a framework. Unused: in place. Used by a SEF or review cycle: a new version is made
    and returned, and the old one is kept, no longer current, for what used it."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not framework.is_current:
        raise ApplicationError("A newer version of this framework exists: edit that one.")
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name for the framework.", field="name")
    parsed_areas, parsed_grades = parse_areas(areas), parse_grades(grades)
    keep = {area.name.lower(): area.key for area in framework.areas.all()}
    if not sef_queries.framework_in_use(framework):
        framework.name, framework.description = name[:120], description
        framework.save(update_fields=["name", "description"])
        framework.areas.all().delete()
        framework.grades.all().delete()
        _fill(framework, parsed_areas, parsed_grades, keep)
        audit.record(actor, "update", framework, detail={"in_place": True}, request=request)
        return framework
    newer = Framework.objects.create(
        key=framework.key,
        version=framework.version + 1,
        name=name[:120],
        description=description,
        source_url=framework.source_url,
        partnership=framework.partnership,
        is_default=framework.is_default,
        is_historic=framework.is_historic,
        supersedes=framework,
        created_by=actor,
    )
    _fill(newer, parsed_areas, parsed_grades, keep)
    framework.is_current = False
    framework.save(update_fields=["is_current"])
    audit.record(actor, "update", newer, detail={"new_version_of": framework.pk}, request=request)
    return newer


# --- SEFs ----------------------------------------------------------------------------------------


def _write_version(sef: SelfEvaluation, actor: Any, note: str) -> SefVersion:
    """Bump the SEF's version and store the whole SEF as it now stands."""
    sef.version += 1
    sef.updated_at = timezone.now()
    sef.save(update_fields=["version", "updated_at"])
    return SefVersion.objects.create(
        sef=sef, number=sef.version, snapshot=sef_queries.snapshot(sef), author=actor, note=note[:200]
    )


def _locked(sef: SelfEvaluation, version: int | None) -> SelfEvaluation:
    """The SEF, locked for this change; refused if someone saved a change since `version` was read."""
    current = SelfEvaluation.objects.select_for_update().select_related("school", "framework").get(pk=sef.pk)
    if version is not None and current.version != version:
        last = current.versions.select_related("author").order_by("-number").first()
        who = (
            f" ({last.author.full_name or last.author.email}, {timezone.localtime(last.saved_at):%H:%M})"
            if last
            else ""
        )
        raise ApplicationError(
            f"Someone else saved a change to this self-evaluation while you were editing{who}. "
            "Your changes have not been saved: open the page again to see theirs, then make yours.",
            field="version",
        )
    if not current.versions.exists():
        # A SEF made without the services (imported, demo data): its state before this change is
        # the baseline of its history.
        SefVersion.objects.create(
            sef=current,
            number=current.version,
            snapshot=sef_queries.snapshot(current),
            author_id=current.created_by_id,
            saved_at=current.updated_at,
            note="Before the first recorded change",
        )
    return current


def _audit(actor: Any, verb: str, sef: SelfEvaluation, request: HttpRequest | None, **detail: Any) -> None:
    audit.record(actor, verb, sef, detail=detail or None, request=request, school_id=sef.school_id)


@transaction.atomic
def sef_start(
    *,
    school: Any,
    academic_year: int,
    framework: Framework,
    actor: Any,
    request: HttpRequest | None = None,
) -> SelfEvaluation:
    """A school's SEF for a year against a framework, with an entry for each area."""
    if SelfEvaluation.objects.filter(school=school, academic_year=academic_year).exists():
        raise ApplicationError("Your school already has a self-evaluation for that year.", field="academic_year")
    if not framework.is_current:
        raise ApplicationError("A newer version of that framework exists: choose it instead.", field="framework")
    sef = SelfEvaluation.objects.create(
        school=school, academic_year=academic_year, framework=framework, created_by=actor, version=1
    )
    SefEntry.objects.bulk_create([SefEntry(sef=sef, area=area) for area in framework.areas.order_by("number")])
    SefVersion.objects.create(sef=sef, number=1, snapshot=sef_queries.snapshot(sef), author=actor, note="Started")
    _audit(actor, "create", sef, request, framework=framework.pk)
    return sef


@transaction.atomic
def sef_update_summary(
    *, sef: SelfEvaluation, summary: str, version: int | None, actor: Any, request: HttpRequest | None = None
) -> SelfEvaluation:
    sef = _locked(sef, version)
    before = sef.summary
    sef.summary = summary.strip()
    sef.save(update_fields=["summary"])
    _write_version(sef, actor, "Summary")
    _audit(actor, "update", sef, request, summary=[before, sef.summary])
    return sef


@transaction.atomic
def sef_update_entry(
    *,
    entry: SefEntry,
    version: int | None,
    actor: Any,
    grade: Grade | None = None,
    met: bool | None = None,
    narrative: str = "",
    strengths: str = "",
    development: str = "",
    request: HttpRequest | None = None,
) -> SefEntry:
    """One area's self-grade (or met / not met), narrative, strengths and areas for development."""
    sef = _locked(entry.sef, version)
    entry = SefEntry.objects.select_related("area", "grade").get(pk=entry.pk, sef=sef)
    if entry.area.met_or_not:
        grade = None
    else:
        met = None
        if grade is not None and grade.framework_id != sef.framework_id:
            raise ApplicationError("Choose a grade from this framework's scale.", field="grade")
    before = audit.snapshot(entry, ["grade", "met", "narrative", "strengths", "development"])
    entry.grade, entry.met = grade, met
    entry.narrative = narrative.strip()
    entry.strengths = "\n".join(sef_queries.lines(strengths))
    entry.development = "\n".join(sef_queries.lines(development))
    entry.save()
    after = audit.snapshot(entry, ["grade", "met", "narrative", "strengths", "development"])
    _write_version(sef, actor, entry.area.name)
    _audit(actor, "update", sef, request, area=entry.area.key, changes=audit.changes(before, after))
    return entry


def check_link(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApplicationError("Enter a web address starting with http:// or https://", field="url")
    return url


@transaction.atomic
def evidence_add_link(
    *, entry: SefEntry, label: str, url: str, actor: Any, request: HttpRequest | None = None
) -> SefEvidence:
    """A document or web page as evidence for an area (http and https only)."""
    label = label.strip()
    if not label:
        raise ApplicationError("Enter what the document or page is.", field="label")
    url = check_link(url)
    sef = _locked(entry.sef, None)
    evidence = SefEvidence.objects.create(
        entry=entry, kind=SefEvidence.Kind.DOCUMENT, label=label[:300], url=url, added_by=actor
    )
    _write_version(sef, actor, f"Evidence for {entry.area.name}")
    _audit(actor, "add_evidence", sef, request, area=entry.area.key, label=evidence.label)
    return evidence


def offered_evidence(user: Any, sef: SelfEvaluation, entry: SefEntry | None = None) -> list[registry.SchoolEvidence]:
    """What the other apps offer this person as evidence about the SEF's school for its year; for
    one area, what bears on that area first."""
    found = registry.school_evidence(user, sef.school, sef.academic_year)
    if entry is not None:
        found.sort(key=lambda item: entry.area.key not in item.area_keys)
    return found


@transaction.atomic
def evidence_add_offered(
    *, entry: SefEntry, kind: str, ref: str, actor: Any, request: HttpRequest | None = None
) -> SefEvidence:
    """One of the items `offered_evidence` gives this person, linked to an area."""
    item = next(
        (found for found in offered_evidence(actor, entry.sef) if found.kind == kind and found.ref == ref), None
    )
    if item is None or kind not in SefEvidence.Kind.values:
        raise ApplicationError("Choose evidence from the list.", field="choice")
    if entry.evidence.filter(kind=kind, ref=ref).exists():
        raise ApplicationError("That evidence is already linked to this area.", field="choice")
    sef = _locked(entry.sef, None)
    evidence = SefEvidence.objects.create(
        entry=entry, kind=kind, ref=ref[:200], label=item.label[:300], url=item.url[:500], added_by=actor
    )
    _write_version(sef, actor, f"Evidence for {entry.area.name}")
    _audit(actor, "add_evidence", sef, request, area=entry.area.key, label=evidence.label)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: SefEvidence, actor: Any, request: HttpRequest | None = None) -> None:
    entry = evidence.entry
    sef = _locked(entry.sef, None)
    label = evidence.label
    evidence.delete()
    _write_version(sef, actor, f"Evidence for {entry.area.name}")
    _audit(actor, "remove_evidence", sef, request, area=entry.area.key, label=label)


@transaction.atomic
def sef_share(*, sef: SelfEvaluation, level: str, actor: Any, request: HttpRequest | None = None) -> SelfEvaluation:
    """The school's choice of who may read its SEF, recorded with who decided and when."""
    sef = _locked(sef, None)
    if level == sef.sharing and sef.sharing_decided_at is not None:
        raise ApplicationError("That is already who can see it.", field="sharing")
    record_sharing_choice(obj=sef, subject="sef", school=sef.school, level=level, by=actor, request=request)
    return sef


@transaction.atomic
def sef_copy_forward(
    *,
    sef: SelfEvaluation,
    academic_year: int,
    actor: Any,
    framework: Framework | None = None,
    request: HttpRequest | None = None,
) -> SelfEvaluation:
    """Next year's SEF from this one: the same or a chosen framework; each area's grade, text and
    evidence copied where the area keys match (a grade by its rank on the same scale, by its label
    on another); shared with the school only until the school chooses again."""
    framework = framework or sef.framework
    if not framework.is_current:
        latest = Framework.objects.filter(sef_queries.same_framework(framework), is_current=True).first()
        framework = latest or framework
    new = sef_start(school=sef.school, academic_year=academic_year, framework=framework, actor=actor, request=request)
    new.summary = sef.summary
    new.copied_from = sef
    new.sharing = Sharing.OWN_SCHOOL
    new.save(update_fields=["summary", "copied_from", "sharing"])
    grades = {g.label.lower(): g for g in framework.grades.all()}
    same_scale = framework.pk == sef.framework_id
    old_entries = {entry.area.key: entry for entry in sef_queries.sef_entries(sef)}
    copied = 0
    evidence: list[SefEvidence] = []
    for entry in new.entries.select_related("area"):
        old = old_entries.get(entry.area.key)
        if old is None:
            continue
        copied += 1
        if entry.area.met_or_not:
            entry.met = old.met
        elif old.grade is not None:
            entry.grade = old.grade if same_scale else grades.get(old.grade.label.lower())
        entry.narrative, entry.strengths, entry.development = old.narrative, old.strengths, old.development
        entry.save()
        evidence += [
            SefEvidence(entry=entry, kind=e.kind, ref=e.ref, label=e.label, url=e.url, added_by=actor)
            for e in old.evidence.all()
        ]
    SefEvidence.objects.bulk_create(evidence)
    first = new.versions.get(number=1)
    first.snapshot = sef_queries.snapshot(new)
    first.note = f"Copied from {sef.year_label}"
    first.save(update_fields=["snapshot", "note"])
    _audit(actor, "copy", new, request, copied_from=sef.pk, areas_copied=copied)
    return new
