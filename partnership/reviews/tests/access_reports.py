"""Access matrix entries for findings, reports, the workshop, the impact review, calibration and
the ledger (gathered by access_entries.py).

Each scope's school has a review at "Findings agreed" with a draft report (shared with the team
only), a strength, an area for development and an Area of Excellence put forward. The teams:
`own` is reviewed by `partner_head` (lead); `partner` by `head` (lead, so the own head is a
reviewer there); `outside` by `outside_teacher` (lead). Findings and the report are read by the
school's own people and its team; the cycle's coordinators and advisers do not read them until the
school shares a final report with the partnership (it has not here).
"""

from __future__ import annotations

from typing import Any

from partnership.core.tests.matrix import Entry, grid, obj, partnership_slug, post, school_slug
from partnership.directory.tests.factories import World
from partnership.reviews.models import AreaOfExcellence, Finding, Review, ReviewReport
from partnership.reviews.tests import factories

#                    head     teacher  governor coord    adviser  out_head admin
# Findings, report, impact page (read): the school's people and its team.
READ = grid(         "AA.",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# agree_findings: the team (the own head is on the partner school's team).
TEAM = grid(         ".A.",   "...",   "...",   "...",   "...",   "...",   "AAA")  # fmt: skip
# finalise: the lead reviewer (the own head leads the partner school's review).
LEAD = grid(         ".A.",   "...",   "...",   "...",   "...",   "...",   "AAA")  # fmt: skip
# respond: the school's headteacher and senior leaders.
LEADERS = grid(      "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# follow_up: the school's leaders and the lead reviewer.
FOLLOW_UP = grid(    "AA.",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# A school's calibration: its own people (and those who read one of its reports; none here).
SCHOOL_PEOPLE = grid("A..",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# view_review_ledger: coordinators, advisers, member schools' heads and senior leaders.
LEDGER = grid(       "AA.",   "...",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip


def _review(w: World, scope: str) -> Review:
    if scope == "outside":
        cycle = factories.cycle(w.other, by=w["other_coordinator"])
        made = factories.review(cycle, w.outside, team=[w["outside_teacher"]], stage=Review.Stage.FINDINGS)
    else:
        cycle = factories.cycle(w.home, by=w["coordinator"])
        school, reviewer = (w.own, w["partner_head"]) if scope == "own" else (w.partner, w["head"])
        made = factories.review(cycle, school, team=[reviewer], stage=Review.Stage.FINDINGS)
    author = made.team.get().person
    Finding.objects.create(review=made, kind=Finding.Kind.STRENGTH, text="Reading for pleasure", created_by=author)
    Finding.objects.create(review=made, kind=Finding.Kind.DEVELOPMENT, text="Maths fluency", created_by=author)
    AreaOfExcellence.objects.create(
        review=made, title="Outdoor learning", description="Forest school", put_forward_by=author
    )
    ReviewReport.objects.create(review=made, summary="A good visit.")
    return made


def review_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _review(w, scope).pk}


def review_area(w: World, scope: str) -> dict[str, Any]:
    made = _review(w, scope)
    return {"pk": made.pk, "area_pk": made.cycle.framework.areas.get(key="inclusion").pk}


def review_finding(w: World, scope: str) -> dict[str, Any]:
    made = _review(w, scope)
    return {"pk": made.pk, "finding_pk": made.findings.get(kind=Finding.Kind.DEVELOPMENT).pk}


def _grade(w: World) -> dict[str, Any]:
    return {"grade": factories.framework().grades.get(rank=2).pk, "summary": "Strong"}


def _finding(w: World) -> dict[str, Any]:
    return {"kind": "strength", "text": "Calm corridors"}


def _action(w: World) -> dict[str, Any]:
    return {"title": "Fluency every day", "owner": "", "due_on": ""}


ENTRIES: dict[str, Entry] = {
    "reviews:findings_page": obj("reviews:findings_page", review_pk, READ),
    "reviews:findings_judgement": obj("reviews:findings_judgement", review_area, TEAM),
    "reviews:findings_judgement+save": post("reviews:findings_judgement", review_area, TEAM, data=_grade),
    "reviews:findings_add": obj("reviews:findings_add", review_pk, TEAM),
    "reviews:findings_add+add": post("reviews:findings_add", review_pk, TEAM, data=_finding),
    "reviews:findings_edit": obj("reviews:findings_edit", review_finding, TEAM),
    "reviews:findings_edit+save": post("reviews:findings_edit", review_finding, TEAM, data=_finding),
    "reviews:findings_remove": post("reviews:findings_remove", review_finding, TEAM),
    "reviews:findings_agree": post("reviews:findings_agree", review_pk, TEAM),
    "reviews:excellence_put_forward": obj("reviews:excellence_put_forward", review_pk, LEADERS),
    "reviews:excellence_put_forward+save": post(
        "reviews:excellence_put_forward",
        review_pk,
        LEADERS,
        data=lambda w: {"title": "Music", "description": "Every child plays"},
    ),
    "reviews:excellence_decide": obj("reviews:excellence_decide", review_pk, TEAM),
    "reviews:excellence_decide+save": post(
        "reviews:excellence_decide", review_pk, TEAM, data=lambda w: {"decision": "yes", "comment": ""}
    ),
    "reviews:report_detail": obj("reviews:report_detail", review_pk, READ),
    "reviews:report_pdf": obj("reviews:report_pdf", review_pk, READ),
    "reviews:report_edit": obj("reviews:report_edit", review_pk, TEAM),
    "reviews:report_edit+save": post("reviews:report_edit", review_pk, TEAM, data=lambda w: {"summary": "Edited."}),
    "reviews:report_response": obj("reviews:report_response", review_pk, LEADERS),
    "reviews:report_response+save": post(
        "reviews:report_response", review_pk, LEADERS, data=lambda w: {"response": "Thank you."}
    ),
    "reviews:report_finalise": post("reviews:report_finalise", review_pk, LEAD),
    "reviews:report_sharing": obj("reviews:report_sharing", review_pk, LEADERS),
    "reviews:report_sharing+save": post(
        "reviews:report_sharing", review_pk, LEADERS, data=lambda w: {"sharing": "partnership"}
    ),
    "reviews:workshop_page": obj("reviews:workshop_page", review_pk, FOLLOW_UP),
    "reviews:workshop_page+save": post(
        "reviews:workshop_page", review_pk, FOLLOW_UP, data=lambda w: {"workshop_on": "2031-01-10", "notes": "Met."}
    ),
    "reviews:workshop_action": obj("reviews:workshop_action", review_finding, FOLLOW_UP),
    "reviews:workshop_action+add": post("reviews:workshop_action", review_finding, FOLLOW_UP, data=_action),
    "reviews:impact_page": obj("reviews:impact_page", review_pk, READ),
    "reviews:impact_record": obj("reviews:impact_record", review_finding, FOLLOW_UP),
    "reviews:impact_record+save": post(
        "reviews:impact_record", review_finding, FOLLOW_UP, data=lambda w: {"impact": "some", "note": "Better."}
    ),
    "reviews:impact_complete": post("reviews:impact_complete", review_pk, FOLLOW_UP),
    "reviews:calibration_school": obj("reviews:calibration_school", school_slug, SCHOOL_PEOPLE),
    "reviews:calibration_partnership": obj("reviews:calibration_partnership", partnership_slug, LEDGER),
    "reviews:ledger_partnership": obj("reviews:ledger_partnership", partnership_slug, LEDGER),
    "reviews:ledger_export": obj("reviews:ledger_export", partnership_slug, LEDGER),
}
