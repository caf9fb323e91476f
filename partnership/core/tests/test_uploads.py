"""The upload validator: type by content, size against a limit, safe names, never a 500."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadhandler import SkipFile
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.core.exports import xlsx_bytes

MB = 1024 * 1024
EVERY_TYPE = (
    uploads.PDF,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    uploads.ODT,
    uploads.PLAIN_TEXT,
    uploads.CSV,
    uploads.XML_FILE,
    uploads.PNG,
    uploads.JPEG,
)


def _zip(parts: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _office(main: str, content_type: str, body: bytes = b"<doc/>") -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{main}" ContentType="{content_type}"/></Types>'
    ).encode()
    return _zip({"[Content_Types].xml": types, "_rels/.rels": b"<Relationships/>", main: body})


def _real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Agenda for the spring network meeting</p>").write_pdf()


DOCX = _office("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
PPTX = _office("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
XLSX = xlsx_bytes([("Scores", ["School", "Score"], [["St Mary's", 98]])])
ODT = _zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
    method=zipfile.ZIP_STORED,
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
CSV = "School,Score\r\nSt Mary’s,98\r\n".encode()
XML = b'<?xml version="1.0" encoding="UTF-8"?><CTfile><Header/></CTfile>'


def check(name: str, data: bytes, *, accept=EVERY_TYPE, limit: int = 10 * MB) -> uploads.FileType:
    return uploads.check_upload(io.BytesIO(data), name=name, size=len(data), accept=accept, limit=limit)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("Agenda.pdf", "pdf", uploads.PDF),
        ("Report.DOCX", DOCX, uploads.DOCX),
        ("Scores.xlsx", XLSX, uploads.XLSX),
        ("Slides.pptx", PPTX, uploads.PPTX),
        ("Notes.odt", ODT, uploads.ODT),
        ("Scores.csv", CSV, uploads.CSV),
        ("Notes.txt", "Café notes".encode("cp1252"), uploads.PLAIN_TEXT),
        ("Pupils.xml", XML, uploads.XML_FILE),
        ("Chart.png", PNG, uploads.PNG),
        ("Photo.jpg", JPEG, uploads.JPEG),
        ("Photo.jpeg", JPEG, uploads.JPEG),
    ],
)
def test_each_type_is_recognised_from_its_real_bytes(name, data, expected):
    data = _real_pdf() if data == "pdf" else data
    kind = check(name, data)
    assert kind == expected
    assert kind.content_type == expected.content_type


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("minutes.pdf", EXE, "is called a PDF but its content is not one. It looks like a Windows program."),
        ("minutes.pdf", _zip({"notes.txt": b"hi"}), "is called a PDF but its content is not one. It looks like a ZIP"),
        ("report.docx", XLSX, "is called a Word document but its content is not one. It looks like an Excel"),
        ("report.docx", _zip({"word/document.xml": b"<w/>"}), "is called a Word document"),  # no [Content_Types]
        ("notes.odt", DOCX, "It looks like a Word document."),
        ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>", "It looks like a web page."),
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "It looks like a script."),
        ("scores.csv", b"a,b\x00\x00\x00c", "is called a CSV file but its content is not one."),
        ("chart.png", b"GIF89a\x01\x00\x01\x00", "It looks like a GIF image."),
        ("pupils.xml", CSV, "is called a XML file"),
        ("setup.exe", EXE, "cannot be uploaded. Files can be PDF, Word document,"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "older Office format. Open it and save it as .docx"),
        ("passwd", b"root:x:0:0", "cannot be uploaded"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused_saying_what_it_looks_like(name, data, says):
    with pytest.raises(ApplicationError) as exc:
        check(name, data)
    assert says in exc.value.message
    assert exc.value.field == "file"


def test_an_empty_file_is_refused():
    with pytest.raises(ApplicationError, match="“empty.pdf” is empty."):
        check("empty.pdf", b"")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(ApplicationError) as exc:
        uploads.check_size(23 * MB, 10 * MB)
    assert exc.value.message == "The file is 23 MB; the largest allowed is 10 MB."
    uploads.check_size(10 * MB, 10 * MB)  # exactly the limit is allowed


def test_an_app_can_word_the_size_refusal_its_own_way():
    with pytest.raises(ApplicationError) as exc:
        uploads.check_size(1500, 1000, name="big.csv", too_big="{who} is {size}; imports are up to {limit}.")
    assert exc.value.message == "“big.csv” is 1 KB; imports are up to 1,000 bytes."


def test_a_docx_over_the_size_limit_is_refused_before_its_content_is_read():
    padded = _office("word/document.xml", "main+xml", body=os.urandom(2 * MB))
    with pytest.raises(ApplicationError, match=r"“padded.docx” is 2 MB; the largest allowed is 1 MB"):
        check("padded.docx", padded, limit=1 * MB)


def test_a_zip_bomb_docx_is_checked_without_being_inflated():
    """200 MB of zeros deflate to about 200 KB: the check reads only the package's table of
    contents (and at most 100 bytes of an OpenDocument mimetype), so it is quick and small."""
    bomb = _office("word/document.xml", "main+xml", body=b"\x00" * (200 * MB))
    odt_bomb = _zip({"mimetype": b"application/vnd.oasis.opendocument.text" + b"\x00" * (200 * MB)})
    assert len(bomb) < 1 * MB and len(odt_bomb) < 1 * MB
    started = time.monotonic()
    assert check("bomb.docx", bomb) == uploads.DOCX
    with pytest.raises(ApplicationError, match="is called a OpenDocument text document"):
        check("bomb.odt", odt_bomb)
    assert time.monotonic() - started < 2


def test_only_the_accepted_types_are_accepted():
    with pytest.raises(ApplicationError, match="“Chart.png” cannot be uploaded. Papers can be a PDF files."):
        uploads.check_upload(
            io.BytesIO(PNG), name="Chart.png", size=len(PNG), accept=[uploads.PDF], limit=MB, what="Papers"
        )


def test_the_file_is_left_at_its_start_for_saving():
    upload = io.BytesIO(DOCX)
    uploads.check_upload(upload, name="a.docx", size=len(DOCX), accept=EVERY_TYPE, limit=MB)
    assert upload.tell() == 0 and upload.read() == DOCX


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd", None, "passwd"),
        ("../../etc/passwd", ".txt", "passwd.txt"),
        ("..\\..\\Windows\\system32\\evil.pdf", None, "evil.pdf"),
        ("résumé\x00.pdf", None, "résumé.pdf"),
        ("Budget\x07\u202e 2031.pdf", None, "Budget 2031.pdf"),
        ("  ...hidden.pdf.  ", None, "hidden.pdf"),
        ("", None, "file"),
        ("../..", None, "file"),
        ("Report.DOCX", ".docx", "Report.DOCX"),
        ("scores", ".csv", "scores.csv"),
        ("photo.pdf", ".png", "photo.pdf.png"),
    ],
)
def test_names_are_made_safe(name, extension, expected):
    assert uploads.safe_name(name, extension=extension) == expected


def test_long_names_are_cut_to_200_characters_keeping_the_extension():
    name = "a" * 300 + ".pdf"
    safe = uploads.safe_name(name)
    assert len(safe) == 200 and safe.endswith("a.pdf")
    assert len(uploads.safe_name("b" * 300)) == 200
    assert uploads.safe_name("c" * 300, extension=".csv").endswith("c.csv")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", uploads.EMPTY),
        (b"%PDF-1.7\n", "pdf"),
        (b"PK\x03\x04rest", "zip"),
        (EXE, "windows program"),
        (b"\x7fELF\x02\x01", "program"),
        ("upn,surname".encode("utf-16"), "utf-16"),
        (b"a,b\r\n1,2\r\n", uploads.TEXT),
        (b"\xef\xbb\xbfupn,surname", uploads.TEXT),
        (XML, uploads.XML),
        (b"  <html><body>", uploads.WEB_PAGE),
        (b"plain\x00text", uploads.BINARY),
        (b"\x81\x8d\x8f\x90\x9d", uploads.BINARY),  # neither UTF-8 nor Windows-1252
    ],
)
def test_content_kinds(data, kind):
    assert uploads.content_kind(data) == kind


def test_refusing_what_is_not_text_names_what_it_is():
    assert uploads.refuse_non_text(XML, what="a CSV or CTF file") == uploads.XML
    with pytest.raises(ApplicationError, match="This is not a CSV or CTF file: it looks like a Windows program."):
        uploads.refuse_non_text(EXE, what="a CSV or CTF file")
    with pytest.raises(ApplicationError, match="it contains binary data"):
        uploads.refuse_non_text(b"a,b\x00", what="a CSV or CTF file")
    with pytest.raises(ApplicationError, match="Save it as CSV"):
        uploads.refuse_non_text(XLSX, advice={"zip": "A workbook. Save it as CSV."})


def test_the_size_limit_handler_drops_a_file_once_it_passes_the_limit():
    handler = uploads.SizeLimitHandler(limit=10)
    handler.new_file("file", "big.pdf", "application/pdf", 0)
    assert handler.receive_data_chunk(b"%PDF-1", 0) == b"%PDF-1"
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"12345", 6)
    assert handler.too_big == "big.pdf"
    handler.new_file("file", "small.pdf", "application/pdf", 0)
    assert handler.receive_data_chunk(b"%PDF-1", 0) == b"%PDF-1"


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.sampled_from([DOCX, XLSX, ODT, PNG, EXE, CSV, XML]).map(lambda d: d[: len(d) // 2]),
    ),
    name=st.text(max_size=40).map(lambda stem: stem + ".") | st.just(""),
    ext=st.sampled_from(["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "xml", "png", "jpg", "exe", ""]),
)
def test_any_bytes_under_any_name_are_accepted_or_refused_with_a_message(data, name, ext):
    safe = uploads.safe_name(name + ext)
    assert "/" not in safe and "\\" not in safe and all(ch.isprintable() for ch in safe) and len(safe) <= 200
    try:
        kind = check(safe, data)
    except ApplicationError as exc:
        assert exc.message and exc.field == "file"
    else:
        assert kind.looks_right(data[: uploads.SNIFF_BYTES], io.BytesIO(data))
