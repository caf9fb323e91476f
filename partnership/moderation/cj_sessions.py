"""Services for comparative-judgement (CJ) sessions: set-up (scripts, anchors, boundary scripts,
judges), opening judging (every judge's planned pairs), the judges' decisions, pause and resume,
and closing (each script's score kept for later sessions to anchor to).

The views check the access policy; these change the data, each in one transaction, lock the rows
two people could change at once, and audit every change. A broken rule raises `ApplicationError`.
"""

from __future__ import annotations

import datetime
import math
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core import audit
from partnership.core.errors import ApplicationError
from partnership.core.roles import PARTNERSHIP_ROLES, STAFF_ROLES
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Membership, Partnership, RoleAssignment
from partnership.moderation.models import CJJudge, CJPair, CJScript, CJSession, ModerationSession, Sample
from partnership.moderation.pairing import Judge, PairingInfeasible, Script, generate_pairs, next_pair_for

MAX_SECONDS = 60 * 60  # a pair left open longer than an hour records no time (the judge was away)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _locked(session: CJSession) -> CJSession:
    return CJSession.objects.select_for_update().get(pk=session.pk)


def _require_status(session: CJSession, *statuses: str, doing: str) -> None:
    if session.status not in statuses:
        raise ApplicationError(f"You cannot {doing}: the session is {session.get_status_display().lower()}.")


# --- Who may judge -------------------------------------------------------------------------------


def eligible_judges(partnership: Partnership) -> list[User]:
    """Staff of the partnership's current member schools, and its coordinators and advisers: the
    people a coordinator may invite to judge. Ordered by name."""
    schools = Membership.objects.current().filter(partnership=partnership).values("school_id")
    roles = RoleAssignment.objects.current().filter(
        Q(school_id__in=schools, role__in=STAFF_ROLES) | Q(partnership=partnership, role__in=PARTNERSHIP_ROLES)
    )
    return list(
        User.objects.filter(pk__in=roles.values("person_id"), is_active=True)
        .select_related("school")
        .order_by("full_name", "pk")
    )


# --- Creating and setting up ---------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    partnership: Partnership,
    actor: Any,
    name: str,
    subject: str,
    year_group: str,
    per_script: int,
    cross_school_every: int,
    sources: Iterable[ModerationSession],
    request: HttpRequest | None = None,
) -> CJSession:
    """A CJ session in set-up, its scripts the samples (with at least one page) of `sources`."""
    sources = list(sources)
    if any(s.partnership_id != partnership.pk for s in sources):
        raise ApplicationError("Choose moderation sessions of this partnership.", field="sources")
    if per_script < 1:
        raise ApplicationError("Judgements per script must be at least 1.", field="per_script")
    session = CJSession.objects.create(
        partnership=partnership,
        name=name.strip(),
        subject=subject,
        year_group=year_group,
        academic_year=current_academic_year(),
        source=sources[0] if sources else None,
        per_script=per_script,
        cross_school_every=cross_school_every,
        seed=secrets.randbelow(2**31),
        created_by=actor,
    )
    added = _add_samples(session, _samples_with_files(sources))
    audit.record(
        actor,
        "cj_session_create",
        session,
        detail={"scripts": added, "sources": [s.pk for s in sources]},
        request=request,
    )
    return session


def _samples_with_files(sources: Iterable[ModerationSession]) -> list[Sample]:
    return list(
        Sample.objects.filter(session__in=list(sources), files__isnull=False).distinct().order_by("session_id", "code")
    )


def _add_samples(session: CJSession, samples: Iterable[Sample]) -> int:
    present = set(CJScript.objects.filter(session=session).values_list("sample_id", flat=True))
    start = (CJScript.objects.filter(session=session).aggregate(m=Max("position"))["m"] or -1) + 1
    new = [s for s in samples if s.pk not in present]
    CJScript.objects.bulk_create([CJScript(session=session, sample=s, position=start + i) for i, s in enumerate(new)])
    return len(new)


@transaction.atomic
def scripts_add(
    *, session: CJSession, actor: Any, source: ModerationSession, request: HttpRequest | None = None
) -> int:
    """Add the samples (with at least one page) of another moderation session; returns how many were new."""
    session = _locked(session)
    _require_status(session, CJSession.Status.SETUP, doing="add scripts")
    if source.partnership_id != session.partnership_id:
        raise ApplicationError("Choose a moderation session of this partnership.", field="source")
    added = _add_samples(session, _samples_with_files([source]))
    if not added:
        raise ApplicationError(
            "That moderation session has no samples with pages that are not in this session already.", field="source"
        )
    audit.record(actor, "cj_scripts_add", session, detail={"source": source.pk, "scripts": added}, request=request)
    return added


