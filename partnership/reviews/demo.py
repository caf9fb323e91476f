"""Demo self-evaluations and peer reviews for the demo partnerships (run after the directory, plans
and outcomes demos).

For each partnership: this year's SEF for every member school on the Ofsted report-card framework
(a narrative, strengths and next steps per area, grades that follow the school's weak subjects,
evidence links to its documents, sharing levels mixed, one school's SEF with several saved
versions); last year's SEF for some schools; last year's review cycle, closed (every review visited,
findings agreed, final reports, some shared with the partnership, impact recorded, actions in the
school's plan from the areas for development, an endorsed Area of Excellence); and this year's
cycle with a rota from `reviews.rota.plan_rota` (avoiding last year's pairings and a declared
conflict of interest), accepted: one review visited with evidence notes and findings, one scheduled
with its visit programme, the rest planned.

Dates follow `today` and visits fall on school days. Built with the models directly (and
`actions.services.action_create` for the actions). Idempotent: a SEF (school, year) or a cycle
(partnership, year, name) that exists is left alone. No pupil is named anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.actions.services import action_create
from partnership.core.registry import DemoOutcome
from partnership.core.schoolyear import (
    Term,
    academic_year_label,
    current_academic_year,
    first_school_day_of_term,
    next_school_day,
    previous_school_day,
)
from partnership.directory.demo import PARTNERSHIPS, WEAK_SUBJECTS
from partnership.directory.models import Membership, Partnership, School
from partnership.reviews import rota, sef_queries, shipped
from partnership.reviews.models import (
    Activity,
    AreaJudgement,
    AreaOfExcellence,
    ConflictOfInterest,
    EvidenceNote,
    Finding,
    FocusArea,
    Framework,
    FrameworkArea,
    Grade,
    Review,
    ReviewCycle,
    ReviewReport,
    SefEntry,
    SefEvidence,
    SefVersion,
    SelfEvaluation,
    Sharing,
    SharingChoice,
    TeamMember,
)

TEAM_SIZE = 2
MAX_LOAD = 2
SMALL_PARTNERSHIP = 6  # below this many schools, deputies review as well as heads

# Which area a weak subject weighs on, and how it reads in a SEF.
WEAK_AREA = {"reading": "achievement", "writing": "curriculum-teaching", "maths": "achievement", "early": "early-years"}
SUBJECT_WORDS = {
    "reading": "reading, and the phonics screening check in Year 1",
    "writing": "writing across the curriculum",
    "maths": "mathematics at the end of Key Stage 2",
    "early": "the Reception year's good level of development",
}

NARRATIVE = {
    "inclusion": (
        "Pupils with SEND and disadvantaged pupils are known well; provision maps are reviewed each half "
        "term with the SENCO and class teachers.",
        "Adaptations in lessons are consistent in Key Stage 1",
        "Make pupil-progress meetings check the impact of adaptations, not only their presence",
    ),
    "curriculum-teaching": (
        "The curriculum is sequenced from Reception to Year 6, with subject leaders checking how well "
        "pupils remember what they have been taught.",
        "Subject leaders know their subjects' sequence and check it through book looks",
        "Bring foundation subjects' assessment in line with English and mathematics",
    ),
    "achievement": (
        "Outcomes at the end of each key stage are close to or above national figures; we track "
        "disadvantaged pupils' attainment against all pupils nationally.",
        "Year 6 outcomes improved for the third year running",
        "Close the gap for disadvantaged pupils in the subjects where it is widest",
    ),
    "attendance-behaviour": (
        "Attendance is monitored weekly; persistent absence has fallen since last year. Behaviour in "
        "lessons and at social times is calm and orderly.",
        "A calm, orderly school with clear routines",
        "Reduce persistent absence among disadvantaged pupils",
    ),
    "personal-development": (
        "Pupils take on responsibilities (school council, eco team, play leaders) and the PSHE curriculum "
        "is mapped across the year groups.",
        "Wide take-up of clubs, including by disadvantaged pupils",
        "Widen the cultural capital offer in Key Stage 2",
    ),
    "leadership-governance": (
        "Leaders at all levels share an accurate view of the school; governors challenge through focused "
        "visits and the data reports they receive each term.",
        "Governors' monitoring visits are linked to the development plan",
        "Develop middle leaders' monitoring of their subjects",
    ),
    "early-years": (
        "Children settle quickly in Reception; the environment supports communication and language, and "
        "staff model talk throughout the day.",
        "Strong transition from pre-school settings",
        "Strengthen early mathematics in the continuous provision",
    ),
    "safeguarding": (
        "The safeguarding culture is strong: staff training is up to date, concerns are logged and followed "
        "up promptly, and the single central record is checked each term by a governor.",
        "Prompt, well-recorded follow-up of concerns",
        "",
    ),
}
EVIDENCE = {
    "inclusion": ("SEND information report", "send-information-report"),
    "curriculum-teaching": ("Curriculum overview", "curriculum"),
    "achievement": ("End of key stage results summary", "results"),
    "attendance-behaviour": ("Attendance and behaviour policy", "attendance-policy"),
    "personal-development": ("Personal development offer", "personal-development"),
    "leadership-governance": ("Governors' annual statement", "governance"),
    "early-years": ("Early years curriculum", "early-years"),
    "safeguarding": ("Child protection and safeguarding policy", "safeguarding-policy"),
}
SHARING_BY_POSITION = [Sharing.PARTNERSHIP, Sharing.REVIEW_TEAM, Sharing.OWN_SCHOOL]
ENQUIRY = {
    "reading": "To what extent does our phonics teaching help every pupil to read fluently by the end of Year 2?",
    "writing": "To what extent do pupils write at length with the same quality across the curriculum?",
    "maths": "To what extent does our mathematics teaching build fluency and reasoning for disadvantaged pupils?",
    "early": "To what extent does our Reception provision develop children's communication and language?",
}
ACTIVITIES = [
    (Activity.Kind.LEADERS, 9, 0, "The school's self-evaluation and the enquiry question"),
    (Activity.Kind.LEARNING_WALK, 10, 0, "The enquiry focus across the year groups"),
    (Activity.Kind.BOOK_LOOK, 11, 15, "Work over time in the focus subject"),
    (Activity.Kind.PUPIL_VOICE, 13, 30, "A group of pupils from Years 2 and 5"),
    (Activity.Kind.STAFF, 15, 30, "Teachers and teaching assistants"),
]


def _framework(key: str) -> Framework:
    shipped.load(Framework, FrameworkArea, Grade)
    return Framework.objects.get(key=key, partnership=None, version=1)


def _head(school: School) -> User | None:
    return User.objects.filter(email=f"head.{school.slug}@demo.example").first()


def _deputy(school: School) -> User | None:
    return User.objects.filter(email=f"deputy.{school.slug}@demo.example").first()


def _weak_areas(school: School) -> set[str]:
    return {WEAK_AREA[subject] for subject in WEAK_SUBJECTS.get(school.slug, ())}


def _rank(framework: Framework, area: FrameworkArea, school: School, index: int) -> Grade:
    """Strong or expected mostly, an exceptional area here and there, 'needs attention' where the
    school's results are weak."""
    worst = framework.grades.count()
    if area.key in _weak_areas(school):
        rank = 4 if worst >= 5 else 3
    elif (area.number + index) % 5 == 0:
        rank = 1
    else:
        rank = 2 if (area.number + index) % 2 else 3
    return framework.grades.get(rank=min(rank, worst))


