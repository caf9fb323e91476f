"""Access matrix entries for the moderation and comparative-judgement API (`v1:` names; added to
`access_entries.py`'s ENTRIES).

The policy (`moderation/policy.py`): a moderation or CJ session (and a CJ session's scale, by script
code) is for whoever may view the partnership. A sample is its school's staff's (not its governors'),
and by its code the session's moderators', the partnership's coordinators', the judges' of a CJ
session that includes it, and everyone's who can view the partnership once it is in the exemplar
bank. Moderators' judgements are for the sample's school's staff, the session's moderators and the
coordinators. A CJ decision is for its judge and the coordinators. The API serves only the current
exemplar bank: a withdrawn exemplar is not served at all.

Each scope's objects belong to that scope's school (a sample submitted by its teacher to a session of
its partnership, hosted by it); the moderator, and the judge, is the partnership's external adviser.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from partnership.core.tests.matrix import API, SIGNED_IN, VIEW, Entry, grid, obj
from partnership.directory.tests.factories import World
from partnership.moderation.models import CJPair, Exemplar, ModerationSession, ModeratorJudgement, Sample
from partnership.moderation.tests import factories as mf

#                        head     teacher  governor coord    adviser  out_head admin
# A sample: its school's staff, the partnership's coordinators.
SAMPLE = grid(           "A..",   "A..",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# A sample the adviser moderates or judges; a moderator's judgement (by the adviser).
MODERATED = grid(        "A..",   "A..",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# A CJ decision made by the adviser: theirs and the coordinators'.
CJ_DECISION = grid(      "...",   "...",   "...",   "AA.",   "AA.",   "...",   "AAA")  # fmt: skip
# A withdrawn exemplar: the API serves only the current bank.
NOT_SERVED = grid(       "...",   "...",   "...",   "...",   "...",   "...",   "...")  # fmt: skip


def _partnership(w: World, scope: str) -> Any:
    return w.other if scope == "outside" else w.home


def _school(w: World, scope: str) -> Any:
    return {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]


def _teacher(w: World, scope: str) -> Any:
    return w[{"own": "teacher", "partner": "partner_teacher", "outside": "outside_teacher"}[scope]]


def _coordinator(w: World, scope: str) -> Any:
    return w["other_coordinator"] if scope == "outside" else w["coordinator"]


def _adviser(w: World, scope: str) -> Any:
    return w["other_adviser"] if scope == "outside" else w["adviser"]


def _session(w: World, scope: str) -> ModerationSession:
    return mf.session(_partnership(w, scope), host=_school(w, scope), by=_coordinator(w, scope))


def _sample(w: World, scope: str, session: ModerationSession | None = None) -> Sample:
    session = session or _session(w, scope)
    return mf.sample(session, _school(w, scope), by=_teacher(w, scope), upn="A123456789012", with_file=True)


def _moderated(w: World, scope: str) -> Sample:
    session = _session(w, scope)
    mf.moderator(session, _adviser(w, scope), by=_coordinator(w, scope))
    return _sample(w, scope, session)


def session_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _session(w, scope).pk}


def sample_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sample(w, scope).pk}


def moderated_sample_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _moderated(w, scope).pk}


def judged_sample_pk(w: World, scope: str) -> dict[str, Any]:
    sample = _sample(w, scope)
    cj = mf.cj_session(_partnership(w, scope), by=_coordinator(w, scope), samples=[sample])
    mf.judge(cj, _adviser(w, scope), by=_coordinator(w, scope))
    return {"pk": sample.pk}


def _exemplar(w: World, scope: str, *, withdrawn: bool = False) -> Exemplar:
    sample = _sample(w, scope)
    head = w[{"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]]
    return Exemplar.objects.create(
        sample=sample,
        standard="EXS",
        annotation="Secure",
        consented_by=head,
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_by=head if withdrawn else None,
    )


def banked_sample_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _exemplar(w, scope).sample_id}


def exemplar_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _exemplar(w, scope).pk}


def withdrawn_exemplar_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _exemplar(w, scope, withdrawn=True).pk}


def judgement_pk(w: World, scope: str) -> dict[str, Any]:
    sample = _moderated(w, scope)
    made = ModeratorJudgement.objects.create(sample=sample, moderator=_adviser(w, scope), judgement="EXS")
    return {"pk": made.pk}


def cj_session_pk(w: World, scope: str) -> dict[str, Any]:
    samples = [_sample(w, scope), _sample(w, scope)]
    return {"pk": mf.cj_session(_partnership(w, scope), by=_coordinator(w, scope), samples=samples).pk}


def cj_decision_pk(w: World, scope: str) -> dict[str, Any]:
    session = _session(w, scope)
    samples = [_sample(w, scope, session), _sample(w, scope, session)]
    cj = mf.cj_session(_partnership(w, scope), by=_coordinator(w, scope), samples=samples, source=session)
    judge = mf.judge(cj, _adviser(w, scope), by=_coordinator(w, scope))
    left, right = cj.scripts.order_by("position")
    pair = CJPair.objects.create(
        session=cj, judge=judge, number=1, left=left, right=right, chosen="L", decided_at=timezone.now(), seconds=20
    )
    return {"pk": pair.pk}


def _list(name: str) -> Entry:
    return Entry(name, SIGNED_IN, anonymous=API)


def _obj(name: str, kwargs: Any, allow: dict[str, str]) -> Entry:
    return obj(name, kwargs, allow, anonymous=API)


ENTRIES: dict[str, Entry] = {
    "v1:moderation-session-list": _list("v1:moderation-session-list"),
    "v1:moderation-session-detail": _obj("v1:moderation-session-detail", session_pk, VIEW),
    "v1:moderation-sample-list": _list("v1:moderation-sample-list"),
    "v1:moderation-sample-detail": _obj("v1:moderation-sample-detail", sample_pk, SAMPLE),
    "v1:moderation-sample-detail+moderated": _obj("v1:moderation-sample-detail", moderated_sample_pk, MODERATED),
    "v1:moderation-sample-detail+judged": _obj("v1:moderation-sample-detail", judged_sample_pk, MODERATED),
    "v1:moderation-sample-detail+banked": _obj("v1:moderation-sample-detail", banked_sample_pk, VIEW),
    "v1:moderation-judgement-list": _list("v1:moderation-judgement-list"),
    "v1:moderation-judgement-detail": _obj("v1:moderation-judgement-detail", judgement_pk, MODERATED),
    "v1:moderation-exemplar-list": _list("v1:moderation-exemplar-list"),
    "v1:moderation-exemplar-detail": _obj("v1:moderation-exemplar-detail", exemplar_pk, VIEW),
    "v1:moderation-exemplar-detail+withdrawn": _obj("v1:moderation-exemplar-detail", withdrawn_exemplar_pk, NOT_SERVED),
    "v1:cj-session-list": _list("v1:cj-session-list"),
    "v1:cj-session-detail": _obj("v1:cj-session-detail", cj_session_pk, VIEW),
    "v1:cj-session-results": _obj("v1:cj-session-results", cj_session_pk, VIEW),
    "v1:cj-judgement-list": _list("v1:cj-judgement-list"),
    "v1:cj-judgement-detail": _obj("v1:cj-judgement-detail", cj_decision_pk, CJ_DECISION),
}