@transaction.atomic
def script_remove(*, script: CJScript, actor: Any, request: HttpRequest | None = None) -> None:
    session = _locked(script.session)
    _require_status(session, CJSession.Status.SETUP, doing="remove a script")
    audit.record(
        actor, "cj_script_remove", session, detail={"script": script.pk, "code": script.sample.code}, request=request
    )
    script.delete()


@transaction.atomic
def script_boundary(*, script: CJScript, actor: Any, boundary: str, request: HttpRequest | None = None) -> CJScript:
    """Mark (or unmark, with "") a script as where the expected standard or greater depth begins."""
    session = _locked(script.session)
    _require_status(session, CJSession.Status.SETUP, CJSession.Status.JUDGING, doing="change a boundary script")
    if boundary not in CJScript.Boundary.values:
        raise ApplicationError("Choose a boundary from the list.", field="boundary")
    script = CJScript.objects.select_for_update().get(pk=script.pk)
    before = script.boundary
    script.boundary = boundary
    script.save(update_fields=["boundary"])
    audit.record(
        actor,
        "cj_script_boundary",
        session,
        detail={"script": script.pk, "boundary": [before, boundary]},
        request=request,
    )
    return script


def anchor_sources(session: CJSession) -> list[CJSession]:
    """Earlier closed sessions of the same partnership and subject, whose kept scores can anchor this one."""
    return list(
        CJSession.objects.filter(
            partnership_id=session.partnership_id, subject=session.subject, status=CJSession.Status.CLOSED
        )
        .exclude(pk=session.pk)
        .order_by("-closed_at", "-pk")
    )


@transaction.atomic
def anchors_add(
    *, session: CJSession, actor: Any, scripts: Iterable[CJScript], request: HttpRequest | None = None
) -> int:
    """Copy chosen scripts of an earlier closed session as anchors: the same sample, its kept score
    fixed, and its boundary mark (so last year's boundary scripts mark this year's boundaries on the
    same scale). A sample already in this session becomes an anchor in place. Returns how many."""
    session = _locked(session)
    _require_status(session, CJSession.Status.SETUP, doing="add anchors")
    chosen = list(scripts)
    if not chosen:
        raise ApplicationError("Choose at least one script to anchor to.", field="scripts")
    for earlier in chosen:
        s = earlier.session
        if s.partnership_id != session.partnership_id or s.subject != session.subject or s.pk == session.pk:
            raise ApplicationError("Anchors come from an earlier session of this partnership and subject.")
        if s.status != CJSession.Status.CLOSED or earlier.score is None:
            raise ApplicationError("Anchors come from a closed session, whose scores are kept.")
    present = {s.sample_id: s for s in CJScript.objects.select_for_update().filter(session=session)}
    start = max((s.position for s in present.values()), default=-1) + 1
    made = 0
    for earlier in chosen:
        score = earlier.anchor_score if earlier.anchor_score is not None else earlier.score
        if earlier.sample_id in present:
            script = present[earlier.sample_id]
            script.anchor_score, script.anchor_from = score, earlier
            script.boundary = earlier.boundary or script.boundary
            script.save(update_fields=["anchor_score", "anchor_from", "boundary"])
        else:
            script = CJScript.objects.create(
                session=session,
                sample_id=earlier.sample_id,
                position=start,
                anchor_score=score,
                anchor_from=earlier,
                boundary=earlier.boundary,  # an anchored boundary script marks the same boundary here
            )
            present[earlier.sample_id] = script
            start += 1
        made += 1
    audit.record(actor, "cj_anchors_add", session, detail={"from": [e.pk for e in chosen]}, request=request)
    return made


@transaction.atomic
def anchor_clear(*, script: CJScript, actor: Any, request: HttpRequest | None = None) -> None:
    session = _locked(script.session)
    _require_status(session, CJSession.Status.SETUP, doing="change an anchor")
    CJScript.objects.filter(pk=script.pk).update(anchor_score=None, anchor_from=None)
    audit.record(actor, "cj_anchor_clear", session, detail={"script": script.pk}, request=request)


# --- Judges --------------------------------------------------------------------------------------


def _judge_tuple(judge: CJJudge) -> Judge:
    return Judge(id=judge.pk, school_id=judge.school_id)


