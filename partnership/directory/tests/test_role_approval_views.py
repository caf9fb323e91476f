"""The "Roles awaiting approval" pages: a school's headteacher (or a second platform administrator)
approves or refuses a pupil-data role that someone else gave; never the giver, never the grantee."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory import services
from partnership.directory.models import RoleAssignment
from partnership.directory.tests.factories import UserFactory, member_school, staff

pytestmark = pytest.mark.django_db

DATA_LEAD = Role.DATA_LEAD.label


def pending_url(school) -> str:
    return reverse("directory:role_pending", kwargs={"slug": school.slug})


def decide_url(assignment, verb: str) -> str:
    return reverse(f"directory:role_{verb}", kwargs={"slug": assignment.school.slug, "pk": assignment.pk})


def pupil_list(school) -> str:
    return reverse("outcomes:pupil_list", kwargs={"slug": school.slug})


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def waiting_grant(world, person: str = "teacher", role: str = Role.DATA_LEAD, school=None) -> RoleAssignment:
    """A pupil-data role given by the platform administrator: it waits for a second person."""
    return services.role_assign(person=world[person], role=role, school=school or world.own, actor=world["admin"])


def test_the_head_sees_the_grant_approves_it_and_the_grantee_opens_pupil_data(client, world):
    grant = waiting_grant(world)
    teacher = world["teacher"]
    client.force_login(world["head"])

    school_page = client.get(reverse("directory:school_detail", kwargs={"slug": world.own.slug})).content.decode()
    assert "1 role awaiting your approval" in school_page
    assert pending_url(world.own) in school_page

    page = client.get(pending_url(world.own))
    assert page.status_code == 200
    body = page.content.decode()
    assert teacher.full_name in body and DATA_LEAD in body and world["admin"].full_name in body
    assert decide_url(grant, "approve") in body and decide_url(grant, "refuse") in body

    response = client.post(decide_url(grant, "approve"))
    assert response.status_code == 302 and response["Location"] == pending_url(world.own)
    assert messages_of(response) == [("success", f"{teacher.full_name} is now {DATA_LEAD} at Own Primary.")]
    grant.refresh_from_db()
    assert grant.approved_by == world["head"] and grant.approved_at is not None
    event = AuditEvent.objects.get(verb="approve", object_id=str(grant.pk))
    assert event.actor == world["head"] and event.school_id == world.own.pk
    assert event.detail["granted_by"] == world["admin"].pk

    # Nothing is left to approve, and the role now counts.
    assert "awaiting your approval" not in client.get(f"/schools/{world.own.slug}/").content.decode()
    client.force_login(teacher)
    assert client.get(pupil_list(world.own)).status_code == 200


def test_the_head_refuses_a_grant_and_it_is_gone(client, world):
    grant = waiting_grant(world, role=Role.SENCO)
    client.force_login(world["head"])
    response = client.post(decide_url(grant, "refuse"))
    assert response.status_code == 302
    assert messages_of(response) == [("success", f"{world['teacher'].full_name} will not be SENCO at Own Primary.")]
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(verb="refuse", actor=world["head"], object_id=str(grant.pk)).exists()
    assert "No roles are awaiting approval" in client.get(pending_url(world.own)).content.decode()
    client.force_login(world["teacher"])
    assert client.get(pupil_list(world.own)).status_code in (403, 404)


@pytest.mark.parametrize("person", ["teacher", "governor", "senco", "partner_head", "outside_head", "coordinator"])
@pytest.mark.parametrize("verb", ["approve", "refuse"])
def test_only_the_schools_head_or_an_administrator_may_decide(client, world, person, verb):
    grant = waiting_grant(world)  # given to the teacher: the first case is the grantee
    client.force_login(world[person])
    assert client.get(pending_url(world.own)).status_code in (403, 404)
    response = client.post(decide_url(grant, verb))
    assert response.status_code in (403, 404)
    assert RoleAssignment.objects.awaiting_approval().filter(pk=grant.pk).exists()
    assert not AuditEvent.objects.filter(verb__in=["approve", "refuse"]).exists()
    if response.status_code == 403:
        assert AuditEvent.objects.filter(verb="denied", actor=world[person], object_id=str(grant.pk)).exists()


def test_the_giver_cannot_approve_their_own_grant(client, world):
    grant = waiting_grant(world)
    client.force_login(world["admin"])
    page = client.get(pending_url(world.own)).content.decode()
    assert "A second person must approve this: not the one who gave the role." in page
    assert decide_url(grant, "approve") not in page

    response = client.post(decide_url(grant, "approve"))
    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "A second person must approve this: not the one who gave the role."),
    ]
    assert RoleAssignment.objects.get(pk=grant.pk).approved_at is None
    assert not AuditEvent.objects.filter(verb="approve").exists()


def test_a_head_who_is_the_grantee_cannot_approve_their_own_grant(client, world):
    grant = waiting_grant(world, person="head", role=Role.SENCO)
    client.force_login(world["head"])
    # It is listed, but not as waiting for them.
    assert "awaiting your approval" not in client.get(f"/schools/{world.own.slug}/").content.decode()
    page = client.get(pending_url(world.own)).content.decode()
    assert "Nobody can approve a role given to themselves." in page
    assert decide_url(grant, "approve") not in page

    response = client.post(decide_url(grant, "approve"))
    assert messages_of(response) == [("error", "Nobody can approve a role given to themselves.")]
    assert RoleAssignment.objects.get(pk=grant.pk).approved_at is None


def test_approving_twice_says_so_and_never_fails(client, world):
    grant = waiting_grant(world)
    client.force_login(world["head"])
    client.post(decide_url(grant, "approve"), follow=True)
    again = client.post(decide_url(grant, "approve"))
    assert again.status_code == 302
    assert messages_of(again) == [("error", "This role has already been approved.")]
    assert AuditEvent.objects.filter(verb="approve").count() == 1


def test_a_grant_is_decided_only_under_its_own_school(client, world):
    grant = waiting_grant(world)
    client.force_login(world["partner_head"])
    url = reverse("directory:role_approve", kwargs={"slug": world.partner.slug, "pk": grant.pk})
    assert client.post(url).status_code == 404
    assert RoleAssignment.objects.get(pk=grant.pk).approved_at is None


def test_a_second_administrator_approves_the_first_head_of_a_new_school(client, world):
    new_school = member_school(world.home, name="New Primary", slug="new-primary")
    new_head = UserFactory(school=new_school, full_name="Nadia New")
    grant = services.role_assign(person=new_head, role=Role.HEADTEACHER, school=new_school, actor=world["admin"])
    all_pending = reverse("directory:role_pending_all")

    # The giver sees it across schools, but may not approve it.
    client.force_login(world["admin"])
    page = client.get(all_pending).content.decode()
    assert "Nadia New" in page and "New Primary" in page
    assert decide_url(grant, "approve") not in page

    second = UserFactory(is_platform_admin=True, full_name="Second Admin")
    client.force_login(second)
    page = client.get(all_pending).content.decode()
    assert decide_url(grant, "approve") in page
    response = client.post(decide_url(grant, "approve"), {"back": "all"})
    assert response["Location"] == all_pending
    assert messages_of(response) == [("success", "Nadia New is now Headteacher at New Primary.")]
    assert RoleAssignment.objects.get(pk=grant.pk).approved_by == second
    assert AuditEvent.objects.filter(verb="approve", actor=second, object_id=str(grant.pk)).exists()

    client.force_login(new_head)
    assert client.get(pupil_list(new_school)).status_code == 200


def test_administrators_find_the_list_across_schools_from_the_people_page(client, world):
    link = reverse("directory:role_pending_all")
    client.force_login(world["admin"])
    assert link in client.get(reverse("directory:person_list")).content.decode()
    client.force_login(world["head"])
    assert link not in client.get(reverse("directory:person_list")).content.decode()


def test_the_list_across_schools_shows_each_person_only_the_grants_they_may_see(client, world):
    own = waiting_grant(world)
    partner = waiting_grant(world, person="partner_teacher", school=world.partner)
    all_pending = reverse("directory:role_pending_all")

    client.force_login(world["head"])
    page = client.get(all_pending).content.decode()
    assert decide_url(own, "approve") in page
    assert world["partner_teacher"].full_name not in page

    client.force_login(world["partner_teacher"])  # the grantee sees their own grant waiting
    page = client.get(all_pending).content.decode()
    assert "Partner Primary" in page and decide_url(partner, "approve") not in page
    assert world["teacher"].full_name not in page

    client.force_login(world["coordinator"])
    assert "No roles are awaiting approval" in client.get(all_pending).content.decode()


def test_the_person_page_marks_a_role_awaiting_approval(client, world):
    waiting_grant(world)
    person_page = reverse("directory:person_detail", kwargs={"pk": world["teacher"].pk})
    client.force_login(world["head"])
    body = client.get(person_page).content.decode()
    assert DATA_LEAD in body and "Awaiting approval" in body
    assert pending_url(world.own) in body

    # Someone who may not see the grant sees only the roles that count.
    client.force_login(world["partner_head"])
    body = client.get(person_page).content.decode()
    assert DATA_LEAD not in body and "Awaiting approval" not in body


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("user_key", "page"),
    [
        ("head", lambda w: pending_url(w.own)),
        ("head", lambda w: reverse("directory:role_pending_all")),
        ("head", lambda w: reverse("directory:school_detail", kwargs={"slug": w.own.slug})),
        ("head", lambda w: reverse("directory:person_detail", kwargs={"pk": w["teacher"].pk})),
        ("admin", lambda w: reverse("directory:role_pending_all")),
    ],
)
def test_query_counts_do_not_grow_with_waiting_grants(client, world, user_key, page):
    waiting_grant(world)
    waiting_grant(world, person="partner_teacher", school=world.partner)
    client.force_login(world[user_key])
    small = count_queries(client, page(world))
    # More waiting grants: at both schools, and a second one for the teacher (their person page).
    services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["admin"])
    for i in range(6):
        person = staff(world.own if i % 2 else world.partner, Role.TEACHER)
        services.role_assign(person=person, role=Role.SENCO, school=person.school, actor=world["admin"])
    assert count_queries(client, page(world)) == small
