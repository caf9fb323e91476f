"""A page whose write waits out SQLite's busy timeout says "try again" (503), not a server error."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def _raise(message: str):  # type: ignore[no-untyped-def]
    def service(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError(message)

    return service


def test_a_busy_database_on_a_page_is_a_503_that_says_nothing_was_saved(client, world, monkeypatch):
    monkeypatch.setattr("partnership.accounts.views.person_update_contact", _raise("database is locked"))
    client.force_login(world["teacher"])
    response = client.post("/account/", {"full_name": "New Name"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing you just sent was saved" in response.content.decode()


def test_other_database_errors_are_not_disguised(client, world, monkeypatch):
    monkeypatch.setattr("partnership.accounts.views.person_update_contact", _raise("no such table: x"))
    client.raise_request_exception = True
    client.force_login(world["teacher"])
    with pytest.raises(OperationalError):
        client.post("/account/", {"full_name": "New Name"})