def _script_tuples(session: CJSession) -> list[Script]:
    return [
        Script(id=s.pk, school_id=s.sample.school_id)
        for s in CJScript.objects.filter(session=session).select_related("sample").order_by("position")
    ]


@transaction.atomic
def judge_invite(*, session: CJSession, actor: Any, person: Any, request: HttpRequest | None = None) -> CJJudge:
    """Invite a person to judge. Once judging has opened, they get their share of pairs at once:
    as many as the judges so far have on average, each the least-compared pair they may see."""
    session = _locked(session)
    _require_status(session, CJSession.Status.SETUP, CJSession.Status.JUDGING, doing="invite a judge")
    if person.pk not in {p.pk for p in eligible_judges(session.partnership)}:
        raise ApplicationError(
            "Choose someone from the partnership's schools, or one of its coordinators or advisers.", field="person"
        )
    if CJJudge.objects.filter(session=session, person=person).exists():
        raise ApplicationError(f"{person.full_name} is already a judge in this session.", field="person")
    judge = CJJudge.objects.create(session=session, person=person, school_id=person.school_id, invited_by=actor)
    planned = 0
    if session.status == CJSession.Status.JUDGING:
        planned = _late_share(session, judge)
    audit.record(actor, "cj_judge_invite", session, detail={"person": person.pk, "pairs": planned}, request=request)
    return judge


def _late_share(session: CJSession, judge: CJJudge) -> int:
    """Plan a late judge's pairs one at a time with `next_pair_for`: their share is the average load
    of the judges already judging; every `cross_school_every`-th pair is from two other schools."""
    others = CJJudge.objects.filter(session=session).exclude(pk=judge.pk).count()
    done: list[tuple[Any, Any]] = list(CJPair.objects.filter(session=session).values_list("left_id", "right_id"))
    share = math.ceil(len(done) / others) if others else 0
    scripts = _script_tuples(session)
    me = _judge_tuple(judge)
    made: list[CJPair] = []
    for k in range(1, share + 1):
        cross = bool(session.cross_school_every) and k % session.cross_school_every == 0
        pairing = next_pair_for(me, scripts, done, seed=session.seed + judge.pk * 10_007 + k, cross_school=cross)
        if pairing is None and cross:
            pairing = next_pair_for(me, scripts, done, seed=session.seed + judge.pk * 10_007 + k)
        if pairing is None:
            break
        done.append((pairing.left, pairing.right))
        made.append(
            CJPair(
                session=session,
                judge=judge,
                number=k,
                left_id=int(str(pairing.left)),
                right_id=int(str(pairing.right)),
            )
        )
    CJPair.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def judge_remove(*, judge: CJJudge, actor: Any, request: HttpRequest | None = None) -> None:
    """Remove a judge. Once they have made judgements they stay (their decisions are part of the scale)."""
    session = _locked(judge.session)
    _require_status(session, CJSession.Status.SETUP, CJSession.Status.JUDGING, doing="remove a judge")
    decided = CJPair.objects.filter(judge=judge).exclude(chosen="").count()
    if decided:
        raise ApplicationError(
            f"{judge.person.full_name} has made {_plural(decided, 'judgement')}, which are part of the scale; "
            "a judge cannot be removed once they have judged."
        )
    audit.record(actor, "cj_judge_remove", session, detail={"person": judge.person_id}, request=request)
    judge.delete()


# --- Opening and closing -------------------------------------------------------------------------


@transaction.atomic
def session_open(*, session: CJSession, actor: Any, request: HttpRequest | None = None) -> int:
    """Plan every judge's pairs (`generate_pairs`, the session's seed) and open judging. Returns the
    number of pairs. A session that cannot be paired says why (the planner's message)."""
    session = _locked(session)
    _require_status(session, CJSession.Status.SETUP, doing="open judging")
    judges = list(CJJudge.objects.filter(session=session).order_by("pk"))
    scripts = _script_tuples(session)
    try:
        planned = generate_pairs(
            scripts,
            [_judge_tuple(j) for j in judges],
            per_script=session.per_script,
            cross_school_every=session.cross_school_every or None,
            seed=session.seed,
        )
    except PairingInfeasible as exc:
        raise ApplicationError(f"Judging cannot open: {exc}") from exc
    numbers: dict[Any, int] = {}
    rows = []
    for pairing in planned:
        numbers[pairing.judge_id] = numbers.get(pairing.judge_id, 0) + 1
        rows.append(
            CJPair(
                session=session,
                judge_id=int(pairing.judge_id),  # type: ignore[call-overload]
                number=numbers[pairing.judge_id],
                left_id=int(pairing.left),  # type: ignore[call-overload]
                right_id=int(pairing.right),  # type: ignore[call-overload]
            )
        )
    CJPair.objects.bulk_create(rows, batch_size=500)
    session.status = CJSession.Status.JUDGING
    session.opened_at = timezone.now()
    session.save(update_fields=["status", "opened_at"])
    audit.record(
        actor,
        "cj_session_open",
        session,
        detail={"pairs": len(rows), "judges": len(judges), "scripts": len(scripts)},
        request=request,
    )
    return len(rows)


