"""Writes for the good practice register: propose, change, link evidence, add resources, endorse,
withdraw. Every write is audited. An entry is endorsed by the partnership's coordinators for the
Raising Achievement Board, or by a peer review: linking an Area of Excellence that a review team
endorsed endorses the entry, by that review."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.core import audit, registry, uploads
from partnership.core.errors import ApplicationError
from partnership.core.schoolyear import current_academic_year
from partnership.core.uploads import DOCX, JPEG, ODT, PDF, PNG, PPTX, XLSX, FileType
from partnership.goodpractice.models import EntryEvidence, EntryResource, PracticeArea, RegisterEntry

RESOURCE_TYPES: tuple[FileType, ...] = (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG)
RESOURCE_LIMIT = 20 * 1024 * 1024
ENTRY_FIELDS = ["area", "title", "description", "contact", "capacity", "inspection"]
# The practice sources' kinds that can show a strength, as the entry's evidence kinds.
STRENGTH_KINDS = {"measure": "measure", "review": "review", "aoe": "aoe", "sef": "sef", "moderation": "moderation"}


def _check_member(partnership: Any, school: Any) -> None:
    from partnership.directory.models import Membership

    if not Membership.objects.current().filter(partnership=partnership, school=school).exists():
        raise ApplicationError(f"{school.name} is not a member of {partnership.name}.", field="school")


def _check_contact(contact: Any, school: Any) -> None:
    if contact is None:
        return
    from partnership.directory.models import RoleAssignment

    if not RoleAssignment.objects.current().filter(person=contact, school=school).exists():
        raise ApplicationError(f"Choose someone who works at {school.name} as the contact.", field="contact")


def _check_area(area: PracticeArea) -> None:
    if not area.is_active:
        raise ApplicationError("Choose an area from the list.", field="area")


@transaction.atomic
def entry_propose(
    *,
    partnership: Any,
    school: Any,
    area: PracticeArea,
    title: str,
    description: str,
    contact: Any,
    capacity: int,
    inspection: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> RegisterEntry:
    """Put an entry forward for the partnership's register. It starts as proposed."""
    _check_member(partnership, school)
    _check_area(area)
    _check_contact(contact, school)
    if not title.strip():
        raise ApplicationError("Enter a title.", field="title")
    now = timezone.now()
    entry = RegisterEntry.objects.create(
        partnership=partnership,
        school=school,
        area=area,
        title=title.strip()[:200],
        description=description.strip(),
        contact=contact,
        capacity=capacity,
        inspection=inspection.strip()[:200],
        proposed_by=actor,
        proposed_at=now,
        updated_at=now,
    )
    audit.record(
        actor, "create", entry, detail={"title": entry.title, "area": area.key}, request=request, school_id=school.pk
    )
    return entry


def _locked(entry: RegisterEntry) -> RegisterEntry:
    return RegisterEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def entry_update(
    *, entry: RegisterEntry, data: dict[str, Any], actor: Any, request: HttpRequest | None = None
) -> RegisterEntry:
    """Change an entry's details (a subset of ENTRY_FIELDS)."""
    entry = _locked(entry)
    if entry.status == RegisterEntry.Status.WITHDRAWN:
        raise ApplicationError("This entry has been withdrawn: put it forward again to change it.")
    if "area" in data:
        _check_area(data["area"])
    if "contact" in data:
        _check_contact(data["contact"], entry.school)
    before = audit.snapshot(entry, ENTRY_FIELDS)
    for name, value in data.items():
        if name not in ENTRY_FIELDS:
            raise ValueError(f"Not an entry field: {name}")
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    if not entry.title:
        raise ApplicationError("Enter a title.", field="title")
    diff = audit.changes(before, audit.snapshot(entry, ENTRY_FIELDS))
    if diff:
        entry.updated_at = timezone.now()
        entry.version += 1
        entry.save()
        audit.record(actor, "update", entry, detail={"changes": diff}, request=request, school_id=entry.school_id)
    return entry


