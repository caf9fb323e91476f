"""What a meeting paper may be: size and type rules, checked on the file's name AND its content.

A file's extension and the browser's stated type are both the uploader's say-so. The first bytes
are not: a PDF starts with `%PDF-`, Office and OpenDocument files are ZIP packages with known
parts inside, images have fixed signatures. Anything else is refused with a message saying why.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from partnership.core.errors import ApplicationError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 64 * 1024


def max_paper_bytes() -> int:
    return int(getattr(settings, "MEETING_PAPER_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def _zip_names(upload: IO[bytes]) -> tuple[set[str], zipfile.ZipFile] | None:
    try:
        package = zipfile.ZipFile(upload)
        return set(package.namelist()), package
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def _office(part: str) -> Callable[[bytes, IO[bytes]], bool]:
    """An Office Open XML package (DOCX, XLSX, PPTX): a ZIP with [Content_Types].xml and its main folder."""

    def check(head: bytes, upload: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        found = _zip_names(upload)
        if found is None:
            return False
        names, package = found
        package.close()
        return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)

    return check


def _opendocument(mimetype: bytes) -> Callable[[bytes, IO[bytes]], bool]:
    def check(head: bytes, upload: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        found = _zip_names(upload)
        if found is None:
            return False
        names, package = found
        try:
            if "mimetype" not in names:
                return False
            with package.open("mimetype") as member:
                return member.read(100).strip() == mimetype
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            return False
        finally:
            package.close()

    return check


BINARY_SIGNATURES = (b"MZ", b"\x7fELF", b"%PDF", b"PK\x03\x04", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
WEB_PAGE = re.compile(rb"^\s*<(!doctype\s+html|html|script|svg|\?xml)", re.IGNORECASE)


def _text(head: bytes, upload: IO[bytes]) -> bool:
    """Plain text or CSV: no NUL bytes, readable as UTF-8 or Windows-1252, not a program or web page."""
    if b"\x00" in head or head.startswith(BINARY_SIGNATURES) or WEB_PAGE.match(head[:512]):
        return False
    sample = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


@dataclass(frozen=True)
class PaperType:
    content_type: str
    label: str
    looks_right: Callable[[bytes, IO[bytes]], bool]


PAPER_TYPES: dict[str, PaperType] = {
    ".pdf": PaperType("application/pdf", "PDF", lambda head, _: head.startswith(b"%PDF-")),
    ".docx": PaperType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", _office("word/")
    ),
    ".xlsx": PaperType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", _office("xl/")
    ),
    ".pptx": PaperType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation",
        _office("ppt/"),
    ),
    ".odt": PaperType(
        "application/vnd.oasis.opendocument.text",
        "OpenDocument text document",
        _opendocument(b"application/vnd.oasis.opendocument.text"),
    ),
    ".txt": PaperType("text/plain", "text file", _text),
    ".csv": PaperType("text/csv", "CSV file", _text),
    ".png": PaperType("image/png", "PNG image", lambda head, _: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": PaperType("image/jpeg", "JPEG image", lambda head, _: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": PaperType("image/jpeg", "JPEG image", lambda head, _: head.startswith(b"\xff\xd8\xff")),
}
ALLOWED_SUMMARY = (
    "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text (.odt), text (.txt), CSV, PNG or JPEG"
)
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx", ".ppt": ".pptx"}


def clean_name(name: str) -> str:
    """The uploader's file name, as a name only: no folders, no control characters, at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".") or "paper"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = f"{stem[: 199 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else base[:200]
    return base


def check_paper(upload: IO[bytes], name: str, size: int) -> PaperType:
    """The type of an acceptable paper, or ApplicationError(field="file") saying what is wrong."""
    limit = max_paper_bytes()
    if size > limit:
        raise ApplicationError(
            f"“{name}” is {size_label(size)}. Papers can be up to {size_label(limit)}: "
            "save a smaller version (for example, compress the images) and try again.",
            field="file",
        )
    if size == 0:
        raise ApplicationError(f"“{name}” is empty.", field="file")
    ext = PurePath(name.lower()).suffix
    if ext in OLD_OFFICE:
        raise ApplicationError(
            f"“{name}” is in an older Office format. Open it and save it as {OLD_OFFICE[ext]}, then upload that.",
            field="file",
        )
    kind = PAPER_TYPES.get(ext)
    if kind is None:
        raise ApplicationError(f"“{name}” cannot be uploaded. Papers can be {ALLOWED_SUMMARY} files.", field="file")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    try:
        ok = kind.looks_right(head, upload)
    finally:
        upload.seek(0)
    if not ok:
        raise ApplicationError(
            f"“{name}” is called a {kind.label} but its content is not one. "
            f"Save it again as a {kind.label} and upload that, or choose another file.",
            field="file",
        )
    return kind


class PaperSizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the size limit, so an oversized paper is
    dropped as it streams in (nothing large is kept in memory or on disk) and the page can say so."""

    def __init__(self, request: object = None) -> None:
        super().__init__(request)  # type: ignore[arg-type]
        self.limit = max_paper_bytes()
        self.received = 0
        self.too_big: str | None = None  # the name of the file that was too big

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = self.file_name or "The file"
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