def _snapshot(sef: SelfEvaluation) -> dict[str, Any]:
    """The same plain data the SEF services keep for each version."""
    return sef_queries.snapshot(sef)


def _sef(
    school: School, year: int, framework: Framework, index: int, head: User, sharing: str
) -> SelfEvaluation | None:
    if SelfEvaluation.objects.filter(school=school, academic_year=year).exists():
        return None
    weak = WEAK_SUBJECTS.get(school.slug, ())
    focus = " and ".join(SUBJECT_WORDS[s] for s in weak) or "consistency across the school"
    decided = timezone.now() - datetime.timedelta(days=20)
    sef = SelfEvaluation.objects.create(
        school=school,
        academic_year=year,
        framework=framework,
        summary=f"{school.name} is a happy, inclusive school where pupils achieve well in most subjects. "
        f"Our main work this year is {focus}.",
        sharing=sharing,
        sharing_decided_by=head if sharing != Sharing.OWN_SCHOOL else None,
        sharing_decided_at=decided if sharing != Sharing.OWN_SCHOOL else None,
        created_by=head,
        created_at=decided - datetime.timedelta(days=14),  # started a fortnight before it was shared
    )
    for area in framework.areas.all():
        narrative, strength, development = NARRATIVE.get(area.key, (f"What we know about {area.name.lower()}.", "", ""))
        if area.key in _weak_areas(school):
            development = f"Raise standards in {focus}"
            narrative += f" Our results in {focus} are below where we want them, and it is a priority in our plan."
        entry = SefEntry.objects.create(
            sef=sef,
            area=area,
            grade=None if area.met_or_not else _rank(framework, area, school, index),
            met=True if area.met_or_not else None,
            narrative=narrative,
            strengths=strength,
            development=development,
        )
        label, page = EVIDENCE.get(area.key, (f"{area.name} evidence", area.key))
        SefEvidence.objects.create(
            entry=entry,
            kind=SefEvidence.Kind.DOCUMENT,
            label=f"{label} ({academic_year_label(year)})",
            url=f"https://{school.slug}.demo.example/{page}",
            added_by=head,
        )
    if sharing != Sharing.OWN_SCHOOL:
        SharingChoice.objects.create(
            school=school,
            subject=SharingChoice.Subject.SEF,
            object_id=sef.pk,
            level=sharing,
            decided_by=head,
            decided_at=decided,
        )
    SefVersion.objects.create(sef=sef, number=1, snapshot=_snapshot(sef), author=head, note="First draft")
    return sef


