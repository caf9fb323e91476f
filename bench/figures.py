"""Figures a benchmark module prints after pytest-benchmark's table: `FIGURES = section("page
times")` gives the module a list to append lines to; `conftest.py` prints every section at the end."""

from __future__ import annotations

SECTIONS: dict[str, list[str]] = {}


def section(title: str) -> list[str]:
    return SECTIONS.setdefault(title, [])
