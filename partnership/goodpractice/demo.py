"""Demo register entries, needs and support for the demo partnerships (run after the directory,
outcomes, plans, reviews and moderation demos).

The story follows the directory demo's weak subjects: each partnership's register has entries from
schools strong where others are weak (with evidence the platform holds about them, an inspection
line and a resource), some endorsed by the Raising Achievement Board; support under way at each
stage (a request waiting for an answer, one accepted, one with its plan and sessions logged and its
impact recorded, last year's closed), an own need added by a school, and buddy pairs. Built through
the services, so reservations and audit rows are as in use. Idempotent: a partnership that already
has register entries is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core import registry
from partnership.core.registry import DemoOutcome
from partnership.core.schoolyear import current_academic_year, next_school_day, previous_school_day
from partnership.directory.demo import PARTNERSHIPS
from partnership.directory.models import Partnership, School
from partnership.goodpractice import entries, needs, support
from partnership.goodpractice.areas import ensure_shipped
from partnership.goodpractice.demo_buddies import load_buddies
from partnership.goodpractice.models import PracticeArea, RegisterEntry, SupportRequest, SupportSession

# (school slug, area key, title, description, capacity, inspection, endorse)
ENTRIES: dict[str, list[tuple[str, str, str, str, int, str, bool]]] = {
    "stars": [
        (
            "kingfield-primary",
            "maths",
            "Mastery maths from Reception to Year 6",
            "Daily maths meetings, concrete-pictorial-abstract lessons and same-day intervention. Visitors watch a "
            "Year 2 and a Year 5 lesson, look at books with the maths lead and take away the calculation policy.",
            4,
            "Ofsted 2025: Achievement, Strong standard",
            True,
        ),
        (
            "byfleet-primary",
            "writing",
            "Writing for a purpose in Key Stage 2",
            "Every unit ends in a real audience: letters to the council, a class anthology, reports for the school "
            "website. Moderation has agreed with our judgements for three years.",
            2,
            "",
            True,
        ),
        (
            "westfield-primary",
            "phonics",
            "Phonics with fidelity to one programme",
            "One validated programme taught the same way in every class, keep-up sessions the same day and a "
            "reading-for-pleasure library banded to the programme.",
            2,
            "Ofsted 2025: Curriculum and teaching, Strong standard",
            False,
        ),
        (
            "st-marys-cofe-primary",
            "eyfs",
            "Talk-rich continuous provision in Reception",
            "Adults model language in every area of provision; a 'word of the week' shared with families; "
            "assessment by observation kept to what matters.",
            2,
            "",
            False,
        ),
        (
            "maybury-primary",
            "eal",
            "Welcoming new arrivals with English as an additional language",
            "A two-week induction with a buddy and a home-language welcome pack, pre-teaching of topic vocabulary "
            "and a weekly check of progress in English.",
            2,
            "",
            True,
        ),
    ],
    "star-collaboration": [
        (
            "ongar-place-primary",
            "writing",
            "Shared writing and editing stations",
            "Teachers write live in front of the class, then pupils edit at stations for punctuation, vocabulary "
            "and cohesion.",
            2,
            "",
            True,
        ),
        (
            "the-grange-community-infant",
            "eyfs",
            "Outdoor learning in the early years",
            "Half of each Reception day outdoors, planned against the early learning goals, with a risk-benefit "
            "approach.",
            2,
            "Ofsted 2025: Early years, Strong standard",
            False,
        ),
        (
            "stepgates-community",
            "maths",
            "Number sense in Key Stage 1",
            "Ten minutes of number fluency every day, with the same representations from Reception to Year 2.",
            2,
            "",
            False,
        ),
        (
            "meadowcroft-infant",
            "music",
            "A Key Stage One music festival",
            "Every class learns a song and an instrument piece each term for the festival the four schools share.",
            1,
            "",
            True,
        ),
    ],
}
# Evidence from outside the platform, for entries whose strength its own data does not show:
# (school slug, area key) -> (what it shows, where to read it).
DOCUMENTS: dict[tuple[str, str], tuple[str, str]] = {
    ("maybury-primary", "eal"): (
        "Local authority EAL review, spring 2026: new arrivals' progress in English tracked half-termly and "
        "most reach the expected stage within a year",
        "https://maybury-primary.example.org/eal-review-2026",
    ),
    ("st-marys-cofe-primary", "eyfs"): (
        "Local authority EYFS profile moderation, summer 2026: every judgement sampled agreed",
        "https://st-marys-cofe-primary.example.org/eyfs-moderation-2026",
    ),
    ("stepgates-community", "maths"): (
        "Maths hub work group report, 2025/26: mastery readiness project completed",
        "https://stepgates-community.example.org/maths-hub-report",
    ),
    ("meadowcroft-infant", "music"): (
        "Music hub partnership review, 2026: singing strategy recognised as strong practice",
        "https://meadowcroft-infant.example.org/music-hub-review",
    ),
}
# (asking school, supporting school, area): the stage each demo request reaches.
REQUESTS: dict[str, list[tuple[str, str, str, str]]] = {
    "stars": [
        ("byfleet-primary", "kingfield-primary", "maths", "impact"),
        ("westfield-primary", "kingfield-primary", "maths", "accepted"),
        ("maybury-primary", "westfield-primary", "phonics", "requested"),
        ("kingfield-primary", "byfleet-primary", "writing", "closed"),
    ],
    "star-collaboration": [
        ("stepgates-community", "ongar-place-primary", "writing", "impact"),
        ("meadowcroft-infant", "the-grange-community-infant", "eyfs", "requested"),
    ],
}


def _head(slug: str) -> User:
    return User.objects.get(email=f"head.{slug}@demo.example")


def _coordinator(partnership: Partnership) -> User | None:
    from partnership.core.roles import Role
    from partnership.directory.models import RoleAssignment

    row = RoleAssignment.objects.current().filter(partnership=partnership, role=Role.COORDINATOR).first()
    return row.person if row else None


def _need_for(head: User, school: School, area: PracticeArea, year: int) -> needs.NeedItem:
    """The school's gathered need in the area (a flag or a priority), else a need it adds itself."""
    for item in needs.school_needs(head, school, year):
        if area in item.areas:
            return item
    own = needs.need_add(school=school, academic_year=year, area=area, title=f"Improve {area.name.lower()}", actor=head)
    return needs.find_need(head, school, year, f"own|{own.pk}") or needs.NeedItem(
        f"own|{own.pk}", "own", own.title, "", (area,), need=own
    )


