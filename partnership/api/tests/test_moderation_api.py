"""Moderation and comparative judgement through the v1 API: scoped by the access policy, samples by
their code (the school and teacher to the school's own staff only, the pupil to nobody), filters
validated, the CJ scale fitted from the decided pairs, the schema describing every endpoint, and a
query count that does not grow with the rows."""

from __future__ import annotations

import datetime
import json
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.tests.factories import member_school, staff
from partnership.moderation.cj import fit_bradley_terry
from partnership.moderation.models import CJPair, CJScript, Exemplar, ModerationSession, ModeratorJudgement
from partnership.moderation.tests import factories as mf

pytestmark = pytest.mark.django_db

YEAR = current_academic_year()
PUPILS = ["Ada Lovelace", "Grace Hopper", "Mary Somerville", "Katherine Johnson"]
UPNS = ["A123456789012", "B123456789012", "C123456789012", "D123456789012"]

LISTS = [
    "/api/v1/moderation-sessions/",
    "/api/v1/moderation-samples/",
    "/api/v1/moderation-judgements/",
    "/api/v1/moderation-exemplars/",
    "/api/v1/cj-sessions/",
    "/api/v1/cj-judgements/",
]


def rows(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, {"limit": 500, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def ids(client: Any, url: str, **params: Any) -> set[int]:
    return {row["id"] for row in rows(client, url, **params)}


def decide(pair: CJPair, side: str, seconds: float = 18.0) -> None:
    pair.chosen, pair.decided_at, pair.seconds = side, timezone.now(), seconds
    pair.save()


def plan(cj: Any, judge: Any, number: int, left: CJScript, right: CJScript) -> CJPair:
    return CJPair.objects.create(session=cj, judge=judge, number=number, left=left, right=right)


@pytest.fixture
def data(shared_world: Any) -> dict[str, Any]:
    """A Year 6 writing session of `home` hosted by the own school, moderated by the partner head
    and the adviser; two own samples (one with a page, one the exemplar bank has) and one of the
    partner's, judged by the moderators; a session of `other` with an outside sample; a CJ session
    of the three home samples judged by the partner teacher and the own head."""
    w = shared_world
    session = mf.session(w.home, host=w.own, by=w["coordinator"])
    mf.moderator(session, w["partner_head"], by=w["coordinator"])
    mf.moderator(session, w["adviser"], by=w["coordinator"])
    a = mf.sample(session, w.own, by=w["teacher"], judgement="EXS", pupil=PUPILS[0], upn=UPNS[0], with_file=True)
    b = mf.sample(session, w.own, by=w["teacher"], judgement="GDS", pupil=PUPILS[1], upn=UPNS[1])
    c = mf.sample(session, w.partner, by=w["partner_teacher"], judgement="WTS", pupil=PUPILS[2], upn=UPNS[2])
    a.pieces, a.grid = ["Diary entry", "Persuasive letter"], {"ws_paragraphs": [0, 1]}
    a.save()
    on_a = ModeratorJudgement.objects.create(sample=a, moderator=w["partner_head"], judgement="EXS", comment="Secure")
    ModeratorJudgement.objects.create(sample=a, moderator=w["adviser"], judgement="EXS", comment="Agreed")
    on_b = ModeratorJudgement.objects.create(sample=b, moderator=w["adviser"], judgement="EXS", comment="Not yet GDS")
    exemplar = Exemplar.objects.create(
        sample=a, standard="EXS", annotation="Cohesion across paragraphs", consented_by=w["head"]
    )
    elsewhere = mf.session(w.other, host=w.outside, by=w["other_coordinator"], subject="maths", year_group="2")
    d = mf.sample(elsewhere, w.outside, by=w["outside_teacher"], pupil=PUPILS[3], upn=UPNS[3])
    cj = mf.cj_session(w.home, by=w["coordinator"], samples=[a, b, c], source=session)
    sa, sb, sc = cj.scripts.order_by("position")
    judge_one = mf.judge(cj, w["partner_teacher"], by=w["coordinator"])
    judge_two = mf.judge(cj, w["head"], by=w["coordinator"])
    first = plan(cj, judge_one, 1, sa, sc)
    decide(first, "L")
    plan(cj, judge_one, 2, sb, sc)  # planned, not yet decided
    second = plan(cj, judge_two, 1, sb, sc)
    decide(second, "R", 25.5)
    return {
        "session": session,
        "elsewhere": elsewhere,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "on_a": on_a,
        "on_b": on_b,
        "exemplar": exemplar,
        "cj": cj,
        "first": first,
        "second": second,
    }


# ---------------------------------------------------------------------------------------------
# Sessions


def test_a_session_carries_its_host_moderators_and_sample_count(client, shared_world, data):
    w, session = shared_world, data["session"]
    client.force_login(w["governor"])
    body = client.get(f"/api/v1/moderation-sessions/{session.pk}/").json()
    assert body == {
        "id": session.pk,
        "partnership": w.home.pk,
        "partnership_slug": "home",
        "kind": "moderation",
        "kind_label": "Moderation",
        "subject": "writing",
        "subject_label": "Writing",
        "year_group": "6",
        "year_group_label": "Year 6",
        "academic_year": YEAR,
        "year_label": session.year_label,
        "date": session.date.isoformat(),
        "host_school": {"name": "Own Primary", "slug": "own-primary"},
        "status": "open",
        "status_label": "Taking samples",
        "moderators": [w["partner_head"].full_name, w["adviser"].full_name],
        "sample_count": 3,
    }


def test_sessions_are_the_partnerships_and_filter_by_validated_values(client, shared_world, data):
    w, session, elsewhere = shared_world, data["session"], data["elsewhere"]
    client.force_login(w["teacher"])
    assert ids(client, "/api/v1/moderation-sessions/") == {session.pk}
    assert client.get(f"/api/v1/moderation-sessions/{elsewhere.pk}/").status_code == 404
    client.force_login(w["outside_head"])
    assert ids(client, "/api/v1/moderation-sessions/") == {elsewhere.pk}
    client.force_login(w["admin"])
    assert ids(client, "/api/v1/moderation-sessions/") == {session.pk, elsewhere.pk}
    assert ids(client, "/api/v1/moderation-sessions/", partnership="other") == {elsewhere.pk}
    assert ids(client, "/api/v1/moderation-sessions/", partnership="nowhere") == set()
    assert ids(client, "/api/v1/moderation-sessions/", subject="maths") == {elsewhere.pk}
    assert ids(client, "/api/v1/moderation-sessions/", year_group="6") == {session.pk}
    assert ids(client, "/api/v1/moderation-sessions/", academic_year=YEAR + 1) == set()
    ModerationSession.objects.filter(pk=session.pk).update(status="closed")
    assert ids(client, "/api/v1/moderation-sessions/", status="closed") == {session.pk}
    assert ids(client, "/api/v1/moderation-sessions/", status="open") == {elsewhere.pk}


@pytest.mark.parametrize(
    ("url", "name", "value"),
    [
        ("/api/v1/moderation-sessions/", "subject", "astrology"),
        ("/api/v1/moderation-sessions/", "year_group", "7"),
        ("/api/v1/moderation-sessions/", "academic_year", "1800"),
        ("/api/v1/moderation-sessions/", "status", "finished"),
        ("/api/v1/moderation-sessions/", "partnership", "x" * 101),
        ("/api/v1/moderation-samples/", "session", "abc"),
        ("/api/v1/moderation-samples/", "subject", "writing'; --"),
        ("/api/v1/moderation-samples/", "year_group", "Y6"),
        ("/api/v1/moderation-samples/", "academic_year", "twenty"),
        ("/api/v1/moderation-judgements/", "session", "-1"),
        ("/api/v1/moderation-exemplars/", "subject", "WRITING"),
        ("/api/v1/cj-sessions/", "status", "done"),
        ("/api/v1/cj-sessions/", "year_group", "12"),
        ("/api/v1/cj-judgements/", "session", "9" * 30),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, shared_world, data, url, name, value):
    client.force_login(shared_world["coordinator"])
    response = client.get(url, {name: value})
    assert response.status_code == 400, (url, name)
    messages = response.json()[name]
    assert messages and all(isinstance(m, str) and m for m in messages)


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_and_refuses_a_bad_page(client, shared_world, data, path):
    client.force_login(shared_world["coordinator"])
    assert client.get(path, {"limit": 501}).status_code == 400
    assert "offset" in client.get(path, {"offset": "abc"}).json()
    assert client.get(path, {"limit": 500, "offset": 2**31 - 1}).json()["results"] == []
    assert len(client.get(path, {"limit": 1}).json()["results"]) == 1


# ---------------------------------------------------------------------------------------------
# Samples


def test_the_schools_own_staff_see_their_samples_with_school_and_teacher(client, shared_world, data):
    w, a, c = shared_world, data["a"], data["c"]
    client.force_login(w["teacher"])
    assert ids(client, "/api/v1/moderation-samples/") == {a.pk, data["b"].pk}  # own only; not the partner's
    body = client.get(f"/api/v1/moderation-samples/{a.pk}/").json()
    page = a.files.get()
    assert body == {
        "id": a.pk,
        "session": data["session"].pk,
        "code": a.code,
        "teacher_judgement": "EXS",
        "teacher_judgement_label": "Working at the expected standard",
        "selection": "teacher_example",
        "selection_label": "A teacher's example",
        "pieces": ["Diary entry", "Persuasive letter"],
        "grid": {"ws_paragraphs": [0, 1]},
        "files": [
            {
                "id": page.pk,
                "number": 1,
                "content_type": "image/png",
                "size": page.size,
                "url": f"http://testserver/moderation/samples/files/{page.pk}/",
            }
        ],
        "outcome": {
            "judgements": [{"judgement": "EXS", "comment": "Secure"}, {"judgement": "EXS", "comment": "Agreed"}],
            "agreed": True,
        },
        "school": "own-primary",
        "teacher": w["teacher"].full_name,
    }
    assert client.get(body["files"][0]["url"]).status_code == 200  # the page the API points at opens
    outcome = client.get(f"/api/v1/moderation-samples/{data['b'].pk}/").json()["outcome"]
    assert outcome == {"judgements": [{"judgement": "EXS", "comment": "Not yet GDS"}], "agreed": False}
    client.force_login(w["partner_teacher"])  # the partner's staff: their own sample, named to them
    assert client.get(f"/api/v1/moderation-samples/{c.pk}/").json()["school"] == "partner-primary"


def test_other_schools_see_samples_by_code_only(client, shared_world, data):
    w, a, b, c = shared_world, data["a"], data["b"], data["c"]
    client.force_login(w["partner_head"])  # moderates the session: every sample, named only where their own
    by_id = {row["id"]: row for row in rows(client, "/api/v1/moderation-samples/")}
    assert set(by_id) == {a.pk, b.pk, c.pk}
    assert by_id[a.pk]["school"] is None and by_id[a.pk]["teacher"] is None
    assert by_id[b.pk]["school"] is None and by_id[b.pk]["teacher"] is None
    assert by_id[c.pk]["school"] == "partner-primary"
    assert by_id[a.pk]["code"] == a.code and by_id[a.pk]["outcome"]["agreed"] is True
    client.force_login(w["coordinator"])  # sees every sample of the partnership, none named
    coordinated = rows(client, "/api/v1/moderation-samples/")
    assert {row["id"] for row in coordinated} == {a.pk, b.pk, c.pk}
    assert all(row["school"] is None and row["teacher"] is None for row in coordinated)
    client.force_login(w["admin"])  # everything, never a school
    everything = rows(client, "/api/v1/moderation-samples/")
    assert {row["id"] for row in everything} == {a.pk, b.pk, c.pk, data["d"].pk}
    assert all(row["school"] is None and row["teacher"] is None for row in everything)


def test_a_judge_sees_the_sessions_scripts_but_not_the_moderators_judgements(client, shared_world, data):
    w, a, b, c = shared_world, data["a"], data["b"], data["c"]
    client.force_login(w["partner_teacher"])  # judges the CJ session; not a moderator
    by_id = {row["id"]: row for row in rows(client, "/api/v1/moderation-samples/")}
    assert set(by_id) == {a.pk, b.pk, c.pk}
    assert by_id[b.pk]["outcome"] == {"judgements": [], "agreed": None}  # not theirs to read
    assert by_id[b.pk]["school"] is None
    assert ids(client, "/api/v1/moderation-judgements/") == set()


def test_governors_and_advisers_see_what_the_bank_and_their_places_give(client, shared_world, data):
    w, a = shared_world, data["a"]
    client.force_login(w["governor"])  # not staff: only the exemplar bank's sample, unnamed
    [banked] = rows(client, "/api/v1/moderation-samples/")
    assert banked["id"] == a.pk and banked["school"] is None and banked["teacher"] is None
    assert banked["outcome"]["judgements"] == []
    client.force_login(w["adviser"])  # a moderator of the session
    assert ids(client, "/api/v1/moderation-samples/") == {a.pk, data["b"].pk, data["c"].pk}
    client.force_login(w["outside_head"])  # the other partnership: its own sample only
    assert ids(client, "/api/v1/moderation-samples/") == {data["d"].pk}
    assert client.get(f"/api/v1/moderation-samples/{a.pk}/").status_code == 404


def test_sample_filters_narrow(client, shared_world, data):
    client.force_login(shared_world["admin"])
    everything = {data[k].pk for k in "abcd"}
    assert ids(client, "/api/v1/moderation-samples/") == everything
    assert ids(client, "/api/v1/moderation-samples/", session=data["elsewhere"].pk) == {data["d"].pk}
    assert ids(client, "/api/v1/moderation-samples/", subject="writing") == everything - {data["d"].pk}
    assert ids(client, "/api/v1/moderation-samples/", year_group="2") == {data["d"].pk}
    assert ids(client, "/api/v1/moderation-samples/", academic_year=YEAR) == everything
    assert ids(client, "/api/v1/moderation-samples/", academic_year=YEAR - 1) == set()


# ---------------------------------------------------------------------------------------------
# Moderators' judgements and the exemplar bank


def test_moderators_judgements_go_to_the_school_the_moderators_and_coordinators(client, shared_world, data):
    w, on_a, on_b = shared_world, data["on_a"], data["on_b"]
    every = set(ModeratorJudgement.objects.values_list("pk", flat=True))
    client.force_login(w["head"])
    assert ids(client, "/api/v1/moderation-judgements/") == every  # all three are on own samples
    body = client.get(f"/api/v1/moderation-judgements/{on_a.pk}/").json()
    assert body == {
        "id": on_a.pk,
        "sample": data["a"].pk,
        "sample_code": data["a"].code,
        "session": data["session"].pk,
        "judgement": "EXS",
        "comment": "Secure",
        "moderator": w["partner_head"].pk,
        "moderator_name": w["partner_head"].full_name,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert datetime.datetime.fromisoformat(body["created_at"]) == on_a.created_at
    client.force_login(w["coordinator"])
    assert ids(client, "/api/v1/moderation-judgements/", session=data["session"].pk) == every
    assert ids(client, "/api/v1/moderation-judgements/", session=data["elsewhere"].pk) == set()
    for outsider in ["partner_teacher", "governor", "outside_head"]:
        client.force_login(w[outsider])
        assert ids(client, "/api/v1/moderation-judgements/") == set(), outsider
        assert client.get(f"/api/v1/moderation-judgements/{on_b.pk}/").status_code == 404


def test_the_exemplar_bank_is_the_partnerships_and_names_the_school_to_its_staff(client, shared_world, data):
    w, exemplar = shared_world, data["exemplar"]
    client.force_login(w["partner_teacher"])
    [row] = rows(client, "/api/v1/moderation-exemplars/")
    assert row == {
        "id": exemplar.pk,
        "sample": data["a"].pk,
        "sample_code": data["a"].code,
        "session": data["session"].pk,
        "subject": "writing",
        "subject_label": "Writing",
        "year_group": "6",
        "year_group_label": "Year 6",
        "standard": "EXS",
        "annotation": "Cohesion across paragraphs",
        "consented_at": row["consented_at"],
        "school": None,
    }
    assert ids(client, "/api/v1/moderation-exemplars/", subject="maths") == set()
    assert ids(client, "/api/v1/moderation-exemplars/", year_group="6") == {exemplar.pk}
    client.force_login(w["teacher"])
    assert rows(client, "/api/v1/moderation-exemplars/")[0]["school"] == "own-primary"
    client.force_login(w["outside_head"])
    assert ids(client, "/api/v1/moderation-exemplars/") == set()
    exemplar.withdrawn_at, exemplar.withdrawn_by = timezone.now(), w["head"]
    exemplar.save()
    for person in ["teacher", "partner_teacher", "coordinator"]:  # the API serves the current bank only
        client.force_login(w[person])
        assert ids(client, "/api/v1/moderation-exemplars/") == set(), person


# ---------------------------------------------------------------------------------------------
# Comparative judgement


def test_a_cj_session_counts_its_scripts_judges_and_judgements(client, shared_world, data):
    w, cj = shared_world, data["cj"]
    client.force_login(w["governor"])
    body = client.get(f"/api/v1/cj-sessions/{cj.pk}/").json()
    assert body == {
        "id": cj.pk,
        "partnership": w.home.pk,
        "partnership_slug": "home",
        "name": "Year 6 writing",
        "subject": "writing",
        "subject_label": "Writing",
        "year_group": "6",
        "year_group_label": "Year 6",
        "academic_year": YEAR,
        "status": "setup",
        "status_label": "Being set up",
        "per_script": 10,
        "cross_school_every": 5,
        "scripts_count": 3,
        "judges_count": 2,
        "judgements_made": 2,
        "judgements_planned": 3,
    }
    assert ids(client, "/api/v1/cj-sessions/", partnership="home", status="setup") == {cj.pk}
    assert ids(client, "/api/v1/cj-sessions/", status="judging") == set()
    assert ids(client, "/api/v1/cj-sessions/", subject="maths") == set()
    client.force_login(w["outside_head"])
    assert ids(client, "/api/v1/cj-sessions/") == set()
    assert client.get(f"/api/v1/cj-sessions/{cj.pk}/").status_code == 404
    assert client.get(f"/api/v1/cj-sessions/{cj.pk}/results/").status_code == 404


def test_cj_decisions_are_the_judges_own_and_named_only_to_coordinators(client, shared_world, data):
    w, first, second = shared_world, data["first"], data["second"]
    a, b, c = data["a"], data["b"], data["c"]
    client.force_login(w["partner_teacher"])  # judge 1: their own decided pair, not the planned one
    [mine] = rows(client, "/api/v1/cj-judgements/")
    assert mine == {
        "id": first.pk,
        "session": data["cj"].pk,
        "judge_number": 1,
        "judge_name": None,
        "pair_number": 1,
        "left_code": a.code,
        "right_code": c.code,
        "chosen_code": a.code,
        "decided_at": mine["decided_at"],
        "seconds": 18.0,
    }
    assert client.get(f"/api/v1/cj-judgements/{second.pk}/").status_code == 404
    client.force_login(w["head"])  # judge 2
    [theirs] = rows(client, "/api/v1/cj-judgements/")
    assert (theirs["judge_number"], theirs["chosen_code"], theirs["judge_name"]) == (2, c.code, None)
    assert theirs["left_code"] == b.code
    client.force_login(w["coordinator"])
    every = rows(client, "/api/v1/cj-judgements/", session=data["cj"].pk)
    assert [(r["judge_number"], r["judge_name"]) for r in every] == [
        (1, w["partner_teacher"].full_name),
        (2, w["head"].full_name),
    ]
    for person in ["teacher", "governor", "adviser", "outside_head"]:
        client.force_login(w[person])
        assert ids(client, "/api/v1/cj-judgements/") == set(), person
    client.force_login(w["admin"])  # every decision, judges by number only
    assert [r["judge_name"] for r in rows(client, "/api/v1/cj-judgements/")] == [None, None]


def test_the_results_are_the_bradley_terry_scale_of_the_decided_pairs(client, shared_world, data):
    w, cj = shared_world, data["cj"]
    sa, sb, sc = cj.scripts.order_by("position")
    # Two more judged pairs, and b anchored from an earlier session at 0.5 logits.
    judge = cj.judges.get(person=w["partner_teacher"])
    decide(plan(cj, judge, 3, sa, sb), "L")
    decide(plan(cj, judge, 4, sc, sb), "R")
    CJScript.objects.filter(pk=sb.pk).update(anchor_score=0.5)
    # Decided: a > c, c > b (second pair, chosen right), a > b, b > c.
    expected = fit_bradley_terry([(0, 2), (2, 1), (0, 1), (1, 2)], 3, anchors={1: 0.5})
    client.force_login(w["teacher"])
    body = client.get(f"/api/v1/cj-sessions/{cj.pk}/results/").json()
    assert body["session"] == cj.pk and body["judgements"] == 4
    assert body["ssr"] == pytest.approx(expected.ssr, abs=1e-4) and body["converged"] is expected.converged
    scale = body["scale"]
    codes = [data["a"].code, data["b"].code, data["c"].code]
    order = list(np.argsort(-expected.scores, kind="stable"))
    assert [row["code"] for row in scale] == [codes[i] for i in order]
    assert [row["rank"] for row in scale] == [1, 2, 3]
    for row in scale:
        i = codes.index(row["code"])
        assert row["score"] == pytest.approx(expected.scores[i], abs=1e-4)
        assert row["reading"] == pytest.approx(float(np.clip(50 + 15 * expected.scores[i], 0, 100)), abs=0.05)
        assert row["comparisons"] == int(expected.comparisons_per_script[i])
        assert row["anchor"] is (i == 1)
    by_code = {row["code"]: row for row in scale}
    assert by_code[data["b"].code]["score"] == 0.5 and by_code[data["b"].code]["standard_error"] == 0.0
    assert scale[0]["code"] == data["a"].code  # a won both its comparisons


def test_results_of_a_session_with_nothing_judged_yet(client, shared_world, data):
    w = shared_world
    empty = mf.cj_session(w.home, by=w["coordinator"], samples=[data["a"], data["c"]], name="Not started")
    client.force_login(w["coordinator"])
    body = client.get(f"/api/v1/cj-sessions/{empty.pk}/results/").json()
    assert body["judgements"] == 0 and body["ssr"] == 0.0
    assert [(r["score"], r["standard_error"], r["reading"], r["comparisons"]) for r in body["scale"]] == [
        (0.0, None, 50.0, 0),
        (0.0, None, 50.0, 0),
    ]
    none = mf.cj_session(w.home, by=w["coordinator"], name="No scripts")
    assert client.get(f"/api/v1/cj-sessions/{none.pk}/results/").json()["scale"] == []


# ---------------------------------------------------------------------------------------------
# Privacy across every endpoint


def _everything(client: Any, data: dict[str, Any], urls: list[str] = LISTS) -> str:
    """Every response of these endpoints this client can get, lists and details (and the CJ
    results), as one JSON text."""
    found: list[Any] = []
    for url in urls:
        listed = rows(client, url)
        found.append(listed)
        found.extend(client.get(f"{url}{row['id']}/").json() for row in listed)
    found.append(client.get(f"/api/v1/cj-sessions/{data['cj'].pk}/results/").json())
    return json.dumps(found)


STAFF = ["head", "teacher", "senco"]
OTHERS = ["governor", "partner_head", "partner_teacher", "coordinator", "adviser", "outside_head", "admin"]


@pytest.mark.parametrize("person", STAFF + OTHERS)
def test_no_response_ever_carries_a_pupil_and_only_own_staff_learn_a_samples_school(client, shared_world, data, person):
    w = shared_world
    client.force_login(w[person])
    text = _everything(client, data)
    assert '"code"' in text or person == "outside_head"  # the scripts are there, by code
    for secret in PUPILS + UPNS:
        assert secret not in text, (person, secret)
    # The sessions name their host (public within the partnership); nothing else names the own
    # school or its class teacher but to the school's own staff.
    beyond_sessions = _everything(client, data, LISTS[1:])
    assert ("own-primary" in beyond_sessions) is (person in STAFF), person
    assert (w["teacher"].full_name in beyond_sessions) is (person in STAFF), person


# ---------------------------------------------------------------------------------------------
# Query counts and the schema


def _grow(w: Any, data: dict[str, Any], n: int) -> None:
    """n more home schools, each with a moderator of the session, two samples (a page each), judged
    by the adviser and by that moderator, one in the bank; each sample a script of the CJ session,
    and each new school's head a judge with two decided pairs."""
    session, cj = data["session"], data["cj"]
    for _ in range(n):
        school = member_school(w.home)
        head = staff(school, Role.HEADTEACHER)
        teacher = staff(school, Role.TEACHER)
        mf.moderator(session, head, by=w["coordinator"])
        made = [mf.sample(session, school, by=teacher, judgement=j, with_file=True) for j in ("WTS", "GDS")]
        for sample in made:
            ModeratorJudgement.objects.create(sample=sample, moderator=w["adviser"], judgement="EXS")
            ModeratorJudgement.objects.create(sample=sample, moderator=head, judgement=sample.teacher_judgement)
        Exemplar.objects.create(sample=made[1], standard="GDS", annotation="Assured voice", consented_by=head)
        start = cj.scripts.count()
        first, second = (CJScript.objects.create(session=cj, sample=s, position=start + i) for i, s in enumerate(made))
        judge = mf.judge(cj, head, by=w["coordinator"])
        decide(plan(cj, judge, 1, first, second), "R")
        decide(plan(cj, judge, 2, second, cj.scripts.get(position=0)), "L")


def _counts(client: Any, data: dict[str, Any]) -> dict[str, int]:
    urls = [
        *LISTS,
        f"/api/v1/moderation-sessions/{data['session'].pk}/",
        f"/api/v1/moderation-samples/{data['a'].pk}/",
        f"/api/v1/cj-sessions/{data['cj'].pk}/",
        f"/api/v1/cj-sessions/{data['cj'].pk}/results/",
    ]
    found = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(ctx.captured_queries)
    return found


@pytest.mark.parametrize("person", ["coordinator", "partner_head", "head"])
def test_moderation_endpoints_do_not_grow_with_the_rows(client, shared_world, data, person):
    client.force_login(shared_world[person])
    _grow(shared_world, data, 1)
    small = _counts(client, data)
    _grow(shared_world, data, 5)
    large = _counts(client, data)
    assert large == small
    assert rows(client, "/api/v1/moderation-samples/", session=data["session"].pk)  # the rows are there
    if person == "coordinator":
        assert len(rows(client, "/api/v1/moderation-samples/")) == 3 + 12
        assert len(rows(client, "/api/v1/cj-judgements/")) == 2 + 12


def test_the_schema_describes_the_moderation_endpoints(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in [
        "/api/v1/moderation-sessions/",
        "/api/v1/moderation-sessions/{id}/",
        "/api/v1/moderation-samples/",
        "/api/v1/moderation-samples/{id}/",
        "/api/v1/moderation-judgements/",
        "/api/v1/moderation-judgements/{id}/",
        "/api/v1/moderation-exemplars/",
        "/api/v1/moderation-exemplars/{id}/",
        "/api/v1/cj-sessions/",
        "/api/v1/cj-sessions/{id}/",
        "/api/v1/cj-sessions/{id}/results/",
        "/api/v1/cj-judgements/",
        "/api/v1/cj-judgements/{id}/",
    ]:
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/moderation-sessions/"]["get"]["parameters"]}
    assert {"partnership", "subject", "year_group", "academic_year", "status", "limit", "offset"} <= names
    names = {p["name"] for p in paths["/api/v1/moderation-samples/"]["get"]["parameters"]}
    assert {"session", "subject", "year_group", "academic_year"} <= names
    components = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    sample = components["Sample"]["properties"]
    assert not {"pupil_name", "upn", "identity", "context", "submitted_by"} & set(sample)
    assert set(components["CJResults"]["properties"]) == {"session", "scale", "ssr", "converged", "judgements"}


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Calls into the WSGI app must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("person", ["head", "partner_head", "coordinator"])
def test_full_responses_keep_to_the_schema(shared_world, data, wsgi_in_the_test_transaction, person):
    """The schema fuzz runs on a world without moderation; here every endpoint answers with rows."""
    import schemathesis
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    from config.wsgi import application
    from partnership.accounts.services import api_token_create

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    _, raw = api_token_create(user=shared_world[person])
    calls = [(url, {}) for url in LISTS] + [
        ("/api/v1/moderation-sessions/{id}/", {"id": data["session"].pk}),
        ("/api/v1/moderation-samples/{id}/", {"id": data["a"].pk}),
        ("/api/v1/moderation-exemplars/{id}/", {"id": data["exemplar"].pk}),
        ("/api/v1/cj-sessions/{id}/", {"id": data["cj"].pk}),
        ("/api/v1/cj-sessions/{id}/results/", {"id": data["cj"].pk}),
    ]
    for path, params in calls:
        case = schema[path]["GET"].Case(path_parameters=params)
        response = case.call(app=application, headers={"Authorization": f"Token {raw}"})
        assert response.status_code == 200, path
        case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
