"""The access matrix's POST rows for the register and support pages do what they say: for every
person the policy allows, the payload is accepted (a redirect, no error shown), so the matrix's
"allowed" is about the action being done and not a form sent back with errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.messages import ERROR, get_messages
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.goodpractice.tests.access_register import ENTRIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):  # type: ignore[no-untyped-def]
    return shared_world


def _allowed() -> Iterator[Any]:
    for key, entry in ENTRIES.items():
        if entry.method != "post":
            continue
        for role, cells in entry.allow.items():
            for scope, cell in zip(entry.scopes, cells, strict=True):
                if cell == "A":
                    yield pytest.param(key, role, scope, id=f"{key}-{role}-{scope}")


@pytest.mark.parametrize(("key", "role", "scope"), list(_allowed()))
def test_an_allowed_post_is_carried_out(client, world, key, role, scope):
    entry = ENTRIES[key]
    assert entry.kwargs is not None
    url = reverse(entry.name, kwargs=entry.kwargs(world, scope))
    query = entry.query(world)
    if query:
        url = f"{url}?{urlencode(query)}"
    client.force_login(world[role])
    before = AuditEvent.objects.count()
    response = client.post(url, entry.data(world))
    assert response.status_code == 302, f"POST {url} as {role}: {response.status_code}"
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level == ERROR]
    assert not errors, f"POST {url} as {role}: {errors}"
    assert AuditEvent.objects.count() > before, f"POST {url} as {role}: nothing was recorded"
