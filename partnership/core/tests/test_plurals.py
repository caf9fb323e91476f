"""Counts agree with their nouns ("1 pupil", "2 pupils"): templates pluralize every counted noun and
never write "(s)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("partnership/*/templates/**/*.html")])
# A number printed then a plural noun, with no `pluralize` between: "{{ rows|length }} schools".
COUNTED_NOUN = re.compile(r"\{\{\s*([\w.]+(?:\|length)?)\s*\}\}\s+(?:more\s+)?([a-z]{3,}s)\b")
NUMBER_NAME = re.compile(r"count|length|total|hidden|number|\bn\b|_n\b")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_counted_nouns_are_pluralized(path):
    text = path.read_text()
    assert "(s)" not in text, f"{path.name}: write the noun with pluralize, not (s)"
    for match in COUNTED_NOUN.finditer(text):
        variable, noun = match.groups()
        assert not NUMBER_NAME.search(variable), f"{path.name}: “{match.group(0)}” needs {variable}|pluralize"


def test_the_import_preview_counts_hidden_problems_in_the_singular_too():
    path = ROOT / "partnership/outcomes/templates/outcomes/import_preview.html"
    line = next(line for line in path.read_text().splitlines() if "more problem" in line)
    assert "And 1 more problem not listed here." in Template(line).render(Context({"hidden_problems": 1}))
    assert "And 2 more problems not listed here." in Template(line).render(Context({"hidden_problems": 2}))
