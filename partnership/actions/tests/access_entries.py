"""Access matrix entries for the action log's pages and API (discovered for the `partnership.core` app).

Policy (access.py): an Action is viewed by its owner, whoever raised it and people at its school;
a partnership action also by everyone who can view the partnership. It is changed by its owner,
whoever raised it, the school's headteacher and the partnership's coordinators. A school action is
raised by the school's own people (School `add_action`); a partnership action by its coordinators
(Partnership `manage`).

Objects per scope. A school action at each scope's school is owned by someone outside the cast's
roles (the SENCO at `own`, the teacher at `partner` and `outside`) and raised by that school's head,
so the teacher and governor at `own` view it without changing it. A partnership action (no school)
of `home` ("own" = "partner") or `other` is owned by a SENCO-or-teacher and raised by the coordinator.
"""

from __future__ import annotations

from typing import Any

from partnership.actions.models import Action
from partnership.core.tests.matrix import (
    API,
    COORDINATORS,
    SIGNED_IN,
    VIEW,
    Entry,
    grid,
    obj,
    partnership_slug,
    post,
    school_slug,
)
from partnership.directory.tests.factories import World

#                            head     teacher  governor coord    adviser  out_head admin
# School action "view", and School "add_action": people at the school (no one from other schools,
# not the partnership's coordinators or advisers).
SCHOOL_PEOPLE = grid(        "A..",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# School action "change" when the person is neither its owner nor who raised it: the school's head.
SCHOOL_ACTION_CHANGE = grid( "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip

SCHOOL_ACTION_CAST = {
    "own": ("own", "senco", "head"),
    "partner": ("partner", "partner_teacher", "partner_head"),
    "outside": ("outside", "outside_teacher", "outside_head"),
}


def school_action(w: World, scope: str) -> dict[str, Any]:
    school, owner, raised_by = SCHOOL_ACTION_CAST[scope]
    action = Action.objects.create(
        title=f"Moderate writing at {school}", owner=w[owner], created_by=w[raised_by], school=getattr(w, school)
    )
    return {"pk": action.pk}


def partnership_action(w: World, scope: str) -> dict[str, Any]:
    partnership, owner, raised_by = (
        (w.other, w["outside_teacher"], w["other_coordinator"])
        if scope == "outside"
        else (w.home, w["senco"], w["coordinator"])
    )
    action = Action.objects.create(
        title="Share SEND audit template", owner=owner, created_by=raised_by, partnership=partnership
    )
    return {"pk": action.pk}


# An action agreed in a closed network's meeting (the SENCO network: its SENCOs, the adviser added by
# name, the coordinators): seen only by those who may see the meeting, whatever its school.
#                            head     teacher  governor coord    adviser  out_head admin
MEETING_ACTION_VIEW = grid(  "...",   "...",   "...",   "AA.",   "AA.",   "...",   "AAA")  # fmt: skip


def meeting_action(w: World, scope: str) -> dict[str, Any]:
    from partnership.meetings.services import agenda_item_action_add
    from partnership.meetings.tests.factories import agenda_item, held_meeting

    network, owner, coordinator = (
        (w.other_network, w["other_adviser"], w["other_coordinator"])
        if scope == "outside"
        else (w.network, w["senco"], w["coordinator"])
    )
    item = agenda_item(held_meeting(network, created_by=coordinator), "Pupils for EHCP assessment")  # type: ignore[arg-type]
    action = agenda_item_action_add(item=item, title="Refer pupil (Y6, EHCP)", owner=owner, actor=coordinator)
    return {"pk": action.pk}


def _edit(w: World) -> dict[str, Any]:
    # A valid owner only for the `own` school action; elsewhere the form is re-shown (still allowed).
    return {"form": "edit", "version": 1, "title": "Moderate writing", "owner": w["senco"].pk, "status": "in_progress"}


def _note(w: World) -> dict[str, Any]:
    return {"form": "note", "version": 1, "text": "Samples collected from Year 4."}


def _new(w: World) -> dict[str, Any]:
    return {"title": "Review the reading spine", "owner": w["senco"].pk}


def _export(w: World, scope: str) -> dict[str, Any]:
    return {"which": "school", "fmt": "xlsx"}


ENTRIES: dict[str, Entry] = {
    # Lists and their downloads show only what the person may view (selectors use visible_to).
    "actions:mine": Entry("actions:mine", SIGNED_IN),
    "actions:school": Entry("actions:school", SIGNED_IN),
    "actions:partnership": Entry("actions:partnership", SIGNED_IN),
    "actions:export": Entry("actions:export", SIGNED_IN, kwargs=_export),
    "actions:detail": obj("actions:detail", school_action, SCHOOL_PEOPLE),
    "actions:detail+partnership": obj("actions:detail", partnership_action, VIEW),
    "actions:detail+from_meeting": obj("actions:detail", meeting_action, MEETING_ACTION_VIEW),
    "actions:detail+edit": post("actions:detail", school_action, SCHOOL_ACTION_CHANGE, data=_edit),
    "actions:detail+note": post("actions:detail", school_action, SCHOOL_ACTION_CHANGE, data=_note),
    "actions:detail+partnership_edit": post("actions:detail", partnership_action, COORDINATORS, data=_edit),
    "actions:create_school": obj("actions:create_school", school_slug, SCHOOL_PEOPLE),
    "actions:create_school+post": post("actions:create_school", school_slug, SCHOOL_PEOPLE, data=_new),
    "actions:create_partnership": obj("actions:create_partnership", partnership_slug, COORDINATORS),
    "actions:create_partnership+post": post("actions:create_partnership", partnership_slug, COORDINATORS, data=_new),
    # API: the same view policy; PATCH needs "change". (The matrix client sends no JSON body, so an
    # allowed PATCH is answered 415 after the access check; test_actions.py sends real bodies.)
    "v1:action-list": Entry("v1:action-list", SIGNED_IN, anonymous=API),
    "v1:action-detail": obj("v1:action-detail", school_action, SCHOOL_PEOPLE, anonymous=API),
    "v1:action-detail+partnership": obj("v1:action-detail", partnership_action, VIEW, anonymous=API),
    "v1:action-detail+from_meeting": obj("v1:action-detail", meeting_action, MEETING_ACTION_VIEW, anonymous=API),
    "v1:action-detail+patch": obj(
        "v1:action-detail", school_action, SCHOOL_ACTION_CHANGE, anonymous=API, method="patch"
    ),
    "v1:action-detail+partnership_patch": obj(
        "v1:action-detail", partnership_action, COORDINATORS, anonymous=API, method="patch"
    ),
}
