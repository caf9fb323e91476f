"""Factories named by state. `build_world()` makes the standard cast used by access matrices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import factory
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.roles import Role
from partnership.directory.models import (
    Decision,
    Membership,
    MemorandumVersion,
    Network,
    NetworkMember,
    Partnership,
    RoleAssignment,
    School,
)

PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{100000 + n}")
    la_code = "936"
    establishment_number = factory.Sequence(lambda n: f"{1000 + n % 9000:04d}")
    name = factory.Sequence(lambda n: f"School {n} Primary")
    slug = factory.Sequence(lambda n: f"school-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N805
        if create:
            obj.save()


def member_school(partnership: Partnership, **kwargs) -> School:  # type: ignore[no-untyped-def]
    school = SchoolFactory(**kwargs)
    Membership.objects.create(partnership=partnership, school=school, joined_on="2020-09-01")
    return school


def staff(school: School, role: str, *, subject: str = "", **kwargs) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(school=school, **kwargs)
    RoleAssignment.objects.create(
        person=user, role=role, school=school, subject=subject, started_on="2020-09-01", approved_at=timezone.now()
    )
    return user


def partnership_role(partnership: Partnership, role: str, **kwargs) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(
        person=user, role=role, partnership=partnership, started_on="2020-09-01", approved_at=timezone.now()
    )
    return user


def role_network(partnership: Partnership, role: str, name: str = "", subject: str = "") -> Network:
    return Network.objects.create(
        partnership=partnership, name=name or f"{role} network", kind=Network.Kind.ROLE, role=role, subject=subject
    )


@dataclass
class World:
    """Two partnerships. `home` has schools `own` and `partner`; `other` has school `outside`.

    People (all at `own` unless named otherwise): head, teacher, governor; `partner_head` at
    `partner`; `outside_head` at `outside`; `coordinator` and `adviser` of `home`;
    `other_coordinator` of `other`; `admin` (platform administrator).
    """

    home: Partnership
    other: Partnership
    own: School
    partner: School
    outside: School
    people: dict[str, User] = field(default_factory=dict)
    network: Network | None = None
    other_network: Network | None = None
    memorandum: MemorandumVersion | None = None
    other_memorandum: MemorandumVersion | None = None
    decision: Decision | None = None
    other_decision: Decision | None = None
    manual_member: NetworkMember | None = None

    def __getitem__(self, key: str) -> User:
        return self.people[key]


def build_world() -> World:
    home = PartnershipFactory(name="Home Partnership", slug="home")
    other = PartnershipFactory(name="Other Partnership", slug="other")
    world = World(
        home=home,
        other=other,
        own=member_school(home, name="Own Primary", slug="own-primary"),
        partner=member_school(home, name="Partner Primary", slug="partner-primary"),
        outside=member_school(other, name="Outside Primary", slug="outside-primary"),
    )
    world.people = {
        "head": staff(world.own, Role.HEADTEACHER, email="head@own.test"),
        "teacher": staff(world.own, Role.TEACHER, email="teacher@own.test"),
        "governor": staff(world.own, Role.GOVERNOR, email="governor@own.test"),
        "senco": staff(world.own, Role.SENCO, email="senco@own.test"),
        "partner_head": staff(world.partner, Role.HEADTEACHER, email="head@partner.test"),
        "partner_teacher": staff(world.partner, Role.TEACHER, email="teacher@partner.test"),
        "outside_head": staff(world.outside, Role.HEADTEACHER, email="head@outside.test"),
        "outside_teacher": staff(world.outside, Role.TEACHER, email="teacher@outside.test"),
        "coordinator": partnership_role(home, Role.COORDINATOR, email="coordinator@home.test"),
        "adviser": partnership_role(home, Role.EXTERNAL_ADVISER, email="adviser@home.test", organisation="LA"),
        "other_coordinator": partnership_role(other, Role.COORDINATOR, email="coordinator@other.test"),
        "other_adviser": partnership_role(other, Role.EXTERNAL_ADVISER, email="adviser@other.test"),
        "admin": UserFactory(email="admin@platform.test", is_platform_admin=True),
    }
    world.network = role_network(home, Role.SENCO, "SENCOs")
    world.other_network = role_network(other, Role.SENCO, "SENCOs")
    world.manual_member = NetworkMember.objects.create(network=world.network, person=world.people["adviser"])
    other_manual = NetworkMember.objects.create(network=world.other_network, person=world.people["other_adviser"])
    world.people_extra = {"other_manual": other_manual}  # type: ignore[attr-defined]
    world.memorandum = MemorandumVersion.objects.create(
        partnership=home, number=1, body="We agree.", published_by=world.people["coordinator"]
    )
    world.other_memorandum = MemorandumVersion.objects.create(
        partnership=other, number=1, body="We agree too.", published_by=world.people["other_coordinator"]
    )
    world.decision = Decision.objects.create(
        partnership=home, title="Shared INSET day", proposed_by=world.people["coordinator"]
    )
    world.other_decision = Decision.objects.create(
        partnership=other, title="Music festival", proposed_by=world.people["other_coordinator"]
    )
    # A school that has left `home`: its head was added to the SENCO network by name while a member.
    today = timezone.localdate()
    former = SchoolFactory(name="Former Primary", slug="former-primary")
    Membership.objects.create(
        partnership=home, school=former, joined_on=today - timedelta(days=730), left_on=today - timedelta(days=1)
    )
    world.people["leaver"] = staff(former, Role.HEADTEACHER, email="head@former.test")
    NetworkMember.objects.create(network=world.network, person=world.people["leaver"])
    world.former = former  # type: ignore[attr-defined]
    return world
