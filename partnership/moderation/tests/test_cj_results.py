"""CJ results: the scale equals a direct fit of the same decisions; the 0-100 reading; the
boundaries (boundary scripts, or the estimate between teacher-judgement groups); generous and
harsh counts; the "moderate next" order; who is named where."""

from __future__ import annotations

import math

import numpy as np
import pytest

from partnership.moderation import cj_results, cj_sessions
from partnership.moderation.cj import fit_bradley_terry, judge_infit, split_half_reliability
from partnership.moderation.models import CJPair, CJScript
from partnership.moderation.tests.cj_setup import build

pytestmark = pytest.mark.django_db

TRUE = {"WTS": -1.5, "EXS": 0.0, "GDS": 1.5}


def judged(shared_world, *, seed=3, **kwargs):
    """A session judged by simulated judges: each script's true ability follows its teacher judgement
    (plus a little noise), and the judges choose by the Bradley-Terry chance."""
    w = build(shared_world, **kwargs)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    rng = np.random.default_rng(seed)
    ability = {
        s.pk: TRUE[s.sample.teacher_judgement] + rng.normal(0, 0.3)
        for s in CJScript.objects.filter(session=w.session).select_related("sample")
    }
    for pair in CJPair.objects.filter(session=w.session).select_related("judge").order_by("judge_id", "number"):
        p = 1 / (1 + math.exp(-(ability[pair.left_id] - ability[pair.right_id])))
        cj_sessions.pair_decide(judge=pair.judge, pair_id=pair.pk, chosen="L" if rng.random() < p else "R")
    return w


def direct(session):
    scripts = list(CJScript.objects.filter(session=session).order_by("position"))
    index = {s.pk: i for i, s in enumerate(scripts)}
    comps, judges = [], []
    for p in CJPair.objects.filter(session=session).exclude(chosen="").order_by("judge_id", "number"):
        comps.append((index[p.winner_id], index[p.loser_id]))
        judges.append(p.judge_id)
    return scripts, comps, judges


def test_the_scale_is_the_engine_fit_of_the_same_decisions(shared_world):
    w = judged(shared_world, extra_schools=2, per_school=5, judges=5, per_script=8)
    res = cj_results.results(shared_world["coordinator"], w.session)
    scripts, comps, judges = direct(w.session)
    fit = fit_bradley_terry(comps, len(scripts))
    by_pk = {r.script.pk: r for r in res.rows}
    for i, s in enumerate(scripts):
        row = by_pk[s.pk]
        assert row.score == pytest.approx(fit.scores[i], abs=1e-9)
        assert row.standard_error == pytest.approx(fit.standard_errors[i], abs=1e-9)
        assert row.low == pytest.approx(fit.scores[i] - 1.959964 * fit.standard_errors[i], abs=1e-6)
        assert row.reading == pytest.approx(min(100, max(0, 50 + 15 * fit.scores[i])))
    assert [r.rank for r in res.rows] == list(range(1, 21))
    assert [r.score for r in res.rows] == sorted((r.score for r in res.rows), reverse=True)
    assert res.ssr == pytest.approx(fit.ssr)
    assert res.judgements == res.planned == len(comps) == 80
    assert res.split_half == pytest.approx(split_half_reliability(comps, judges, len(scripts), seed=w.session.seed))
    infit = judge_infit(comps, judges, fit)
    for row, judge in zip(res.judges, w.judges, strict=True):
        assert row.judgements == infit[judge.pk].judgements
        assert row.infit == pytest.approx(infit[judge.pk].infit)
        assert row.qualifies == (infit[judge.pk].judgements >= 20)


def test_reading_and_words():
    assert cj_results.reading(0) == 50 and cj_results.reading(2) == 80
    assert cj_results.reading(5) == 100 and cj_results.reading(-4) == 0
    assert cj_results.reliability_words(0.69) == "more judgements needed"
    assert cj_results.reliability_words(0.7) == "usable with care"
    assert cj_results.reliability_words(0.8) == "reliable"
    assert cj_results.reliability_words(None) == "not yet known"


def test_anchors_keep_their_scores(shared_world):
    w = build(shared_world)
    first, second = CJScript.objects.filter(session=w.session).order_by("position")[:2]
    CJScript.objects.filter(pk=first.pk).update(anchor_score=1.25)
    CJScript.objects.filter(pk=second.pk).update(anchor_score=-0.5)
    cj_sessions.session_open(session=w.session, actor=shared_world["coordinator"])
    for pair in CJPair.objects.filter(session=w.session).select_related("judge"):
        cj_sessions.pair_decide(judge=pair.judge, pair_id=pair.pk, chosen="L")
    res = cj_results.results(shared_world["coordinator"], w.session)
    rows = {r.script.pk: r for r in res.rows}
    assert rows[first.pk].score == pytest.approx(1.25) and rows[second.pk].score == pytest.approx(-0.5)
    assert rows[first.pk].anchor


def test_estimated_boundaries_are_midpoints_between_group_means(shared_world):
    w = judged(shared_world, extra_schools=2, per_school=6, judges=5, per_script=8)
    res = cj_results.results(shared_world["coordinator"], w.session)
    groups = {"WTS": [], "EXS": [], "GDS": []}
    for r in res.rows:
        groups[r.script.sample.teacher_judgement].append(r.score)
    mean = {k: np.mean(v) for k, v in groups.items()}
    assert res.boundaries["EXS"].estimated and res.boundaries["GDS"].estimated
    assert res.boundaries["EXS"].score == pytest.approx((mean["WTS"] + mean["EXS"]) / 2)
    assert res.boundaries["GDS"].score == pytest.approx((mean["EXS"] + mean["GDS"]) / 2)


