"""Synthetic demo plans: a development plan for this academic year for every demo school and an
improvement plan for each demo partnership. Run after `partnership.directory.demo.load_demo`.

Each school's priorities answer the subjects its results are weak in (the demo's story,
`directory.demo.WEAK_SUBJECTS`, which the synthetic results follow), then general ones; an infant
school's plan has no Key Stage 2 objectives. Dates follow `today`: milestones of terms that have
ended are achieved, and due dates fall on school days.

Idempotent: a school or partnership that already has this year's plan is left alone. About half
the schools share their priorities, chosen so that the shared-priorities table has columns with
two or more schools. Everything is written through the services, so the audit log reads as if
the schools had typed it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.registry import DemoOutcome
from partnership.core.schoolyear import next_school_day, previous_school_day, term_dates
from partnership.directory.demo import WEAK_SUBJECTS
from partnership.directory.models import Membership, Partnership
from partnership.plans import services
from partnership.plans.models import ImprovementPlan, ProgressUpdate, Rag, Term, current_academic_year

PARTNERSHIP_SLUGS = ["stars", "star-collaboration"]


@dataclass(frozen=True)
class ObjectiveSpec:
    title: str
    success_criteria: str
    lead: str  # email prefix of the demo school's staff
    milestones: tuple[str, str, str]  # autumn, spring, summer
    action: str
    key_stage_2: bool = False  # about Years 3-6: not in an infant school's plan


@dataclass(frozen=True)
class PrioritySpec:
    title: str
    framework_area: str
    themes: str
    lead: str
    description: str
    objectives: tuple[ObjectiveSpec, ...]


# Priorities that answer a weak subject of the demo's story (`directory.demo.WEAK_SUBJECTS`): a
# school's plan takes the priority for each subject its results are weak in.
BY_SUBJECT: dict[str, PrioritySpec] = {
    "reading": PrioritySpec(
        "Every child a fluent reader by the end of Key Stage 1",
        "curriculum_teaching",
        "Reading, Phonics",
        "english-lead",
        "Fewer pupils pass the phonics screening check than nationally, and too many Year 2 pupils are not "
        "yet reading fluently.",
        (
            ObjectiveSpec(
                "Consistent daily phonics teaching in Reception and Year 1",
                "Phonics screening check pass rate at or above the national figure; every adult who teaches "
                "phonics is observed teaching to the scheme.",
                "english-lead",
                (
                    "All staff trained in the phonics scheme",
                    "Half-termly assessments show 75% of pupils on track",
                    "Phonics screening check at or above national",
                ),
                "Buy decodable books matched to the phonics scheme",
            ),
            ObjectiveSpec(
                "Reading for pleasure across Key Stage 2",
                "Pupil voice: 80% of pupils say they enjoy reading; library borrowing doubles.",
                "teacher",
                ("Class reading spines agreed", "Reading ambassadors in every class", "Pupil voice survey repeated"),
                "Set up reading ambassadors in Years 5 and 6",
                key_stage_2=True,
            ),
        ),
    ),
    "maths": PrioritySpec(
        "Raise attainment in maths at Key Stage 2",
        "achievement",
        "Maths",
        "maths-lead",
        "Fewer Year 6 pupils met the expected standard in maths than nationally, and multiplication tables "
        "check scores are below the national average.",
        (
            ObjectiveSpec(
                "Times tables fluency in Year 4",
                "Average multiplication tables check score at or above the national average.",
                "maths-lead",
                ("Daily practice in place in Years 3 and 4", "Mock check: average 18", "Check: average 21"),
                "Daily ten-minute times tables practice in Years 3 and 4",
                key_stage_2=True,
            ),
            ObjectiveSpec(
                "Reasoning and problem solving in Years 5 and 6",
                "Key Stage 2 maths: the share meeting the expected standard at or above the national figure.",
                "maths-lead",
                ("Reasoning lessons planned each week", "Mock tests: 65% at expected", "Key Stage 2 at national"),
                "Maths leader to model reasoning lessons in Year 5",
                key_stage_2=True,
            ),
        ),
    ),
    "writing": PrioritySpec(
        "Raise standards in writing across the school",
        "curriculum_teaching",
        "Writing",
        "english-lead",
        "Fewer pupils met the expected standard in writing at the end of Key Stage 2 than nationally.",
        (
            ObjectiveSpec(
                "Extended writing in Key Stage 2",
                "Moderated writing: Year 6 at the expected standard at or above the national figure.",
                "english-lead",
                ("Writing units planned", "Cross-school moderation held", "Expected standard at national"),
                "Book looks of extended writing each half term",
                key_stage_2=True,
            ),
        ),
    ),
    "early": PrioritySpec(
        "A strong start in Reception",
        "early_years",
        "Early years",
        "deputy",
        "Fewer children reach a good level of development by the end of Reception than nationally.",
        (
            ObjectiveSpec(
                "Communication and language in Reception",
                "Good level of development at or above the national figure; speaking and listening checked "
                "each half term.",
                "deputy",
                ("Language screening of every child", "Small-group talk sessions running", "GLD at national"),
                "Train Reception staff in the language programme",
            ),
        ),
    ),
}

# Priorities that do not come from results (the demo has no attendance or well-being data), to make
# each plan up to its size; neighbouring schools share them, so the shared-priorities table lines up.
GENERAL = [
    PrioritySpec(
        "Improve attendance and reduce persistent absence",
        "attendance_behaviour",
        "Attendance",
        "deputy",
        "Persistent absence is above the national rate, especially for disadvantaged pupils.",
        (
            ObjectiveSpec(
                "Persistent absence below 12%",
                "Persistent absence below 12% by July; weekly tracking reviewed by leaders.",
                "dsl",
                ("Weekly attendance meeting in place", "Persistent absence below 15%", "Persistent absence below 12%"),
                "Weekly attendance meeting with families of pupils below 90%",
            ),
        ),
    ),
    PrioritySpec(
        "Strengthen provision for pupils with SEND",
        "inclusion",
        "SEND, Inclusion",
        "senco",
        "Learning walks found adaptations for pupils with SEND were inconsistent between classes.",
        (
            ObjectiveSpec(
                "Adaptive teaching in every classroom",
                "Learning walks show well-planned adaptations in 90% of lessons.",
                "senco",
                (
                    "Staff training on adaptive teaching",
                    "Learning walk: 75% of lessons",
                    "Learning walk: 90% of lessons",
                ),
                "SENCO training session on adaptive teaching",
            ),
            ObjectiveSpec(
                "Provision maps reviewed with families each term",
                "Every pupil on the SEND register has a provision map reviewed with their family each term.",
                "senco",
                ("Autumn reviews held", "Spring reviews held", "Summer reviews held"),
                "Update provision maps before parent meetings",
            ),
        ),
    ),
    PrioritySpec(
        "Pupils' well-being and personal development",
        "personal_development",
        "Well-being",
        "deputy",
        "Pupil voice shows fewer pupils feel able to talk to an adult about worries.",
        (
            ObjectiveSpec(
                "A trusted adult for every pupil",
                "Pupil voice: 90% of pupils can name an adult they would talk to.",
                "deputy",
                ("Trusted adult scheme launched", "Check-ins in every class", "Pupil voice survey repeated"),
                "Launch the trusted adult scheme in assembly",
            ),
        ),
    ),
]

PARTNERSHIP_POOL = [
    PrioritySpec(
        "Reading for pleasure across our schools",
        "curriculum_teaching",
        "Reading",
        "coordinator",
        "A shared reading spine and book swaps between the schools.",
        (
            ObjectiveSpec(
                "A shared reading spine for Key Stage 2",
                "Every school uses the spine; pupil voice shows more pupils reading at home.",
                "coordinator",
                ("Spine agreed by English leaders", "Book swap between schools", "Pupil voice across the schools"),
                "Convene English leaders to agree the reading spine",
            ),
        ),
    ),
    PrioritySpec(
        "Shared moderation of writing",
        "achievement",
        "Writing",
        "coordinator",
        "Teachers moderate writing together so judgements agree across the schools.",
        (
            ObjectiveSpec(
                "Termly cross-school moderation",
                "Moderation agreement of 90% between schools.",
                "coordinator",
                ("Year 2 and 6 moderation", "Years 1, 3 and 5 moderation", "All year groups moderated"),
                "Book the autumn moderation session",
            ),
        ),
    ),
    PrioritySpec(
        "Attendance: every day counts",
        "attendance_behaviour",
        "Attendance",
        "coordinator",
        "A shared approach to attendance, with families hearing the same message from every school.",
        (
            ObjectiveSpec(
                "A shared attendance campaign",
                "Partnership persistent absence falls by a quarter.",
                "coordinator",
                ("Campaign materials shared", "Attendance leads meet", "Year-end review"),
                "Draft the shared letter to families",
            ),
        ),
    ),
]


def _staff(prefix: str, slug: str) -> User | None:
    return User.objects.filter(email=f"{prefix}.{slug}@demo.example").first()


def _for_phase(spec: PrioritySpec, infant: bool) -> PrioritySpec | None:
    """The priority as an infant school would write it (no Key Stage 2 objectives), or None if
    nothing is left."""
    if not infant:
        return spec
    objectives = tuple(o for o in spec.objectives if not o.key_stage_2)
    return replace(spec, objectives=objectives) if objectives else None


def priorities_for(slug: str, index: int, *, infant: bool) -> list[PrioritySpec]:
    """2 to 4 priorities: one for each subject the school's results are weak in (its story), then
    general ones, which neighbouring schools share so shared themes line up."""
    specs = [BY_SUBJECT[subject] for subject in WEAK_SUBJECTS.get(slug, ())]
    chosen = [spec for spec in (_for_phase(s, infant) for s in specs) if spec is not None]
    count = max(2, min(4, 2 + index % 3), len(chosen) + 1)
    for k in range(len(GENERAL)):
        if len(chosen) >= min(count, 4):
            break
        chosen.append(GENERAL[(index // 4 + k) % len(GENERAL)])
    return chosen


def _fill(
    plan: ImprovementPlan,
    specs: list[PrioritySpec],
    people: dict[str, Any],
    author: Any,
    today: datetime.date,
) -> None:
    """Priorities, objectives, milestones, a few progress updates and actions (the first overdue)."""
    earlier = timezone.make_aware(
        datetime.datetime.combine(previous_school_day(today - datetime.timedelta(days=21)), datetime.time(16))
    )
    year = current_academic_year(today)
    for p_index, spec in enumerate(specs):
        priority = services.priority_create(
            plan=plan,
            title=spec.title,
            description=spec.description,
            framework_area=spec.framework_area,
            themes=spec.themes,
            lead=people.get(spec.lead),
            actor=author,
        )
        for o_index, o_spec in enumerate(spec.objectives):
            objective = services.objective_create(
                priority=priority,
                title=o_spec.title,
                success_criteria=o_spec.success_criteria,
                lead=people.get(o_spec.lead),
                actor=author,
            )
            for term, description in zip([Term.AUTUMN, Term.SPRING, Term.SUMMER], o_spec.milestones, strict=True):
                milestone = services.milestone_create(
                    objective=objective, term=term, description=description, actor=author
                )
                if _achieved(year, term, o_index, today):
                    services.milestone_set_achieved(milestone=milestone, achieved=True, actor=author)
            overdue = p_index == 0 and o_index == 0
            services.objective_action_add(
                objective=objective,
                title=o_spec.action,
                owner=people.get(o_spec.lead) or author,
                due_on=previous_school_day(today - datetime.timedelta(days=10))
                if overdue
                else next_school_day(today + datetime.timedelta(days=30)),
                actor=author,
            )
            if o_index == 0:
                rag = Rag.AMBER if p_index == 0 else Rag.GREEN
                update = services.progress_record(
                    item=objective,
                    rag=rag,
                    note="Training delivered; early checks show most pupils on track."
                    if rag == Rag.GREEN
                    else "Started, but one class is behind; the lead is supporting the teacher.",
                    actor=people.get(o_spec.lead) or author,
                )
                ProgressUpdate.objects.filter(pk=update.pk).update(recorded_at=earlier)
        services.progress_record(
            item=priority,
            rag=Rag.AMBER if p_index == 0 else Rag.GREEN,
            note="Reviewed at the leadership meeting: on track overall, see the objectives.",
            actor=author,
        )


def _achieved(year: int, term: str, o_index: int, today: datetime.date) -> bool:
    """Milestones of terms that have ended are achieved; the first objective's is for this term too."""
    starts, ends = term_dates(year, term)
    return ends <= today or (o_index == 0 and starts <= today)