def _entries(
    partnership: Partnership, rows: list[tuple[str, str, str, str, int, str, bool]]
) -> dict[tuple[str, str], RegisterEntry]:
    coordinator = _coordinator(partnership)
    made = {}
    ensure_shipped(PracticeArea)
    areas = {a.key: a for a in PracticeArea.objects.all()}
    year = current_academic_year()
    for slug, area_key, title, description, capacity, inspection, endorse in rows:
        school = School.objects.get(slug=slug)
        head = _head(slug)
        entry = entries.entry_propose(
            partnership=partnership,
            school=school,
            area=areas[area_key],
            title=title,
            description=description,
            contact=head,
            capacity=capacity,
            inspection=inspection,
            actor=head,
        )
        strengths = [i for i in registry.schools_practice(head, [school], year)[school.pk] if i.strength]
        for item in [i for i in strengths if area_key in i.topics][:2]:
            entries.evidence_link(entry=entry, kind=item.kind, ref=item.ref, actor=head)
        if inspection:
            entries.evidence_add_note(entry=entry, kind="inspection", label=inspection, actor=head)
        if (slug, area_key) in DOCUMENTS:
            label, url = DOCUMENTS[slug, area_key]
            entries.evidence_add_note(entry=entry, kind="document", label=label, url=url, actor=head)
        entries.resource_add(
            entry=entry,
            title=f"{areas[area_key].name}: our approach on one page",
            url=f"https://{slug}.example.org/{area_key}-approach",
            actor=head,
        )
        entry.refresh_from_db()
        if endorse and coordinator is not None and entry.status == RegisterEntry.Status.PROPOSED:
            entries.entry_endorse(entry=entry, note="Raising Achievement Board, autumn term meeting", actor=coordinator)
        made[(slug, area_key)] = entry
    return made


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _dated(req: SupportRequest, today: datetime.date, start: datetime.date | None) -> None:
    """Put each step of a demo request on the school day it would have happened, in order: asked,
    answered and planned before its first session (`start`), each session logged on its day, the
    impact after the last one, closed after that. (The services stamp the moment the demo loads.)"""
    if start is None:  # asked lately: waiting for an answer, or just accepted
        asked = previous_school_day(today - datetime.timedelta(days=9 if req.decided_at else 3))
        answered = next_school_day(asked + datetime.timedelta(days=2))
        steps = {"requested_at": _at(asked), "decided_at": _at(answered, 16) if req.decided_at else None}
    else:
        asked = previous_school_day(start - datetime.timedelta(days=21))
        steps = {
            "requested_at": _at(asked),
            "decided_at": _at(next_school_day(asked + datetime.timedelta(days=2)), 16),
            "plan_agreed_at": _at(previous_school_day(start - datetime.timedelta(days=7)), 15),
        }
    sessions = list(SupportSession.objects.filter(request=req).order_by("day"))
    for session in sessions:
        SupportSession.objects.filter(pk=session.pk).update(logged_at=_at(session.day, 17))
    if req.impact_recorded_at and sessions:
        impact = min(next_school_day(sessions[-1].day + datetime.timedelta(days=7)), today)
        steps["impact_recorded_at"] = _at(impact, 16)
        if req.closed_at:
            steps["closed_at"] = _at(min(next_school_day(impact + datetime.timedelta(days=3)), today), 16)
    SupportRequest.objects.filter(pk=req.pk).update(**steps)


