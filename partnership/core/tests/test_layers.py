"""Imports point down the layers: core <- accounts <- directory <- actions <- the capability apps <- api, home.

Core is the base every app builds on, so it imports no domain app; the capability apps do not
import each other. `STILL_UPWARD` lists the arrows that still point the wrong way (each is to be
removed, and the test fails when one is gone but still listed, so the list only shrinks); any new
one fails the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import partnership

LAYERS = {
    "core": 0,
    "accounts": 1,
    "directory": 2,
    "actions": 3,  # the one action log, which every capability raises actions in
    "plans": 4,
    "meetings": 4,
    "outcomes": 4,
    "reviews": 4,
    "moderation": 4,
    "goodpractice": 4,
    "api": 5,
    "home": 5,
}
ROOT = Path(partnership.__file__).parent

STILL_UPWARD: set[tuple[str, str]] = set()


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def upward_imports() -> set[tuple[str, str]]:
    arrows = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in LAYERS or "tests" in parts or "migrations" in parts:
            continue
        app = parts[0]
        for module in _imports(path):
            names = module.split(".")
            if len(names) > 1 and names[0] == "partnership" and names[1] in LAYERS and names[1] != app:
                if LAYERS[names[1]] >= LAYERS[app]:
                    arrows.add(("/".join(parts), names[1]))
    return arrows


def test_no_new_import_points_up_the_layers():
    new = upward_imports() - STILL_UPWARD
    assert not new, f"imports that point up (or across) the layers: {sorted(new)}"


def test_the_list_of_remaining_upward_imports_only_shrinks():
    gone = STILL_UPWARD - upward_imports()
    assert not gone, f"no longer upward: remove from STILL_UPWARD: {sorted(gone)}"


def test_core_engine_modules_import_no_domain_app():
    # The access engine, audit, registry, exports, charts and pages are the base of every app.
    domain = tuple(f"partnership.{app}" for app in LAYERS if app != "core")
    for path in (ROOT / "core").glob("*.py"):
        bad = {m for m in _imports(path) if m.startswith(domain)}
        assert not bad, f"core/{path.name} imports {sorted(bad)}"
