"""Samples: submitted with their pages, the teacher's judgement and (KS2 writing) the evidence grid;
moderators' judgements; the exemplar bank. Each change is audited; every page of a rejected upload
is refused together, so nothing is saved from it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.moderation import images
from partnership.moderation.models import (
    Exemplar,
    ModerationSession,
    ModeratorJudgement,
    Sample,
    SampleFile,
    SampleIdentity,
    new_code,
)
from partnership.moderation.scales import MAX_PIECES, STATEMENT_KEYS, has_evidence_grid, scale_for

UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def _record(actor: Any, verb: str, obj: Any, request: HttpRequest | None, **detail: Any) -> None:
    audit.record(actor, verb, obj, detail=detail, request=request)


def _check_judgement(session: ModerationSession, judgement: str, field: str) -> None:
    codes = [code for code, _ in scale_for(session.subject, session.year_group)]
    if judgement not in codes:
        raise ApplicationError(f"Choose {', '.join(codes[:-1])} or {codes[-1]}.", field=field)


def _open(session: ModerationSession) -> None:
    if session.status == ModerationSession.Status.CLOSED:
        raise ApplicationError("The session is closed.")


def clean_grid(
    session: ModerationSession, pieces: Sequence[str], grid: Mapping[str, Sequence[int]]
) -> tuple[list[str], dict[str, list[int]]]:
    """The titles of the pieces of work and the grid (statement key -> the pieces evidencing it),
    checked: at most MAX_PIECES titled pieces, known statements, pieces that exist."""
    if not has_evidence_grid(session.subject, session.year_group):
        return [], {}
    titles = [str(title).strip()[:120] for title in pieces]
    titles = [t for t in titles if t]
    if len(titles) > MAX_PIECES:
        raise ApplicationError(f"A grid can show up to {MAX_PIECES} pieces of work.", field="pieces")
    cleaned: dict[str, list[int]] = {}
    for key, marks in grid.items():
        if key not in STATEMENT_KEYS:
            raise ApplicationError(f"“{key}” is not a statement of the framework.", field="grid")
        chosen = sorted({int(i) for i in marks})
        if any(not 0 <= i < len(titles) for i in chosen):
            raise ApplicationError("The grid marks a piece of work that has no title.", field="grid")
        if chosen:
            cleaned[key] = chosen
    return titles, cleaned


def _clean_pages(files: Sequence[Any]) -> list[images.CleanPage]:
    if len(files) > images.MAX_PAGES:
        raise ApplicationError(f"A sample can have up to {images.MAX_PAGES} pages or photos.", field="files")
    return [images.clean_page(f, name=getattr(f, "name", "") or "page", size=f.size) for f in files]


def _store_pages(sample: Sample, pages: list[images.CleanPage], actor: Any) -> list[SampleFile]:
    start = (sample.files.aggregate(top=Max("number"))["top"] or 0) + 1
    if start - 1 + len(pages) > images.MAX_PAGES:
        raise ApplicationError(f"A sample can have up to {images.MAX_PAGES} pages or photos.", field="files")
    storage = SampleFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    made: list[SampleFile] = []
    try:
        for offset, page in enumerate(pages):
            number = start + offset
            row = SampleFile(
                sample=sample,
                number=number,
                content_type=page.content_type,
                size=len(page.content),
                width=page.width,
                height=page.height,
                uploaded_by=actor,
            )
            row.file.save(f"{sample.code}-{number}.{page.extension}", ContentFile(page.content), save=False)
            made.append(row)
            row.save()
    except BaseException:
        # nothing of a refused upload stays behind, on disk either
        for row in made:
            storage.delete(row.file.name)
        raise
    return made


def _check_identity(pupil_name: str, upn: str) -> tuple[str, str]:
    name = " ".join(pupil_name.split())
    if not name:
        raise ApplicationError("Enter the pupil's name (only your school sees it).", field="pupil_name")
    upn = upn.strip().upper()
    if upn and not UPN.match(upn):
        raise ApplicationError("A UPN is a letter followed by 11 digits and a digit or letter.", field="upn")
    return name[:120], upn


@transaction.atomic
def submit_sample(
    *,
    session: ModerationSession,
    school: Any,
    actor: Any,
    teacher_judgement: str,
    pupil_name: str,
    files: Sequence[Any],
    upn: str = "",
    teacher: Any = None,
    selection: str = Sample.Selection.TEACHER_EXAMPLE,
    context: str = "",
    pieces: Sequence[str] = (),
    grid: Mapping[str, Sequence[int]] | None = None,
    request: HttpRequest | None = None,
) -> Sample:
    """A school's sample: its pages, the teacher's judgement, the pupil (kept for the school only)."""
    _open(session)
    _check_judgement(session, teacher_judgement, "teacher_judgement")
    name, upn = _check_identity(pupil_name, upn)
    if selection not in Sample.Selection.values:
        raise ApplicationError("Choose why this sample was chosen.", field="selection")
    if teacher is not None and teacher.school_id != school.pk:
        raise ApplicationError("The class teacher must work at the school.", field="teacher")
    titles, cleaned = clean_grid(session, pieces, grid or {})
    if not files:
        raise ApplicationError("Add at least one page or photo of the work.", field="files")
    pages = _clean_pages(files)
    sample = None
    for _ in range(20):
        try:
            with transaction.atomic():
                sample = Sample.objects.create(
                    session=session,
                    school=school,
                    code=new_code(),
                    teacher=teacher,
                    teacher_judgement=teacher_judgement,
                    selection=selection,
                    context=context.strip(),
                    pieces=titles,
                    grid=cleaned,
                    submitted_by=actor,
                )
            break
        except IntegrityError:
            continue
    if sample is None:
        raise ApplicationError("A sample code could not be made; try again.")
    SampleIdentity.objects.create(sample=sample, pupil_name=name, upn=upn)
    _store_pages(sample, pages, actor)
    _record(actor, "submit", sample, request, session=session.pk, judgement=teacher_judgement, pages=len(pages))
    return sample


@transaction.atomic
def update_sample(
    sample: Sample,
    *,
    actor: Any,
    teacher_judgement: str,
    context: str = "",
    selection: str | None = None,
    pieces: Sequence[str] = (),
    grid: Mapping[str, Sequence[int]] | None = None,
    teacher: Any = ...,
    request: HttpRequest | None = None,
) -> Sample:
    """Change what the school says about a sample (`teacher` left out keeps the class teacher).
    The teacher's judgement is fixed once a moderator has judged the sample: the agreement figures
    compare the two."""
    locked = Sample.objects.select_for_update().select_related("session").get(pk=sample.pk)
    _open(locked.session)
    _check_judgement(locked.session, teacher_judgement, "teacher_judgement")
    if teacher_judgement != locked.teacher_judgement and locked.judgements.exists():
        raise ApplicationError(
            "A moderator has judged this sample, so the teacher's judgement stays as it was.",
            field="teacher_judgement",
        )
    titles, cleaned = clean_grid(locked.session, pieces, grid or {})
    fields = ["teacher_judgement", "context", "selection", "pieces", "grid", "teacher_id"]
    before = audit.snapshot(locked, fields)
    if teacher is not ...:
        if teacher is not None and teacher.school_id != locked.school_id:
            raise ApplicationError("The class teacher must work at the school.", field="teacher")
        locked.teacher = teacher
    locked.teacher_judgement = teacher_judgement
    locked.context = context.strip()
    if selection is not None:
        if selection not in Sample.Selection.values:
            raise ApplicationError("Choose why this sample was chosen.", field="selection")
        locked.selection = selection
    locked.pieces, locked.grid = titles, cleaned
    locked.version += 1
    locked.save()
    diff = audit.changes(before, audit.snapshot(locked, fields))
    if diff:
        _record(actor, "update", locked, request, **diff)
    return locked


@transaction.atomic
def update_identity(
    sample: Sample, *, actor: Any, pupil_name: str, upn: str = "", request: HttpRequest | None = None
) -> SampleIdentity:
    name, upn = _check_identity(pupil_name, upn)
    identity, _ = SampleIdentity.objects.select_for_update().get_or_create(sample=sample, defaults={"pupil_name": name})
    identity.pupil_name, identity.upn = name, upn
    identity.save()
    _record(actor, "update_pupil", sample, request)
    return identity


@transaction.atomic
def add_pages(
    sample: Sample, files: Sequence[Any], *, actor: Any, request: HttpRequest | None = None
) -> list[SampleFile]:
    locked = Sample.objects.select_for_update().select_related("session").get(pk=sample.pk)
    _open(locked.session)
    if not files:
        raise ApplicationError("Choose a page or photo to add.", field="files")
    pages = _clean_pages(files)
    made = _store_pages(locked, pages, actor)
    _record(actor, "add_pages", locked, request, pages=len(made))
    return made


@transaction.atomic
def remove_page(page: SampleFile, *, actor: Any, request: HttpRequest | None = None) -> None:
    locked = Sample.objects.select_for_update().select_related("session").get(pk=page.sample_id)
    _open(locked.session)
    if locked.files.count() <= 1:
        raise ApplicationError("A sample needs at least one page: add another before removing this one.")
    name, storage = page.file.name, page.file.storage
    _record(actor, "remove_page", locked, request, number=page.number)
    page.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def withdraw_sample(sample: Sample, *, actor: Any, request: HttpRequest | None = None) -> None:
    """Take a sample out of the session (pages deleted), while nobody has judged it."""
    locked = Sample.objects.select_for_update().select_related("session").get(pk=sample.pk)
    _open(locked.session)
    if locked.judgements.exists():
        raise ApplicationError("A moderator has judged this sample, so it stays on the record.")
    if locked.cj_scripts.exists():
        raise ApplicationError("This sample is a script in a comparative-judgement session, so it stays.")
    names = [f.file.name for f in locked.files.all()]
    storage = SampleFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    _record(actor, "withdraw", locked, request, code=locked.code)
    locked.delete()

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def record_judgement(
    sample: Sample,
    *,
    actor: Any,
    judgement: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ModeratorJudgement:
    """A moderator's judgement (made or changed) and comment for the school."""
    locked = Sample.objects.select_for_update().select_related("session").get(pk=sample.pk)
    _open(locked.session)
    _check_judgement(locked.session, judgement, "judgement")
    row, created = ModeratorJudgement.objects.get_or_create(
        sample=locked, moderator=actor, defaults={"judgement": judgement, "comment": comment.strip()}
    )
    if not created:
        before = audit.snapshot(row, ["judgement", "comment"])
        row.judgement, row.comment, row.updated_at = judgement, comment.strip(), timezone.now()
        row.save(update_fields=["judgement", "comment", "updated_at"])
        diff = audit.changes(before, audit.snapshot(row, ["judgement", "comment"]))
        if diff:
            _record(actor, "update", row, request, **diff)
    else:
        _record(actor, "create", row, request, judgement=judgement, agrees=judgement == locked.teacher_judgement)
    return row


