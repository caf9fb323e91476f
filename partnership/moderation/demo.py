"""Demo moderation for the demo partnerships (run after the directory demo).

For each partnership: last year's Year 6 writing moderation, closed (each junior-phase school's
WTS, EXS and GDS examples with their evidence grids, moderators from two other schools, most
judgements agreeing, a few generous, one sample in the exemplar bank), this year's Reception literacy
moderation under way (judgements in, emerging / expected), a Year 2 maths standardisation meeting
with its attendance, and this year's Year 6 writing moderation taking samples. The pages are
generated images of handwritten-looking lines (no names on them); the pupils' names are invented and
seen only by their own school.

Built through the services (`sessions.py`, `samples.py`), so codes, stripped images and audit rows
are as in use. Idempotent: a partnership that already has moderation sessions is left alone.
"""

from __future__ import annotations

import datetime
import io
import math
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.registry import DemoOutcome
from partnership.core.schoolyear import current_academic_year, next_school_day
from partnership.directory.demo import PARTNERSHIPS
from partnership.directory.models import Membership, Partnership, School
from partnership.moderation import cj_sessions, samples, sessions
from partnership.moderation.models import Attendance, CJPair, CJScript, CJSession, ModerationSession, Sample
from partnership.moderation.scales import KS2_WRITING_STATEMENTS

FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hassan", "Isla", "Jack", "Keira",
               "Leo", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sam", "Tom", "Uma", "Vince",
               "Willow", "Yusuf", "Zara"]  # fmt: skip
LAST_NAMES = ["Ahmed", "Baker", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones",
              "Khan", "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Reid", "Shaw", "Turner", "Walsh"]  # fmt: skip
PIECES = ["Narrative: the lighthouse keeper", "Newspaper report", "Persuasive letter to the council", "Diary entry"]
LINES = [
    "The lighthouse stood alone at the edge of the cliff,",
    "its paint peeling like the bark of an old tree.",
    "Nobody had climbed its steps for years, until",
    "one grey morning a light flickered at the top.",
    "We believe the park should stay open because",
    "children need safe places to play after school.",
]


