"""Uploaded files: their type told from their content, their size against a limit, a safe name.

A file's extension and the browser's stated type are both the uploader's say-so. The first bytes
are not: a PDF starts with `%PDF-`, Office and OpenDocument files are ZIP packages with known
parts inside, images have fixed signatures, text has no NUL bytes and decodes. Every refusal is an
`ApplicationError(field="file")` saying what is wrong and, where it can tell, what the file looks
like instead. Each app says which types it accepts and how big a file may be (meeting papers,
results imports); the checks are these.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from partnership.core.errors import ApplicationError

SNIFF_BYTES = 64 * 1024
NAME_MAX = 200


def size_label(size: int) -> str:
    """ "23 MB", "1.5 MB", "40 KB", "1,000 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size:,} bytes"


# What a file's first bytes say it is, whatever its name. The labels complete "it looks like ...".
TEXT, XML, WEB_PAGE, SCRIPT, BINARY, EMPTY = "text", "xml", "web page", "script", "binary", "empty"
TEXTUAL = frozenset({TEXT, XML, WEB_PAGE, SCRIPT})
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "pdf", "a PDF"),
    (b"PK\x03\x04", "zip", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "old office", "an older Office file (.doc, .xls or .ppt)"),
    (b"\xff\xfe", "utf-16", "UTF-16 text"),
    (b"\xfe\xff", "utf-16", "UTF-16 text"),
    (b"\x00\x00\xfe\xff", "utf-16", "UTF-16 text"),
    (b"MZ", "windows program", "a Windows program"),
    (b"\x7fELF", "program", "a program"),
    (b"\xca\xfe\xba\xbe", "program", "a program"),
    (b"\xcf\xfa\xed\xfe", "program", "a program"),
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
    (b"GIF8", "gif", "a GIF image"),
    (b"\x1f\x8b", "gzip", "a compressed (gzip) file"),
    (b"Rar!", "rar", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "a 7-Zip archive"),
)
LABELS = {kind: label for _, kind, label in SIGNATURES} | {
    TEXT: "a text file",
    XML: "an XML file",
    WEB_PAGE: "a web page",
    SCRIPT: "a script",
    BINARY: "binary data",
    EMPTY: "an empty file",
}
_WEB_PAGE = re.compile(rb"^\s*<(!doctype\s+html|html|script|svg)", re.IGNORECASE)


def _decodes(sample: bytes) -> bool:
    """UTF-8 (a character cut off at the end of a sample is allowed) or Windows-1252."""
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


def content_kind(data: bytes) -> str:
    """What `data` (a whole file or its first bytes) is by content: a key of `LABELS`. Text that
    starts with a signature (a program, a PDF) counts as that, not as text; NUL bytes anywhere in
    `data` make it binary."""
    if not data:
        return EMPTY
    for signature, kind, _ in SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data:
        return BINARY
    sample = data.removeprefix(codecs.BOM_UTF8)
    if not _decodes(sample):
        return BINARY
    if _WEB_PAGE.match(sample[:512]):
        return WEB_PAGE
    if sample.lstrip()[:1] == b"<":
        return XML
    if sample.startswith(b"#!"):
        return SCRIPT
    return TEXT


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


def _kind_is(*kinds: str) -> Callable[[bytes, IO[bytes]], bool]:
    return lambda head, _: content_kind(head) in kinds


@dataclass(frozen=True)
class FileType:
    """A type of file an app may accept: its usual extension(s), the content type it is served
    with, the name people know it by, and the check on its content (first bytes, whole file)."""

    extensions: tuple[str, ...]
    content_type: str
    label: str
    looks_right: Callable[[bytes, IO[bytes]], bool]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType((".pdf",), "application/pdf", "PDF", lambda head, _: head.startswith(b"%PDF-"))
