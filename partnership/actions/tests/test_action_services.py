import datetime

import pytest

from partnership.actions.models import Action
from partnership.actions.services import StaleActionError, action_add_note, action_create, action_update
from partnership.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def make(world, **kw):
    return action_create(
        title="Audit phonics books", owner=world["teacher"], created_by=world["head"], school=world.own, **kw
    )


def test_create_records_source_and_audits(world):
    action = make(world, source=world.network, due_on=datetime.date(2026, 12, 1))
    assert action.source == world.network and action.source_label == "SENCOs"
    assert AuditEvent.objects.filter(verb="create", object_type="actions.action", object_id=str(action.pk)).exists()


def test_an_action_belongs_somewhere(world):
    from partnership.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        action_create(title="Nowhere", owner=world["teacher"], created_by=world["head"])


def test_second_edit_from_an_old_version_is_refused_and_nothing_is_lost(world):
    action = make(world)
    first = action_update(action=action, expected_version=1, actor=world["teacher"], data={"status": "in_progress"})
    assert first.version == 2
    with pytest.raises(StaleActionError, match="Someone else changed this action"):
        action_update(action=action, expected_version=1, actor=world["head"], data={"title": "Something else"})
    stored = Action.objects.get(pk=action.pk)
    assert stored.title == "Audit phonics books" and stored.status == "in_progress" and stored.version == 2


def test_done_stamps_completion_and_reopening_clears_it(world):
    action = make(world)
    done = action_update(action=action, expected_version=1, actor=world["teacher"], data={"status": "done"})
    assert done.completed_at is not None
    reopened = action_update(action=done, expected_version=2, actor=world["teacher"], data={"status": "in_progress"})
    assert reopened.completed_at is None


def test_note_can_move_the_status_on(world):
    action = make(world)
    action_add_note(action=action, author=world["teacher"], text="Started the audit", status="in_progress")
    action.refresh_from_db()
    assert action.status == "in_progress" and action.notes.count() == 1
