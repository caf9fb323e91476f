"""Account services enforce their own rules, whoever calls them (a page, the admin, the shell)."""

from __future__ import annotations

import pytest

from partnership.accounts.models import Invitation, User
from partnership.accounts.services import user_set_active
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.models import RoleAssignment
from partnership.directory.services import invitation_accept, invitation_create

pytestmark = pytest.mark.django_db

PASSWORD = "plenty-long-passphrase-7"


# --- Disabling accounts ---------------------------------------------------------------------------


def test_nobody_disables_their_own_account(world):
    head = world["head"]
    with pytest.raises(ApplicationError, match="You cannot disable your own account."):
        user_set_active(user=head, active=False, actor=head)
    assert User.objects.get(pk=head.pk).is_active
    assert not AuditEvent.objects.filter(verb="update", object_id=str(head.pk)).exists()


# --- Invitations: a subject leader's subject ------------------------------------------------------


def _invite(world, roles, **kwargs):
    return invitation_create(
        invited_by=world["head"],
        email="new@own.test",
        full_name="New Colleague",
        roles=roles,
        school=world.own,
        **kwargs,
    )


def test_an_invited_subject_leader_needs_a_subject(world):
    with pytest.raises(ApplicationError, match="Choose the subject this person leads.") as exc:
        _invite(world, [Role.SUBJECT_LEADER])
    assert exc.value.field == "subject"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("roles", [[Role.TEACHER], [Role.SENCO, Role.TEACHER]])
def test_a_subject_goes_only_with_the_subject_leader_role(world, roles):
    with pytest.raises(ApplicationError, match="Only subject or curriculum leaders") as exc:
        _invite(world, roles, subject="Maths")
    assert exc.value.field == "subject"
    assert not Invitation.objects.exists()


def test_an_invited_subject_must_be_one_of_the_curriculum_subjects(world):
    with pytest.raises(ApplicationError, match="Choose a subject from the list.") as exc:
        _invite(world, [Role.SUBJECT_LEADER], subject="Underwater basket weaving")
    assert exc.value.field == "subject"


def test_a_partnership_invitation_takes_no_subject(world):
    with pytest.raises(ApplicationError, match="Only subject or curriculum leaders"):
        invitation_create(
            invited_by=world["coordinator"],
            email="adviser@la.test",
            full_name="New Adviser",
            roles=[Role.EXTERNAL_ADVISER],
            partnership=world.home,
            subject="Maths",
        )


def test_an_invited_subject_leader_leads_their_subject_once_they_accept(world):
    invitation, raw = _invite(world, [Role.SUBJECT_LEADER, Role.TEACHER], subject="Maths")
    assert invitation.subject == "Maths"
    user = invitation_accept(raw_token=raw, full_name="New Colleague", password=PASSWORD)
    roles = dict(RoleAssignment.objects.current().filter(person=user).values_list("role", "subject"))
    assert roles == {Role.SUBJECT_LEADER: "Maths", Role.TEACHER: ""}
