"""The RAB pack PDF for a partnership of ten schools: how long the whole download takes, and how
much of it is the charts (building the Vega-Lite specs with Altair, then SVG with vl-convert),
WeasyPrint's layout and writing the PDF.

Run with `make bench` (or `pytest bench/test_rab_pack.py --benchmark-only`). The partnership is the
dashboard benchmark's ten schools (`test_outcomes_scaling.build_partnership`: three years of
results). After a warm-up download (fonts, templates, Vega loaded), the download is timed through
the test client as the coordinator, the cache emptied first (the first download after an import);
then again with the pack cached (every later download until the next import).
`charts.percentage_bars`, `charts.svg`, `weasyprint.HTML.render` and
`weasyprint.Document.write_pdf` are wrapped to add up their time in each round, and the medians are
printed in a "RAB pack figures" section at the end of the run. What remains is the figures
(queries and statistics), the templates and WeasyPrint's parsing of the HTML.
"""

from __future__ import annotations

import io
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from figures import section
from pypdf import PdfReader
from test_outcomes_scaling import build_partnership
from weasyprint import HTML, Document

from partnership.core import charts

SCHOOLS = 10
ROUNDS = 5
PARTS = ("total", "specs", "charts", "layout", "pdf")
FIGURES = section("RAB pack figures")  # printed after the benchmark table


def _timed(spent: dict[str, float], part: str, work: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            spent[part] += time.perf_counter() - started

    return wrapper


@pytest.mark.django_db
def test_rab_pack_pdf(benchmark, monkeypatch):
    coordinator, partnership, results = build_partnership(SCHOOLS)
    client = Client()
    client.force_login(coordinator)
    url = f"/outcomes/partnerships/{partnership.slug}/rab-pack.pdf"
    response = client.get(url)  # warm-up
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = len(PdfReader(io.BytesIO(response.content)).pages)

    rounds: list[dict[str, float]] = []
    spent: dict[str, float] = defaultdict(float)
    monkeypatch.setattr(charts, "percentage_bars", _timed(spent, "specs", charts.percentage_bars))
    monkeypatch.setattr(charts, "svg", _timed(spent, "charts", charts.svg))
    monkeypatch.setattr(HTML, "render", _timed(spent, "layout", HTML.render))
    monkeypatch.setattr(Document, "write_pdf", _timed(spent, "pdf", Document.write_pdf))

    def download() -> None:
        cache.clear()  # the pack is cached until the next import: time it as made afresh
        spent.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        spent["total"] = time.perf_counter() - started
        rounds.append(dict(spent))

    benchmark.group = "RAB pack"
    benchmark.pedantic(download, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    ms = {part: statistics.median(r.get(part, 0.0) for r in rounds) * 1000 for part in PARTS}
    rest = ms["total"] - ms["specs"] - ms["charts"] - ms["layout"] - ms["pdf"]
    benchmark.extra_info.update(schools=SCHOOLS, results=results, pages=pages)
    benchmark.extra_info.update({f"{part}_ms": round(value) for part, value in ms.items()})
    FIGURES.append(
        f"RAB pack, {SCHOOLS} schools ({results:,} results, {pages} pages): median {ms['total']:.0f} ms = "
        f"chart specs {ms['specs']:.0f} + SVG {ms['charts']:.0f} + layout {ms['layout']:.0f} + PDF {ms['pdf']:.0f} "
        f"+ figures, templates and HTML parsing {rest:.0f}"
    )
    client.get(url)
    warm = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        warm.append((time.perf_counter() - started) * 1000)
    benchmark.extra_info.update(cached_ms=round(statistics.median(warm), 1))
    FIGURES.append(f"RAB pack again before the next import (cached): median {statistics.median(warm):.1f} ms")
