"""Synthetic demo data: the two partnerships of the seeds with fictional staff.

Idempotent: running it again finds what exists and changes nothing. URNs and LAESTABs here are
made up (999xxx, LA 936 is Surrey's code); names of people are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import User
from partnership.core.registry import DemoOutcome
from partnership.core.roles import DEFAULT_ROLE_NETWORKS, Role
from partnership.directory.models import Membership, MemorandumVersion, Network, Partnership, RoleAssignment, School

PARTNERSHIPS = {
    "STARS": {
        "slug": "stars",
        "summary": "Six local schools working together on Strategic planning, Team, Aspiration, Raising standards "
        "and Sharing good practice, with a Raising Achievement Board.",
        "schools": [
            ("Byfleet Primary School", "byfleet-primary", "primary", "Byfleet"),
            ("Kingfield Primary School", "kingfield-primary", "primary", "Woking"),
            ("Maybury Primary School", "maybury-primary", "primary", "Woking"),
            ("West Byfleet Infant School", "west-byfleet-infant", "infant", "West Byfleet"),
            ("Westfield Primary School", "westfield-primary", "primary", "Woking"),
            ("St Mary's CofE Primary School", "st-marys-cofe-primary", "primary", "Byfleet"),
        ],
    },
    "STAR Collaboration": {
        "slug": "star-collaboration",
        "summary": "Four schools with an equal voice, sharing a Memorandum of Understanding since 2015: peer review, "
        "teacher buddies, governor training and a Key Stage One music festival.",
        "schools": [
            ("Meadowcroft Infant School", "meadowcroft-infant", "infant", "Chertsey"),
            ("Ongar Place Primary School", "ongar-place-primary", "primary", "Addlestone"),
            ("Stepgates Community School", "stepgates-community", "primary", "Chertsey"),
            ("The Grange Community Infant School", "the-grange-community-infant", "infant", "New Haw"),
        ],
    },
}

FIRST = [
    "Alex",
    "Sam",
    "Jo",
    "Priya",
    "Tom",
    "Aisha",
    "Ben",
    "Chloe",
    "Dan",
    "Ella",
    "Farah",
    "George",
    "Hana",
    "Isaac",
    "Jas",
    "Kemi",
    "Leo",
    "Maya",
    "Nina",
    "Omar",
    "Pip",
    "Rosa",
    "Theo",
    "Uma",
    "Vic",
    "Wes",
    "Yara",
    "Zak",
]
LAST = [
    "Ashdown",
    "Brightwater",
    "Copperfield",
    "Dunmore",
    "Elmsley",
    "Fairbank",
    "Greystoke",
    "Hollins",
    "Ivywood",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merrow",
    "Nettlebed",
    "Oakhurst",
    "Pennyfold",
    "Quillon",
    "Rookwood",
]

# (email prefix, role, subject, job title)
SCHOOL_STAFF = [
    ("head", Role.HEADTEACHER, "", "Headteacher"),
    ("deputy", Role.SENIOR_LEADER, "", "Deputy headteacher"),
    ("senco", Role.SENCO, "", "SENCO"),
    ("dsl", Role.DSL, "", "Designated safeguarding lead"),
    ("sbm", Role.BUSINESS_MANAGER, "", "School business manager"),
    ("english-lead", Role.SUBJECT_LEADER, "English", "English leader"),
    ("maths-lead", Role.SUBJECT_LEADER, "Maths", "Maths leader"),
    ("teacher", Role.TEACHER, "", "Class teacher"),
    ("teacher2", Role.TEACHER, "", "Class teacher (ECT)"),
    ("governor", Role.GOVERNOR, "", "Chair of governors"),
    ("governor2", Role.GOVERNOR, "", "Governor"),
]

MOU_TEXT = (
    "The schools of the partnership agree to work together as equals to improve outcomes for all pupils.\n\n"
    "Each school keeps ownership of its own data and decides what it shares. Pupil-level data never leaves "
    "its school; the partnership sees aggregates.\n\n"
    "Headteachers meet each half term; each school hosts in turn. Decisions are taken by one vote per school."
)


@dataclass
class DemoResult:
    accounts: list[tuple[str, str]]
    created: int


def _person(email: str, name: str, password: str, school: School | None = None, **extra: Any) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=password, full_name=name, school=school, **extra)
    return user, True


def _role(
    person: User, role: str, *, school: School | None = None, partnership: Partnership | None = None, subject: str = ""
) -> None:
    # The demo's cast holds its roles from the start, as if approved when the partnership began.
    RoleAssignment.objects.get_or_create(
        person=person,
        role=role,
        school=school,
        partnership=partnership,
        subject=subject,
        ended_on=None,
        defaults={"approved_at": timezone.now()},
    )


@transaction.atomic
def load_demo(password: str) -> DemoResult:
    rng = random.Random(20261122)
    created = 0
    accounts: list[tuple[str, str]] = []
    urn = 999100
    for p_name, spec in PARTNERSHIPS.items():
        partnership, made = Partnership.objects.get_or_create(
            slug=spec["slug"], defaults={"name": p_name, "summary": spec["summary"]}
        )
        created += made
        for net_name, role, subject in DEFAULT_ROLE_NETWORKS:
            Network.objects.get_or_create(
                partnership=partnership,
                slug=slugify(net_name),
                defaults={"name": net_name, "kind": Network.Kind.ROLE, "role": role, "subject": subject},
            )
        for name, slug, phase, town in spec["schools"]:
            urn += 1
            school, made = School.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "urn": str(urn),
                    "la_code": "936",
                    "establishment_number": str(2000 + urn % 1000),
                    "phase": phase,
                    "establishment_type": "Community school",
                    "town": town,
                    "postcode": "",
                },
            )
            created += made
            Membership.objects.get_or_create(
                partnership=partnership, school=school, left_on=None, defaults={"joined_on": "2015-09-01"}
            )
            for prefix, role, subject, title in SCHOOL_STAFF:
                email = f"{prefix}.{slug}@demo.example"
                person, made = _person(
                    email, f"{rng.choice(FIRST)} {rng.choice(LAST)}", password, school, job_title=title
                )
                created += made
                _role(person, role, school=school, subject=subject)
                if prefix == "head":
                    accounts.append((email, f"Headteacher, {name}"))
        coordinator, made = _person(
            f"coordinator.{spec['slug']}@demo.example",
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            password,
            job_title="Partnership coordinator",
        )
        created += made
        _role(coordinator, Role.COORDINATOR, partnership=partnership)
        accounts.insert(0, (coordinator.email, f"Coordinator, {p_name}"))
        adviser, made = _person(
            f"adviser.{spec['slug']}@demo.example",
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            password,
            job_title="Overview partner",
            organisation="Local authority improvement service",
        )
        created += made
        _role(adviser, Role.EXTERNAL_ADVISER, partnership=partnership)
        accounts.append((adviser.email, f"External adviser, {p_name}"))
        if not MemorandumVersion.objects.filter(partnership=partnership).exists():
            MemorandumVersion.objects.create(
                partnership=partnership,
                number=1,
                body=MOU_TEXT,
                published_by=coordinator,
                change_summary="First version",
            )
    admin, made = _person(
        "admin@demo.example",
        "Platform Administrator",
        password,
        is_platform_admin=True,
        is_staff=True,
        is_superuser=True,
    )
    created += made
    accounts.insert(0, (admin.email, "Platform administrator"))
    for extra in ["teacher.byfleet-primary@demo.example", "governor.byfleet-primary@demo.example"]:
        accounts.append((extra, "Teacher / governor, Byfleet Primary"))
    _pending_data_lead(admin)
    return DemoResult(accounts=accounts, created=created)


def _pending_data_lead(admin: User) -> None:
    """A data lead role the administrator gave Byfleet's teacher: it opens pupil data, so it waits
    for the headteacher's approval (School page > roles awaiting your approval)."""
    from partnership.directory.services import role_assign

    teacher = User.objects.filter(email="teacher.byfleet-primary@demo.example").first()
    if teacher is None or RoleAssignment.objects.filter(person=teacher, role=Role.DATA_LEAD).exists():
        return
    role_assign(person=teacher, role=Role.DATA_LEAD, actor=admin, school=teacher.school, via="demo")


def demo_outcome(password: str) -> DemoOutcome:
    """The directory's part of `manage.py load_demo`: partnerships, schools, people and their sign-ins."""
    result = load_demo(password)
    return DemoOutcome(
        summary=f"{result.created} directory records",
        accounts=result.accounts,
        note="Every demo school has head., deputy., senco., dsl., sbm., teacher., governor. accounts.",
    )
