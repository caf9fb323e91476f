"""Where the access policy met the security test: audit rows, leavers, and actions from closed
networks. Each test names the finding it covers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.actions.models import Action
from partnership.core import access
from partnership.directory.models import Membership, Network, NetworkMember
from partnership.directory.selectors import network_members
from partnership.directory.services import school_leave_partnership
from partnership.meetings.services import agenda_item_action_add
from partnership.meetings.tests.factories import agenda_item, held_meeting, scheduled_meeting
from partnership.plans.services import priority_create
from partnership.plans.tests.factories import objective, objective_action, partnership_plan, priority, school_plan

pytestmark = pytest.mark.django_db


# --- 3. The audit log shows only what its reader may see ------------------------------------------


def test_the_audit_log_does_not_show_a_coordinator_an_unshared_plans_content(client, world):
    plan = school_plan(world.own, world["head"], shares=False)
    priority_create(plan=plan, title="Close the gap for pupils known to social care", actor=world["head"])
    coordinator = world["coordinator"]
    client.force_login(coordinator)
    assert client.get(reverse("plans:detail", kwargs={"pk": plan.pk})).status_code == 403
    page = client.get(reverse("directory:partnership_audit", kwargs={"slug": world.home.slug}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Close the gap" not in body and "social care" not in body
    assert "Priority (you cannot open it)" in body  # the event itself is still there


def test_the_audit_log_shows_content_the_reader_may_see(client, world):
    plan = school_plan(world.own, world["head"], shares=True)  # shared priorities are the partnership's
    priority_create(plan=plan, title="Oracy across the curriculum", actor=world["head"])
    client.force_login(world["coordinator"])
    body = client.get(reverse("directory:partnership_audit", kwargs={"slug": world.home.slug})).content.decode()
    assert "Oracy across the curriculum" in body


def test_visible_keys_asks_one_query_per_model_however_many_rows(world, django_assert_num_queries):
    plans = [school_plan(world.own, world["head"], year=2020 + n) for n in range(5)]
    keys = [("plans.improvementplan", str(p.pk)) for p in plans] + [("directory.school", str(world.own.pk))]
    keys += [("plans.improvementplan", "not-a-number"), ("nosuch.model", "1"), ("", "")]
    coordinator = world["coordinator"]
    access.principal_for(coordinator)
    with django_assert_num_queries(2):
        seen = access.visible_keys(coordinator, keys)
    assert seen == {("directory.school", str(world.own.pk))}
    assert access.visible_keys(world["head"], keys) >= {("plans.improvementplan", str(p.pk)) for p in plans}


# --- 4. Leaving ends access ------------------------------------------------------------------------


def _leave(world, school):  # type: ignore[no-untyped-def]
    membership = Membership.objects.current().get(partnership=world.home, school=school)
    school_leave_partnership(membership=membership, actor=world["coordinator"])


def test_after_a_school_leaves_its_head_cannot_open_or_run_the_boards_meetings(client, world):
    board = Network.objects.create(partnership=world.home, kind=Network.Kind.BOARD, name="Raising Achievement Board")
    NetworkMember.objects.create(network=board, person=world["head"])
    before = held_meeting(board, created_by=world["coordinator"], days_ago=30)
    _leave(world, world.own)
    after = scheduled_meeting(board, created_by=world["coordinator"], days_ahead=14)
    head = world["head"]
    client.force_login(head)
    for meeting in (before, after):
        assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code in (403, 404)
        edit = client.post(reverse("meetings:edit", kwargs={"pk": meeting.pk}), {"title": "Taken over"})
        assert edit.status_code in (403, 404)
    assert not access.can(head, "manage", after)
    assert head.pk not in {row["person"].pk for row in network_members(board)}


def test_after_a_school_leaves_its_senco_is_out_of_the_senco_network(client, world):
    senco = world["senco"]
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"])
    client.force_login(senco)
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 200
    _leave(world, world.own)
    senco = type(senco).objects.get(pk=senco.pk)  # a new request: the principal is worked out again
    client.force_login(senco)
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code in (403, 404)
    assert not access.can(senco, "run_meetings", world.network)


def test_a_guest_on_the_list_still_sees_the_meeting(client, world):
    # Being on the attendance list lets in a guest from outside the partnership ...
    guest = world["outside_head"]
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"])
    meeting.attendance.create(person=guest)
    client.force_login(guest)
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 200


def test_a_leaver_on_the_list_does_not(client, world):
    # ... but not someone whose school has left the meeting's partnership.
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"])
    meeting.attendance.get_or_create(person=world["head"])
    _leave(world, world.own)
    client.force_login(world["head"])
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code in (403, 404)


def test_an_external_whose_role_ended_is_out_of_the_networks_they_were_added_to(world):
    adviser = world["adviser"]
    assert access.can(adviser, "view_meetings", world.network)
    adviser.role_assignments.update(ended_on=timezone.localdate())
    adviser = type(adviser).objects.get(pk=adviser.pk)
    assert not access.can(adviser, "view_meetings", world.network)
    assert adviser.pk not in {row["person"].pk for row in network_members(world.network)}


# --- 5. A closed network's actions stay in the network ---------------------------------------------


@pytest.fixture
def senco_action(world) -> Action:  # type: ignore[no-untyped-def]
    meeting = held_meeting(world.network, created_by=world["coordinator"])
    item = agenda_item(meeting, "Pupils needing an EHCP assessment")
    return agenda_item_action_add(
        item=item, title="Refer pupil A.B. (Y6, EHCP)", owner=world["senco"], actor=world["coordinator"]
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("senco", True),  # owner, and a member by role
        ("coordinator", True),  # raised it; runs every network
        ("adviser", True),  # a member of the network by name
        ("head", False),
        ("teacher", False),
        ("governor", False),
        ("partner_head", False),
        ("outside_head", False),
        ("leaver", False),
    ],
)
def test_an_action_from_a_closed_meeting_is_seen_only_by_those_who_see_the_meeting(
    client, world, senco_action, role, sees
):
    person = world[role]
    assert access.visible_to(person, Action).filter(pk=senco_action.pk).exists() is sees
    assert access.can(person, "view", senco_action.source.meeting) is sees or role == "coordinator"
    client.force_login(person)
    detail = client.get(reverse("actions:detail", kwargs={"pk": senco_action.pk}))
    assert (detail.status_code == 200) is sees
    listed = client.get(reverse("actions:partnership") + f"?partnership={world.home.slug}").content.decode()
    api = client.get("/api/v1/actions/").json()
    api_titles = {row["title"] for row in api.get("results", api)} if isinstance(api, dict) else set()
    assert ("Refer pupil A.B." in listed) is sees
    assert ("Refer pupil A.B. (Y6, EHCP)" in api_titles) is sees


def test_plan_actions_follow_the_plan(world):
    # A school plan's action is its school's; a partnership plan's, the partnership's.
    own_plan = school_plan(world.own, world["head"], shares=True)
    own_action = objective_action(objective(priority(own_plan)), world["teacher"])
    home_plan = partnership_plan(world.home, world["coordinator"])
    home_action = objective_action(objective(priority(home_plan)), world["coordinator"])
    assert access.visible_to(world["governor"], Action).filter(pk=own_action.pk).exists()
    assert not access.visible_to(world["partner_head"], Action).filter(pk=own_action.pk).exists()
    assert access.visible_to(world["partner_head"], Action).filter(pk=home_action.pk).exists()
    assert not access.visible_to(world["outside_head"], Action).filter(pk=home_action.pk).exists()


def _pupil(world, upn: str = "A123456789012"):  # type: ignore[no-untyped-def]
    from partnership.outcomes.models import Pupil

    return Pupil.objects.create(
        school=world.own, upn=upn, surname="Zebedee", forename="Ann", date_of_birth="2015-01-01", sex="F"
    )


def test_a_head_reads_who_viewed_their_pupils_in_the_school_audit_log(client, world):
    from partnership.core import audit

    pupil = _pupil(world)
    audit.record(world["senco"], "view", pupil, detail={"page": "pupil detail"})
    url = reverse("directory:school_audit", kwargs={"slug": world.own.slug})
    client.force_login(world["head"])
    body = client.get(url).content.decode()
    assert "senco@own.test" in body and "Zebedee" in body
    # The partnership's coordinator reads the school's log too, without the pupil's name.
    client.force_login(world["coordinator"])
    body = client.get(url).content.decode()
    assert "senco@own.test" in body and "Zebedee" not in body and "you cannot open" in body


@pytest.mark.parametrize("reader", ["head", "coordinator"])
def test_the_audit_pages_ask_the_same_queries_for_10_or_50_rows(client, world, reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnership.core import audit

    url = reverse("directory:school_audit", kwargs={"slug": world.own.slug})
    client.force_login(world[reader])

    def queries_with(rows: int) -> int:
        plan = school_plan(world.own, world["head"], year=2000 + rows)
        for n in range(rows):
            target = [plan, world.own, world["teacher"], _pupil(world, upn=f"B{rows:03d}{n:09d}")][n % 4]
            audit.record(world["head"], "update", target, school_id=world.own.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    assert queries_with(10) == queries_with(50)


# --- One definition of network membership (the policy, the network page, the home page) -----------


def test_a_boards_members_by_role_are_its_members_everywhere(client, world):
    from partnership.core.roles import Role
    from partnership.directory.selectors import my_networks

    board = Network.objects.create(
        partnership=world.home, kind=Network.Kind.BOARD, name="Raising Achievement Board", role=Role.HEADTEACHER
    )
    head = world["head"]
    assert access.can(head, "run_meetings", board)
    assert head.pk in {row["person"].pk for row in network_members(board)}
    assert board in my_networks(head)
    client.force_login(head)
    assert "Raising Achievement Board" in client.get("/").content.decode()
    # ... and nobody is a member in one place but not another.
    for role in ["teacher", "governor", "coordinator", "adviser", "outside_head", "leaver"]:
        person = world[role]
        listed = person.pk in {row["person"].pk for row in network_members(board)}
        assert listed == (board in my_networks(person)), role
