"""Two people editing the same action at once, each on their own database connection, with real
transactions (no test-case transaction wrapping them): the first save wins, the second is refused
with StaleActionError, and the stored row has the winner's change and nothing of the loser's.

Run on SQLite by default and on PostgreSQL with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python -m pytest <this file>`.
SQLite allows one writer at a time, so there the two saves take turns (behind a lock here, and behind
SQLite's own write lock, which every transaction takes when it begins) after both have read; the
version check is what refuses the second. PostgreSQL runs the saves truly at once: the row lock
(SELECT ... FOR UPDATE) and the `UPDATE ... WHERE version = N` decide.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from partnership.actions.models import Action
from partnership.actions.services import StaleActionError, action_create, action_update

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 20


def _write_turn() -> Any:
    return threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()


def _run(*targets: Any) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "an editor never finished"


def _editor(pk: int, actor: Any, data: dict[str, Any], barrier: threading.Barrier, turn: Any, results: dict) -> Any:
    """One person: load the action (version N) on this thread's own connection, wait until the other
    person has loaded it too, then save their change against version N."""

    def edit() -> None:
        try:
            loaded = Action.objects.get(pk=pk)
            results[f"{actor.email} read"] = loaded.version
            barrier.wait(TIMEOUT)
            with turn:
                action_update(action=loaded, expected_version=loaded.version, actor=actor, data=data)
            results[actor.email] = "saved"
        except StaleActionError:
            results[actor.email] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the test below, not swallowed
            results[actor.email] = exc
        finally:
            connections.close_all()

    return edit


def test_two_editors_from_the_same_version_one_wins_and_nothing_is_lost(world):
    head, teacher = world["head"], world["teacher"]
    changes = {head.email: {"title": "Audit every book"}, teacher.email: {"status": "done"}}
    for round_number in range(5):  # a few rounds, so both orders get a chance to happen
        action = action_create(title="Audit phonics books", owner=teacher, created_by=head, school=world.own)
        barrier, turn, results = threading.Barrier(2), _write_turn(), {}
        _run(*(_editor(action.pk, person, changes[person.email], barrier, turn, results) for person in (head, teacher)))

        assert results[f"{head.email} read"] == results[f"{teacher.email} read"] == 1
        outcomes = sorted(str(results[person.email]) for person in (head, teacher))
        assert outcomes == ["refused", "saved"], f"round {round_number}: {results}"
        winner = next(email for email in changes if results[email] == "saved")
        loser = next(email for email in changes if results[email] == "refused")
        stored = Action.objects.get(pk=action.pk)
        assert stored.version == 2
        for name, value in changes[winner].items():
            assert getattr(stored, name) == value
        for name in changes[loser]:
            assert getattr(stored, name) == getattr(action, name), f"the refused change to {name} was written"


def test_a_save_waiting_on_an_uncommitted_save_is_refused_when_it_commits(world):
    """The head's save is still open (not committed) when the teacher saves from the same version:
    the teacher must not overwrite it. On PostgreSQL the teacher's save waits on the row lock."""
    head, teacher = world["head"], world["teacher"]
    action = action_create(title="Audit phonics books", owner=teacher, created_by=head, school=world.own)
    barrier, turn, results = threading.Barrier(2), _write_turn(), {}
    head_saved_uncommitted = threading.Event()
    hold = 0.5

    def head_edits() -> None:
        try:
            loaded = Action.objects.get(pk=action.pk)
            barrier.wait(TIMEOUT)
            with turn, transaction.atomic():
                action_update(action=loaded, expected_version=loaded.version, actor=head, data={"title": "Head's"})
                head_saved_uncommitted.set()
                time.sleep(hold)  # keep the transaction (and the row lock) open
            results["head"] = "saved"
        finally:
            head_saved_uncommitted.set()
            connections.close_all()

    def teacher_edits() -> None:
        try:
            loaded = Action.objects.get(pk=action.pk)
            barrier.wait(TIMEOUT)
            head_saved_uncommitted.wait(TIMEOUT)
            started = time.monotonic()
            try:
                with turn:
                    action_update(
                        action=loaded, expected_version=loaded.version, actor=teacher, data={"status": "done"}
                    )
                results["teacher"] = "saved"
            except StaleActionError:
                results["teacher"] = "refused"
            results["teacher waited"] = time.monotonic() - started
        finally:
            connections.close_all()

    _run(head_edits, teacher_edits)

    assert results["head"] == "saved" and results["teacher"] == "refused", results
    assert results["teacher waited"] >= hold * 0.8  # it waited for the head's commit, then was refused
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.status, stored.version) == ("Head's", "not_started", 2)
