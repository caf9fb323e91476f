"""Heads accepting support requests through the same register entry at the same moment, each on
their own database connection with real transactions: the entry is never booked beyond its
capacity.

On PostgreSQL (`.ci/run`'s second pass) the acceptances run truly at once: `request_accept` locks
the entry's row (SELECT ... FOR UPDATE), so each counts what the others hold only after they have
committed. SQLite allows one writer at a time, so there they take turns behind a lock here (and
behind SQLite's own write lock); the count under the lock is what refuses the extra ones.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Sum

from partnership.core.errors import ApplicationError
from partnership.core.roles import Role
from partnership.directory.tests.factories import build_world, member_school, staff
from partnership.goodpractice import support
from partnership.goodpractice.models import SupportRequest
from partnership.goodpractice.tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 30


def _turn() -> Any:
    return threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()


def _acceptor(pk: int, actor: Any, barrier: threading.Barrier, turn: Any, results: dict[int, Any]) -> Any:
    def accept() -> None:
        try:
            req = SupportRequest.objects.get(pk=pk)
            barrier.wait(TIMEOUT)
            with turn:
                support.request_accept(req=req, actor=actor)
            results[pk] = "accepted"
        except ApplicationError:
            results[pk] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the test, not swallowed
            results[pk] = exc
        finally:
            connections.close_all()

    return accept


@pytest.mark.parametrize("capacity, asks, wanted", [(5, 2, 2), (4, 3, 1)])
def test_concurrent_acceptances_never_overbook_the_entry(capacity, asks, wanted, monkeypatch):
    counted = support.reserved_sessions

    def slowly_counted(entry: Any) -> int:
        """Hold the gap between counting and saving open, so acceptances that were not kept apart
        by the lock would overlap in it."""
        held = counted(entry)
        time.sleep(0.05)
        return held

    monkeypatch.setattr(support, "reserved_sessions", slowly_counted)
    world = build_world()
    factories.areas()
    answerer = world["partner_head"]
    entry = factories.entry(world.home, world.partner, by=answerer, capacity=capacity)
    requests = []
    for n in range(5):
        school = member_school(world.home, name=f"Asking School {n}", slug=f"asking-{n}")
        head = staff(school, Role.HEADTEACHER, email=f"head@asking{n}.test")
        requests.append(factories.request_at(entry, school, asker=head, answerer=answerer, sessions=asks))
    for _ in range(2):  # a second round after closing the first round's acceptances
        barrier, turn, results = threading.Barrier(len(requests)), _turn(), {}
        threads = [threading.Thread(target=_acceptor(r.pk, answerer, barrier, turn, results)) for r in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
            assert not thread.is_alive(), "an acceptance never finished"
        assert all(value in ("accepted", "refused") for value in results.values()), results
        accepted = [pk for pk, value in results.items() if value == "accepted"]
        assert len(accepted) == wanted, results
        held = SupportRequest.objects.filter(entry=entry, status__in=SupportRequest.OPEN).aggregate(n=Sum("reserved"))
        assert held["n"] == wanted * asks <= capacity
        assert support.reserved_sessions(entry) == wanted * asks
        for req in SupportRequest.objects.filter(pk__in=accepted):
            support.request_close(req=req, actor=answerer)
        requests = [
            factories.request_at(entry, r.requesting_school, asker=r.requested_by, answerer=answerer, sessions=asks)
            for r in SupportRequest.objects.filter(pk__in=accepted)
        ] + list(
            SupportRequest.objects.filter(entry=entry, status=SupportRequest.Status.REQUESTED).exclude(pk__in=accepted)
        )
        requests = list({r.pk: r for r in requests}.values())
