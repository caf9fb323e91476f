"""Destructive buttons (delete, cancel, remove, disable, revoke...) are warning buttons, and never
the first action of a button group: the safe or main action comes first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("partnership/*/templates/**/*.html")])
BUTTON = re.compile(r"<button\b([^>]*)>\s*([^<{]*)", re.S)
DESTRUCTIVE = re.compile(
    r"^(Delete|Cancel meeting|Remove|Disable|Revoke|End |Withdraw|Refuse|Switch off|Record leaving)", re.I
)
GROUP = re.compile(r'<div class="govuk-button-group[^"]*">(.*?)</div>', re.S)


def _classes(attributes: str) -> set[str]:
    found = re.search(r'class="([^"]*)"', attributes)
    return set(found.group(1).split()) if found else set()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_destructive_buttons_are_warnings_and_never_lead_a_group(path):
    text = path.read_text()
    for attributes, label in BUTTON.findall(text):
        classes = _classes(attributes)
        if DESTRUCTIVE.match(label.strip()) and "app-link-button" not in classes:
            assert "govuk-button--warning" in classes, f"{path.name}: “{label.strip()}” is not a warning button"
    for group in GROUP.findall(text):
        first = BUTTON.search(group) or re.search(r"<a\b([^>]*govuk-button[^>]*)>\s*([^<{]*)", group)
        if first:
            assert "govuk-button--warning" not in _classes(first.group(1)), f"{path.name}: a group led by a warning"