def _dated_entries(made: dict[tuple[str, str], RegisterEntry], today: datetime.date) -> None:
    """Entries proposed a term ago and endorsed at the board's meeting a fortnight later."""
    proposed = _at(previous_school_day(today - datetime.timedelta(days=90)), 9)
    endorsed = _at(next_school_day(proposed.date() + datetime.timedelta(days=14)), 18)
    rows = RegisterEntry.objects.filter(pk__in=[e.pk for e in made.values()])
    rows.update(proposed_at=proposed, updated_at=proposed)
    rows.filter(endorsed_at__isnull=False).update(endorsed_at=endorsed)


def _support(
    made: dict[tuple[str, str], RegisterEntry], rows: list[tuple[str, str, str, str]], today: datetime.date
) -> int:
    year = current_academic_year(today)
    count = 0
    for asking, supporting, area_key, stage in rows:
        entry = made[(supporting, area_key)]
        school = School.objects.get(slug=asking)
        head, other = _head(asking), _head(supporting)
        item = _need_for(head, school, entry.area, year)
        req = support.request_create(
            entry=entry,
            school=school,
            need=item,
            area=entry.area,
            sessions=2,
            actor=head,
            message="We would like to see this in action and talk to the lead about how it started.",
        )
        count += 1
        if stage == "requested":
            _dated(req, today, None)
            continue
        req = support.request_accept(req=req, actor=other)
        if stage == "accepted":
            _dated(req, today, None)
            continue
        start = previous_school_day(today - datetime.timedelta(days=40))
        req = support.plan_agree(
            req=req,
            plan=f"Two half-day visits to {entry.school.name}, then a follow-up in our school.",
            sessions=2,
            visits=2,
            starts_on=start,
            ends_on=next_school_day(today + datetime.timedelta(days=30)),
            cost=None,
            impact_target=item.title,
            actor=other,
        )
        for n, note in enumerate(
            [
                "Watched two lessons and looked at books with the lead.",
                "The lead team-taught with our Year 5 teacher; we agreed a sequence to trial.",
            ]
        ):
            support.session_log(
                req=req,
                day=previous_school_day(start + datetime.timedelta(days=7 + 14 * n)),
                kind="visit_host",
                days=Decimal("0.5"),
                attendees="Headteacher and subject lead",
                impact_note=note,
                actor=head,
            )
        support.request_action_create(
            req=req,
            title="Trial the agreed sequence in two classes",
            owner=head,
            due_on=next_school_day(today + datetime.timedelta(days=21)),
            actor=head,
        )
        support.impact_record(
            req=req,
            impact="partly",
            target=item.title,
            note="Book looks show more pupils explaining their reasoning; the spring assessment will tell us more.",
            actor=head,
        )
        if stage == "closed":
            req = support.request_close(req=req, actor=head)
        req.refresh_from_db()
        _dated(req, today, start)
    return count


@transaction.atomic
def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    made_entries = 0
    made_requests = 0
    for info in PARTNERSHIPS.values():
        partnership = Partnership.objects.filter(slug=info["slug"]).first()
        if partnership is None or RegisterEntry.objects.filter(partnership=partnership).exists():
            continue
        made = _entries(partnership, ENTRIES.get(partnership.slug, []))
        _dated_entries(made, today)
        made_entries += len(made)
        made_requests += _support(made, REQUESTS.get(partnership.slug, []), today)
        load_buddies(partnership, today)
    return DemoOutcome(
        summary=f"{made_entries} register entries and {made_requests} support requests",
        note="Good practice: Byfleet's head sees Kingfield's maths support with its sessions and impact; Westfield's "
        "head has a request from Maybury waiting.",
    )
