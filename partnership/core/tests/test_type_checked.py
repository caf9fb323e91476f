"""mypy (`make types`) checks every app's services and selectors: a new one is listed in pyproject.toml."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_mypy_covers_every_services_and_selectors_module():
    checked = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"])
    modules = {
        path.relative_to(ROOT).as_posix()
        for name in ("services.py", "selectors.py")
        for path in (ROOT / "partnership").rglob(name)
    }
    assert len(modules) >= 10
    missing = sorted(modules - checked)
    assert not missing, f"add to [tool.mypy] files in pyproject.toml: {missing}"
    assert all((ROOT / name).exists() for name in checked), "[tool.mypy] files lists a module that is gone"
