"""Synthetic demo data: the two partnerships of the seeds with fictional staff, each school's data
lead, the Memorandum of Understanding agreed by most schools, and partnership decisions (one
closed with its outcome, one open for votes).

Idempotent: running it again finds what exists and changes nothing. URNs and LAESTABs here are
made up (999xxx, LA 936 is Surrey's code); names of people are fictional and no two are the same.
Dates follow `today` (the day the demo loads).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import User
from partnership.core.registry import DemoOutcome
from partnership.core.roles import DEFAULT_ROLE_NETWORKS, Role
from partnership.core.schoolyear import next_school_day, previous_school_day
from partnership.directory.models import (
    Decision,
    DecisionVote,
    Membership,
    MemorandumAgreement,
    MemorandumVersion,
    Network,
    Partnership,
    RoleAssignment,
    School,
)

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

# The demo's story: the subjects each school's results are weak in. The synthetic results are made
# weaker there (outcomes.demo) and each school's plan takes them as its priorities (plans.demo), so
# the Raising Achievement Board and the plans tell the same story. "early" is the Reception year
# (good level of development), "reading" includes the phonics check.
WEAK_SUBJECTS: dict[str, tuple[str, ...]] = {
    "byfleet-primary": ("maths",),
    "kingfield-primary": ("writing",),
    "maybury-primary": ("reading", "maths"),
    "west-byfleet-infant": ("reading",),
    "westfield-primary": ("maths",),
    "st-marys-cofe-primary": ("writing",),
    "meadowcroft-infant": ("early",),
    "ongar-place-primary": ("maths",),
    "stepgates-community": ("reading", "writing"),
    "the-grange-community-infant": ("reading",),
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
DATA_LEAD_PREFIX = "datalead"  # each school's data and assessment lead, approved by the headteacher

# A decision each partnership has taken (closed, with its outcome) and one open for votes.
DECISIONS = {
    "stars": (
        (
            "Adopt a shared reading spine for Key Stage 2",
            "English leaders propose one reading spine for Years 3 to 6 across the six schools.",
        ),
        (
            "Pair schools for next term's peer reviews",
            "The coordinator proposes pairings that avoid last year's pairs.",
        ),
    ),
    "star-collaboration": (
        (
            "Hold the Key Stage One music festival at Stepgates",
            "Stepgates offers its hall for the festival; each school brings one class.",
        ),
        (
            "Share one governor training programme",
            "One programme of governor training for the four schools, booked through the coordinator.",
        ),
    ),
}

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


@functools.lru_cache(maxsize=4)
def _hashed(password: str) -> str:
    """The demo password hashed once: every demo account has the same, published password, and
    hashing it for each of 125 accounts would make loading the demo take most of a minute."""
    return make_password(password)


# When the demo's partnerships began: their schools joined, and their people took up their roles.
FOUNDED = datetime.date(2015, 9, 1)


def _person(email: str, name: str, password: str, school: School | None = None, **extra: Any) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=None, full_name=name, school=school, **extra)
    user.password = _hashed(password)
    user.save(update_fields=["password"])
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
        defaults={"approved_at": timezone.now(), "started_on": FOUNDED},
    )


def _names(rng: random.Random) -> list[str]:
    """Every first name and surname pairing once, in a shuffled order: no two demo people share a name."""
    names = [f"{first} {last}" for first, last in itertools.product(FIRST, LAST)]
    rng.shuffle(names)
    return names


@transaction.atomic
def load_demo(password: str, today: datetime.date | None = None) -> DemoResult:
    today = today or timezone.localdate()
    rng = random.Random(20261122)
    names = iter(_names(rng))
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
                partnership=partnership, school=school, left_on=None, defaults={"joined_on": FOUNDED}
            )
            for prefix, role, subject, title in SCHOOL_STAFF:
                email = f"{prefix}.{slug}@demo.example"
                person, made = _person(email, next(names), password, school, job_title=title)
                created += made
                _role(person, role, school=school, subject=subject)
                if prefix == "head":
                    accounts.append((email, f"Headteacher, {name}"))
            created += _data_lead(school, next(names), password)
        coordinator, made = _person(
            f"coordinator.{spec['slug']}@demo.example",
            next(names),
            password,
            job_title="Partnership coordinator",
        )
        created += made
        _role(coordinator, Role.COORDINATOR, partnership=partnership)
        accounts.insert(0, (coordinator.email, f"Coordinator, {p_name}"))
        adviser, made = _person(
            f"adviser.{spec['slug']}@demo.example",
            next(names),
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
                published_at=_at(previous_school_day(today - datetime.timedelta(days=60)), 9),
            )
        _agreements(partnership, today)
        _decisions(partnership, coordinator, today)
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
    accounts.append(("datalead.byfleet-primary@demo.example", "Data lead, Byfleet Primary (pupil data)"))
    for extra in ["teacher.byfleet-primary@demo.example", "governor.byfleet-primary@demo.example"]:
        accounts.append((extra, "Teacher / governor, Byfleet Primary"))
    _pending_data_lead(admin)
    return DemoResult(accounts=accounts, created=created)


def _data_lead(school: School, name: str, password: str) -> int:
    """The school's data and assessment lead, given the role by the headteacher (so approved at once).
    Returns 1 if the account was made."""
    from partnership.directory.services import role_assign

    person, made = _person(
        f"{DATA_LEAD_PREFIX}.{school.slug}@demo.example", name, password, school, job_title="Data and assessment lead"
    )
    head = User.objects.filter(email=f"head.{school.slug}@demo.example").first()
    if head is not None and not RoleAssignment.objects.filter(person=person, role=Role.DATA_LEAD).exists():
        role_assign(person=person, role=Role.DATA_LEAD, actor=head, school=school, via="demo")
    return int(made)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _agreements(partnership: Partnership, today: datetime.date) -> None:
    """Every member school but the last (alphabetically) has agreed the current memorandum, each
    headteacher on a school day a few weeks ago, so the page shows both states."""
    from partnership.directory.services import memorandum_agree

    version = MemorandumVersion.objects.filter(partnership=partnership).order_by("-number").first()
    if version is None or MemorandumAgreement.objects.filter(version=version).exists():
        return
    schools = [m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")]
    for offset, school in enumerate(sorted(schools, key=lambda s: s.name)[:-1]):
        head = User.objects.filter(email=f"head.{school.slug}@demo.example").first()
        if head is None:
            continue
        agreement = memorandum_agree(version=version, school=school, actor=head)
        day = previous_school_day(today - datetime.timedelta(days=40 - 3 * offset))
        MemorandumAgreement.objects.filter(pk=agreement.pk).update(agreed_at=_at(day, 16))


def _decisions(partnership: Partnership, coordinator: User, today: datetime.date) -> None:
    """One decision voted on by every school and closed with its outcome; one open, half voted."""
    from partnership.directory.services import decision_close, decision_open, decision_vote

    specs = DECISIONS.get(partnership.slug)
    if specs is None or Decision.objects.filter(partnership=partnership).exists():
        return
    heads = [
        head
        for m in Membership.objects.current().filter(partnership=partnership).select_related("school")
        if (head := User.objects.filter(email=f"head.{m.school.slug}@demo.example").first()) is not None
    ]
    (closed_title, closed_text), (open_title, open_text) = specs
    opened = previous_school_day(today - datetime.timedelta(days=28))
    closes = next_school_day(opened + datetime.timedelta(days=14))
    closed = decision_open(
        partnership=partnership, title=closed_title, description=closed_text, closes_on=closes, actor=coordinator
    )
    for position, head in enumerate(heads):
        choice = DecisionVote.Choice.ABSTAIN if position == len(heads) - 1 else DecisionVote.Choice.FOR
        decision_vote(decision=closed, school=head.school, choice=choice, actor=head)
    in_favour = len(heads) - 1
    decision_close(decision=closed, outcome=f"Agreed: {in_favour} schools for, 1 abstention.", actor=coordinator)
    Decision.objects.filter(pk=closed.pk).update(opened_at=_at(opened, 9), closed_at=_at(closes, 17))
    DecisionVote.objects.filter(decision=closed).update(cast_at=_at(next_school_day(opened, after=True), 12))
    current = decision_open(
        partnership=partnership,
        title=open_title,
        description=open_text,
        closes_on=next_school_day(today + datetime.timedelta(days=10)),
        actor=coordinator,
    )
    for head in heads[: len(heads) // 2]:
        decision_vote(decision=current, school=head.school, choice=DecisionVote.Choice.FOR, actor=head)


def _pending_data_lead(admin: User) -> None:
    """A data lead role the administrator gave Byfleet's teacher: it opens pupil data, so it waits
    for the headteacher's approval (School page > roles awaiting your approval)."""
    from partnership.directory.services import role_assign

    teacher = User.objects.filter(email="teacher.byfleet-primary@demo.example").first()
    if teacher is None or RoleAssignment.objects.filter(person=teacher, role=Role.DATA_LEAD).exists():
        return
    role_assign(person=teacher, role=Role.DATA_LEAD, actor=admin, school=teacher.school, via="demo")


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The directory's part of `manage.py load_demo`: partnerships, schools, people and their sign-ins."""
    result = load_demo(password, today)
    return DemoOutcome(
        summary=f"{result.created} directory records",
        accounts=result.accounts,
        note="Every demo school has head., deputy., senco., dsl., sbm., english-lead., maths-lead., teacher., "
        "teacher2., governor., governor2. and datalead. accounts.",
    )
