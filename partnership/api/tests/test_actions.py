"""`/api/v1/actions/`: scoped reading, filters, and PATCH with the optimistic version check."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from partnership.accounts.services import api_token_create
from partnership.actions.models import Action
from partnership.actions.services import action_create, action_update
from partnership.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LAST_WEEK = timezone.localdate() - datetime.timedelta(days=7)


@pytest.fixture
def actions(world):
    return {
        "own": action_create(
            title="Audit phonics books",
            owner=world["teacher"],
            created_by=world["head"],
            school=world.own,
            due_on=LAST_WEEK,
        ),
        "own_senco": action_create(
            title="Update the SEND register", owner=world["senco"], created_by=world["head"], school=world.own
        ),
        "partner": action_create(
            title="Partner school's",
            owner=world["partner_teacher"],
            created_by=world["partner_head"],
            school=world.partner,
        ),
        "home": action_create(
            title="Share the SEND audit", owner=world["senco"], created_by=world["coordinator"], partnership=world.home
        ),
        "other": action_create(
            title="Other partnership's",
            owner=world["outside_teacher"],
            created_by=world["other_coordinator"],
            partnership=world.other,
        ),
    }


def token_for(user) -> dict[str, str]:
    _, raw = api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def listed(client, user, query: str = "") -> set[str]:
    response = client.get(f"/api/v1/actions/{query}", **token_for(user))
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("teacher", {"own", "own_senco", "home"}),
        ("head", {"own", "own_senco", "home"}),
        ("partner_teacher", {"partner", "home"}),
        ("coordinator", {"home"}),
        ("adviser", {"home"}),
        ("outside_head", {"other"}),
        ("admin", {"own", "own_senco", "partner", "home", "other"}),
    ],
)
def test_the_list_is_scoped_by_the_access_policy(client, world, actions, role, expected):
    assert listed(client, world[role]) == {actions[k].title for k in expected}


def test_filters_mine_status_and_overdue(client, world, actions):
    action_update(action=actions["own_senco"], expected_version=1, actor=world["head"], data={"status": "done"})
    head_of_send = world["senco"]
    assert listed(client, head_of_send, "?mine=1") == {"Update the SEND register", "Share the SEND audit"}
    assert listed(client, head_of_send, "?mine=1&status=open") == {"Share the SEND audit"}
    assert listed(client, world["head"], "?status=done") == {"Update the SEND register"}
    assert listed(client, world["head"], "?overdue=1") == {"Audit phonics books"}


def test_an_action_reads_with_its_version_and_overdue_flag(client, world, actions):
    row = client.get(f"/api/v1/actions/{actions['own'].pk}/", **token_for(world["teacher"])).json()
    assert row["version"] == 1 and row["overdue"] is True and row["status"] == "not_started"
    assert row["owner"] == {"id": world["teacher"].pk, "full_name": world["teacher"].full_name}


def test_actions_one_may_not_view_are_not_found(client, world, actions):
    auth = token_for(world["teacher"])
    assert client.get(f"/api/v1/actions/{actions['partner'].pk}/", **auth).status_code == 404
    response = client.patch(
        f"/api/v1/actions/{actions['other'].pk}/",
        {"version": 1, "status": "done"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404


def test_patch_changes_status_and_bumps_the_version(client, world, actions):
    response = client.patch(
        f"/api/v1/actions/{actions['own'].pk}/",
        {"version": 1, "status": "in_progress", "due_on": None, "title": "Audit all phonics books"},
        content_type="application/json",
        **token_for(world["teacher"]),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["due_on"], body["title"], body["version"]) == (
        "in_progress",
        None,
        "Audit all phonics books",
        2,
    )
    assert AuditEvent.objects.filter(verb="update", object_id=str(actions["own"].pk)).exists()


def test_a_stale_version_is_a_409_with_the_stored_action(client, world, actions):
    action_update(action=actions["own"], expected_version=1, actor=world["head"], data={"title": "Audit all books"})
    response = client.patch(
        f"/api/v1/actions/{actions['own'].pk}/",
        {"version": 1, "status": "done"},
        content_type="application/json",
        **token_for(world["teacher"]),
    )
    assert response.status_code == 409
    body = response.json()
    assert "Someone else changed this action" in body["detail"]
    assert body["current"]["version"] == 2 and body["current"]["title"] == "Audit all books"
    assert Action.objects.get(pk=actions["own"].pk).status == "not_started"


@pytest.mark.parametrize(
    ("role", "key", "allowed"),
    [
        ("teacher", "own", True),  # owner
        ("head", "own", True),  # the school's head
        ("governor", "own", False),  # at the school: may view, not change
        ("teacher", "home", False),  # partnership action: may view, not change
        ("coordinator", "home", True),
        ("head", "home", False),  # no school on the action, so not the head's
        ("senco", "home", True),  # owner
        ("admin", "other", True),
    ],
)
def test_patch_needs_change_permission(client, world, actions, role, key, allowed):
    response = client.patch(
        f"/api/v1/actions/{actions[key].pk}/",
        {"version": 1, "status": "in_progress"},
        content_type="application/json",
        **token_for(world[role]),
    )
    assert response.status_code == (200 if allowed else 403), response.content
    assert Action.objects.get(pk=actions[key].pk).status == ("in_progress" if allowed else "not_started")


@pytest.mark.parametrize(
    "body",
    [
        {"status": "done"},  # no version
        {"version": 1},  # nothing to change
        {"version": 1, "owner": 1},  # not changeable here
        {"version": 1, "status": "finished"},  # not a status
    ],
)
def test_bad_patches_are_400s(client, world, actions, body):
    response = client.patch(
        f"/api/v1/actions/{actions['own'].pk}/", body, content_type="application/json", **token_for(world["teacher"])
    )
    assert response.status_code == 400
    assert Action.objects.get(pk=actions["own"].pk).version == 1


def test_put_and_delete_are_not_offered(client, world, actions):
    auth = token_for(world["admin"])
    url = f"/api/v1/actions/{actions['own'].pk}/"
    assert client.put(url, {"version": 1}, content_type="application/json", **auth).status_code == 405
    assert client.delete(url, **auth).status_code == 405


def test_schema_describes_actions(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "patch" in schema["paths"]["/api/v1/actions/{id}/"]
    assert "409" in schema["paths"]["/api/v1/actions/{id}/"]["patch"]["responses"]
