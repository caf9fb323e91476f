import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and lockouts live in the cache: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
