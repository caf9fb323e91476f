import copy
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from partnership.directory.tests.factories import World, build_world


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """The cast, built once for a whole test module inside a transaction rolled back at its end.

    Each test's own transaction (pytest-django's `django_db`) is a savepoint inside this one, so
    what a test writes is rolled back before the next. Not for `transaction=True` tests.
    """
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block, "the module's cast must be built outside any test's transaction"
        outer = transaction.atomic()
        outer.__enter__()
        try:
            pristine = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield pristine
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def shared_world(request, world_once: World, db) -> World:  # type: ignore[no-untyped-def]
    """A test's copy of the module's cast: the same rows, and Python objects of its own.

    The copy is taken from the objects as `build_world()` left them, so whatever a test changes
    on them in memory (a saved field, a cached access principal) is gone in the next test.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        pytest.fail("transaction=True tests empty the database: they need their own `world`, not the module's")
    return copy.deepcopy(world_once)
