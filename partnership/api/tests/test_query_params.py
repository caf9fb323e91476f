"""Numeric query parameters are checked at the edge: on every paginated API list, on the API's
other filters and on the pages that read numbers from the query string, a value that does not
parse or is absurdly large is a 400 naming the parameter (API) or an ignored filter (pages), and
never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/partnerships/",
    "/api/v1/schools/",
    "/api/v1/people/",
    "/api/v1/networks/",
    "/api/v1/actions/",
    "/api/v1/schools/own-primary/pupils/",
    "/api/v1/plans/",
    "/api/v1/priorities/",
    "/api/v1/objectives/",
    "/api/v1/progress-updates/",
    "/api/v1/meetings/",
    "/api/v1/agenda-items/",
]
HUGE = "9" * 30
NOT_NUMBERS = [HUGE, str(2**63), "-1", "abc", "1.5", "²"]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def world(shared_world):
    """The cast, built once for this module (the cases only read it)."""
    return shared_world


@pytest.fixture
def api(world):
    _, raw = api_token_create(user=world["head"])
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def browser(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["head"])
    return client


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_every_paginated_list_refuses_a_bad_page_parameter_with_a_400(api, path, name, value):
    response = api.get(path, {name: value})
    assert response.status_code == 400, response.content[:300]
    assert name in response.json()


@pytest.mark.parametrize("path", LISTS)
def test_a_limit_above_the_largest_page_is_a_400_and_the_largest_page_works(api, path):
    assert api.get(path, {"limit": 501}).status_code == 400
    response = api.get(path, {"limit": 500, "offset": 2**31 - 1})
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/people/", "school"),
        ("/api/v1/outcomes/aggregates/?school=own-primary", "year"),
        ("/api/v1/plans/", "school"),
        ("/api/v1/plans/", "partnership"),
        ("/api/v1/plans/", "year"),
        ("/api/v1/priorities/", "plan"),
        ("/api/v1/objectives/", "plan"),
        ("/api/v1/objectives/", "priority"),
        ("/api/v1/progress-updates/", "priority"),
        ("/api/v1/progress-updates/", "objective"),
        ("/api/v1/meetings/", "network"),
        ("/api/v1/agenda-items/", "meeting"),
    ],
)
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_other_numeric_api_filters_refuse_bad_numbers_with_a_400(api, path, name, value):
    response = api.get(path, {name: value})
    assert response.status_code == 400, response.content[:300]
    assert name in response.json()


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_the_people_page_ignores_a_school_filter_that_is_not_a_school_id(browser, world, value):
    response = browser.get("/people/", {"school": value})
    assert response.status_code == 200
    assert world["teacher"].full_name in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/people/export.csv",
        "/outcomes/schools/own-primary/",
        "/outcomes/partnerships/home/",
        "/plans/partnerships/home/shared-priorities/",
    ],
)
@pytest.mark.parametrize("value", [HUGE, "²", "-1", "abc"])
def test_pages_with_a_year_or_school_in_the_query_ignore_a_bad_one(browser, path, value):
    response = browser.get(path, {"year": value, "school": value})
    assert response.status_code == 200, response.content[:300]


# Any text, any integer (negative, or beyond 64 bits) as the digits a client would send.
NUMBERISH = st.one_of(st.text(max_size=40), st.integers().map(str), st.integers(min_value=2**63).map(str))


@FUZZ
@given(limit=NUMBERISH, offset=NUMBERISH, school=NUMBERISH)
def test_any_text_in_numeric_parameters_is_never_a_server_error(api, browser, limit, offset, school):
    for response in (
        api.get("/api/v1/people/", {"limit": limit, "offset": offset, "school": school}),
        api.get("/api/v1/outcomes/aggregates/", {"school": "own-primary", "year": school}),
        browser.get("/people/", {"school": school, "page": limit}),
    ):
        assert response.status_code in (200, 400), (limit, offset, school, response.content[:300])
