"""The cast built once per module (`world_once` in partnership/conftest.py), as the access matrix uses it.

Each test gets a copy of the cast and runs in a savepoint rolled back after it: the two-case tests
below fail in whichever case runs second if anything the first one wrote, in the database or on the
cast's Python objects, reached it.
"""

import pytest

from partnership.accounts.models import Invitation, User
from partnership.core import access
from partnership.core.roles import Role
from partnership.core.tests.matrix import invitation_token, pending_grant, school_invitation
from partnership.directory.models import Decision, RoleAssignment
from partnership.directory.tests.factories import World

pytestmark = pytest.mark.django_db

MARKER = "Marker decision written by one case"


@pytest.fixture
def world(shared_world: World) -> World:
    return shared_world


def test_a_case_gets_the_cast_without_rebuilding_it(request, world_once, django_assert_num_queries):
    with django_assert_num_queries(0):
        world = request.getfixturevalue("world")
    assert world is not world_once and world.home.pk == world_once.home.pk
    assert world["head"] is not world_once["head"] and world["head"].school is world.own


@pytest.mark.parametrize("case", ["first", "second"])
def test_a_case_sees_none_of_another_cases_writes(world, case):
    head = world["head"]
    # Nothing from the other case: no row, no changed field, no cached principal.
    assert not Decision.objects.filter(title=MARKER).exists()
    assert User.objects.get(pk=head.pk).full_name == head.full_name != "Renamed"
    assert not hasattr(head, "_access_principal")
    assert world.home.name == "Home Partnership"

    Decision.objects.create(partnership=world.home, title=MARKER, proposed_by=world["coordinator"])
    head.full_name = "Renamed"
    head.save(update_fields=["full_name"])
    world.home.name = "Changed in memory"
    access.principal_for(head)
    assert hasattr(head, "_access_principal")


@pytest.mark.parametrize("case", ["first", "second"])
def test_each_case_builds_its_own_matrix_objects(world, case):
    # The matrix's object builders write rows per case (a waiting grant, invitations); each case
    # finds exactly its own, and builders with fixed e-mail addresses can run again in the next.
    grant = pending_grant(world, "own")["pk"]
    invitation = school_invitation(world, "partner")["pk"]
    invitation_token(world, "own")
    waiting = RoleAssignment.objects.awaiting_approval().filter(role=Role.DATA_LEAD)
    assert list(waiting.values_list("pk", flat=True)) == [grant]
    assert User.objects.filter(email="granter-own@platform.test").count() == 1
    assert list(Invitation.objects.filter(email="invitee@partner.test").values_list("pk", flat=True)) == [invitation]
    assert Invitation.objects.filter(email="invitee@own.test").count() == 1
