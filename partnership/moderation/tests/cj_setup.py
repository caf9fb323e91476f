"""A partnership ready for comparative judgement: schools with Year 6 writing samples (each with
one page), a CJ session over them and judges from the schools and the adviser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from partnership.core.roles import Role
from partnership.directory.tests.factories import World, member_school, staff
from partnership.moderation import cj_sessions
from partnership.moderation.models import CJJudge, CJSession, ModerationSession, Sample
from partnership.moderation.tests import factories

JUDGEMENTS = ("WTS", "EXS", "GDS")


@dataclass
class CJWorld:
    world: World
    moderation: ModerationSession
    schools: list[Any]
    samples: list[Sample]
    session: CJSession
    judges: list[CJJudge] = field(default_factory=list)


def build(
    world: World, *, extra_schools: int = 1, per_school: int = 4, judges: int = 4, per_script: int = 4, **kwargs: Any
) -> CJWorld:
    """Own, Partner and `extra_schools` more schools of `home`, `per_school` samples each (teacher
    judgements WTS, EXS, GDS in turn, pupils "Pupil <school> <n>"), a session over them, and
    `judges` judges: the own and partner heads, then the adviser, then heads of the extra schools."""
    coordinator = world["coordinator"]
    schools = [world.own, world.partner] + [member_school(world.home) for _ in range(extra_schools)]
    moderation = factories.session(world.home, host=world.own, by=coordinator)
    samples = []
    for s_index, school in enumerate(schools):
        teacher = world["teacher"] if school == world.own else staff(school, Role.TEACHER)
        for n in range(per_school):
            samples.append(
                factories.sample(
                    moderation,
                    school,
                    by=teacher,
                    judgement=JUDGEMENTS[(n + s_index) % 3],
                    pupil=f"Pupil {school.name} {n + 1}",
                    upn=f"A{school.pk:05d}{n:06d}"[:13],
                    with_file=True,
                )
            )
    session = cj_sessions.session_create(
        partnership=world.home,
        actor=coordinator,
        name="Year 6 writing",
        subject="writing",
        year_group="6",
        per_script=per_script,
        cross_school_every=kwargs.pop("cross_school_every", 5),
        sources=[moderation],
    )
    people = [world["head"], world["partner_head"], world["adviser"]]
    people += [staff(school, Role.HEADTEACHER) for school in schools[2:]]
    made = [cj_sessions.judge_invite(session=session, actor=coordinator, person=p) for p in people[:judges]]
    return CJWorld(world, moderation, schools, samples, session, made)
