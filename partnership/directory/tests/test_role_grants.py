"""Role grants: nobody gives themselves a role; a pupil-data role needs the school's headteacher,
or a platform administrator's grant approved by someone else (the head or a second administrator)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.core.tests.admin_forms import admin_user, form_data
from partnership.directory import services
from partnership.directory.models import RoleAssignment
from partnership.directory.services import invitation_accept, invitation_create
from partnership.directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # without the principal cached on the object


def pupil_list(world) -> str:
    return reverse("outcomes:pupil_list", kwargs={"slug": world.own.slug})


def test_nobody_gives_themselves_a_role(world):
    head = world["head"]
    with pytest.raises(ApplicationError, match="themselves"):
        services.role_assign(person=head, role=Role.SENCO, school=world.own, actor=head)
    assert not RoleAssignment.objects.filter(person=head, role=Role.SENCO).exists()


def test_the_app_refuses_a_self_grant(client, world):
    head = world["head"]
    client.force_login(head)
    client.post(reverse("directory:role_add", args=[head.pk]), {"role": Role.DATA_LEAD}, follow=True)
    assert not RoleAssignment.objects.filter(person=head, role=Role.DATA_LEAD).exists()


def test_the_head_gives_a_pupil_data_role_at_once(client, world):
    assignment = services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["head"])
    assert (assignment.granted_by, assignment.approved_by) == (world["head"], world["head"])
    client.force_login(world["teacher"])
    assert client.get(pupil_list(world)).status_code == 200


def test_an_administrators_pupil_data_grant_waits_for_a_second_person(client, world):
    teacher, admin = world["teacher"], world["admin"]
    assignment = services.role_assign(person=teacher, role=Role.DATA_LEAD, school=world.own, actor=admin)
    assert assignment.approved_at is None
    assert not RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    assert Role.DATA_LEAD not in access.principal_for(fresh(teacher)).school_roles
    client.force_login(teacher)
    assert client.get(pupil_list(world)).status_code in (403, 404)
    event = AuditEvent.objects.get(verb="create", object_id=str(assignment.pk), object_type="directory.roleassignment")
    assert event.detail["awaiting_approval"] is True

    second = UserFactory(is_platform_admin=True)
    services.role_approve(assignment=assignment, actor=second)
    assert RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(verb="approve", actor=second, object_id=str(assignment.pk)).exists()
    assert client.get(pupil_list(world)).status_code == 200


@pytest.mark.parametrize(
    ("approver", "allowed"),
    [
        ("admin", False),  # gave the role
        ("teacher", False),  # would hold it
        ("senco", False),  # a colleague, not the head
        ("partner_head", False),  # another school's head
        ("coordinator", False),
        ("head", True),
        ("second_admin", True),
    ],
)
def test_who_may_approve_a_waiting_grant(world, approver, allowed):
    world.people["second_admin"] = UserFactory(is_platform_admin=True)
    assignment = services.role_assign(
        person=world["teacher"], role=Role.SENIOR_LEADER, school=world.own, actor=world["admin"]
    )
    if allowed:
        services.role_approve(assignment=assignment, actor=world[approver])
        assert RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    else:
        with pytest.raises(ApplicationError):
            services.role_approve(assignment=assignment, actor=world[approver])
        assert not RoleAssignment.objects.current().filter(pk=assignment.pk).exists()


def test_a_refused_grant_is_gone_and_the_log_keeps_it(world):
    assignment = services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["admin"])
    services.role_refuse(assignment=assignment, actor=world["head"])
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(verb="refuse", actor=world["head"], object_id=str(assignment.pk)).exists()


def test_a_waiting_grant_cannot_be_given_twice(world):
    services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["admin"])
    with pytest.raises(ApplicationError, match="awaiting approval"):
        services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["admin"])


def test_other_roles_count_at_once_whoever_gives_them(world):
    assignment = services.role_assign(person=world["teacher"], role=Role.DSL, school=world.own, actor=world["admin"])
    assert RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    assert (assignment.granted_by, assignment.approved_by) == (world["admin"], world["admin"])


@pytest.mark.parametrize(("inviter", "approved"), [("head", True), ("admin", False)])
def test_invited_pupil_data_roles_follow_the_same_rule(world, inviter, approved):
    _, raw = invitation_create(
        invited_by=world[inviter],
        email="new.head@own.test",
        full_name="New Head",
        roles=[Role.HEADTEACHER],
        school=world.own,
    )
    user = invitation_accept(raw_token=raw, full_name="New Head", password=PASSWORD)
    assignment = RoleAssignment.objects.get(person=user, role=Role.HEADTEACHER)
    assert (assignment.approved_at is not None) is approved
    assert access.principal_for(fresh(user)).is_head is approved


def test_administrator_setting_their_own_school_in_the_admin_gains_no_pupil_access(client, world):
    admin = admin_user()
    client.force_login(admin)
    change = reverse("admin:accounts_user_change", args=[admin.pk])
    assert client.post(change, form_data(client, change, school=str(world.own.pk))).status_code == 302
    moved = AuditEvent.objects.get(verb="update", object_type="accounts.user", object_id=str(admin.pk))
    assert moved.detail["changes"]["school"] == [None, world.own.pk]

    add = reverse("admin:directory_roleassignment_add")
    data = form_data(client, add, person=str(admin.pk), role=Role.HEADTEACHER, school=str(world.own.pk))
    response = client.post(add, data)
    assert response.status_code == 200  # the form, with its error
    assert b"Nobody can give themselves a role" in response.content
    assert not RoleAssignment.objects.filter(person=admin).exists()
    denied = AuditEvent.objects.get(verb="denied", actor=admin)
    assert denied.detail["action"] == "grant_role" and denied.detail["via"] == "admin"
    assert client.get(pupil_list(world)).status_code in (403, 404)

    # A second administrator's grant waits: not for them to approve, nor for the grantee.
    second = admin_user(email="second@platform.test")
    client.force_login(second)
    assert client.post(add, data).status_code == 302
    grant = RoleAssignment.objects.get(person=admin, role=Role.HEADTEACHER)
    assert grant.approved_at is None
    changelist = reverse("admin:directory_roleassignment_changelist")
    approve = {"action": "approve_roles", "_selected_action": [str(grant.pk)]}
    client.post(changelist, approve)
    client.force_login(admin)
    client.post(changelist, approve)
    assert RoleAssignment.objects.get(pk=grant.pk).approved_at is None
    assert client.get(pupil_list(world)).status_code in (403, 404)

    # A third administrator approves it in the admin: now it counts, and the approval is logged.
    third = admin_user(email="third@platform.test")
    client.force_login(third)
    client.post(changelist, approve)
    assert RoleAssignment.objects.get(pk=grant.pk).approved_by == third
    assert AuditEvent.objects.filter(verb="approve", actor=third, detail__via="admin").exists()
    client.force_login(admin)
    assert client.get(pupil_list(world)).status_code == 200


def test_an_ended_role_cannot_be_reopened_in_the_admin(client, world):
    client.force_login(admin_user())
    assignment = RoleAssignment.objects.get(person=world["senco"], role=Role.SENCO)
    services.role_end(assignment=assignment, actor=world["head"])
    change = reverse("admin:directory_roleassignment_change", args=[assignment.pk])
    response = client.post(change, form_data(client, change, ended_on=""))
    assert response.status_code == 200
    assert RoleAssignment.objects.get(pk=assignment.pk).ended_on is not None