def _more_versions(sef: SelfEvaluation, head: User, deputy: User | None) -> None:
    """Two more saved versions: the deputy's update to one area, then the head's to the summary."""
    entry = sef.entries.get(area__key="attendance-behaviour")
    entry.narrative += " Since September, persistent absence is down by a third on the same weeks last year."
    entry.save()
    SefVersion.objects.create(
        sef=sef, number=2, snapshot=_snapshot(sef), author=deputy or head, note="Autumn attendance"
    )
    sef.summary += " Governors discussed this self-evaluation at their autumn meeting."
    sef.version = 3
    sef.save()
    SefVersion.objects.create(
        sef=sef, number=3, snapshot=_snapshot(sef), author=head, note="After the governors' meeting"
    )


def _school_day(day: datetime.date) -> datetime.date:
    return next_school_day(day)


def _visit(review: Review, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A two-day visit from the first school day on or after `start`, the pre-review a fortnight before."""
    first = _school_day(start)
    second = next_school_day(first, after=True)
    review.visit_starts_on, review.visit_ends_on = first, second
    review.pre_review_on = previous_school_day(first - datetime.timedelta(days=14))
    return first, second


def _subject(school: School) -> str:
    return (WEAK_SUBJECTS.get(school.slug) or ("writing",))[0]


def _area(framework: Framework, key: str) -> FrameworkArea:
    return framework.areas.get(key=key)


def _findings(review: Review, framework: Framework, author: User) -> list[Finding]:
    subject = _subject(review.school)
    words = SUBJECT_WORDS[subject]
    made = [
        Finding.objects.create(
            review=review,
            area=_area(framework, "curriculum-teaching"),
            kind=Finding.Kind.STRENGTH,
            text="Leaders have a clear, shared view of the curriculum and staff explain the sequence confidently.",
            created_by=author,
        ),
        Finding.objects.create(
            review=review,
            area=_area(framework, "attendance-behaviour"),
            kind=Finding.Kind.STRENGTH,
            text="Pupils are polite and keen to talk about their learning; routines are consistent in every class.",
            created_by=author,
        ),
        Finding.objects.create(
            review=review,
            area=_area(framework, WEAK_AREA[subject]),
            kind=Finding.Kind.DEVELOPMENT,
            text=f"Make sure the teaching of {words} is as consistent in every class as it is in the strongest.",
            created_by=author,
        ),
        Finding.objects.create(
            review=review,
            area=_area(framework, "leadership-governance"),
            kind=Finding.Kind.DEVELOPMENT,
            text="Give middle leaders time to check the impact of their actions, not only that they are in place.",
            created_by=author,
        ),
    ]
    for area in framework.areas.all():
        AreaJudgement.objects.create(
            review=review,
            area=area,
            grade=None if area.met_or_not else _rank(framework, area, review.school, review.pk),
            met=True if area.met_or_not else None,
            summary="" if area.met_or_not else f"The team's view of {area.name.lower()}, from the visit's evidence.",
        )
    return made


def _team(review: Review, members: list[User]) -> None:
    TeamMember.objects.bulk_create(
        [TeamMember(review=review, person=p, from_school_id=p.school_id, is_lead=i == 0) for i, p in enumerate(members)]
    )


def _reviewers(schools: list[School], heads: dict[int, User]) -> list[User]:
    """The heads; in a small partnership (fewer than six schools) their deputies too, so that
    teams of two need not send the same heads back to the same schools every year."""
    people = [heads[s.pk] for s in schools if s.pk in heads]
    if len(people) < SMALL_PARTNERSHIP:
        people += [d for s in schools if s.pk in heads and (d := _deputy(s)) is not None]
    return people


def _rota(
    schools: list[School], heads: dict[int, User], avoid: set[tuple[int, int]], conflicts: set[tuple[int, int]]
) -> tuple[rota.RotaPlan, dict[Hashable, User]]:
    """The planner's rota for the schools with a head, and the reviewers by id."""
    people = _reviewers(schools, heads)
    plan = rota.plan_rota(
        [s.pk for s in schools if s.pk in heads],
        [rota.Reviewer(p.pk, p.school_id) for p in people],
        team_size=TEAM_SIZE,
        max_load=MAX_LOAD,
        avoid=avoid,
        conflicts=conflicts,
    )
    return plan, {p.pk: p for p in people}


def _conflicts(schools: list[School], heads: dict[int, User]) -> set[tuple[int, int]]:
    """One declared conflict of interest per partnership (from before last year's cycle): the second
    head's sister teaches at the fourth school. The rota keeps them off its team."""
    reviewing = [s for s in schools if s.pk in heads]
    if len(reviewing) < 4:
        return set()
    person, school = heads[reviewing[1].pk], reviewing[3]
    ConflictOfInterest.objects.get_or_create(
        person=person,
        school=school,
        defaults={
            "reason": "A close relative teaches at the school.",
            "declared_at": timezone.now() - datetime.timedelta(days=500),
        },
    )
    return set(ConflictOfInterest.objects.filter(person__in=heads.values()).values_list("person_id", "school_id"))


def _last_cycle(
    partnership: Partnership,
    schools: list[School],
    heads: dict[int, User],
    coordinator: User,
    year: int,
    framework: Framework,
    conflicts: set[tuple[int, int]],
) -> ReviewCycle | None:
    name = f"Peer review {academic_year_label(year)}"
    if ReviewCycle.objects.filter(partnership=partnership, academic_year=year, name=name).exists():
        return None
    plan, people = _rota(schools, heads, set(), conflicts)
    cycle = ReviewCycle.objects.create(
        partnership=partnership,
        academic_year=year,
        name=name,
        framework=framework,
        team_size=TEAM_SIZE,
        max_load=MAX_LOAD,
        include_deputies=len(heads) < SMALL_PARTNERSHIP,
        status=ReviewCycle.Status.CLOSED,
        relaxed=plan.relaxed,
        accepted_by=coordinator,
        accepted_at=timezone.now() - datetime.timedelta(days=400),
        closed_by=coordinator,
        closed_at=timezone.make_aware(datetime.datetime(year + 1, 7, 10, 16)),  # the summer term's end
        created_by=coordinator,
    )
    spring = first_school_day_of_term(year, Term.SPRING)
    summer = first_school_day_of_term(year, Term.SUMMER)
    for index, school in enumerate(s for s in schools if s.pk in plan.teams):
        head = heads[school.pk]
        review = Review(
            cycle=cycle, school=school, stage=Review.Stage.IMPACT, enquiry_question=ENQUIRY[_subject(school)]
        )
        _, ends = _visit(review, spring + datetime.timedelta(days=7 * index + 7))
        review.workshop_on = next_school_day(ends + datetime.timedelta(days=14))
        review.impact_due_on = next_school_day(summer + datetime.timedelta(days=28))
        review.impact_reviewed_on = review.impact_due_on
        review.save()
        team = [people[pk] for pk in plan.teams[school.pk]]
        _team(review, team)
        findings = _findings(review, framework, team[0])
        shared = index % 2 == 0
        finalised = timezone.make_aware(datetime.datetime.combine(review.workshop_on, datetime.time(16)))
        report = ReviewReport.objects.create(
            review=review,
            summary=f"{school.name} knows itself well. The team saw a calm, purposeful school where the curriculum "
            f"is well led; the enquiry into {SUBJECT_WORDS[_subject(school)]} found good practice to spread.",
            school_response="We welcome the report: the areas for development are now in our plan.",
            status=ReviewReport.Status.FINAL,
            sharing=Sharing.PARTNERSHIP if shared else Sharing.REVIEW_TEAM,
            finalised_by=team[0],
            finalised_at=finalised,
        )
        SharingChoice.objects.create(
            school=school,
            subject=SharingChoice.Subject.REPORT,
            object_id=report.pk,
            level=report.sharing,
            decided_by=head,
            decided_at=finalised,
        )
        recorded = timezone.make_aware(datetime.datetime.combine(review.impact_reviewed_on, datetime.time(15)))
        for number, finding in enumerate(f for f in findings if f.kind == Finding.Kind.DEVELOPMENT):
            action_create(
                title=finding.text[:200],
                owner=_deputy(school) or head,
                created_by=head,
                school=school,
                due_on=review.impact_due_on,
                description=finding.text,
                source=finding,
                source_label=f"Peer review {academic_year_label(year)}: area for development",
            )
            finding.impact = Finding.Impact.SECURE if number == 0 else Finding.Impact.SOME
            finding.impact_note = (
                "Book looks and lesson visits in the summer term show the change in every class."
                if number == 0
                else "Middle leaders now have release time; their checks are starting to show impact."
            )
            finding.impact_recorded_by = head
            finding.impact_recorded_at = recorded
            finding.save()
        if index == 0:
            AreaOfExcellence.objects.create(
                review=review,
                title="Outdoor learning across the curriculum",
                description="Every year group has a weekly outdoor session planned from the curriculum, "
                "not added to it.",
                put_forward_by=head,
                endorsed=True,
                team_comment="Well planned and well evaluated: other schools should visit.",
                decided_by=team[0],
                decided_at=finalised,
            )
    return cycle


def _this_cycle(
    partnership: Partnership,
    schools: list[School],
    heads: dict[int, User],
    coordinator: User,
    year: int,
    framework: Framework,
    today: datetime.date,
    conflicts: set[tuple[int, int]],
) -> ReviewCycle | None:
    name = f"Peer review {academic_year_label(year)}"
    if ReviewCycle.objects.filter(partnership=partnership, academic_year=year, name=name).exists():
        return None
    avoid = set(
        TeamMember.objects.filter(
            review__cycle__partnership=partnership, review__cycle__academic_year=year - 1
        ).values_list("person_id", "review__school_id")
    )
    reviewing = [s for s in schools if s.pk in heads]
    plan, people = _rota(schools, heads, avoid, conflicts)
    cycle = ReviewCycle.objects.create(
        partnership=partnership,
        academic_year=year,
        name=name,
        framework=framework,
        team_size=TEAM_SIZE,
        max_load=MAX_LOAD,
        include_deputies=len(heads) < SMALL_PARTNERSHIP,
        status=ReviewCycle.Status.ACCEPTED,
        relaxed=plan.relaxed,
        accepted_by=coordinator,
        accepted_at=timezone.now() - datetime.timedelta(days=40),
        created_by=coordinator,
    )
    for index, school in enumerate(s for s in reviewing if s.pk in plan.teams):
        days: tuple[datetime.date, datetime.date]
        team = [people[pk] for pk in plan.teams[school.pk]]
        review = Review(cycle=cycle, school=school, enquiry_question=ENQUIRY[_subject(school)])
        if index == 0:  # visited a fortnight ago: notes written, findings agreed
            review.stage = Review.Stage.FINDINGS
            days = _visit(review, previous_school_day(today - datetime.timedelta(days=16)))
        elif index == 1:  # the visit is in three weeks: the programme is set
            review.stage = Review.Stage.SCHEDULED
            days = _visit(review, today + datetime.timedelta(days=21))
        else:  # planned for the spring term
            days = _visit(review, first_school_day_of_term(year, Term.SPRING) + datetime.timedelta(days=7 * index))
        review.save()
        _team(review, team)
        subject = _subject(school)
        if index <= 1:
            FocusArea.objects.create(
                review=review,
                area=_area(framework, WEAK_AREA[subject]),
                title=SUBJECT_WORDS[subject].capitalize(),
                why="From the school's SEF and its results",
            )
            FocusArea.objects.create(
                review=review,
                area=_area(framework, "leadership-governance"),
                title="Middle leadership",
                why="The school's own question for the team",
            )
            host = _deputy(school) or heads[school.pk]
            for day_offset, (kind, hour, minute, focus) in enumerate(ACTIVITIES):
                day = days[0] if day_offset < 3 else days[1]
                activity = Activity.objects.create(
                    review=review,
                    kind=kind,
                    day=day,
                    starts_at=datetime.time(hour, minute),
                    ends_at=datetime.time(hour + 1, minute),
                    focus=focus,
                    host=host,
                )
                activity.reviewers.set(team if kind != Activity.Kind.PUPIL_VOICE else team[:1])
        if index == 0:
            for reviewer in team:
                EvidenceNote.objects.create(
                    review=review,
                    area=_area(framework, WEAK_AREA[subject]),
                    author=reviewer,
                    text=f"Learning walk: in most classes the teaching of {SUBJECT_WORDS[subject]} follows the "
                    "school's approach closely; in two classes the pace dropped and pupils waited for help.",
                )
                EvidenceNote.objects.create(
                    review=review,
                    area=_area(framework, "curriculum-teaching"),
                    author=reviewer,
                    text="Book look: work shows clear sequencing over time; feedback is used well in Key Stage 2.",
                )
            _findings(review, framework, team[0])
    return cycle


def _members(partnership: Partnership, slugs: list[str]) -> list[School]:
    current = set(Membership.objects.current().filter(partnership=partnership).values_list("school_id", flat=True))
    by_slug = {s.slug: s for s in School.objects.filter(slug__in=slugs, pk__in=current)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


@transaction.atomic
def load_reviews_demo(today: datetime.date | None = None) -> int:
    """Load the demo SEFs and review cycles; the number of SEFs and cycles made (0 when all exist)."""
    today = today or timezone.localdate()
    year = current_academic_year(today)
    framework = _framework(shipped.OFSTED_2025)
    made = 0
    for spec in PARTNERSHIPS.values():
        partnership = Partnership.objects.filter(slug=spec["slug"]).first()
        coordinator = User.objects.filter(email=f"coordinator.{spec['slug']}@demo.example").first()
        if partnership is None or coordinator is None:
            continue
        schools = _members(partnership, [slug for _, slug, _, _ in spec["schools"]])
        heads = {s.pk: h for s in schools if (h := _head(s)) is not None}
        for index, school in enumerate(s for s in schools if s.pk in heads):
            head = heads[school.pk]
            sef = _sef(school, year, framework, index, head, SHARING_BY_POSITION[index % 3])
            if sef is not None:
                made += 1
                if index == 0:
                    _more_versions(sef, head, _deputy(school))
            if index % 2 == 0:
                made += (
                    _sef(school, year - 1, framework, index + 1, head, SHARING_BY_POSITION[(index + 1) % 3]) is not None
                )
        conflicts = _conflicts(schools, heads)
        made += _last_cycle(partnership, schools, heads, coordinator, year - 1, framework, conflicts) is not None
        made += _this_cycle(partnership, schools, heads, coordinator, year, framework, today, conflicts) is not None
    return made


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The demo loader registered with `core.registry` (order 50: after directory, plans, outcomes)."""
    return DemoOutcome(f"{load_reviews_demo(today)} self-evaluations and review cycles created")