@transaction.atomic
def session_close(*, session: CJSession, actor: Any, request: HttpRequest | None = None) -> CJSession:
    """Close judging and keep each script's score and standard error (a later session may anchor to them)."""
    from partnership.moderation import cj_results

    session = _locked(session)
    _require_status(session, CJSession.Status.JUDGING, doing="close the session")
    scale = cj_results.fit_session(session)
    by_pk = {s.pk: s for s in scale.scripts}
    updated = []
    for i, pk in enumerate(scale.script_ids):
        script = by_pk[pk]
        script.score = float(scale.fit.scores[i])
        se = float(scale.fit.standard_errors[i])
        script.standard_error = se if math.isfinite(se) else None
        updated.append(script)
    CJScript.objects.bulk_update(updated, ["score", "standard_error"], batch_size=500)
    session.status = CJSession.Status.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    audit.record(
        actor,
        "cj_session_close",
        session,
        detail={"judgements": scale.judgements, "ssr": scale.fit.ssr},
        request=request,
    )
    return session


# --- Judging -------------------------------------------------------------------------------------


def next_pair(judge: CJJudge) -> CJPair | None:
    """The judge's first undecided pair, with both scripts' pages (None when they have finished)."""
    return (
        CJPair.objects.filter(judge=judge, chosen="")
        .select_related("left__sample", "right__sample")
        .order_by("number")
        .first()
    )


def seconds_since(started: str, now: datetime.datetime | None = None) -> float | None:
    """Seconds since `started` (a Unix time in seconds, from the judging page), or None when it is
    not a time, is in the future, or is more than an hour ago (the judge was away)."""
    try:
        began = float(started)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(began):
        return None
    elapsed = (now or timezone.now()).timestamp() - began
    return round(elapsed, 1) if 0 <= elapsed <= MAX_SECONDS else None


@transaction.atomic
def pair_decide(
    *, judge: CJJudge, pair_id: Any, chosen: str, started: str = "", request: HttpRequest | None = None
) -> CJPair:
    """Record the judge's choice ("L" or "R") for one of their pairs. The pair row is locked, so a
    double submit records once; a pair that is not theirs, already decided or unknown is refused."""
    if chosen not in (CJPair.Side.LEFT, CJPair.Side.RIGHT):
        raise ApplicationError("Choose the left or the right script.")
    try:
        pk = int(pair_id)
    except (TypeError, ValueError):
        raise ApplicationError("That pair is not one of yours. Carry on with the pair on the screen.") from None
    session = CJSession.objects.get(pk=judge.session_id)
    if session.status != CJSession.Status.JUDGING:
        raise ApplicationError(f"Judging is not open: the session is {session.get_status_display().lower()}.")
    pair = CJPair.objects.select_for_update().filter(pk=pk, judge=judge).first()
    if pair is None:
        raise ApplicationError("That pair is not one of yours. Carry on with the pair on the screen.")
    if pair.chosen:
        raise ApplicationError(f"You have already judged pair {pair.number}. Carry on with the pair on the screen.")
    now = timezone.now()
    pair.chosen = chosen
    pair.decided_at = now
    pair.seconds = seconds_since(started, now)
    pair.save(update_fields=["chosen", "decided_at", "seconds"])
    if judge.paused_at:
        CJJudge.objects.filter(pk=judge.pk).update(paused_at=None)
    audit.record(
        judge.person, "cj_judge", pair, detail={"session": session.pk, "number": pair.number}, request=request,
        partnership_id=session.partnership_id,
    )  # fmt: skip
    return pair


@transaction.atomic
def judging_pause(*, judge: CJJudge, request: HttpRequest | None = None) -> None:
    CJJudge.objects.filter(pk=judge.pk).update(paused_at=timezone.now())
    judge.paused_at = timezone.now()


@transaction.atomic
def judging_resume(*, judge: CJJudge, request: HttpRequest | None = None) -> None:
    CJJudge.objects.filter(pk=judge.pk).update(paused_at=None)
    judge.paused_at = None
