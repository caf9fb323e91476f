"""Good practice through the v1 API: the register's entries, a school's needs and the entries that
could meet one, support requests and their sessions, a school's ledger and buddy pairs. What each
role sees and does not see, the filters, the 400s for a need or an area that is not there, the
schema, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.tests.factories import World
from partnership.goodpractice import needs, support
from partnership.goodpractice.models import EntryEvidence, EntryResource, RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories
from partnership.goodpractice.tests import factories_buddies as fb

pytestmark = pytest.mark.django_db

YEAR = current_academic_year()
LISTS = [
    "/api/v1/register-entries/",
    "/api/v1/support-requests/",
    "/api/v1/support-sessions/",
    "/api/v1/buddy-pairs/",
]


def rows(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, {"limit": 500, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def ids(client: Any, url: str, **params: Any) -> set[int]:
    return {row["id"] for row in rows(client, url, **params)}


@pytest.fixture
def data(shared_world: World) -> dict[str, Any]:
    """`home`: the partner school's endorsed maths entry (measure evidence, a link and a file), its
    withdrawn reading entry, the own school's proposed EAL and maths entries; the own school asks
    the partner's maths entry for support (plan agreed, one session logged) and has a need of its
    own in maths. A buddy pair of the own and partner teachers with a meeting. `other`: the outside
    school's maths entry, a request to it from the head of a second school of `other` (accepted),
    and a pair of the outside teacher and that head."""
    w = shared_world
    maths = factories.entry(
        w.home,
        w.partner,
        by=w["partner_head"],
        status=RegisterEntry.Status.ENDORSED,
        capacity=4,
        title="Mastery maths",
        contact=w["partner_teacher"],
    )
    EntryEvidence.objects.create(
        entry=maths,
        kind="measure",
        ref="ks2_maths:2025",
        label="KS2 maths: 85% (national 73%)",
        url="/outcomes/partner-primary/",
        added_by=w["partner_head"],
    )
    EntryResource.objects.create(
        entry=maths, title="Calculation policy", url="https://example.test/policy", added_by=w["partner_head"]
    )
    upload = EntryResource(
        entry=maths, title="Planning sequence", content_type="application/pdf", size=15, added_by=w["partner_head"]
    )
    upload.file.save("sequence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    withdrawn = factories.entry(
        w.home,
        w.partner,
        by=w["partner_head"],
        area_key="reading",
        title="Reading spine",
        status=RegisterEntry.Status.WITHDRAWN,
    )
    eal = factories.entry(w.home, w.own, by=w["head"], area_key="eal", title="New arrivals")
    own_maths = factories.entry(w.home, w.own, by=w["head"], title="Our maths")
    req = factories.request_at(maths, w.own, asker=w["head"], answerer=w["partner_head"], stage="session")
    need = needs.need_add(
        school=w.own, academic_year=YEAR, area=factories.area("maths"), title="Reasoning in Year 5", actor=w["head"]
    )
    pair = fb.current_pair(
        w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], year_group="5", focus="Reasoning"
    )
    fb.meeting(pair, by=w["teacher"])
    second = fb.school_with_teacher(w.other, "Second Outside Primary", role=Role.HEADTEACHER)
    outside = factories.entry(w.other, w.outside, by=w["outside_head"], title="Outside maths")
    outside_req = factories.request_at(
        outside, second.school, asker=second, answerer=w["outside_head"], stage="accepted"
    )
    outside_pair = fb.current_pair(w.other, w["outside_teacher"], second, by=w["other_coordinator"])
    return {
        "maths": maths,
        "withdrawn": withdrawn,
        "eal": eal,
        "own_maths": own_maths,
        "request": req,
        "need": need,
        "pair": pair,
        "outside": outside,
        "outside_request": outside_req,
        "outside_pair": outside_pair,
        "second": second,
    }


# ---------------------------------------------------------------------------------------------
# The register


def test_the_register_shows_the_partnerships_live_entries_with_room_evidence_and_resources(client, shared_world, data):
    w = shared_world
    client.force_login(w["governor"])  # anyone who can view the partnership
    seen = ids(client, "/api/v1/register-entries/")
    assert seen == {data["maths"].pk, data["eal"].pk, data["own_maths"].pk}  # not withdrawn, not `other`'s
    entry = client.get(f"/api/v1/register-entries/{data['maths'].pk}/").json()
    assert entry["school"] == {"name": "Partner Primary", "slug": "partner-primary"}
    assert (entry["area_key"], entry["area_name"]) == ("maths", factories.area("maths").name)
    assert (entry["status"], entry["endorsed_how"]) == ("endorsed", "board")
    assert (entry["capacity"], entry["reserved"], entry["free"]) == (4, 2, 2)  # the accepted request holds 2
    assert entry["contact_name"] == w["partner_teacher"].full_name
    assert entry["evidence"] == [
        {
            "kind": "measure",
            "kind_label": "Outcome measure",
            "label": "KS2 maths: 85% (national 73%)",
            "url": "http://testserver/outcomes/partner-primary/",
        }
    ]
    link, upload = entry["resources"]
    assert link == {"title": "Calculation policy", "is_file": False, "url": "https://example.test/policy"}
    resource = EntryResource.objects.get(title="Planning sequence")
    assert upload == {
        "title": "Planning sequence",
        "is_file": True,
        "url": f"http://testserver/good-practice/resources/{resource.pk}/",
    }
    download = client.get(upload["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(w["outside_head"])
    assert ids(client, "/api/v1/register-entries/") == {data["outside"].pk}
    assert client.get(f"/api/v1/register-entries/{data['maths'].pk}/").status_code == 404


def test_register_filters_and_withdrawn_entries(client, shared_world, data):
    w = shared_world
    client.force_login(w["teacher"])
    url = "/api/v1/register-entries/"
    assert ids(client, url, area="eal") == {data["eal"].pk}
    assert ids(client, url, school="partner-primary") == {data["maths"].pk}
    assert ids(client, url, status="endorsed") == {data["maths"].pk}
    assert ids(client, url, partnership="other") == set()
    # A withdrawn entry: its own school and the coordinators only.
    assert ids(client, url, status="withdrawn") == set()
    assert client.get(f"{url}{data['withdrawn'].pk}/").status_code == 404
    for person in ["partner_teacher", "coordinator"]:
        client.force_login(w[person])
        assert ids(client, url, status="withdrawn") == {data["withdrawn"].pk}
        assert client.get(f"{url}{data['withdrawn'].pk}/").status_code == 200
    response = client.get(url, {"status": "gone"})
    assert response.status_code == 400 and "status" in response.json()


# ---------------------------------------------------------------------------------------------
# Needs and matches


def test_a_schools_needs_are_for_its_staff_and_the_brokers(client, shared_world, data):
    w = shared_world
    url = "/api/v1/support-needs/"
    for person in ["head", "teacher", "coordinator", "adviser", "admin"]:
        client.force_login(w[person])
        body = client.get(url, {"school": "own-primary"}).json()
        assert (body["school"], body["academic_year"]) == ("own-primary", YEAR), person
        own = [item for item in body["needs"] if item["kind"] == "own"]
        assert own == [
            {
                "key": f"own|{data['need'].pk}",
                "kind": "own",
                "source": "Added by the school",
                "title": "Reasoning in Year 5",
                "url": "",
                "areas": [{"key": "maths", "name": factories.area().name}],
                "measure": "",
            }
        ], person
    client.force_login(w["governor"])  # sees the school, not its needs
    assert client.get(url, {"school": "own-primary"}).status_code == 403
    client.force_login(w["head"])
    assert client.get(url, {"school": "partner-primary"}).status_code == 403  # another school of the partnership
    assert client.get(url, {"school": "outside-primary"}).status_code == 404  # a school they cannot see
    assert client.get(url, {"school": "no-such-school"}).status_code == 404
    response = client.get(url)
    assert response.status_code == 400 and "school" in response.json()


def test_matches_are_other_schools_entries_in_the_area_best_first(client, shared_world, data):
    w = shared_world
    # A second, unendorsed maths entry of the partner school, with room: after the endorsed one.
    plain = factories.entry(w.home, w.partner, by=w["partner_head"], title="Maths games")
    client.force_login(w["coordinator"])
    key = f"own|{data['need'].pk}"
    body = client.get("/api/v1/support-matches/", {"school": "own-primary", "need": key, "area": "maths"}).json()
    assert body["need"]["key"] == key and body["area"]["key"] == "maths"
    assert [m["entry"] for m in body["matches"]] == [data["maths"].pk, plain.pk]  # not the own school's entry
    best = body["matches"][0]
    assert best["school"] == {"name": "Partner Primary", "slug": "partner-primary"}
    assert (best["title"], best["remaining"], best["capacity"]) == ("Mastery maths", 2, 4)
    assert best["strength"] > body["matches"][1]["strength"]
    assert "Endorsed by the Raising Achievement Board" in best["reasons"]
    assert "2 of 4 sessions free this term" in best["reasons"]
    assert best["asked_request"] is None  # the school's request to it is for another need
    item = needs.find_need(w["head"], w.own, YEAR, key)
    asked = support.request_create(
        entry=plain, school=w.own, need=item, area=factories.area("maths"), message="", sessions=1, actor=w["head"]
    )
    body = client.get("/api/v1/support-matches/", {"school": "own-primary", "need": key, "area": "maths"}).json()
    assert [m["asked_request"] for m in body["matches"]] == [None, asked.pk]
    # Another area of the list may be asked for the same need.
    body = client.get("/api/v1/support-matches/", {"school": "own-primary", "need": key, "area": "eal"}).json()
    assert body["matches"] == []  # the own school's EAL entry is its own


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"need": "own|999999", "area": "maths"}, "need", "not one of Own Primary's current needs"),
        ({"need": "", "area": "maths"}, "need", "blank"),
        ({"area": "maths"}, "need", "required"),
        ({"need": "KEY", "area": "astrology"}, "area", "not in the list"),
        ({"need": "KEY"}, "area", "required"),
    ],
)
def test_matches_need_a_current_need_and_an_area_of_the_list(client, shared_world, data, params, field, words):
    client.force_login(shared_world["head"])
    params = {k: v.replace("KEY", f"own|{data['need'].pk}") for k, v in params.items()}
    response = client.get("/api/v1/support-matches/", {"school": "own-primary", **params})
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_matches_need_view_needs_on_the_school(client, shared_world, data):
    params = {"school": "own-primary", "need": f"own|{data['need'].pk}", "area": "maths"}
    client.force_login(shared_world["governor"])
    assert client.get("/api/v1/support-matches/", params).status_code == 403
    client.force_login(shared_world["outside_head"])
    assert client.get("/api/v1/support-matches/", params).status_code == 404


# ---------------------------------------------------------------------------------------------
# Requests, sessions and the ledger


def test_support_requests_are_for_the_two_schools_staff_and_the_brokers(client, shared_world, data):
    w = shared_world
    req = data["request"]
    url = "/api/v1/support-requests/"
    for person in ["head", "teacher", "partner_head", "partner_teacher", "coordinator", "adviser"]:
        client.force_login(w[person])
        assert ids(client, url) == {req.pk}, person
    for person in ["governor", "outside_head", "leaver"]:
        client.force_login(w[person])
        assert req.pk not in ids(client, url), person
        assert client.get(f"{url}{req.pk}/").status_code == 404, person
    client.force_login(w["admin"])
    assert ids(client, url) == {req.pk, data["outside_request"].pk}
    client.force_login(w["teacher"])
    body = client.get(f"{url}{req.pk}/").json()
    assert body["requesting_school"]["slug"] == "own-primary" and body["supporting_school"]["slug"] == "partner-primary"
    assert (body["entry"], body["entry_title"], body["contact_name"]) == (
        data["maths"].pk,
        "Mastery maths",
        w["partner_teacher"].full_name,
    )
    assert (body["status"], body["reserved"], body["session_count"]) == ("agreed", 2, 1)
    assert body["requested_by_name"] == w["head"].full_name and body["decided_by_name"] == w["partner_head"].full_name
    assert body["plan"] == "Two visits." and body["cost"] == "0.00" and body["closed_by_name"] is None
    assert not {"logged_by", "requested_by", "decided_by", "version", "need_ref"} & set(body)


def test_support_request_filters(client, shared_world, data):
    w = shared_world
    url = "/api/v1/support-requests/"
    client.force_login(w["admin"])
    req, outside = data["request"].pk, data["outside_request"].pk
    assert ids(client, url, school="own-primary") == {req}  # asking
    assert ids(client, url, school="partner-primary") == {req}  # supporting
    assert ids(client, url, school="outside-primary") == {outside}
    assert ids(client, url, partnership="other") == {outside}
    assert ids(client, url, status="accepted") == {outside}
    assert ids(client, url, status="agreed", partnership="home") == {req}
    assert client.get(url, {"status": "maybe"}).status_code == 400


def test_support_sessions_follow_their_request(client, shared_world, data):
    w = shared_world
    req = data["request"]
    client.force_login(w["partner_teacher"])
    (session,) = rows(client, "/api/v1/support-sessions/", request=req.pk)
    assert session["request"] == req.pk and session["kind"] == "visit_host" and session["days"] == "0.5"
    assert session["impact_note"] == "Saw it working." and "logged_by" not in session
    assert client.get(f"/api/v1/support-sessions/{session['id']}/").status_code == 200
    client.force_login(w["governor"])
    assert rows(client, "/api/v1/support-sessions/") == []
    assert client.get(f"/api/v1/support-sessions/{session['id']}/").status_code == 404
    assert client.get("/api/v1/support-sessions/", {"request": "x"}).status_code == 400


def test_the_ledger_counts_support_given_and_received(client, shared_world, data):
    w = shared_world
    req = data["request"]
    support.session_log(
        req=req,
        day=timezone.localdate() - datetime.timedelta(days=1),
        kind="online",
        days=Decimal("1.0"),
        attendees="",
        impact_note="Planned together.",
        actor=w["head"],
    )
    client.force_login(w["head"])
    body = client.get("/api/v1/support-ledger/", {"school": "own-primary"}).json()
    assert body["given"] == [] and body["academic_year"] is None
    (line,) = body["received"]
    assert line["request"] == req.pk and line["other_school"]["slug"] == "partner-primary"
    assert (line["sessions"], line["days"], line["status"], line["area_key"]) == (2, "1.5", "agreed", "maths")
    assert body["totals"] == {"given": {"sessions": 0, "days": "0.0"}, "received": {"sessions": 2, "days": "1.5"}}
    client.force_login(w["coordinator"])
    body = client.get("/api/v1/support-ledger/", {"school": "partner-primary"}).json()
    assert [line["request"] for line in body["given"]] == [req.pk] and body["received"] == []
    body = client.get("/api/v1/support-ledger/", {"school": "partner-primary", "academic_year": YEAR - 1}).json()
    assert body["given"] == [] and body["academic_year"] == YEAR - 1
    client.force_login(w["governor"])
    assert client.get("/api/v1/support-ledger/", {"school": "own-primary"}).status_code == 403
    client.force_login(w["partner_head"])
    assert client.get("/api/v1/support-ledger/", {"school": "own-primary"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Buddy pairs


def test_buddy_pairs_are_for_their_people_their_leaders_and_the_coordinators(client, shared_world, data):
    w = shared_world
    pair = data["pair"]
    url = "/api/v1/buddy-pairs/"
    for person in ["teacher", "partner_teacher", "head", "partner_head", "coordinator"]:
        client.force_login(w[person])
        assert ids(client, url) == {pair.pk}, person
    for person in ["governor", "adviser", "senco", "outside_head"]:
        client.force_login(w[person])
        assert pair.pk not in ids(client, url), person
        assert client.get(f"{url}{pair.pk}/").status_code == 404, person
    client.force_login(w["teacher"])
    body = client.get(f"{url}{pair.pk}/").json()
    assert body["first"] == {"name": w["teacher"].full_name, "school": {"name": "Own Primary", "slug": "own-primary"}}
    assert body["second"]["school"]["slug"] == "partner-primary"
    assert (body["year_group"], body["focus"], body["academic_year"]) == ("5", "Reasoning", YEAR)
    assert body["current"] is True and body["meetings_count"] == 1
    assert body["ends_on"] == f"{YEAR + 1}-09-01"
    client.force_login(w["admin"])
    assert ids(client, url, partnership="other") == {data["outside_pair"].pk}
    assert ids(client, url, academic_year=YEAR - 1) == set()


# ---------------------------------------------------------------------------------------------
# Queries do not grow with the rows


def _grow(w: World, data: dict[str, Any], n: int) -> None:
    """n more of everything: maths entries of the partner school with evidence and a resource, each
    asked by the own school and a session logged, own needs, buddy pairs with meetings."""
    for i in range(n):
        entry = factories.entry(w.home, w.partner, by=w["partner_head"], title=f"Maths {i}", contact=w["partner_head"])
        EntryEvidence.objects.create(entry=entry, kind="sef", label=f"SEF {i}", added_by=w["partner_head"])
        EntryResource.objects.create(entry=entry, title=f"Link {i}", url="https://example.test/", added_by=w["head"])
        factories.request_at(entry, w.own, asker=w["head"], answerer=w["partner_head"], stage="session")
        needs.need_add(
            school=w.own, academic_year=YEAR, area=factories.area("maths"), title=f"Need {i}", actor=w["head"]
        )
        pair = fb.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
        fb.meeting(pair, by=w["teacher"])


def _calls(data: dict[str, Any], person: str) -> list[tuple[str, dict[str, Any]]]:
    calls = [(url, {"limit": 500}) for url in LISTS]
    if person == "partner_head":  # sees the requests, not the own school's needs or ledger
        return calls
    return calls + [
        ("/api/v1/support-needs/", {"school": "own-primary"}),
        ("/api/v1/support-matches/", {"school": "own-primary", "need": f"own|{data['need'].pk}", "area": "maths"}),
        ("/api/v1/support-ledger/", {"school": "own-primary"}),
    ]


def _counts(client: Any, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    found = {}
    for url, params in calls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200, url
        found[url] = len(ctx.captured_queries)
    return found


@pytest.mark.parametrize("person", ["coordinator", "head", "partner_head"])
def test_goodpractice_endpoints_do_not_grow_with_the_rows(client, shared_world, data, person):
    client.force_login(shared_world[person])
    calls = _calls(data, person)
    _grow(shared_world, data, 1)
    small = _counts(client, calls)
    _grow(shared_world, data, 5)
    large = _counts(client, calls)
    assert large == small
    assert len(rows(client, "/api/v1/support-requests/")) == 1 + 6
    assert len(rows(client, "/api/v1/register-entries/", school="partner-primary")) == 1 + 6
    assert len(rows(client, "/api/v1/buddy-pairs/")) == 1 + 6
    if person != "partner_head":
        body = client.get("/api/v1/support-needs/", {"school": "own-primary"}).json()
        assert len([item for item in body["needs"] if item["kind"] == "own"]) == 1 + 6
        assert len(client.get("/api/v1/support-ledger/", {"school": "own-primary"}).json()["received"]) == 1 + 6


# ---------------------------------------------------------------------------------------------
# The schema


def test_the_schema_describes_the_goodpractice_endpoints(client, db):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/register-entries/",
        "/api/v1/register-entries/{id}/",
        "/api/v1/support-needs/",
        "/api/v1/support-matches/",
        "/api/v1/support-requests/",
        "/api/v1/support-requests/{id}/",
        "/api/v1/support-sessions/",
        "/api/v1/support-sessions/{id}/",
        "/api/v1/support-ledger/",
        "/api/v1/buddy-pairs/",
        "/api/v1/buddy-pairs/{id}/",
    ]:
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/register-entries/"]["get"]["parameters"]}
    assert {"partnership", "area", "status", "school", "limit", "offset"} <= names
    names = {p["name"]: p["required"] for p in paths["/api/v1/support-matches/"]["get"]["parameters"]}
    assert names == {"school": True, "need": True, "area": True}
    for path in ["/api/v1/support-needs/", "/api/v1/support-matches/", "/api/v1/support-ledger/"]:
        assert {"200", "400", "403", "404"} <= set(paths[path]["get"]["responses"]), path
    components = schema["components"]["schemas"]
    # One response object each, not a page of them.
    assert components["SupportNeeds"]["properties"]["needs"]["type"] == "array"
    assert set(components["SupportLedger"]["properties"]) == {"school", "academic_year", "given", "received", "totals"}
    # Each set of choices has its own name.
    assert components["RegisterEntry"]["properties"]["status"]["allOf"][0]["$ref"].endswith("RegisterEntryStatusEnum")
    assert components["SupportRequest"]["properties"]["status"]["allOf"][0]["$ref"].endswith("SupportRequestStatusEnum")
    assert components["SupportSession"]["properties"]["kind"]["allOf"][0]["$ref"].endswith("SupportSessionKindEnum")


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Calls into the WSGI app must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("person", ["head", "coordinator"])
def test_full_responses_keep_to_the_schema(shared_world, data, wsgi_in_the_test_transaction, person):
    """The schema fuzz runs on a world without good practice; here every endpoint answers with rows."""
    import schemathesis
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    from config.wsgi import application
    from partnership.accounts.services import api_token_create

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    _, raw = api_token_create(user=shared_world[person])
    calls = [(url, {}, {}) for url in LISTS] + [
        ("/api/v1/register-entries/{id}/", {"id": data["maths"].pk}, {}),
        ("/api/v1/support-requests/{id}/", {"id": data["request"].pk}, {}),
        ("/api/v1/buddy-pairs/{id}/", {"id": data["pair"].pk}, {}),
        ("/api/v1/support-needs/", {}, {"school": "own-primary"}),
        ("/api/v1/support-matches/", {}, {"school": "own-primary", "need": f"own|{data['need'].pk}", "area": "maths"}),
        ("/api/v1/support-ledger/", {}, {"school": "own-primary"}),
    ]
    for path, params, query in calls:
        case = schema[path]["GET"].Case(path_parameters=params, query=query)
        response = case.call(app=application, headers={"Authorization": f"Token {raw}"})
        assert response.status_code == 200, path
        case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
    assert SupportRequest.objects.filter(pk=data["request"].pk).exists()
