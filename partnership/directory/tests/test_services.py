"""Directory services: membership, roles, networks, memorandum and decisions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.errors import ApplicationError
from partnership.core.models import AppendOnlyError, AuditEvent
from partnership.core.roles import Role
from partnership.directory import selectors, services
from partnership.directory.models import MemorandumAgreement, Network
from partnership.directory.tests.factories import (
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    member_school,
    staff,
)

pytestmark = pytest.mark.django_db


def member_ids(network: Network) -> set[int]:
    return {row["person"].pk for row in selectors.network_members(network)}


def test_new_partnership_gets_the_role_networks():
    partnership = services.partnership_create(name="Cluster")
    names = set(partnership.networks.values_list("name", flat=True))
    assert {"Headteachers", "SENCOs", "School business managers", "Governors"} <= names


def test_role_network_follows_roles_new_senco_joins_and_leaver_drops_out(world):
    senco_network = world.network
    assert member_ids(senco_network) == {world["senco"].pk, world["adviser"].pk}  # adviser is a manual member
    new_senco = staff(world.partner, Role.SENCO)
    assert new_senco.pk in member_ids(senco_network)
    assignment = world["senco"].role_assignments.get(role=Role.SENCO)
    services.role_end(assignment=assignment, actor=world["head"])
    assert world["senco"].pk not in member_ids(senco_network)
    # A school leaving the partnership takes its SENCO out of the network.
    membership = world.partner.memberships.get(partnership=world.home)
    services.school_leave_partnership(membership=membership, actor=world["coordinator"])
    assert new_senco.pk not in member_ids(senco_network)


def test_disabled_accounts_drop_out_of_networks(world):
    world["senco"].is_active = False
    world["senco"].save()
    assert world["senco"].pk not in member_ids(world.network)


def test_subject_networks_only_take_that_subjects_leaders(world):
    maths = Network.objects.create(
        partnership=world.home, name="Maths leaders", kind="role", role=Role.SUBJECT_LEADER, subject="Maths"
    )
    maths_lead = staff(world.own, Role.SUBJECT_LEADER, subject="Maths")
    english_lead = staff(world.partner, Role.SUBJECT_LEADER, subject="English")
    assert maths_lead.pk in member_ids(maths) and english_lead.pk not in member_ids(maths)
    assert maths in selectors.my_networks(maths_lead)


def test_network_query_count_does_not_grow_with_members(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.network_members(world.network)
            [r["person"].school for r in rows]
        return len(ctx.captured_queries)

    small = count()
    for _ in range(30):
        staff(world.partner, Role.SENCO)
    assert count() == small


def test_school_may_belong_to_several_partnerships_but_joins_each_once(world):
    services.school_join_partnership(partnership=world.other, school=world.own, actor=world["admin"])
    with pytest.raises(ApplicationError, match="already a member"):
        services.school_join_partnership(partnership=world.other, school=world.own, actor=world["admin"])
    assert set(world.own.memberships.values_list("partnership__slug", flat=True)) == {"home", "other"}


def test_leaving_is_dated_and_rejoining_is_allowed(world):
    membership = world.partner.memberships.get(partnership=world.home)
    with pytest.raises(ApplicationError):
        services.school_leave_partnership(
            membership=membership, left_on=datetime.date(2019, 1, 1), actor=world["admin"]
        )
    services.school_leave_partnership(membership=membership, actor=world["coordinator"])
    assert world.partner not in [m.school for m in selectors.partnership_schools(world.home)]
    services.school_join_partnership(partnership=world.home, school=world.partner, actor=world["coordinator"])
    assert world.partner in [m.school for m in selectors.partnership_schools(world.home)]


def test_school_roles_are_held_at_the_persons_own_school(world):
    with pytest.raises(ApplicationError):
        services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.partner, actor=world["admin"])
    services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["head"])
    with pytest.raises(ApplicationError, match="already holds"):
        services.role_assign(person=world["teacher"], role=Role.SENCO, school=world.own, actor=world["head"])


def test_memorandum_versions_and_one_agreement_per_school(world):
    v2 = services.memorandum_publish(
        partnership=world.home,
        title="MoU",
        body="Revised.",
        change_summary="Adds data sharing",
        actor=world["coordinator"],
    )
    assert v2.number == 2
    with pytest.raises(ApplicationError, match="current version"):
        services.memorandum_agree(version=world.memorandum, school=world.own, actor=world["head"])
    services.memorandum_agree(version=v2, school=world.own, actor=world["head"])
    with pytest.raises(ApplicationError, match="already agreed"):
        services.memorandum_agree(version=v2, school=world.own, actor=world["head"])
    with pytest.raises(ApplicationError, match="not a current member"):
        services.memorandum_agree(version=v2, school=world.outside, actor=world["outside_head"])
    status = selectors.memorandum_status(world.home)
    assert status["agreed_count"] == 1 and len(status["rows"]) == 2
    assert MemorandumAgreement.objects.filter(version=world.memorandum).count() == 0  # history kept separately


def test_one_vote_per_school_which_can_change_until_closed(world):
    decision = world.decision
    services.decision_vote(decision=decision, school=world.own, choice="for", actor=world["head"])
    services.decision_vote(decision=decision, school=world.own, choice="against", actor=world["head"])
    services.decision_vote(decision=decision, school=world.partner, choice="for", actor=world["partner_head"])
    members = list(selectors.partnership_schools(world.home))
    tally = selectors.decision_tally(selectors.decisions_for(world.home).get(pk=decision.pk), members)
    assert tally["counts"] == {"for": 1, "against": 1, "abstain": 0}
    with pytest.raises(ApplicationError, match="not a current member"):
        services.decision_vote(decision=decision, school=world.outside, choice="for", actor=world["outside_head"])
    services.decision_close(decision=decision, outcome="Not agreed", actor=world["coordinator"])
    with pytest.raises(ApplicationError, match="closed"):
        services.decision_vote(decision=decision, school=world.own, choice="for", actor=world["head"])


def test_every_write_is_audited_with_the_change(world):
    services.school_update(school=world.own, data={"town": "Woking"}, actor=world["head"])
    event = AuditEvent.objects.filter(verb="update", object_type="directory.school").latest("at")
    assert event.actor == world["head"] and event.school_id == world.own.pk
    assert event.detail["changes"]["town"] == ["", "Woking"]


def test_audit_log_cannot_be_changed_or_deleted(world):
    services.school_update(school=world.own, data={"town": "Byfleet"}, actor=world["head"])
    event = AuditEvent.objects.latest("at")
    event.verb = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_people_directory_query_count_is_flat(world):
    def count(user) -> int:
        user = type(user).objects.get(pk=user.pk)  # a fresh object, as on a new request
        with CaptureQueriesContext(connection) as ctx:
            for person in selectors.people_for(user):
                [str(r) for r in person.current_roles]
                _ = person.school.name if person.school else None
        return len(ctx.captured_queries)

    small = count(world["head"])
    extra_school = member_school(world.home)
    for i in range(25):
        staff(extra_school, Role.TEACHER if i % 2 else Role.GOVERNOR)
    assert count(world["head"]) == small


def test_schools_search_by_name_urn_and_town(world):
    SchoolFactory(name="Not Visible Primary")  # not in any partnership
    assert [s.name for s in selectors.schools_for(world["head"], "partner")] == ["Partner Primary"]
    assert [s.urn for s in selectors.schools_for(world["head"], world.own.urn)] == [world.own.urn]
    assert "Not Visible Primary" not in [s.name for s in selectors.schools_for(world["head"])]


def test_person_without_school_or_roles_sees_only_themselves(db):
    lonely = UserFactory()
    PartnershipFactory()
    assert list(selectors.people_for(lonely)) == [lonely]
    assert list(selectors.partnerships_for(lonely)) == []


# --- Rules the pages check, enforced here too -----------------------------------------------------


def test_school_roles_can_only_be_given_to_people_at_a_school(world):
    adviser = world["adviser"]  # an external: no school
    with pytest.raises(ApplicationError, match="School roles can only be given to people at a school.") as exc:
        services.role_assign(person=adviser, role=Role.TEACHER, school=None, actor=world["head"])
    assert exc.value.field == "role"
    assert not adviser.role_assignments.filter(role=Role.TEACHER).exists()


def test_a_subject_leader_role_names_the_subject_they_lead(world):
    teacher = world["teacher"]
    with pytest.raises(ApplicationError, match="Choose the subject this person leads.") as exc:
        services.role_assign(person=teacher, role=Role.SUBJECT_LEADER, school=world.own, actor=world["head"])
    assert exc.value.field == "subject"
    with pytest.raises(ApplicationError, match="Choose a subject from the list.") as exc:
        services.role_assign(
            person=teacher, role=Role.SUBJECT_LEADER, school=world.own, subject="maths", actor=world["head"]
        )
    assert exc.value.field == "subject"
    assert not teacher.role_assignments.filter(role=Role.SUBJECT_LEADER).exists()
    assignment = services.role_assign(
        person=teacher, role=Role.SUBJECT_LEADER, school=world.own, subject="Maths", actor=world["head"]
    )
    assert assignment.subject == "Maths"


def test_only_subject_leaders_have_a_subject(world):
    with pytest.raises(ApplicationError, match="Only subject or curriculum leaders have a subject.") as exc:
        services.role_assign(
            person=world["teacher"], role=Role.DSL, school=world.own, subject="Maths", actor=world["head"]
        )
    assert exc.value.field == "subject"
    assert not world["teacher"].role_assignments.filter(role=Role.DSL).exists()


def test_the_admin_grant_check_applies_the_subject_rule(world):
    with pytest.raises(ApplicationError, match="Choose the subject"):
        services.role_grant_check(
            person=world["teacher"], role=Role.SUBJECT_LEADER, school=world.own, actor=world["admin"]
        )


def test_an_account_without_a_school_has_no_school_to_agree_or_vote_for(world):
    with pytest.raises(ApplicationError, match="not at a school, so there is no school to agree for"):
        services.memorandum_agree(version=world.memorandum, school=None, actor=world["admin"])
    with pytest.raises(ApplicationError, match="not at a school, so there is no school to vote for"):
        services.decision_vote(decision=world.decision, school=None, choice="for", actor=world["admin"])
    assert not MemorandumAgreement.objects.exists() and not world.decision.votes.exists()


def test_a_head_agrees_and_votes_only_for_their_own_school(world):
    with pytest.raises(ApplicationError, match="only for your own school"):
        services.memorandum_agree(version=world.memorandum, school=world.partner, actor=world["head"])
    with pytest.raises(ApplicationError, match="only for your own school"):
        services.decision_vote(decision=world.decision, school=world.partner, choice="for", actor=world["head"])
    assert not MemorandumAgreement.objects.exists() and not world.decision.votes.exists()
