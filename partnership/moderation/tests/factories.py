"""Moderation sessions, samples and CJ sessions in a given state, built straight into the database
(the services are tested on their own)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.core.schoolyear import current_academic_year
from partnership.moderation.models import (
    CJJudge,
    CJScript,
    CJSession,
    ModerationSession,
    Moderator,
    Sample,
    SampleFile,
    SampleIdentity,
)


def session(
    partnership: Any,
    *,
    host: Any,
    by: Any,
    subject: str = "writing",
    year_group: str = "6",
    date: datetime.date | None = None,
    **kwargs: Any,
) -> ModerationSession:
    return ModerationSession.objects.create(
        partnership=partnership,
        subject=subject,
        year_group=year_group,
        academic_year=kwargs.pop("academic_year", current_academic_year()),
        date=date or timezone.localdate() + datetime.timedelta(days=14),
        host_school=host,
        created_by=by,
        **kwargs,
    )


def moderator(session: ModerationSession, person: Any, *, by: Any) -> Moderator:
    return Moderator.objects.create(session=session, person=person, school=person.school, added_by=by)


_codes = iter(range(1, 10**6))


def sample(
    session: ModerationSession,
    school: Any,
    *,
    by: Any,
    judgement: str = "EXS",
    pupil: str = "Ada Lovelace",
    upn: str = "",
    code: str | None = None,
    with_file: bool = False,
) -> Sample:
    """A sample with its pupil's identity (and, with `with_file`, one small PNG page)."""
    made = Sample.objects.create(
        session=session,
        school=school,
        code=code or f"T{next(_codes):03d}",
        teacher=by,
        teacher_judgement=judgement,
        submitted_by=by,
    )
    SampleIdentity.objects.create(sample=made, pupil_name=pupil, upn=upn)
    if with_file:
        SampleFile.objects.create(
            sample=made,
            number=1,
            file=SimpleUploadedFile(f"{made.code}-1.png", png_bytes(), content_type="image/png"),
            content_type="image/png",
            size=len(png_bytes()),
            width=4,
            height=4,
            uploaded_by=by,
        )
    return made


def png_bytes(size: tuple[int, int] = (4, 4), *, exif: bool = False) -> bytes:
    """A small PNG (with `exif`, one carrying EXIF with a GPS position and a camera owner's name)."""
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 200, 180))
    if exif:
        data = Image.Exif()
        data[0x013B] = "Mrs Class Teacher"  # Artist
        data[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
        image.save(out, format="PNG", exif=data.tobytes())
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (8, 6), *, exif: bool = True, orientation: int = 1) -> bytes:
    """A small JPEG, by default with EXIF (owner's name, GPS position, an orientation tag)."""
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", size, (250, 250, 240))
    if exif:
        data = Image.Exif()
        data[0x013B] = "Mrs Class Teacher"
        data[0x0112] = orientation
        data[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def cj_session(
    partnership: Any,
    *,
    by: Any,
    samples: list[Sample] = (),  # type: ignore[assignment]
    source: ModerationSession | None = None,
    **kwargs: Any,
) -> CJSession:
    """A CJ session in set-up with the given samples as its scripts (in order)."""
    made = CJSession.objects.create(
        partnership=partnership,
        name=kwargs.pop("name", "Year 6 writing"),
        academic_year=kwargs.pop("academic_year", current_academic_year()),
        source=source,
        created_by=by,
        **kwargs,
    )
    CJScript.objects.bulk_create([CJScript(session=made, sample=s, position=i) for i, s in enumerate(samples)])
    return made


def judge(cj: CJSession, person: Any, *, by: Any) -> CJJudge:
    return CJJudge.objects.create(session=cj, person=person, school=person.school, invited_by=by)
