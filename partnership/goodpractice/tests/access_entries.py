"""Access matrix entries for the good practice app (walked by core's test_access_matrix.py).

Each part of the app keeps its entries in a module beside this one (`access_<part>.py`, each with
its own `ENTRIES`); this module gathers them, refusing a name defined twice.
"""

from __future__ import annotations

import importlib
import pkgutil

from partnership.core.tests.matrix import SIGNED_IN, Entry
from partnership.goodpractice import tests as _tests

ENTRIES: dict[str, Entry] = {
    # The front page: any signed-in person (it lists what each may open).
    "goodpractice:index": Entry("goodpractice:index", SIGNED_IN),
}

for _info in pkgutil.iter_modules(_tests.__path__):
    if _info.name.startswith("access_") and _info.name != "access_entries":
        _part = importlib.import_module(f"{_tests.__name__}.{_info.name}").ENTRIES
        _clash = set(_part) & set(ENTRIES)
        assert not _clash, f"access entries defined twice: {_clash}"
        ENTRIES.update(_part)
