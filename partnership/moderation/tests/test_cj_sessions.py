"""CJ session services: creating a session from samples, scripts, anchors, judges, opening
judging (every judge's pairs), decisions (double submits, forged ids), pause and resume, a late
judge's share, closing (scores kept)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.moderation import cj_sessions
from partnership.moderation.models import CJJudge, CJPair, CJScript, CJSession
from partnership.moderation.tests import factories
from partnership.moderation.tests.cj_setup import build

pytestmark = pytest.mark.django_db


def judge_all(session, *, prefer=lambda pair: "L"):
    for pair in CJPair.objects.filter(session=session, chosen="").select_related("judge"):
        cj_sessions.pair_decide(judge=pair.judge, pair_id=pair.pk, chosen=prefer(pair))


def test_a_session_takes_the_samples_with_pages_as_scripts(shared_world):
    w = build(shared_world, judges=0)
    factories.sample(w.moderation, shared_world.own, by=shared_world["teacher"], code="NOPG")
    session = cj_sessions.session_create(
        partnership=shared_world.home, actor=shared_world["coordinator"], name="Again", subject="writing",
        year_group="6", per_script=10, cross_school_every=5, sources=[w.moderation],
    )  # fmt: skip
    codes = list(CJScript.objects.filter(session=session).values_list("sample__code", flat=True))
    assert len(codes) == 12 and "NOPG" not in codes
    assert sorted(CJScript.objects.filter(session=session).values_list("position", flat=True)) == list(range(12))
    assert AuditEvent.objects.filter(verb="cj_session_create", object_id=str(session.pk)).exists()


def test_a_moderation_session_of_another_partnership_is_refused(shared_world):
    other = factories.session(shared_world.other, host=shared_world.outside, by=shared_world["other_coordinator"])
    with pytest.raises(ApplicationError, match="this partnership"):
        cj_sessions.session_create(
            partnership=shared_world.home, actor=shared_world["coordinator"], name="X", subject="writing",
            year_group="6", per_script=10, cross_school_every=5, sources=[other],
        )  # fmt: skip


def test_opening_plans_balanced_pairs_and_no_judge_sees_their_own_school(shared_world):
    w = build(shared_world, extra_schools=2, per_school=5, judges=5, per_script=6)
    n = cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    w.session.refresh_from_db()
    assert w.session.status == CJSession.Status.JUDGING and w.session.opened_at
    scripts = 20
    assert n == scripts * 6 // 2 == CJPair.objects.filter(session=w.session).count()
    per_judge = Counter(CJPair.objects.filter(session=w.session).values_list("judge_id", flat=True))
    assert max(per_judge.values()) - min(per_judge.values()) <= 1 and len(per_judge) == 5
    appearances = Counter()
    seen = set()
    for pair in CJPair.objects.filter(session=w.session).select_related("left__sample", "right__sample", "judge"):
        appearances[pair.left_id] += 1
        appearances[pair.right_id] += 1
        assert pair.judge.school_id not in (pair.left.sample.school_id, pair.right.sample.school_id)
        key = frozenset((pair.left_id, pair.right_id))
        assert key not in seen
        seen.add(key)
    assert set(appearances.values()) <= {5, 6, 7}
    for judge in w.judges:  # numbered 1.. per judge
        numbers = list(CJPair.objects.filter(judge=judge).order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_same_seed_gives_the_same_pairs(shared_world):
    w = build(shared_world, judges=3)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    first = list(
        CJPair.objects.filter(session=w.session).order_by("pk").values_list("judge_id", "number", "left_id", "right_id")
    )
    CJPair.objects.filter(session=w.session).delete()
    CJSession.objects.filter(pk=w.session.pk).update(status="setup")
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    again = list(
        CJPair.objects.filter(session=w.session).order_by("pk").values_list("judge_id", "number", "left_id", "right_id")
    )
    assert first == again


def test_an_impossible_session_says_why_and_stays_in_set_up(shared_world):
    w = build(shared_world, extra_schools=0, judges=1)  # only Own's head: Own's scripts have no judge
    with pytest.raises(ApplicationError, match="Judging cannot open: every judge works at school"):
        cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    w.session.refresh_from_db()
    assert w.session.status == "setup" and not CJPair.objects.filter(session=w.session).exists()


def test_a_decision_is_recorded_once_with_its_time(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    judge = w.judges[0]
    pair = cj_sessions.next_pair(judge)
    assert pair.number == 1
    started = str(timezone.now().timestamp() - 18.5)
    cj_sessions.pair_decide(judge=judge, pair_id=pair.pk, chosen="R", started=started)
    pair.refresh_from_db()
    assert pair.chosen == "R" and pair.decided_at and 18 <= pair.seconds <= 20
    with pytest.raises(ApplicationError, match="already judged pair 1"):
        cj_sessions.pair_decide(judge=judge, pair_id=pair.pk, chosen="L", started=started)
    pair.refresh_from_db()
    assert pair.chosen == "R"
    assert cj_sessions.next_pair(judge).number == 2


@pytest.mark.parametrize("forged", ["999999", "abc", "", None])
def test_a_forged_or_unknown_pair_is_refused(shared_world, forged):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    with pytest.raises(ApplicationError, match="not one of yours"):
        cj_sessions.pair_decide(judge=w.judges[0], pair_id=forged, chosen="L")


def test_another_judges_pair_is_refused(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    theirs = cj_sessions.next_pair(w.judges[1])
    with pytest.raises(ApplicationError, match="not one of yours"):
        cj_sessions.pair_decide(judge=w.judges[0], pair_id=theirs.pk, chosen="L")
    theirs.refresh_from_db()
    assert theirs.chosen == ""


def test_a_bad_side_or_a_closed_session_is_refused(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    pair = cj_sessions.next_pair(w.judges[0])
    with pytest.raises(ApplicationError, match="left or the right"):
        cj_sessions.pair_decide(judge=w.judges[0], pair_id=pair.pk, chosen="X")
    cj_sessions.session_close(session=w.session, actor=shared_world["coordinator"])
    with pytest.raises(ApplicationError, match="Judging is not open"):
        cj_sessions.pair_decide(judge=w.judges[0], pair_id=pair.pk, chosen="L")


@pytest.mark.parametrize(
    ("started", "expected"), [("", None), ("nan", None), ("inf", None), ("-5", None), ("tomorrow", None)]
)
def test_a_missing_or_silly_start_time_records_no_seconds(started, expected):
    assert cj_sessions.seconds_since(started) is expected


def test_an_hour_away_records_no_seconds_and_the_future_neither():
    now = timezone.now()
    assert cj_sessions.seconds_since(str(now.timestamp() - 3 * 3600), now) is None
    assert cj_sessions.seconds_since(str(now.timestamp() + 60), now) is None
    assert cj_sessions.seconds_since(str(now.timestamp() - 20), now) == 20.0


def test_pause_and_resume_carry_on_at_the_first_undecided_pair(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    judge = w.judges[0]
    for _ in range(3):
        cj_sessions.pair_decide(judge=judge, pair_id=cj_sessions.next_pair(judge).pk, chosen="L")
    cj_sessions.judging_pause(judge=judge)
    judge.refresh_from_db()
    assert judge.paused_at is not None
    cj_sessions.judging_resume(judge=judge)
    judge.refresh_from_db()
    assert judge.paused_at is None
    assert cj_sessions.next_pair(judge).number == 4


def test_a_late_judge_gets_an_even_share_of_new_pairs(shared_world):
    w = build(shared_world, extra_schools=2, per_school=4, judges=3, per_script=4)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    before = set(CJPair.objects.filter(session=w.session).values_list("left_id", "right_id"))
    loads = Counter(CJPair.objects.filter(session=w.session).values_list("judge_id", flat=True))
    late_person = shared_world["partner_teacher"]
    late = cj_sessions.judge_invite(session=w.session, actor=shared_world["coordinator"], person=late_person)
    mine = list(CJPair.objects.filter(judge=late).select_related("left__sample", "right__sample").order_by("number"))
    assert len(mine) == max(loads.values())
    assert [p.number for p in mine] == list(range(1, len(mine) + 1))
    keys = [frozenset((p.left_id, p.right_id)) for p in mine]
    assert len(set(keys)) == len(keys)
    assert not set(keys) & {frozenset(k) for k in before}
    for p in mine:
        assert late_person.school_id not in (p.left.sample.school_id, p.right.sample.school_id)
    fifth = mine[4]  # every fifth pair: two schools, neither the judge's
    assert fifth.left.sample.school_id != fifth.right.sample.school_id


def test_judges_are_people_of_the_partnership_and_invited_once(shared_world):
    w = build(shared_world, judges=1)
    with pytest.raises(ApplicationError, match="already a judge"):
        cj_sessions.judge_invite(session=w.session, actor=shared_world["coordinator"], person=shared_world["head"])
    with pytest.raises(ApplicationError, match="partnership's schools"):
        cj_sessions.judge_invite(
            session=w.session, actor=shared_world["coordinator"], person=shared_world["outside_head"]
        )
    with pytest.raises(ApplicationError, match="partnership's schools"):
        cj_sessions.judge_invite(session=w.session, actor=shared_world["coordinator"], person=shared_world["governor"])
    eligible = {p.pk for p in cj_sessions.eligible_judges(shared_world.home)}
    assert {shared_world["teacher"].pk, shared_world["adviser"].pk, shared_world["coordinator"].pk} <= eligible
    assert shared_world["leaver"].pk not in eligible


def test_a_judge_who_has_judged_stays(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    judge = w.judges[0]
    cj_sessions.pair_decide(judge=judge, pair_id=cj_sessions.next_pair(judge).pk, chosen="L")
    with pytest.raises(ApplicationError, match="has made 1 judgement,"):
        cj_sessions.judge_remove(judge=judge, actor=shared_world["coordinator"])
    idle = w.judges[1]
    cj_sessions.judge_remove(judge=idle, actor=shared_world["coordinator"])
    assert not CJJudge.objects.filter(pk=idle.pk).exists() and not CJPair.objects.filter(judge_id=idle.pk).exists()


def test_scripts_change_only_in_set_up(shared_world):
    w = build(shared_world)
    script = CJScript.objects.filter(session=w.session).select_related("sample", "session").first()
    cj_sessions.script_remove(script=script, actor=shared_world["coordinator"])
    assert CJScript.objects.filter(session=w.session).count() == 11
    added = cj_sessions.scripts_add(session=w.session, actor=shared_world["coordinator"], source=w.moderation)
    assert added == 1
    with pytest.raises(ApplicationError, match="no samples with pages"):
        cj_sessions.scripts_add(session=w.session, actor=shared_world["coordinator"], source=w.moderation)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    script = CJScript.objects.filter(session=w.session).select_related("sample", "session").first()
    with pytest.raises(ApplicationError, match="session is judging"):
        cj_sessions.script_remove(script=script, actor=shared_world["coordinator"])
    marked = cj_sessions.script_boundary(script=script, actor=shared_world["coordinator"], boundary="EXS")
    assert marked.boundary == "EXS"
    with pytest.raises(ApplicationError, match="boundary from the list"):
        cj_sessions.script_boundary(script=script, actor=shared_world["coordinator"], boundary="XYZ")


def test_closing_keeps_scores_and_a_later_session_anchors_to_them(shared_world):
    w = build(shared_world)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    judge_all(w.session, prefer=lambda p: "L" if p.left.sample.code < p.right.sample.code else "R")
    cj_sessions.session_close(session=w.session, actor=shared_world["coordinator"])
    first = CJScript.objects.filter(session=w.session).order_by("score").first()
    CJScript.objects.filter(pk=first.pk).update(boundary="EXS")
    kept = list(CJScript.objects.filter(session=w.session).order_by("position"))
    assert all(s.score is not None and s.standard_error and s.standard_error > 0 for s in kept)
    later = factories.cj_session(shared_world.home, by=shared_world["coordinator"], name="Next year")
    assert cj_sessions.anchor_sources(later) == [w.session]
    chosen = sorted(kept, key=lambda s: s.score)[:2]
    assert cj_sessions.anchors_add(session=later, actor=shared_world["coordinator"], scripts=chosen) == 2
    anchors = list(CJScript.objects.filter(session=later).order_by("position"))
    assert [(a.sample_id, a.anchor_score, a.anchor_from_id, a.boundary) for a in anchors] == [
        (c.sample_id, c.score, c.pk, c.boundary) for c in chosen
    ]
    assert [a.boundary for a in anchors] == ["EXS", ""]  # the boundary mark comes with the anchor
    open_one = factories.cj_session(shared_world.home, by=shared_world["coordinator"], name="Open")
    with pytest.raises(ApplicationError, match="closed session"):
        cj_sessions.anchors_add(session=later, actor=shared_world["coordinator"], scripts=[
            CJScript.objects.create(session=open_one, sample=w.samples[0], position=0)
        ])  # fmt: skip


def test_opening_needs_set_up_and_closing_needs_judging(shared_world):
    w = build(shared_world)
    with pytest.raises(ApplicationError, match="close the session: the session is being set up"):
        cj_sessions.session_close(session=w.session, actor=shared_world["coordinator"])
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    with pytest.raises(ApplicationError, match="open judging: the session is judging"):
        cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