def is_agreed(sample: Sample, judgements: Sequence[ModeratorJudgement]) -> bool:
    """Moderated, and every moderator's judgement is the teacher's."""
    return bool(judgements) and all(j.judgement == sample.teacher_judgement for j in judgements)


@transaction.atomic
def offer_exemplar(sample: Sample, *, actor: Any, annotation: str, request: HttpRequest | None = None) -> Exemplar:
    """Put an agreed sample in the partnership's exemplar bank: the school's consent, recorded with
    who gave it and when. Offering it again after withdrawing renews the consent."""
    locked = Sample.objects.select_for_update().get(pk=sample.pk)
    if not is_agreed(locked, list(locked.judgements.all())):
        raise ApplicationError("Only a sample the moderators agreed with can go in the exemplar bank.")
    text = annotation.strip()
    if not text:
        raise ApplicationError("Say why this sample is at its standard.", field="annotation")
    exemplar, created = Exemplar.objects.get_or_create(
        sample=locked,
        defaults={"standard": locked.teacher_judgement, "annotation": text, "consented_by": actor},
    )
    if not created:
        if exemplar.is_current:
            raise ApplicationError("This sample is already in the exemplar bank.")
        exemplar.standard, exemplar.annotation = locked.teacher_judgement, text
        exemplar.consented_by, exemplar.consented_at = actor, timezone.now()
        exemplar.withdrawn_by, exemplar.withdrawn_at = None, None
        exemplar.save()
    _record(actor, "consent", exemplar, request, sample=locked.code, standard=exemplar.standard)
    return exemplar


@transaction.atomic
def withdraw_exemplar(exemplar: Exemplar, *, actor: Any, request: HttpRequest | None = None) -> Exemplar:
    locked = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    if not locked.is_current:
        raise ApplicationError("This exemplar has already been withdrawn.")
    locked.withdrawn_by, locked.withdrawn_at = actor, timezone.now()
    locked.save(update_fields=["withdrawn_by", "withdrawn_at"])
    _record(actor, "withdraw", locked, request)
    return locked