@transaction.atomic
def load_plans_demo(today: datetime.date | None = None) -> int:
    """Create this year's demo plans that do not exist yet. Returns how many plans were created."""
    today = today or timezone.localdate()
    year = current_academic_year(today)
    created = 0
    for slug in PARTNERSHIP_SLUGS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        memberships = Membership.objects.current().filter(partnership=partnership).select_related("school")
        for index, membership in enumerate(memberships.order_by("school__name")):
            school = membership.school
            head = _staff("head", school.slug)
            if head is None or ImprovementPlan.objects.filter(school=school, academic_year=year).exists():
                continue
            plan = services.plan_create(
                school=school,
                academic_year=year,
                actor=head,
                vision=f"{school.name}: every pupil reads fluently, attends well and is ready for the next stage.",
            )
            people = {
                prefix: _staff(prefix, school.slug)
                for prefix in ["head", "deputy", "senco", "dsl", "english-lead", "maths-lead", "teacher"]
            }
            _fill(plan, priorities_for(school.slug, index, infant=school.phase == "infant"), people, head, today)
            if index % 2 == 0:
                services.plan_set_sharing(plan=plan, shares=True, actor=head)
            created += 1
        coordinator = User.objects.filter(email=f"coordinator.{slug}@demo.example").first()
        if coordinator is None or ImprovementPlan.objects.filter(partnership=partnership, academic_year=year).exists():
            continue
        plan = services.plan_create(
            partnership=partnership,
            academic_year=year,
            actor=coordinator,
            vision="What the schools do together this year, agreed by the headteachers' board.",
        )
        _fill(plan, PARTNERSHIP_POOL, {"coordinator": coordinator}, coordinator, today)
        created += 1
    return created


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The plans part of `manage.py load_demo`."""
    return DemoOutcome(f"{load_plans_demo(today)} plans")
