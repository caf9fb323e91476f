"""The v1 API: token authentication, scoping by the access policy, OpenAPI schema."""

import pytest
from django.core.management import call_command

from partnership.accounts.models import ApiToken
from partnership.accounts.services import api_token_create, user_set_active

pytestmark = pytest.mark.django_db


def auth(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def test_token_authenticates_and_is_stored_hashed(client, world):
    token, raw = api_token_create(user=world["head"])
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw and raw.startswith(token.prefix)
    response = client.get("/api/v1/schools/", **auth(raw))
    assert response.status_code == 200
    urns = {row["urn"] for row in response.json()["results"]}
    assert urns == {world.own.urn, world.partner.urn}


def test_requests_without_a_valid_token_are_refused(client, world):
    assert client.get("/api/v1/schools/").status_code in (401, 403)
    assert client.get("/api/v1/schools/", **auth("sp_not-a-token")).status_code == 401


def test_token_of_a_disabled_account_stops_working(client, world):
    _, raw = api_token_create(user=world["teacher"])
    user_set_active(user=world["teacher"], active=False, actor=world["head"])
    assert client.get("/api/v1/people/", **auth(raw)).status_code == 401


def test_create_api_token_command_prints_a_working_key(client, world, capsys):
    call_command("create_api_token", "coordinator@home.test")
    raw = capsys.readouterr().out.strip()
    response = client.get("/api/v1/partnerships/", **auth(raw))
    assert [p["slug"] for p in response.json()["results"]] == ["home"]


def test_people_are_scoped_and_filterable(client, world):
    _, raw = api_token_create(user=world["teacher"])
    emails = {p["email"] for p in client.get("/api/v1/people/", **auth(raw)).json()["results"]}
    assert "head@partner.test" in emails and "head@outside.test" not in emails
    heads = client.get("/api/v1/people/?role=headteacher", **auth(raw)).json()["results"]
    assert {p["email"] for p in heads} == {"head@own.test", "head@partner.test"}


def test_objects_outside_the_partnership_are_not_found(client, world):
    _, raw = api_token_create(user=world["head"])
    assert client.get(f"/api/v1/schools/{world.outside.urn}/", **auth(raw)).status_code == 404
    assert client.get(f"/api/v1/networks/{world.other_network.pk}/members/", **auth(raw)).status_code == 404


def test_network_members_follow_roles(client, world):
    _, raw = api_token_create(user=world["head"])
    rows = client.get(f"/api/v1/networks/{world.network.pk}/members/", **auth(raw)).json()
    assert isinstance(rows, list)  # the whole network, not a page (as the schema says)
    by_id = {row["id"]: row for row in rows}
    assert by_id[world["senco"].pk]["via_role"] is True
    assert by_id[world["adviser"].pk]["via_role"] is False


def test_openapi_schema_describes_the_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/partnerships/", "/api/v1/schools/", "/api/v1/people/", "/api/v1/networks/"]:
        assert path in schema["paths"]
