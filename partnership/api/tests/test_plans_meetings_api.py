"""Plans and meetings through the v1 API: scoped by the access policy, filtered by validated query
parameters, with the nested rows the pages show."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from partnership.meetings.models import Attendance
from partnership.meetings.tests.factories import agenda_item, held_meeting, pdf_paper, scheduled_meeting
from partnership.plans.models import ProgressUpdate, Rag
from partnership.plans.tests import factories as plans

pytestmark = pytest.mark.django_db


def ids(client, url: str, **params) -> set[int]:
    response = client.get(url, {"limit": 500, **params})
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def sdps(world):
    """Each school's development plan, all sharing their priorities, and both partnerships' plans."""
    return {
        "own": plans.full_school_plan(world.own, world["head"], world["teacher"], shares=True),
        "partner": plans.full_school_plan(world.partner, world["partner_head"], world["partner_teacher"], shares=True),
        "outside": plans.full_school_plan(world.outside, world["outside_head"], world["outside_teacher"], shares=True),
        "home": plans.partnership_plan(world.home, world["coordinator"]),
        "other": plans.partnership_plan(world.other, world["other_coordinator"]),
    }


def test_plans_are_the_own_school_plan_and_the_partnerships_plans(client, world, sdps):
    client.force_login(world["head"])
    assert ids(client, "/api/v1/plans/") == {sdps["own"].pk, sdps["home"].pk}
    # Sharing priorities never opens the partner school's plan.
    assert client.get(f"/api/v1/plans/{sdps['partner'].pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{sdps['other'].pk}/").status_code == 404


def test_plan_filters_narrow_the_visible_plans(client, world, sdps):
    last_year = plans.school_plan(world.own, world["head"], year=sdps["own"].academic_year - 1)
    client.force_login(world["head"])
    assert ids(client, "/api/v1/plans/", school=world.own.pk) == {sdps["own"].pk, last_year.pk}
    assert ids(client, "/api/v1/plans/", partnership=world.home.pk) == {sdps["home"].pk}
    assert ids(client, "/api/v1/plans/", year=last_year.academic_year) == {last_year.pk}
    assert ids(client, "/api/v1/plans/", school=world.outside.pk) == set()


def test_a_plan_carries_its_priorities_with_their_themes_and_lead(client, world, sdps):
    client.force_login(world["head"])
    body = client.get(f"/api/v1/plans/{sdps['own'].pk}/").json()
    assert body["kind"] == "school" and body["school"] == world.own.pk and body["partnership"] is None
    assert body["year_label"] == sdps["own"].year_label
    [priority] = body["priorities"]
    assert priority["title"] == f"Reading at {world.own.name}"
    assert priority["themes"] == ["Reading"]
    assert priority["lead"] == {"id": world["teacher"].pk, "full_name": world["teacher"].full_name}
    assert priority["rag"] == Rag.NOT_STARTED


def test_shared_priorities_reach_the_partnership_but_objectives_never_leave_the_school(client, world, sdps):
    own_priority = sdps["own"].priorities.get()
    own_objective = own_priority.objectives.get()
    client.force_login(world["partner_head"])
    priorities = ids(client, "/api/v1/priorities/")
    assert own_priority.pk in priorities
    assert sdps["outside"].priorities.get().pk not in priorities
    assert own_objective.pk not in ids(client, "/api/v1/objectives/")
    assert client.get(f"/api/v1/objectives/{own_objective.pk}/").status_code == 404
    assert ids(client, "/api/v1/objectives/", plan=sdps["own"].pk) == set()


def test_an_unshared_priority_stays_at_its_school(client, world, sdps):
    sdps["own"].shares_priorities = False
    sdps["own"].save(update_fields=["shares_priorities"])
    client.force_login(world["partner_head"])
    assert sdps["own"].priorities.get().pk not in ids(client, "/api/v1/priorities/")


def test_objectives_filter_by_plan_and_carry_their_milestones(client, world, sdps):
    client.force_login(world["head"])
    objective = sdps["own"].priorities.get().objectives.get()
    assert ids(client, "/api/v1/objectives/", plan=sdps["own"].pk) == {objective.pk}
    body = client.get(f"/api/v1/objectives/{objective.pk}/").json()
    assert body["priority"] == objective.priority_id and body["success_criteria"] == objective.success_criteria
    assert [(m["term"], m["achieved"]) for m in body["milestones"]] == [("autumn", False)]


def test_progress_updates_filter_by_priority_or_objective(client, world, sdps):
    priority = sdps["own"].priorities.get()
    objective = priority.objectives.get()
    on_priority = ProgressUpdate.objects.create(priority=priority, rag=Rag.AMBER, note="Slow", author=world["head"])
    on_objective = ProgressUpdate.objects.create(objective=objective, rag=Rag.GREEN, author=world["teacher"])
    client.force_login(world["head"])
    assert ids(client, "/api/v1/progress-updates/", priority=priority.pk) == {on_priority.pk}
    assert ids(client, "/api/v1/progress-updates/", objective=objective.pk) == {on_objective.pk}
    body = client.get(f"/api/v1/progress-updates/{on_priority.pk}/").json()
    assert body["rag"] == "amber" and body["note"] == "Slow" and body["author"]["id"] == world["head"].pk
    # The partner school sees the shared priority's progress, never the objective's.
    client.force_login(world["partner_head"])
    assert ids(client, "/api/v1/progress-updates/") == {on_priority.pk}


@pytest.fixture
def meetings(world):
    coordinator = world["coordinator"]
    soon = scheduled_meeting(world.network, created_by=coordinator, days_ahead=10, host_school=world.own)
    past = held_meeting(world.network, created_by=coordinator, days_ago=30)
    item = agenda_item(past, "Data review", minutes="Reading is up.", decisions="Buy books\n\nTrain staff\n")
    pdf_paper(item, coordinator, name="data.pdf")
    elsewhere = scheduled_meeting(world.other_network, created_by=world["other_coordinator"])
    agenda_item(elsewhere, "Their item")
    return {"soon": soon, "past": past, "item": item, "elsewhere": elsewhere}


def test_meetings_are_for_the_networks_members_only(client, world, meetings):
    client.force_login(world["coordinator"])
    assert ids(client, "/api/v1/meetings/") == {meetings["soon"].pk, meetings["past"].pk}
    assert client.get(f"/api/v1/meetings/{meetings['elsewhere'].pk}/").status_code == 404
    # The head may view the SENCO network but is not a member: its meetings stay closed.
    client.force_login(world["head"])
    assert ids(client, "/api/v1/meetings/") == set()
    assert ids(client, "/api/v1/agenda-items/") == set()
    assert client.get(f"/api/v1/meetings/{meetings['past'].pk}/").status_code == 404


def test_meeting_filters_by_network_and_dates(client, world, meetings):
    client.force_login(world["admin"])
    assert ids(client, "/api/v1/meetings/", network=world.other_network.pk) == {meetings["elsewhere"].pk}
    today = timezone.localdate()
    assert ids(client, "/api/v1/meetings/", network=world.network.pk, **{"from": today.isoformat()}) == {
        meetings["soon"].pk
    }
    assert ids(client, "/api/v1/meetings/", to=(today - datetime.timedelta(days=30)).isoformat()) == {
        meetings["past"].pk
    }
    response = client.get("/api/v1/meetings/", {"from": today.isoformat(), "to": "2000-01-01"})
    assert response.status_code == 400 and "to" in response.json()
    assert client.get("/api/v1/meetings/", {"from": "next tuesday"}).status_code == 400


def test_a_meeting_carries_its_agenda_minutes_papers_and_attendance(client, world, meetings):
    past = meetings["past"]
    Attendance.objects.filter(meeting=past, person=world["senco"]).update(status="apologies", note="INSET")
    client.force_login(world["adviser"])
    body = client.get(f"/api/v1/meetings/{past.pk}/").json()
    assert body["network"] == world.network.pk and body["status"] == "held"
    [item] = body["items"]
    assert (item["number"], item["title"], item["minutes"]) == (1, "Data review", "Reading is up.")
    assert item["decisions"] == ["Buy books", "Train staff"]
    [paper] = item["papers"]
    assert paper["name"] == "data.pdf" and paper["download_url"].endswith(f"/meetings/papers/{paper['id']}/")
    assert "file" not in paper and "content" not in paper
    attendance = {row["person"]: row for row in body["attendance"]}
    assert attendance[world["senco"].pk] == {
        "person": world["senco"].pk,
        "full_name": world["senco"].full_name,
        "status": "apologies",
    }
    # The link is the page's own download, which the same reader may open.
    assert client.get(paper["download_url"]).status_code == 200


def test_agenda_items_filter_by_meeting(client, world, meetings):
    second = agenda_item(meetings["past"], "Any other business")
    agenda_item(meetings["soon"], "Welcome")
    client.force_login(world["coordinator"])
    assert ids(client, "/api/v1/agenda-items/", meeting=meetings["past"].pk) == {meetings["item"].pk, second.pk}
    assert ids(client, "/api/v1/agenda-items/", meeting=meetings["elsewhere"].pk) == set()
    body = client.get(f"/api/v1/agenda-items/{meetings['item'].pk}/").json()
    assert body["meeting"] == meetings["past"].pk and body["papers"][0]["name"] == "data.pdf"


@pytest.mark.parametrize("role", ["head", "teacher", "governor", "coordinator", "adviser", "outside_head"])
def test_plan_and_meeting_lists_never_include_the_other_partnership(client, world, sdps, meetings, role):
    outside = role == "outside_head"
    foreign_plans = {sdps["own"], sdps["partner"], sdps["home"]} if outside else {sdps["outside"], sdps["other"]}
    their_items = {meetings["item"].pk} if outside else set(meetings["elsewhere"].items.values_list("pk", flat=True))
    foreign = {
        "/api/v1/plans/": {p.pk for p in foreign_plans},
        "/api/v1/priorities/": {q.pk for p in foreign_plans for q in p.priorities.all()},
        "/api/v1/objectives/": {o.pk for p in foreign_plans for q in p.priorities.all() for o in q.objectives.all()},
        "/api/v1/meetings/": {meetings["soon"].pk, meetings["past"].pk} if outside else {meetings["elsewhere"].pk},
        "/api/v1/agenda-items/": their_items,
    }
    client.force_login(world[role])
    for url, foreign_ids in foreign.items():
        assert foreign_ids and not ids(client, url) & foreign_ids, f"{url} as {role}"


def test_the_schema_documents_the_new_resources_and_their_filters(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    expected = {
        "/api/v1/plans/": {"school", "partnership", "year"},
        "/api/v1/priorities/": {"plan"},
        "/api/v1/objectives/": {"plan"},
        "/api/v1/progress-updates/": {"priority", "objective"},
        "/api/v1/meetings/": {"network", "from", "to"},
        "/api/v1/agenda-items/": {"meeting"},
    }
    for path, filters in expected.items():
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert names >= filters | {"limit", "offset"}, path
        assert f"{path}{{id}}/" in paths, path


def test_the_api_page_lists_the_new_resources(client, db):
    page = client.get("/api/").content.decode()
    for path in ["plans", "priorities", "objectives", "progress-updates", "meetings", "agenda-items"]:
        assert f"<code>/api/v1/{path}/</code>" in page, path