def test_boundary_scripts_set_the_bands_and_schools_count_generous_and_harsh(shared_world):
    w = judged(shared_world, extra_schools=1, per_school=6, judges=4, per_script=8)
    res = cj_results.results(shared_world["coordinator"], w.session)
    ranked = res.rows
    # Mark a script near the top as the GDS boundary and the middle one as EXS.
    gds, exs = ranked[3].script, ranked[len(ranked) // 2].script
    cj_sessions.script_boundary(script=gds, actor=shared_world["coordinator"], boundary="GDS")
    cj_sessions.script_boundary(script=exs, actor=shared_world["coordinator"], boundary="EXS")
    res = cj_results.results(shared_world["coordinator"], w.session)
    assert not res.estimated
    assert res.boundaries["GDS"].score == pytest.approx(ranked[3].score)
    assert res.boundaries["EXS"].score == pytest.approx(ranked[len(ranked) // 2].score)
    rank = {"WTS": 0, "EXS": 1, "GDS": 2}
    expected = {}
    for r in res.rows:
        band = "GDS" if r.score >= ranked[3].score else ("EXS" if r.score >= ranked[len(ranked) // 2].score else "WTS")
        ta = r.script.sample.teacher_judgement
        counts = expected.setdefault(r.script.sample.school.name, [0, 0, 0])
        counts[0 if rank[ta] == rank[band] else (1 if rank[ta] > rank[band] else 2)] += 1
    got = {s.label: [s.agree, s.generous, s.harsh] for s in res.schools}
    assert got == expected
    assert sum(sum(v) for v in got.values()) == 18


def test_moderate_next_lists_the_furthest_disagreements_for_the_own_school_only(shared_world):
    w = judged(shared_world, extra_schools=1, per_school=6, judges=4, per_script=8)
    # Make every Own script look generous: its teacher says GDS.
    from partnership.moderation.models import Sample

    Sample.objects.filter(session=w.moderation, school=shared_world.own).update(teacher_judgement="GDS")
    res = cj_results.results(shared_world["teacher"], w.session)
    assert res.moderate_next, "Own's scripts below the GDS boundary are listed"
    distances = [r.distance for r in res.moderate_next]
    assert distances == sorted(distances, reverse=True) and all(d > 0 for d in distances)
    assert all(r.pupil_name.startswith("Pupil Own Primary") and r.teacher_judgement == "GDS" for r in res.moderate_next)
    gds = res.boundaries["GDS"].score
    rows = {r.code: r for r in res.rows}
    for r in res.moderate_next:
        assert r.distance == pytest.approx((gds - rows[r.code].score) / rows[r.code].standard_error)
    partner_list = cj_results.results(shared_world["partner_head"], w.session).moderate_next
    assert all(r.pupil_name.startswith("Pupil Partner Primary") for r in partner_list)
    assert cj_results.results(shared_world["coordinator"], w.session).moderate_next == []
    assert cj_results.results(shared_world["governor"], w.session).moderate_next == []


def test_schools_are_named_to_coordinators_and_advisers_and_lettered_to_other_staff(shared_world):
    w = judged(shared_world, extra_schools=1, per_school=3, judges=4, per_script=4)
    names = {s.name for s in w.schools}
    for viewer in ("coordinator", "adviser"):
        assert {s.label for s in cj_results.results(shared_world[viewer], w.session).schools} == names
    teacher_view = cj_results.results(shared_world["teacher"], w.session)
    labels = {s.label for s in teacher_view.schools}
    assert "Own Primary" in labels and "Partner Primary" not in labels
    assert sorted(labels - {"Own Primary"}) == ["School A", "School B"]
    assert [s.own for s in teacher_view.schools].count(True) == 1


def test_judges_are_named_to_coordinators_only_and_a_judge_sees_their_own_row(shared_world):
    w = judged(shared_world, judges=3)
    names = [j.person.full_name for j in w.judges]
    assert [r.label for r in cj_results.results(shared_world["coordinator"], w.session).judges] == names
    head_view = cj_results.results(shared_world["head"], w.session).judges
    assert [r.label for r in head_view] == ["You", "Judge 2", "Judge 3"] and head_view[0].mine
    assert [r.label for r in cj_results.results(shared_world["teacher"], w.session).judges] == [
        "Judge 1",
        "Judge 2",
        "Judge 3",
    ]


def test_no_judgements_yet_gives_an_empty_scale_not_an_error(shared_world):
    w = build(shared_world)
    res = cj_results.results(shared_world["coordinator"], w.session)
    assert res.judgements == 0 and res.split_half is None and not res.bands_known
    assert res.ssr_words == "not yet known"


def test_split_half_is_computed_once_for_the_same_decisions_and_again_after_a_new_one(shared_world, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    w = judged(shared_world, extra_schools=1, per_school=4, judges=4, per_script=6)
    calls = []
    real = cj_results.split_half_reliability

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cj_results, "split_half_reliability", counting)
    first = cj_results.results(shared_world["coordinator"], w.session).split_half
    again = cj_results.results(shared_world["head"], w.session).split_half
    assert first is not None and first == again and len(calls) == 1
    scripts, comps, judges = direct(w.session)
    assert first == pytest.approx(split_half_reliability(comps, judges, len(scripts), seed=w.session.seed))
    # one decision fewer is other data: computed afresh
    last = CJPair.objects.filter(session=w.session).exclude(chosen="").order_by("-decided_at", "-pk").first()
    CJPair.objects.filter(pk=last.pk).update(chosen="")
    cj_results.results(shared_world["coordinator"], w.session)
    assert len(calls) == 2
