"""Access matrix entries for the reviews API (`v1:` names; gathered by `access_entries.py`).

The policy (`reviews/policy.py`): the shipped frameworks are for anyone signed in, a partnership's
own for whoever may view the partnership. A SEF is for the people at its school, and as far as the
school shares it: its review team for that year, or everyone who can view one of its partnerships.
A cycle (and its rota, which lists only the reviews the caller may see) is for whoever may view the
partnership. A review is for the school reviewed, its team and the cycle's coordinators. Findings,
judgements and final reports are the school's and the team's, and the partnership's once the
school shares its final report. The API never serves a draft report, not even to administrators.

In these objects the review of each scope's school has one reviewer: `own` is reviewed by the
partner head, `partner` by the own head (so the head's "partner" cell opens wherever the team does),
`outside` by the head of another school of `other`. Partnership-level objects (cycles, frameworks)
are the same for own and partner.
"""

from __future__ import annotations

from typing import Any

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.core.tests.matrix import API, SIGNED_IN, VIEW, Entry, grid, obj
from partnership.directory.tests.factories import World, member_school, staff
from partnership.reviews.models import (
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    Framework,
    Review,
    ReviewCycle,
    ReviewReport,
    SelfEvaluation,
    Sharing,
)
from partnership.reviews.tests import factories as rf

#                        head     teacher  governor coord    adviser  out_head admin
# Anyone signed in (a shipped framework: the same object in every scope).
EVERYONE = grid(         "AAA",   "AAA",   "AAA",   "AAA",   "AAA",   "AAA",   "AAA", leaver="AAA")  # fmt: skip
# A SEF kept to its school: the people at the school.
SEF_OWN = grid(          "A..",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A SEF shared with its review team: the school, and the own head on the partner school's team.
SEF_TEAM = grid(         "AA.",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A review: the school reviewed, its team (the own head on the partner's), the cycle's coordinators.
REVIEW = grid(           "AA.",   "A..",   "A..",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Findings, judgements, a final report kept to the school and team.
READ = grid(             "AA.",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A draft report: not served by the API at all.
NOT_SERVED = grid(       "...",   "...",   "...",   "...",   "...",   "...",   "...")  # fmt: skip


def _partnership(w: World, scope: str) -> Any:
    return w.other if scope == "outside" else w.home


def _school(w: World, scope: str) -> Any:
    return {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]


def _coordinator(w: World, scope: str) -> Any:
    return w["other_coordinator"] if scope == "outside" else w["coordinator"]


def _reviewer(w: World, scope: str) -> Any:
    if scope == "own":
        return w["partner_head"]
    if scope == "partner":
        return w["head"]
    return staff(member_school(w.other), Role.HEADTEACHER)  # type: ignore[arg-type]


def _cycle(w: World, scope: str) -> ReviewCycle:
    return rf.cycle(_partnership(w, scope), by=_coordinator(w, scope))


def _review(w: World, scope: str) -> Review:
    return rf.review(_cycle(w, scope), _school(w, scope), team=[_reviewer(w, scope)])


def _head(w: World, scope: str) -> Any:
    return w[{"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]]


def partnership_framework_pk(w: World, scope: str) -> dict[str, Any]:
    made = Framework.objects.create(key=f"ours-{scope}", name="Our own framework", partnership=_partnership(w, scope))
    return {"pk": made.pk}


def shipped_framework_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": rf.framework().pk}


def _sef(w: World, scope: str, sharing: str) -> SelfEvaluation:
    made = rf.sef(_school(w, scope), by=_head(w, scope), sharing=sharing)
    _review(w, scope)  # this year's review of the school, with its team
    return made


def sef_own_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sef(w, scope, Sharing.OWN_SCHOOL).pk}


def sef_team_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sef(w, scope, Sharing.REVIEW_TEAM).pk}


def sef_partnership_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sef(w, scope, Sharing.PARTNERSHIP).pk}


def cycle_pk(w: World, scope: str) -> dict[str, Any]:
    cycle = _cycle(w, scope)
    rf.review(cycle, _school(w, scope), team=[_reviewer(w, scope)])
    return {"pk": cycle.pk}


def review_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _review(w, scope).pk}


def _judged(w: World, scope: str, report: str | None = None, sharing: str = Sharing.REVIEW_TEAM) -> Review:
    review = _review(w, scope)
    area = rf.framework().areas.get(number=1)
    Finding.objects.create(
        review=review, area=area, kind=Finding.Kind.STRENGTH, text="Reading", created_by=_head(w, scope)
    )
    AreaJudgement.objects.create(review=review, area=area, grade=rf.framework().grades.get(rank=2))
    if report is not None:
        ReviewReport.objects.create(review=review, status=report, sharing=sharing, summary="Summary")
    return review


def finding_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope).findings.get().pk}


def shared_finding_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope, ReviewReport.Status.FINAL, Sharing.PARTNERSHIP).findings.get().pk}


