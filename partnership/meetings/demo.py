"""Demo meetings for the demo partnerships (run after `partnership.directory.demo.load_demo`).

For each partnership: a Raising Achievement Board (the heads, the coordinator and the adviser), a
past headteachers' meeting with agenda, minutes, decisions and two actions (one overdue) and
approved minutes, and upcoming SENCO network and Raising Achievement Board meetings with agendas.
Hosts follow the rotation. Every date follows `today` (the day the demo loads) and falls on a
school day (`core.schoolyear.is_school_day`): no meeting at a weekend, on a bank holiday or in the
holidays. Idempotent: a meeting that exists (same network and title) is left alone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.registry import DemoOutcome
from partnership.core.roles import Role
from partnership.core.schoolyear import (
    TERM_ORDER,
    Term,
    current_academic_year,
    first_school_day_of_term,
    next_school_day,
    previous_school_day,
    term_of,
)
from partnership.directory.demo import PARTNERSHIPS, WEAK_SUBJECTS
from partnership.directory.models import Membership, Network, NetworkMember, Partnership, RoleAssignment
from partnership.meetings import services
from partnership.meetings.models import Attendance, Meeting

RAB_NAME = "Raising Achievement Board"
RAB_REMIT = (
    "Looks at each school's outcomes against national figures every term, agrees where schools need "
    "support and checks that the support made a difference."
)
PAST_HEADS = "Headteachers' meeting: half-termly review"
NEXT_SENCO = "SENCO network: provision mapping"
NEXT_RAB = "Raising Achievement Board: termly data review"
PAST_DAYS_AGO = 21  # the headteachers' meeting, about three weeks before the demo's today
SENCO_IN_DAYS = 10
RAB_IN_DAYS = 24
PARTNERSHIPS_BY_SLUG = {spec["slug"]: spec for spec in PARTNERSHIPS.values()}
SENCO_AGENDA = [
    ("Welcome and introductions", ""),
    ("Provision mapping: what works in each school", "Bring one example of a provision map."),
    ("EHCP applications: timelines and the local authority's new process", ""),
]
RAB_AGENDA = [
    ("{term} data: each school's headlines", "Data leads' summaries are attached in each school's pack."),
    ("Schools causing concern and support offered", ""),
    ("Impact of last term's support", ""),
]


def _next_term(day: datetime.date) -> tuple[int, str]:
    """(academic year, term) of the term after the one `day` is in."""
    year, index = current_academic_year(day), TERM_ORDER.index(Term(term_of(day)))
    return (year, TERM_ORDER[index + 1]) if index < 2 else (year + 1, TERM_ORDER[0])


def _long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def heads_agenda(partnership_slug: str, held_on: datetime.date) -> list[tuple[str, str, str, str]]:
    """(title, description, minutes, decisions) of the past headteachers' meeting: the phonics item
    names the schools whose reading is weak in the demo's data, the rota and the shared INSET day
    are for the next term, and the INSET day is a school day."""
    year, term = _next_term(held_on)
    term_name = Term(term).label.lower()
    inset = first_school_day_of_term(year, term)
    slugs = [slug for _, slug, _, _ in PARTNERSHIPS_BY_SLUG[partnership_slug]["schools"]]
    names = {slug: name for name, slug, _, _ in PARTNERSHIPS_BY_SLUG[partnership_slug]["schools"]}
    weak = [names[slug] for slug in slugs if "reading" in WEAK_SUBJECTS.get(slug, ())]
    phonics = (
        f"Results at {' and '.join(weak)} are below the national figure again; the other schools "
        "shared what has worked for them."
        if weak
        else "Every school's results are close to the national figure."
    )
    return [
        ("Welcome, apologies and minutes of the last meeting", "", "Minutes of the last meeting agreed.", ""),
        (
            "Phonics screening check results",
            "Each school's results against last year and national.",
            phonics,
            "Share the Year 1 catch-up programme across all schools.\nPhonics leads to meet before half term.",
        ),
        (
            f"Peer review rota for the {term_name} term",
            "",
            "The draft rota was discussed; heads asked to avoid last year's pairings.",
            "Rota agreed with the changes discussed.",
        ),
        ("Any other business", "", f"INSET day on {_long_date(inset)} confirmed as a shared day.", ""),
    ]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _person_in_role(partnership: Partnership, role: str) -> User | None:
    assignment = (
        RoleAssignment.objects.current().filter(partnership=partnership, role=role).select_related("person").first()
    )
    return assignment.person if assignment else None


def _heads(partnership: Partnership) -> list[User]:
    schools = Membership.objects.current().filter(partnership=partnership).values("school_id")
    return list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.current()
            .filter(role=Role.HEADTEACHER, school_id__in=schools)
            .values("person_id")
        ).order_by("school__name")
    )


def _schedule(
    network: Network, title: str, starts: datetime.datetime, host: Any, actor: User, agenda: list[tuple[str, str]]
) -> Meeting:
    meeting = services.meeting_schedule(
        network=network,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        host_school=host,
        actor=actor,
    )
    for item_title, description in agenda:
        services.agenda_item_add(meeting=meeting, title=item_title, description=description, actor=actor)
    return meeting


def _past_heads_meeting(
    network: Network, host: Any, coordinator: User, heads: list[User], today: datetime.date
) -> None:
    held_on = previous_school_day(today - datetime.timedelta(days=PAST_DAYS_AGO))
    agenda = heads_agenda(network.partnership.slug, held_on)
    meeting = _schedule(
        network,
        PAST_HEADS,
        _at(held_on, 13, 30),
        host,
        coordinator,
        [(title, description) for title, description, _, _ in agenda],
    )
    items = list(meeting.items.order_by("number"))
    for item, (_, _, minutes, decisions) in zip(items, agenda, strict=True):
        services.agenda_item_record_minutes(item=item, minutes=minutes, decisions=decisions, actor=coordinator)
    owners = heads or [coordinator]
    services.agenda_item_action_add(
        item=items[1],
        title="Send the Year 1 phonics catch-up programme to every school",
        owner=owners[0],
        due_on=previous_school_day(today - datetime.timedelta(days=7)),  # overdue
        actor=coordinator,
    )
    services.agenda_item_action_add(
        item=items[2],
        title="Publish the spring peer review rota",
        owner=coordinator,
        due_on=next_school_day(today + datetime.timedelta(days=14)),
        actor=coordinator,
    )
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("person", "meeting__network"))
    for position, row in enumerate(rows):
        status = Attendance.Status.APOLOGIES if position == len(rows) - 1 else Attendance.Status.PRESENT
        services.attendance_mark(attendance=row, status=status, actor=coordinator)
    services.meeting_set_status(meeting=meeting, status=Meeting.Status.HELD, actor=coordinator)
    services.meeting_approve_minutes(meeting=meeting, actor=coordinator)


@transaction.atomic
def load_meetings_demo(today: datetime.date | None = None) -> int:
    """Create the demo boards and meetings that are missing. Returns how many meetings were made."""
    today = today or timezone.localdate()
    made = 0
    for spec in PARTNERSHIPS.values():
        partnership = Partnership.objects.filter(slug=spec["slug"]).first()
        coordinator = _person_in_role(partnership, Role.COORDINATOR) if partnership else None
        if partnership is None or coordinator is None:
            continue
        adviser = _person_in_role(partnership, Role.EXTERNAL_ADVISER)
        heads = _heads(partnership)
        rab, _ = Network.objects.get_or_create(
            partnership=partnership,
            slug="raising-achievement-board",
            defaults={"name": RAB_NAME, "kind": Network.Kind.BOARD, "remit": RAB_REMIT},
        )
        for person in [*heads, coordinator, adviser]:
            if person is not None:
                NetworkMember.objects.get_or_create(network=rab, person=person, defaults={"added_by": coordinator})
        heads_network = Network.objects.filter(partnership=partnership, kind=Network.Kind.ROLE, role=Role.HEADTEACHER)
        senco_network = Network.objects.filter(partnership=partnership, kind=Network.Kind.ROLE, role=Role.SENCO)
        schools = [
            m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")
        ]
        if not schools:
            continue
        # Hosts take turns across the partnership: each meeting goes to the next school in the list.
        senco_day = next_school_day(today + datetime.timedelta(days=SENCO_IN_DAYS))
        rab_day = next_school_day(today + datetime.timedelta(days=RAB_IN_DAYS))
        data_term = Term(term_of(today)).label  # the board looks at the data of the term under way now
        plan = [
            (heads_network.first(), PAST_HEADS, None),
            (senco_network.first(), NEXT_SENCO, (_at(senco_day, 9, 30), SENCO_AGENDA)),
            (rab, NEXT_RAB, (_at(rab_day, 16, 0), [(t.format(term=data_term), d) for t, d in RAB_AGENDA])),
        ]
        for turn, (network, title, upcoming) in enumerate(plan):
            if network is None or Meeting.objects.filter(network=network, title=title).exists():
                continue
            host = schools[turn % len(schools)]
            if upcoming is None:
                _past_heads_meeting(network, host, coordinator, heads, today)
            else:
                starts, agenda = upcoming
                _schedule(network, title, starts, host, coordinator, agenda)
            made += 1
    return made


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The meetings part of `manage.py load_demo`."""
    return DemoOutcome(f"{load_meetings_demo(today)} meetings created")
