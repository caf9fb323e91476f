import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and lockouts live in the cache: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_make_parametrize_id(config, val, argname):  # type: ignore[no-untyped-def]
    """Short, stable ids for file contents. Zip-based files (DOCX, XLSX, ODT) made at collection
    time carry the time in their bytes; an id spelled from them differs from one test process to
    the next, and pytest-xdist's workers must collect the same tests."""
    if isinstance(val, bytes) and (len(val) > 40 or not val.isascii() or b"\x00" in val):
        return f"{val[:2].decode('ascii', 'replace')}-{len(val)}-bytes" if val[:2].isalnum() else f"{len(val)}-bytes"
    return None