def _excellence(review: Review, w: World, scope: str) -> AreaOfExcellence:
    return AreaOfExcellence.objects.create(
        review=review, title="Early reading", description="Phonics in every class", put_forward_by=_head(w, scope)
    )


def excellence_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _excellence(_judged(w, scope), w, scope).pk}


def shared_excellence_pk(w: World, scope: str) -> dict[str, Any]:
    review = _judged(w, scope, ReviewReport.Status.FINAL, Sharing.PARTNERSHIP)
    return {"pk": _excellence(review, w, scope).pk}


def judgement_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope).judgements.get().pk}


def shared_judgement_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope, ReviewReport.Status.FINAL, Sharing.PARTNERSHIP).judgements.get().pk}


def final_report_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope, ReviewReport.Status.FINAL).report.pk}


def shared_report_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _judged(w, scope, ReviewReport.Status.FINAL, Sharing.PARTNERSHIP).report.pk}


def draft_report_pk(w: World, scope: str) -> dict[str, Any]:
    # Drafted and marked for the partnership, but not final: nobody reads it through the API.
    return {"pk": _judged(w, scope, ReviewReport.Status.DRAFT, Sharing.PARTNERSHIP).report.pk}


def api_list(name: str, year: bool = False) -> Entry:
    if year:
        return Entry(name, SIGNED_IN, anonymous=API, data=lambda w: {"year": current_academic_year()})
    return Entry(name, SIGNED_IN, anonymous=API)


def _obj(name: str, kwargs: Any, allow: dict[str, str]) -> Entry:
    return obj(name, kwargs, allow, anonymous=API)


ENTRIES: dict[str, Entry] = {
    "v1:review-framework-list": api_list("v1:review-framework-list"),
    "v1:review-framework-detail": _obj("v1:review-framework-detail", partnership_framework_pk, VIEW),
    "v1:review-framework-detail+shipped": _obj("v1:review-framework-detail", shipped_framework_pk, EVERYONE),
    "v1:self-evaluation-list": api_list("v1:self-evaluation-list", year=True),
    "v1:self-evaluation-detail": _obj("v1:self-evaluation-detail", sef_own_pk, SEF_OWN),
    "v1:self-evaluation-detail+team": _obj("v1:self-evaluation-detail", sef_team_pk, SEF_TEAM),
    "v1:self-evaluation-detail+partnership": _obj("v1:self-evaluation-detail", sef_partnership_pk, VIEW),
    "v1:review-cycle-list": api_list("v1:review-cycle-list", year=True),
    "v1:review-cycle-detail": _obj("v1:review-cycle-detail", cycle_pk, VIEW),
    "v1:review-cycle-rota": _obj("v1:review-cycle-rota", cycle_pk, VIEW),
    "v1:review-list": api_list("v1:review-list", year=True),
    "v1:review-detail": _obj("v1:review-detail", review_pk, REVIEW),
    "v1:review-finding-list": api_list("v1:review-finding-list"),
    "v1:review-finding-detail": _obj("v1:review-finding-detail", finding_pk, READ),
    "v1:review-finding-detail+shared": _obj("v1:review-finding-detail", shared_finding_pk, VIEW),
    "v1:review-judgement-list": api_list("v1:review-judgement-list"),
    "v1:review-judgement-detail": _obj("v1:review-judgement-detail", judgement_pk, READ),
    "v1:review-judgement-detail+shared": _obj("v1:review-judgement-detail", shared_judgement_pk, VIEW),
    "v1:area-of-excellence-list": api_list("v1:area-of-excellence-list"),
    "v1:area-of-excellence-detail": _obj("v1:area-of-excellence-detail", excellence_pk, READ),
    "v1:area-of-excellence-detail+shared": _obj("v1:area-of-excellence-detail", shared_excellence_pk, VIEW),
    "v1:review-report-list": api_list("v1:review-report-list", year=True),
    "v1:review-report-detail": _obj("v1:review-report-detail", final_report_pk, READ),
    "v1:review-report-detail+shared": _obj("v1:review-report-detail", shared_report_pk, VIEW),
    "v1:review-report-detail+draft": _obj("v1:review-report-detail", draft_report_pk, NOT_SERVED),
}
