"""Several clients PATCH one action through the API at the same moment, each on its own thread and
database connection, with real transactions: exactly one is saved, every other is told 409, and none
is a 500 (on SQLite, writers queue for the one write lock instead of failing "database is locked").

Runs on SQLite by default and on PostgreSQL when DATABASE_URL points at it."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from partnership.accounts.services import api_token_create
from partnership.actions.models import Action
from partnership.actions.services import action_create

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 6
TIMEOUT = 60


def test_simultaneous_patches_from_one_version_give_one_200_and_409s_never_500(world):
    action = action_create(title="Audit books", owner=world["teacher"], created_by=world["head"], school=world.own)
    _, raw = api_token_create(user=world["head"])
    barrier = threading.Barrier(EDITORS)
    statuses: dict[int, int] = {}

    def edit(n: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            barrier.wait(TIMEOUT)
            response = client.patch(
                f"/api/v1/actions/{action.pk}/",
                {"version": 1, "title": f"Edit {n}"},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {raw}",
            )
            statuses[n] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "an editor never finished"

    assert sorted(statuses.values()) == [200] + [409] * (EDITORS - 1), statuses
    winner = next(n for n, code in statuses.items() if code == 200)
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.version) == (f"Edit {winner}", 2)


def test_a_database_still_locked_after_the_wait_is_a_503_to_retry_not_a_500(world, monkeypatch):
    from django.db import OperationalError

    from partnership.actions import services

    def locked(**kwargs):
        raise OperationalError("database is locked")

    action = action_create(title="Audit books", owner=world["teacher"], created_by=world["head"], school=world.own)
    _, raw = api_token_create(user=world["head"])
    monkeypatch.setattr(services, "action_update", locked)
    response = Client(raise_request_exception=False).patch(
        f"/api/v1/actions/{action.pk}/",
        {"version": 1, "title": "Edit"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "busy" in response.json()["detail"]