def offered_evidence(user: Any, entry: RegisterEntry) -> list[registry.SchoolEvidence]:
    """The strengths the practice sources show this person for the entry's school (this year and
    last), those about the entry's area first, those already linked left out."""
    year = current_academic_year()
    found = registry.schools_practice(user, [entry.school], year)[entry.school_id]
    linked = set(entry.evidence.values_list("kind", "ref"))
    area_keys = set(entry.area.framework_key_list)
    offered = [
        item
        for item in found
        if item.strength and item.kind in STRENGTH_KINDS and (STRENGTH_KINDS[item.kind], item.ref) not in linked
    ]
    offered.sort(key=lambda item: not (entry.area.key in item.topics or area_keys & set(item.area_keys)))
    return offered


@transaction.atomic
def evidence_link(
    *, entry: RegisterEntry, kind: str, ref: str, actor: Any, request: HttpRequest | None = None
) -> EntryEvidence:
    """Link one of the strengths `offered_evidence` gives this person. An endorsed Area of
    Excellence endorses the entry, by the review that endorsed it."""
    item = next((found for found in offered_evidence(actor, entry) if found.kind == kind and found.ref == ref), None)
    if item is None:
        raise ApplicationError("Choose evidence from the list.", field="choice")
    entry = _locked(entry)
    evidence = EntryEvidence.objects.create(
        entry=entry,
        kind=STRENGTH_KINDS[kind],
        ref=ref[:200],
        label=item.label[:300],
        url=item.url[:500],
        added_by=actor,
    )
    audit.record(
        actor,
        "add_evidence",
        entry,
        detail={"kind": evidence.kind, "label": evidence.label},
        request=request,
        school_id=entry.school_id,
    )
    if evidence.kind == EntryEvidence.Kind.AOE and entry.status == RegisterEntry.Status.PROPOSED:
        _endorse(
            entry,
            RegisterEntry.EndorsedBy.REVIEW,
            f"Area of Excellence endorsed by its peer review: {item.label}"[:300],
            actor,
            request,
        )
    return evidence


@transaction.atomic
def evidence_add_note(
    *, entry: RegisterEntry, kind: str, label: str, url: str = "", actor: Any, request: HttpRequest | None = None
) -> EntryEvidence:
    """Evidence the platform does not hold: an inspection finding or a document or web page."""
    if kind not in (EntryEvidence.Kind.INSPECTION, EntryEvidence.Kind.DOCUMENT):
        raise ApplicationError("Choose what kind of evidence it is.", field="kind")
    if not label.strip():
        raise ApplicationError("Enter what the evidence shows.", field="label")
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise ApplicationError("Enter a web address starting with https://", field="url")
    entry = _locked(entry)
    evidence = EntryEvidence.objects.create(
        entry=entry, kind=kind, label=label.strip()[:300], url=url[:500], added_by=actor
    )
    audit.record(
        actor,
        "add_evidence",
        entry,
        detail={"kind": kind, "label": evidence.label},
        request=request,
        school_id=entry.school_id,
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EntryEvidence, actor: Any, request: HttpRequest | None = None) -> None:
    entry = _locked(evidence.entry)
    audit.record(
        actor,
        "remove_evidence",
        entry,
        detail={"kind": evidence.kind, "label": evidence.label},
        request=request,
        school_id=entry.school_id,
    )
    evidence.delete()


