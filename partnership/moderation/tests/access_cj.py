"""Access matrix entries for comparative-judgement sessions: set-up, judging, results, exports.

A CJ session is partnership-level: "own" and "partner" are the same session of `home` (a script
from Own Primary, the cast's head its judge, an earlier closed session to anchor to), "outside" a
session of `other` (a script from Outside Primary, judged by the outside head).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from partnership.core.tests.matrix import COORDINATORS, VIEW, Entry, grid, partnership_slug, post
from partnership.core.tests.matrix import obj as page
from partnership.directory.tests.factories import World
from partnership.moderation.models import CJJudge, CJScript, CJSession
from partnership.moderation.tests import factories

#                    head     teacher  governor coord    adviser  out_head admin
# CJ session "judge": its invited judges (an administrator is no judge: 404).
JUDGES = grid(       "AA.",   "...",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip


def _session(w: World, scope: str) -> CJSession:
    if scope == "outside":
        partnership, school, by, judge = w.other, w.outside, w["other_coordinator"], w["outside_head"]
    else:
        partnership, school, by, judge = w.home, w.own, w["coordinator"], w["head"]
    teacher = w["outside_teacher"] if scope == "outside" else w["teacher"]
    moderation = factories.session(partnership, host=school, by=by)
    sample = factories.sample(moderation, school, by=teacher, with_file=True, pupil="Ada Matrix")
    earlier = factories.cj_session(partnership, by=by, samples=[sample], name="Last year", status="closed")
    CJScript.objects.filter(session=earlier).update(score=0.5, standard_error=0.3)
    earlier.closed_at = timezone.now()
    earlier.save(update_fields=["closed_at"])
    session = factories.cj_session(partnership, by=by, samples=[sample], source=moderation)
    factories.judge(session, judge, by=by)
    session.earlier = earlier  # type: ignore[attr-defined]
    return session


def session_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _session(w, scope).pk}


def script_of_scope(w: World, scope: str) -> dict[str, Any]:
    session = _session(w, scope)
    return {"pk": session.pk, "script_pk": CJScript.objects.filter(session=session).first().pk}


def judge_of_scope(w: World, scope: str) -> dict[str, Any]:
    session = _session(w, scope)
    return {"pk": session.pk, "judge_pk": CJJudge.objects.filter(session=session).first().pk}


def anchors_of_scope(w: World, scope: str) -> dict[str, Any]:
    session = _session(w, scope)
    return {"pk": session.pk, "earlier_pk": session.earlier.pk}  # type: ignore[attr-defined]


ENTRIES: dict[str, Entry] = {
    "moderation:cj_create": page("moderation:cj_create", partnership_slug, COORDINATORS),
    "moderation:cj_create+save": post(
        "moderation:cj_create", partnership_slug, COORDINATORS, data=lambda w: {"name": "Year 6 writing"}
    ),
    "moderation:cj_detail": page("moderation:cj_detail", session_pk, VIEW),
    "moderation:cj_scripts_add": post("moderation:cj_scripts_add", session_pk, COORDINATORS),
    "moderation:cj_script_remove": post("moderation:cj_script_remove", script_of_scope, COORDINATORS),
    "moderation:cj_script_boundary": post(
        "moderation:cj_script_boundary", script_of_scope, COORDINATORS, data=lambda w: {"boundary": "EXS"}
    ),
    "moderation:cj_anchors": page("moderation:cj_anchors", anchors_of_scope, COORDINATORS),
    "moderation:cj_anchors+save": post("moderation:cj_anchors", anchors_of_scope, COORDINATORS),
    "moderation:cj_judge_invite": post("moderation:cj_judge_invite", session_pk, COORDINATORS),
    "moderation:cj_judge_remove": post("moderation:cj_judge_remove", judge_of_scope, COORDINATORS),
    "moderation:cj_open": post("moderation:cj_open", session_pk, COORDINATORS),
    "moderation:cj_close": post("moderation:cj_close", session_pk, COORDINATORS),
    "moderation:cj_judging": page("moderation:cj_judging", session_pk, JUDGES),
    "moderation:cj_judging+decide": post(
        "moderation:cj_judging", session_pk, JUDGES, data=lambda w: {"pair": "1", "choice": "L"}
    ),
    "moderation:cj_pause": post("moderation:cj_pause", session_pk, JUDGES),
    "moderation:cj_resume": post("moderation:cj_resume", session_pk, JUDGES),
    "moderation:cj_results": page("moderation:cj_results", session_pk, VIEW),
    "moderation:cj_export_xlsx": page("moderation:cj_export_xlsx", session_pk, COORDINATORS),
    "moderation:cj_export_pdf": page("moderation:cj_export_pdf", session_pk, COORDINATORS),
    "moderation:cj_export_csv": page("moderation:cj_export_csv", session_pk, COORDINATORS),
}