def _page_image(seed: int, lines: int = 9) -> bytes:
    """A cream page with ruled lines and scribbled-looking text: a believable scan, with no names."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (620, 820), (250, 247, 236))
    draw = ImageDraw.Draw(image)
    for row in range(lines + 4):
        y = 60 + row * 52
        draw.line([(40, y + 30), (580, y + 30)], fill=(170, 190, 220), width=1)
        if row < lines:
            text = LINES[(seed + row) % len(LINES)]
            draw.text((48 + rng.randint(0, 6), y + 8), text, fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _upload(seed: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"page-{seed}.png", _page_image(seed), content_type="image/png")


def _grid(standard: str, pieces: int, rng: random.Random) -> dict[str, list[int]]:
    """Ticks that secure every statement up to `standard`, and a few beyond it."""
    order = ["WTS", "EXS", "GDS"]
    grid: dict[str, list[int]] = {}
    for statement in KS2_WRITING_STATEMENTS:
        if order.index(statement.standard) <= order.index(standard):
            grid[statement.key] = sorted(rng.sample(range(pieces), k=rng.randint(1, pieces)))
        elif rng.random() < 0.25:
            grid[statement.key] = [rng.randrange(pieces)]
    return grid


def _person(prefix: str, school: School) -> User | None:
    return User.objects.filter(email=f"{prefix}.{school.slug}@demo.example").first()


def _school_day(day: datetime.date) -> datetime.date:
    return next_school_day(day)


def _submit(session: ModerationSession, school: School, judgement: str, seed: int, rng: random.Random) -> Sample | None:
    teacher = _person("teacher", school) or _person("english-lead", school)
    if teacher is None:
        return None
    grid_pieces = PIECES[: rng.randint(3, 4)]
    writing = session.subject == "writing" and session.year_group in ("3", "4", "5", "6")
    return samples.submit_sample(
        session=session,
        school=school,
        actor=teacher,
        teacher=teacher,
        teacher_judgement=judgement,
        pupil_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        selection=Sample.Selection.TEACHER_EXAMPLE,
        context="Independent writing over three weeks; no adult support beyond the usual classroom prompts."
        if writing
        else "",
        pieces=grid_pieces if writing else (),
        grid=_grid(judgement, len(grid_pieces), rng) if writing else None,
        files=[_upload(seed), _upload(seed + 1)],
    )


def _moderate(sample: Sample, moderators: list[User], rng: random.Random, generous_share: float) -> None:
    scale = ["WTS", "EXS", "GDS"] if sample.teacher_judgement in ("WTS", "EXS", "GDS") else ["EMG", "EXP"]
    for moderator in moderators:
        if moderator.school_id == sample.school_id:
            continue
        judgement = sample.teacher_judgement
        index = scale.index(judgement)
        if index > 0 and rng.random() < generous_share:
            judgement = scale[index - 1]  # the teacher was generous
        comment = (
            "Agreed: the collection secures every statement of the standard."
            if judgement == sample.teacher_judgement
            else f"Not yet {sample.teacher_judgement}: evidence of control across the collection is not secure."
        )
        samples.record_judgement(sample, actor=moderator, judgement=judgement, comment=comment)
        return  # one moderator from another school per sample


def _members(partnership: Partnership) -> list[School]:
    current = Membership.objects.current().filter(partnership=partnership).values("school_id")
    return list(School.objects.filter(pk__in=current).order_by("name"))


def _juniors(schools: list[School]) -> list[School]:
    return [s for s in schools if s.phase != "infant"]


def _load_partnership(partnership: Partnership, coordinator: User, today: datetime.date, rng: random.Random) -> int:
    schools = _members(partnership)
    if len(schools) < 3:
        return 0
    year = current_academic_year(today)
    juniors = _juniors(schools)
    leads = [p for s in juniors if (p := _person("english-lead", s)) is not None]
    made = 0
    seed = rng.randint(0, 10_000)

    # last year's Year 6 writing: closed, with an exemplar
    last = sessions.create_session(
        partnership=partnership, actor=coordinator, subject="writing", year_group="6",
        date=_school_day(datetime.date(year, 5, 20)), host_school=juniors[1 % len(juniors)],
        venue="The library", notes="Bring each teacher's WTS, EXS and GDS collections.",
    )  # fmt: skip
    for lead in leads[:3]:
        sessions.add_moderator(last, lead, actor=coordinator)
    moderators: list[User] = [m.person for m in last.moderators.select_related("person")]
    banked = False
    for school in juniors:
        for judgement in ("WTS", "EXS", "GDS"):
            seed += 2
            sample = _submit(last, school, judgement, seed, rng)
            if sample is None:
                continue
            _moderate(sample, moderators, rng, generous_share=0.3 if judgement == "GDS" else 0.15)
            if not banked and judgement == "EXS" and samples.is_agreed(sample, list(sample.judgements.all())):
                head = _person("head", school)
                if head is not None:
                    samples.offer_exemplar(
                        sample, actor=head,
                        annotation="Secure EXS: dialogue moves the action on, cohesion across paragraphs, "
                        "tense consistent; not yet the assured control of formality greater depth needs.",
                    )  # fmt: skip
                    banked = True
    sessions.set_status(last, ModerationSession.Status.CLOSED, actor=coordinator)
    made += 1

    # this year's Reception literacy: moderating
    eyfs = sessions.create_session(
        partnership=partnership, actor=coordinator, subject="eyfs_literacy", year_group="R",
        date=_school_day(today - datetime.timedelta(days=3)), host_school=schools[0],
    )  # fmt: skip
    eyfs_moderators = [p for s in schools[:2] if (p := _person("deputy", s)) is not None]
    for person in eyfs_moderators:
        sessions.add_moderator(eyfs, person, actor=coordinator)
    for school in schools:
        for judgement in ("EMG", "EXP"):
            seed += 2
            sample = _submit(eyfs, school, judgement, seed, rng)
            if sample is not None:
                _moderate(sample, eyfs_moderators, rng, generous_share=0.2)
    sessions.set_status(eyfs, ModerationSession.Status.MODERATING, actor=coordinator)
    made += 1

    # Year 2 maths standardisation, with attendance
    standardisation = sessions.create_session(
        partnership=partnership, actor=coordinator, kind=ModerationSession.Kind.STANDARDISATION,
        subject="maths", year_group="2", date=_school_day(today - datetime.timedelta(days=20)),
        host_school=schools[-1], notes="Standardising against the exemplification materials before moderation.",
    )  # fmt: skip
    for index, school in enumerate(schools):
        for prefix in ("teacher", "maths-lead"):
            attendee = _person(prefix, school)
            if attendee is not None:
                status = (
                    Attendance.Status.APOLOGIES if index == 2 and prefix == "teacher" else Attendance.Status.PRESENT
                )
                sessions.record_attendance(standardisation, attendee, status, actor=coordinator)
    sessions.set_status(standardisation, ModerationSession.Status.CLOSED, actor=coordinator)
    made += 1

    # this year's Year 6 writing: taking samples
    upcoming = sessions.create_session(
        partnership=partnership, actor=coordinator, subject="writing", year_group="6",
        date=_school_day(today + datetime.timedelta(days=24)), host_school=juniors[0],
        samples_due=today + datetime.timedelta(days=17), sample_rule=ModerationSession.SampleRule.COHORT_SHARE,
    )  # fmt: skip
    for lead in leads[-2:]:
        sessions.add_moderator(upcoming, lead, actor=coordinator)
    for school in juniors:
        for judgement in ("WTS", "EXS", "EXS", "GDS"):
            seed += 2
            _submit(upcoming, school, judgement, seed, rng)
    made += 1
    made += _comparative_judgement(partnership, coordinator, last, upcoming, juniors, schools, rng)
    return made


# Where a teacher judgement puts a script on the latent scale of the simulated judges (logits).
LATENT = {"WTS": -2.5, "EXS": 0.0, "GDS": 2.5}


def _judge_all(session: CJSession, share: float, rng: random.Random) -> None:
    """Each judge decides the first `share` of their pairs, as a judge would who sees the better
    script more often the further apart the two are (Bradley-Terry on a latent ability)."""
    ability = {
        script.pk: LATENT[script.sample.teacher_judgement] + rng.gauss(0, 0.8)
        for script in session.scripts.select_related("sample")
    }
    for judge in session.judges.all():
        pairs = list(CJPair.objects.filter(judge=judge).order_by("number"))
        for pair in pairs[: round(len(pairs) * share)]:
            gap = ability[pair.left_id] - ability[pair.right_id]
            chosen = "L" if rng.random() < 1 / (1 + math.exp(-gap)) else "R"
            decided = cj_sessions.pair_decide(judge=judge, pair_id=pair.pk, chosen=chosen)
            CJPair.objects.filter(pk=decided.pk).update(seconds=round(rng.uniform(9, 40), 1))


def _positions_by_sample(session: CJSession) -> None:
    """Put the scripts in the order their samples were made. Sample codes are random, so the order a
    session takes them in is too; the demo's judging is simulated from a seed and should come out
    the same on every load."""
    scripts = list(CJScript.objects.filter(session=session).order_by("sample_id"))
    offset = len(scripts)
    for script in scripts:  # two steps: (session, position) is unique at every moment
        CJScript.objects.filter(pk=script.pk).update(position=script.position + offset)
    for position, script in enumerate(scripts):
        CJScript.objects.filter(pk=script.pk).update(position=position)


def _per_script(source: ModerationSession) -> int:
    """Ten judgements a script, or fewer where a small partnership has too few scripts for that."""
    return max(2, min(10, source.samples.count() - 2))


def _mark_boundaries(session: CJSession) -> None:
    """One script judged EXS and one judged GDS mark where those standards begin."""
    for standard in ("EXS", "GDS"):
        script = session.scripts.filter(sample__teacher_judgement=standard, anchor_score__isnull=True).first()
        if script is not None:
            CJScript.objects.filter(pk=script.pk).update(boundary=standard)


def _comparative_judgement(
    partnership: Partnership,
    coordinator: User,
    last: ModerationSession,
    upcoming: ModerationSession,
    juniors: list[School],
    schools: list[School],
    rng: random.Random,
) -> int:
    """Last year's Year 6 writing CJ session, closed (its scale kept), and this year's, anchored to
    last year's boundary scripts and part-way through judging (one judge paused)."""
    # judges from every school (infant teachers judge Key Stage 2 writing too); every fifth pair from
    # two other schools needs scripts from at least three schools
    judges = [p for s in schools for prefix in ("teacher2", "english-lead") if (p := _person(prefix, s))]
    if len(juniors) < 2 or len({j.school_id for j in judges}) < 3:
        return 0
    cross = 5 if len(juniors) >= 3 else 0
    before = cj_sessions.session_create(
        partnership=partnership, actor=coordinator, name=f"Year 6 writing {last.year_label}", subject="writing",
        year_group="6", per_script=_per_script(last), cross_school_every=cross, sources=[last],
    )  # fmt: skip
    CJSession.objects.filter(pk=before.pk).update(academic_year=last.academic_year, seed=rng.randrange(2**31))
    before.refresh_from_db()
    _positions_by_sample(before)
    _mark_boundaries(before)
    for person in judges:
        cj_sessions.judge_invite(session=before, actor=coordinator, person=person)
    cj_sessions.session_open(session=before, actor=coordinator)
    _judge_all(before, 1.0, rng)
    cj_sessions.session_close(session=before, actor=coordinator)

    now = cj_sessions.session_create(
        partnership=partnership, actor=coordinator, name="Year 6 writing: spring term check", subject="writing",
        year_group="6", per_script=_per_script(upcoming), cross_school_every=cross, sources=[upcoming],
    )  # fmt: skip
    CJSession.objects.filter(pk=now.pk).update(seed=rng.randrange(2**31))
    now.refresh_from_db()
    _positions_by_sample(now)
    boundary_scripts = list(CJScript.objects.filter(session_id=before.pk).exclude(boundary=""))
    if boundary_scripts:
        cj_sessions.anchors_add(session=now, actor=coordinator, scripts=boundary_scripts)
    for person in judges:
        cj_sessions.judge_invite(session=now, actor=coordinator, person=person)
    cj_sessions.session_open(session=now, actor=coordinator)
    _judge_all(now, 0.6, rng)
    paused = now.judges.order_by("pk").first()
    if paused is not None:
        cj_sessions.judging_pause(judge=paused)
    return 2


@transaction.atomic
def load_moderation_demo(today: datetime.date | None = None) -> int:
    """Load the demo moderation and CJ sessions; the number of sessions made (0 when they exist)."""
    today = today or timezone.localdate()
    made = 0
    for number, spec in enumerate(PARTNERSHIPS.values()):
        partnership = Partnership.objects.filter(slug=spec["slug"]).first()
        coordinator = User.objects.filter(email=f"coordinator.{spec['slug']}@demo.example").first()
        if partnership is None or coordinator is None or partnership.moderation_sessions.exists():
            continue
        made += _load_partnership(partnership, coordinator, today, random.Random(2026 + number))
    return made


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The demo loader registered with `core.registry` (order 60: after the directory and reviews)."""
    return DemoOutcome(f"{load_moderation_demo(today)} moderation sessions created")