@transaction.atomic
def resource_add(
    *,
    entry: RegisterEntry,
    title: str,
    upload: IO[bytes] | None = None,
    name: str = "",
    size: int = 0,
    url: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> EntryResource:
    """A file (checked by content, at most 20 MB) or a link, never both."""
    title = title.strip()
    url = url.strip()
    if not title:
        raise ApplicationError("Enter a title for the resource.", field="title")
    if (upload is None) == (not url):
        raise ApplicationError("Choose a file or enter a web address, not both.", field="file")
    entry = _locked(entry)
    resource = EntryResource(entry=entry, title=title[:200], added_by=actor)
    if upload is not None:
        kind = uploads.check_upload(
            upload, name=name, size=size, accept=RESOURCE_TYPES, limit=RESOURCE_LIMIT, what="Resources"
        )
        from django.core.files import File

        resource.content_type = kind.content_type
        resource.size = size
        resource.file.save(uploads.safe_name(name, extension=kind.extension), File(upload), save=False)
    else:
        if not url.startswith(("https://", "http://")):
            raise ApplicationError("Enter a web address starting with https://", field="url")
        resource.url = url[:500]
    resource.save()
    audit.record(
        actor, "add_resource", entry, detail={"title": resource.title}, request=request, school_id=entry.school_id
    )
    return resource


@transaction.atomic
def resource_remove(*, resource: EntryResource, actor: Any, request: HttpRequest | None = None) -> None:
    entry = _locked(resource.entry)
    audit.record(
        actor, "remove_resource", entry, detail={"title": resource.title}, request=request, school_id=entry.school_id
    )
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()


def _endorse(entry: RegisterEntry, how: str, note: str, actor: Any, request: HttpRequest | None) -> None:
    entry.status = RegisterEntry.Status.ENDORSED
    entry.endorsed_how = how
    entry.endorsement_note = note
    entry.endorsed_by = actor
    entry.endorsed_at = timezone.now()
    entry.version += 1
    entry.save()
    audit.record(actor, "endorse", entry, detail={"how": how, "note": note}, request=request, school_id=entry.school_id)


@transaction.atomic
def entry_endorse(*, entry: RegisterEntry, note: str, actor: Any, request: HttpRequest | None = None) -> RegisterEntry:
    """The Raising Achievement Board endorses the entry (recorded by a coordinator, with a note such
    as the meeting it was agreed at)."""
    entry = _locked(entry)
    if entry.status != RegisterEntry.Status.PROPOSED:
        raise ApplicationError(
            f"This entry is {entry.get_status_display().lower()}: only a proposed entry can be endorsed."
        )
    if not note.strip():
        raise ApplicationError("Enter when and how the board agreed it.", field="note")
    _endorse(entry, RegisterEntry.EndorsedBy.BOARD, note.strip()[:300], actor, request)
    return entry


@transaction.atomic
def entry_withdraw(*, entry: RegisterEntry, actor: Any, request: HttpRequest | None = None) -> RegisterEntry:
    """Take an entry out of the register. Open support requests through it must be closed first."""
    entry = _locked(entry)
    if entry.status == RegisterEntry.Status.WITHDRAWN:
        raise ApplicationError("This entry has already been withdrawn.")
    from partnership.goodpractice.models import SupportRequest

    if entry.requests.filter(status__in=[*SupportRequest.OPEN, SupportRequest.Status.REQUESTED]).exists():
        raise ApplicationError("This entry has support under way: close or decline its requests first.")
    entry.status = RegisterEntry.Status.WITHDRAWN
    entry.version += 1
    entry.updated_at = timezone.now()
    entry.save()
    audit.record(actor, "withdraw", entry, request=request, school_id=entry.school_id)
    return entry


@transaction.atomic
def entry_restore(*, entry: RegisterEntry, actor: Any, request: HttpRequest | None = None) -> RegisterEntry:
    """Put a withdrawn entry forward again: proposed, awaiting endorsement once more."""
    entry = _locked(entry)
    if entry.status != RegisterEntry.Status.WITHDRAWN:
        raise ApplicationError("Only a withdrawn entry can be put forward again.")
    _check_member(entry.partnership, entry.school)
    entry.status = RegisterEntry.Status.PROPOSED
    entry.endorsed_how = ""
    entry.endorsement_note = ""
    entry.endorsed_by = None
    entry.endorsed_at = None
    entry.version += 1
    entry.save()
    audit.record(actor, "restore", entry, request=request, school_id=entry.school_id)
    return entry