DOCX = FileType(
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
    _office("word/"),
)
XLSX = FileType(
    (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", _office("xl/")
)
PPTX = FileType(
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint presentation",
    _office("ppt/"),
)
ODT = FileType(
    (".odt",),
    "application/vnd.oasis.opendocument.text",
    "OpenDocument text document",
    _opendocument(b"application/vnd.oasis.opendocument.text"),
)
PLAIN_TEXT = FileType((".txt",), "text/plain", "text file", _kind_is(TEXT))
CSV = FileType((".csv",), "text/csv", "CSV file", _kind_is(TEXT))
XML_FILE = FileType((".xml",), "application/xml", "XML file", _kind_is(XML))
PNG = FileType((".png",), "image/png", "PNG image", lambda head, _: head.startswith(b"\x89PNG\r\n\x1a\n"))
JPEG = FileType((".jpg", ".jpeg"), "image/jpeg", "JPEG image", lambda head, _: head.startswith(b"\xff\xd8\xff"))

# Older binary Office formats are refused with advice to save them in the current one.
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx", ".ppt": ".pptx"}


def safe_name(name: str, *, default: str = "file", extension: str | None = None, max_length: int = NAME_MAX) -> str:
    """The uploader's file name as a name only: no folders, no control characters, no leading or
    trailing dots, at most `max_length` characters with the extension kept. With `extension`, a name
    that does not end in it (any case) gets it added, so the stored name says what the content is."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".").strip() or default
    if extension and not base.lower().endswith(extension.lower()):
        base = f"{base}{extension}"
    if len(base) > max_length:
        stem, dot, ext = base.rpartition(".")
        if dot and stem and len(ext) <= 10:
            base = f"{stem[: max_length - len(ext) - 1].rstrip()}.{ext}"
        else:
            base = base[:max_length]
    return base


def check_size(size: int, limit: int, *, name: str = "", too_big: str = "") -> None:
    """Refuse a file over `limit` bytes. `too_big` may replace the message; it is formatted with
    {name}, {size} and {limit} (the sizes as "23 MB")."""
    if size <= limit:
        return
    who = f"“{name}”" if name else "The file"
    message = too_big or "{who} is {size}; the largest allowed is {limit}."
    raise ApplicationError(
        message.format(who=who, name=name, size=size_label(size), limit=size_label(limit)), field="file"
    )


def _read_head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _accepted_summary(accept: Iterable[FileType]) -> str:
    labels = list(dict.fromkeys(kind.label for kind in accept))
    if len(labels) == 1:
        return f"a {labels[0]}"
    return ", ".join(labels[:-1]) + f" or {labels[-1]}"


def describe(head: bytes, upload: IO[bytes]) -> str:
    """What a file looks like ("a Windows program", "an Excel spreadsheet"), or "" for text and
    unrecognised bytes. A ZIP is looked inside to name the Office or OpenDocument file it is."""
    seen = content_kind(head)
    if seen == "zip":
        for package in (DOCX, XLSX, PPTX, ODT):
            try:
                if package.looks_right(head, upload):
                    return f"an {package.label}" if package.label[0] in "AEIOU" else f"a {package.label}"
            finally:
                upload.seek(0)
    return "" if seen in (TEXT, BINARY, EMPTY) else LABELS[seen]


def check_upload(
    upload: IO[bytes],
    *,
    name: str,
    size: int,
    accept: Iterable[FileType],
    limit: int,
    too_big: str = "",
    allowed_summary: str = "",
    what: str = "Files",
) -> FileType:
    """The type of an acceptable file among `accept`, chosen by its name's extension and confirmed
        by its content; otherwise ApplicationError(field="file") saying what is wrong. `name` is the
        name to show (already through `safe_name`); a refusal of the type says "{what} can be
    {allowed_summary} files" (by default the accepted types' names)."""
    accept = tuple(accept)
    check_size(size, limit, name=name, too_big=too_big)
    if size == 0:
        raise ApplicationError(f"“{name}” is empty.", field="file")
    ext = PurePath(name.lower()).suffix
    if ext in OLD_OFFICE:
        raise ApplicationError(
            f"“{name}” is in an older Office format. Open it and save it as {OLD_OFFICE[ext]}, then upload that.",
            field="file",
        )
    kind = next((k for k in accept if ext in k.extensions), None)
    if kind is None:
        allowed = allowed_summary or _accepted_summary(accept)
        raise ApplicationError(f"“{name}” cannot be uploaded. {what} can be {allowed} files.", field="file")
    head = _read_head(upload)
    try:
        ok = kind.looks_right(head, upload)
    finally:
        upload.seek(0)
    if not ok:
        seen = describe(head, upload)
        looks = f" It looks like {seen}." if seen else ""
        raise ApplicationError(
            f"“{name}” is called a {kind.label} but its content is not one.{looks} "
            f"Save it again as a {kind.label} and upload that, or choose another file.",
            field="file",
        )
    return kind


def refuse_non_text(data: bytes, *, what: str = "a text file", advice: dict[str, str] | None = None) -> str:
    """Refuse `data` unless it is text (XML and other markup included); return its kind. `advice`
    maps a kind (a key of `LABELS`) to the message for it, replacing "This is not {what}: it looks
    like ..."."""
    kind = content_kind(data)
    if kind in TEXTUAL:
        return kind
    if advice and kind in advice:
        raise ApplicationError(advice[kind], field="file")
    if kind == EMPTY:
        raise ApplicationError("The file is empty.", field="file")
    if kind == BINARY:
        raise ApplicationError(f"This is not {what}: it contains binary data.", field="file")
    raise ApplicationError(f"This is not {what}: it looks like {LABELS[kind]}.", field="file")


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes `limit` bytes, so an oversized file is dropped
    as it streams in (nothing large is kept in memory or on disk) and the page can say so. Put it
    first in `request.upload_handlers` before the request's files are read."""

    def __init__(self, request: object = None, *, limit: int) -> None:
        super().__init__(request)  # type: ignore[arg-type]
        self.limit = limit
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
