"""The API does what its OpenAPI schema says, for inputs schemathesis generates from that schema:
never a 500, only documented status codes, bodies and content types that match. Every operation,
signed in with an API token, against a small world built by the factories.

Examples are few and derandomised, so the run is short and the same every time."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from partnership.accounts.services import api_token_create
from partnership.actions.services import action_create
from partnership.directory.tests.factories import build_world
from partnership.meetings.models import Attendance
from partnership.meetings.tests.factories import agenda_item, held_meeting, pdf_paper
from partnership.plans.models import ProgressUpdate, Rag
from partnership.plans.tests.factories import full_school_plan

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Calls into the WSGI app must not close the test's database connection (Django's test client
    does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, wsgi_in_the_test_transaction):
    world = build_world()
    world.own.website = ""
    world.own.save()
    action_create(title="Audit phonics books", owner=world["teacher"], created_by=world["head"], school=world.own)
    priority = full_school_plan(world.own, world["head"], world["teacher"], shares=True).priorities.get()
    ProgressUpdate.objects.create(priority=priority, rag=Rag.AMBER, note="On track", author=world["head"])
    meeting = held_meeting(world.network, created_by=world["coordinator"])
    Attendance.objects.create(meeting=meeting, person=world["head"], status="present")  # on the list: visible
    pdf_paper(agenda_item(meeting, minutes="Agreed.", decisions="Buy books"), world["coordinator"])
    _, raw = api_token_create(user=world["head"])
    return raw


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_keeps_to_the_schema(case, token):
    case.call_and_validate(app=application, headers={"Authorization": f"Token {token}"}, checks=CHECKS)
