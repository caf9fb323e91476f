"""Checks of a PDF's layout for tests: blank pages (read back with pypdf) and table rows split
across pages (from WeasyPrint's own layout of the document, recorded while it is rendered)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint import HTML

# The running footer of every page (core/pdf_base.html): the title and "Page n of m".
FOOTER = re.compile(r"Page \d+ of \d+")


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def blank_pages(pdf: bytes, title: str) -> list[int]:
    """Numbers (from 1) of pages with nothing on them but the running footer."""
    blank = []
    for number, text in enumerate(page_texts(pdf), 1):
        body = FOOTER.sub("", text).replace(title, "").strip()
        if not body:
            blank.append(number)
    return blank


def record_layouts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """A list that fills with the WeasyPrint documents (pages and boxes) rendered from now on in
    the test, in order."""
    documents: list[Any] = []
    render = HTML.render

    def recording(self: HTML, *args: Any, **kwargs: Any) -> Any:
        document = render(self, *args, **kwargs)
        documents.append(document)
        return document

    monkeypatch.setattr(HTML, "render", recording)
    return documents


def _walk(box: Any, header: bool = False) -> Any:
    header = header or bool(getattr(box, "is_header", False))
    yield box, header
    for child in getattr(box, "children", None) or []:
        yield from _walk(child, header)


def _text(box: Any) -> str:
    return " ".join(b.text for b, _ in _walk(box) if type(b).__name__ == "TextBox").strip()


def split_rows(document: Any) -> list[str]:
    """The text of each table body row that is laid out on more than one page. (A table's header
    row appears on every page it runs onto, by design, and is not counted.)"""
    pages_of: dict[int, set[int]] = {}
    text_of: dict[int, str] = {}
    for number, page in enumerate(document.pages, 1):
        for box, header in _walk(page._page_box):
            if type(box).__name__ == "TableRowBox" and not header:
                pages_of.setdefault(id(box.element), set()).add(number)
                text_of.setdefault(id(box.element), _text(box))
    return [text_of[key] for key, pages in pages_of.items() if len(pages) > 1]


def headings_by_page(document: Any, tag: str) -> list[list[str]]:
    """For each page, the text of the `tag` headings on it."""
    return [
        [_text(box) for box, _ in _walk(page._page_box) if type(box).__name__ == "BlockBox" and box.element_tag == tag]
        for page in document.pages
    ]


def charts_by_page(document: Any) -> list[int]:
    """For each page, how many SVG images (charts) it holds."""
    return [
        sum(1 for box, _ in _walk(page._page_box) if str(getattr(box, "element_tag", "")).endswith("svg"))
        for page in document.pages
    ]
