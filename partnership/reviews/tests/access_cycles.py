"""Access matrix entries for review cycles, the rota, conflicts of interest, visits and evidence notes.

A cycle is partnership-level: "own" and "partner" are the same cycle of `home`, "outside" a cycle of
`other`. Reviews: "own" is Own Primary's review, its team the partner head; "partner" is Partner
Primary's review, led by the cast's head (of Own Primary); "outside" is Outside Primary's review,
its team a head from another school of `other`. Conflicts: "own" is declared by the cast's head,
"partner" by the partner head, "outside" by the outside head.
"""

from __future__ import annotations

from typing import Any

from partnership.core.roles import Role
from partnership.core.tests.matrix import COORDINATORS, SIGNED_IN, VIEW, Entry, grid, obj, partnership_slug, post
from partnership.directory.tests.factories import World, member_school, staff
from partnership.reviews.models import Activity, ConflictOfInterest, FocusArea, ReviewCycle
from partnership.reviews.tests import factories

#                    head     teacher  governor coord    adviser  out_head admin
# Review "view": the school reviewed, its team, the cycle's coordinators.
REVIEW_VIEW = grid(  "AA.",   "A..",   "A..",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# The notes page: the team and the school's headteacher and senior leaders.
NOTES_VIEW = grid(   "AA.",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Review "write_notes": the team.
TEAM = grid(         ".A.",   "...",   "...",   "...",   "...",   "...",   "AAA")  # fmt: skip
# Review "plan_visit": the school's leaders, the lead reviewer, the coordinators.
PLAN = grid(         "AA.",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Visit dates: the coordinators and the lead reviewer.
SCHEDULE = grid(     ".A.",   "...",   "...",   "AA.",   "...",   "...",   "AAA")  # fmt: skip
# Review "respond" (the enquiry question): the school's headteacher and senior leaders.
SCHOOL = grid(       "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Conflict "manage" (withdraw): the person who declared it.
DECLARER = grid(     "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip


def _cycle(w: World, scope: str) -> ReviewCycle:
    if scope == "outside":
        return factories.cycle(w.other, by=w["other_coordinator"], status="accepted")
    return factories.cycle(w.home, by=w["coordinator"])


def cycle_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _cycle(w, scope).pk}


def _review(w: World, scope: str) -> Any:
    cycle = _cycle(w, scope)
    if scope == "own":
        return factories.review(cycle, w.own, team=[w["partner_head"]])
    if scope == "partner":
        return factories.review(cycle, w.partner, team=[w["head"]])
    reviewer = staff(member_school(w.other), Role.HEADTEACHER)
    return factories.review(cycle, w.outside, team=[reviewer])


def review_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _review(w, scope).pk}


def focus_of_scope(w: World, scope: str) -> dict[str, Any]:
    review = _review(w, scope)
    return {"pk": review.pk, "focus_pk": FocusArea.objects.create(review=review, title="Reading").pk}


def activity_of_scope(w: World, scope: str) -> dict[str, Any]:
    review = _review(w, scope)
    activity = Activity.objects.create(review=review, kind="book_look", day=review.visit_starts_on, starts_at="09:00")
    return {"pk": review.pk, "activity_pk": activity.pk}


def conflict_of_scope(w: World, scope: str) -> dict[str, Any]:
    person, school = {
        "own": (w["head"], w.partner),
        "partner": (w["partner_head"], w.own),
        "outside": (w["outside_head"], w.own),
    }[scope]
    return {"pk": ConflictOfInterest.objects.create(person=person, school=school, reason="A relative").pk}


def _note(w: World) -> dict[str, Any]:
    return {"area": factories.framework().areas.first().pk, "text": "Calm start to the day", "version": 0}


ENTRIES: dict[str, Entry] = {
    "reviews:cycle_create": obj("reviews:cycle_create", partnership_slug, COORDINATORS),
    "reviews:cycle_create+open": post(
        "reviews:cycle_create", partnership_slug, COORDINATORS, data=lambda w: {"name": "Peer review"}
    ),
    "reviews:cycle_detail": obj("reviews:cycle_detail", cycle_pk, VIEW),
    "reviews:cycle_propose": post("reviews:cycle_propose", cycle_pk, COORDINATORS),
    "reviews:cycle_accept": post("reviews:cycle_accept", cycle_pk, COORDINATORS),
    "reviews:cycle_close": post("reviews:cycle_close", cycle_pk, COORDINATORS),
    "reviews:cycle_reopen": post("reviews:cycle_reopen", cycle_pk, COORDINATORS),
    "reviews:conflict_list": Entry("reviews:conflict_list", SIGNED_IN),
    "reviews:conflict_list+declare": Entry(
        "reviews:conflict_list",
        SIGNED_IN,
        method="post",
        data=lambda w: {"school": w.partner.pk, "reason": "My brother teaches there"},
    ),
    "reviews:conflict_withdraw": post("reviews:conflict_withdraw", conflict_of_scope, DECLARER),
    "reviews:review_detail": obj("reviews:review_detail", review_pk, REVIEW_VIEW),
    "reviews:review_team": post("reviews:review_team", review_pk, COORDINATORS),
    "reviews:visit_schedule": obj("reviews:visit_schedule", review_pk, SCHEDULE),
    "reviews:visit_schedule+save": post(
        "reviews:visit_schedule", review_pk, SCHEDULE, data=lambda w: {"starts_on": "2031-03-10"}
    ),
    "reviews:visit_enquiry": obj("reviews:visit_enquiry", review_pk, SCHOOL),
    "reviews:visit_enquiry+save": post(
        "reviews:visit_enquiry", review_pk, SCHOOL, data=lambda w: {"enquiry_question": "To what extent ...?"}
    ),
    "reviews:visit_prereview": obj("reviews:visit_prereview", review_pk, PLAN),
    "reviews:visit_focus_add": obj("reviews:visit_focus_add", review_pk, PLAN),
    "reviews:visit_focus_add+agree": post(
        "reviews:visit_focus_add", review_pk, PLAN, data=lambda w: {"title": "Early reading"}
    ),
    "reviews:visit_focus_remove": post("reviews:visit_focus_remove", focus_of_scope, PLAN),
    "reviews:visit_activity_add": obj("reviews:visit_activity_add", review_pk, PLAN),
    "reviews:visit_activity_remove": post("reviews:visit_activity_remove", activity_of_scope, PLAN),
    "reviews:note_page": obj("reviews:note_page", review_pk, NOTES_VIEW),
    "reviews:note_page+save": post("reviews:note_page", review_pk, TEAM),
    "reviews:note_autosave": post("reviews:note_autosave", review_pk, TEAM, data=_note),
}
