"""Access matrix entries for the good practice register, needs, finding support, support requests,
ledgers and the partnership's matrix (gathered by access_entries.py). The expectations come from the
sentences of `partnership/goodpractice/policy.py` and the engine's rule that administrators may do
all of it (nothing here is pupil-level).

Scopes, per kind of object:
- A partnership ("own" = "partner" = `home`, "outside" = `other`): the register, its PDF, putting
  an entry forward, the matrix and its ledger export.
- A register entry: "own" is Own Primary's entry in `home` (its contact is the cast's teacher),
  "partner" is Partner Primary's in `home` (its contact the partner teacher), "outside" is Outside
  Primary's in `other` (its contact the outside teacher). All in maths, proposed.
- A school (its needs, finding support, asking, its ledger): Own, Partner, Outside Primary, each with
  a need of its own for the current academic year (in maths). The find-support and ask pages name
  that need in their address (`?need=own|<pk>&area=maths`); asking also needs an entry in maths of
  another school of the same partnership (Partner Primary's for Own Primary, Own Primary's for
  Partner Primary, and for Outside Primary a second school of `other`'s).
- A support request: "own" is asked by Own Primary of Partner Primary's entry, "partner" by Partner
  Primary of Own Primary's entry (whose contact is the cast's teacher), "outside" by Outside Primary
  of a second `other` school's entry. So the cast's head asks in "own" and supports in "partner",
  and the outside head asks in "outside". Each is taken through the services to the stage the
  action needs.

POST entries carry payloads that the view accepts, so an allowed person gets a 302. What a payload
or an address's query needs from the scope (a need, a person of the two schools) is left on the
world by the scope's builder under `made`, which runs before the payload is read.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.core.tests.matrix import SIGNED_IN, VIEW, Entry, grid, obj, partnership_slug, post
from partnership.directory.models import School
from partnership.directory.tests.factories import World, member_school, staff
from partnership.goodpractice.models import EntryEvidence, EntryResource, Need, RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories

#                       head     teacher  governor coord    adviser  out_head admin
# Partnership `propose_entry`: member schools' headteachers and senior leaders. Not administrators:
# an entry is put forward for the proposer's own school, and an administrator has no school.
PROPOSE = grid(         "AA.",   "...",   "...",   "...",   "...",   "..A",   "...")  # fmt: skip
# Entry "view": everyone who can view the partnership (VIEW). A withdrawn entry: its school and the
# partnership's coordinators (so not the partnership's advisers, nor the partner school).
WITHDRAWN_VIEW = grid(  "A..",   "A..",   "A..",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Entry `edit` (details, evidence, resources, withdraw): the school's headteacher and senior leaders
# and the entry's contact (the cast's teacher, for the own entry).
EDIT = grid(            "A..",   "A..",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Entry `endorse` (for the Raising Achievement Board): the partnership's coordinators.
ENDORSE = grid(         "...",   "...",   "...",   "AA.",   "...",   "...",   "AAA")  # fmt: skip
# School `view_needs` (its needs, its support ledger): its staff (not its governors) and the
# coordinators and advisers of its partnerships.
NEEDS = grid(           "A..",   "A..",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# School `find_support` (add a need, ask for support) and Need `edit` (mark met): the school's
# headteacher and senior leaders.
FIND = grid(            "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Support request "view": staff of the school asking and of the school supporting (the cast's
# school is one of the two in "own" and "partner"), and the partnership's coordinators and advisers.
REQUEST_VIEW = grid(    "AA.",   "AA.",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# Request `respond` (accept or decline): the supporting school's headteacher and senior leaders and
# the entry's contact (Own Primary supports in "partner", through the entry whose contact is the
# cast's teacher).
RESPOND = grid(         ".A.",   ".A.",   "...",   "...",   "...",   "...",   "AAA")  # fmt: skip
# Request `withdraw` and `record_impact`: the asking school's headteacher and senior leaders.
ASKER = grid(           "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Request `agree_plan`, `log_session` and `add_action`: the leaders of either school and the
# entry's contact.
TAKES_PART = grid(      "AA.",   ".A.",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Request `close`: those and the partnership's coordinators.
CLOSE = grid(           "AA.",   ".A.",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Partnership `view_support_matrix` (every school's needs against every strength, the partnership's
# ledger): its coordinators and advisers and member schools' headteachers and senior leaders.
MATRIX = grid(          "AA.",   "...",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip


def _keep(w: World, **found: Any) -> None:
    """Leave what a builder made on the world, for the entry's payload or query."""
    w.__dict__.setdefault("made", {}).update(found)


def _made(w: World, name: str) -> Any:
    return w.__dict__["made"][name]


def _school(w: World, scope: str) -> School:
    return {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]


def _second_outside(w: World) -> School:
    """A second school of `other`, with a headteacher, for support within that partnership."""
    school = member_school(w.other, name="Second Outside Primary", slug="second-outside-primary")
    _keep(w, second_head=staff(school, Role.HEADTEACHER, email="head@second-outside.test"))
    return school


def _entry(w: World, scope: str, *, status: str = RegisterEntry.Status.PROPOSED) -> RegisterEntry:
    partnership, school, head, contact = {
        "own": (w.home, w.own, "head", "teacher"),
        "partner": (w.home, w.partner, "partner_head", "partner_teacher"),
        "outside": (w.other, w.outside, "outside_head", "outside_teacher"),
    }[scope]
    return factories.entry(partnership, school, by=w[head], contact=w[contact], status=status)


def entry_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _entry(w, scope).pk}


def withdrawn_entry_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _entry(w, scope, status=RegisterEntry.Status.WITHDRAWN).pk}


def evidence_pk(w: World, scope: str) -> dict[str, Any]:
    made = _entry(w, scope)
    evidence = EntryEvidence.objects.create(
        entry=made,
        kind=EntryEvidence.Kind.INSPECTION,
        label="Ofsted 2025: Achievement, Strong standard",
        added_by=made.proposed_by,
    )
    return {"pk": evidence.pk}


def resource_file_pk(w: World, scope: str) -> dict[str, Any]:
    made = _entry(w, scope)
    content = b"%PDF-1.4\n%%EOF\n"
    resource = EntryResource.objects.create(
        entry=made,
        title="Calculation policy",
        content_type="application/pdf",
        size=len(content),
        file=SimpleUploadedFile("policy.pdf", content, content_type="application/pdf"),
        added_by=made.proposed_by,
    )
    return {"pk": resource.pk}


def resource_link_pk(w: World, scope: str) -> dict[str, Any]:
    made = _entry(w, scope)
    resource = EntryResource.objects.create(
        entry=made, title="Planning sequence", url="https://example.org/planning", added_by=made.proposed_by
    )
    return {"pk": resource.pk}


def _need(w: World, scope: str) -> Need:
    school = _school(w, scope)
    head = {"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]
    need = Need.objects.create(
        school=school,
        academic_year=current_academic_year(),
        area=factories.area("maths"),
        title="Reasoning in Year 5",
        created_by=w[head],
    )
    _keep(w, need=need)
    return need


def school_with_need(w: World, scope: str) -> dict[str, Any]:
    return {"slug": _need(w, scope).school.slug}


def need_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _need(w, scope).pk}


def ask_entry(w: World, scope: str) -> dict[str, Any]:
    """The scope's school (with its need) and an entry in maths of another school of its partnership."""
    school = _need(w, scope).school
    if scope == "outside":
        second = _second_outside(w)
        made = factories.entry(w.other, second, by=_made(w, "second_head"))
    else:
        made = _entry(w, "partner" if scope == "own" else "own")
    return {"slug": school.slug, "entry_pk": made.pk}


def _need_query(w: World) -> dict[str, Any]:
    return {"need": f"own|{_made(w, 'need').pk}", "area": "maths"}


def _request(w: World, scope: str, stage: str) -> SupportRequest:
    if scope == "own":
        made = factories.request_at(
            _entry(w, "partner"), w.own, asker=w["head"], answerer=w["partner_head"], stage=stage
        )
        _keep(w, owner=w["head"])
    elif scope == "partner":
        made = factories.request_at(
            _entry(w, "own"), w.partner, asker=w["partner_head"], answerer=w["head"], stage=stage
        )
        _keep(w, owner=w["head"])
    else:
        second = _second_outside(w)
        made = factories.request_at(
            factories.entry(w.other, second, by=_made(w, "second_head")),
            w.outside,
            asker=w["outside_head"],
            answerer=_made(w, "second_head"),
            stage=stage,
        )
        _keep(w, owner=w["outside_teacher"])
    return made


def _at(stage: str) -> Any:
    def kwargs(w: World, scope: str) -> dict[str, Any]:
        return {"pk": _request(w, scope, stage).pk}

    return kwargs


def _new_entry(w: World) -> dict[str, Any]:
    return {
        "area": factories.area("maths").pk,
        "title": "Mastery maths",
        "description": "Daily maths meetings.",
        "contact": "",
        "capacity": 2,
        "inspection": "",
    }


def _entry_details(w: World) -> dict[str, Any]:
    return {
        "area": factories.area("maths").pk,
        "title": "Mastery maths in Key Stage 1",
        "description": "Daily maths meetings and a calculation policy.",
        "contact": "",
        "capacity": 3,
        "inspection": "Ofsted 2025: Achievement, Strong standard",
    }


def _session(w: World) -> dict[str, Any]:
    return {
        "day": timezone.localdate().isoformat(),
        "kind": "visit_host",
        "days": "0.5",
        "impact_note": "Saw reasoning prompts used well.",
    }


ENTRIES: dict[str, Entry] = {
    # --- the register ------------------------------------------------------------------------
    "goodpractice:register": obj("goodpractice:register", partnership_slug, VIEW),
    "goodpractice:register_pdf": obj("goodpractice:register_pdf", partnership_slug, VIEW),
    "goodpractice:entry_create": obj("goodpractice:entry_create", partnership_slug, PROPOSE),
    "goodpractice:entry_create+save": post("goodpractice:entry_create", partnership_slug, PROPOSE, data=_new_entry),
    # --- an entry ----------------------------------------------------------------------------
    "goodpractice:entry_detail": obj("goodpractice:entry_detail", entry_pk, VIEW),
    "goodpractice:entry_detail+withdrawn": obj("goodpractice:entry_detail", withdrawn_entry_pk, WITHDRAWN_VIEW),
    "goodpractice:entry_edit": obj("goodpractice:entry_edit", entry_pk, EDIT),
    "goodpractice:entry_edit+save": post("goodpractice:entry_edit", entry_pk, EDIT, data=_entry_details),
    "goodpractice:entry_evidence": obj("goodpractice:entry_evidence", entry_pk, EDIT),
    "goodpractice:entry_evidence+note": post(
        "goodpractice:entry_evidence",
        entry_pk,
        EDIT,
        data=lambda w: {"form": "note", "kind": "inspection", "label": "Ofsted 2025: Achievement, Strong standard"},
    ),
    "goodpractice:evidence_remove": post("goodpractice:evidence_remove", evidence_pk, EDIT),
    "goodpractice:resource_add": obj("goodpractice:resource_add", entry_pk, EDIT),
    "goodpractice:resource_add+save": post(
        "goodpractice:resource_add",
        entry_pk,
        EDIT,
        data=lambda w: {"title": "Planning sequence", "url": "https://example.org/planning"},
    ),
    # A resource's file: with its entry.
    "goodpractice:resource_file": obj("goodpractice:resource_file", resource_file_pk, VIEW),
    "goodpractice:resource_remove": post("goodpractice:resource_remove", resource_link_pk, EDIT),
    "goodpractice:entry_endorse": obj("goodpractice:entry_endorse", entry_pk, ENDORSE),
    "goodpractice:entry_endorse+save": post(
        "goodpractice:entry_endorse", entry_pk, ENDORSE, data=lambda w: {"note": "Board, 14 November"}
    ),
    "goodpractice:entry_withdraw": post("goodpractice:entry_withdraw", entry_pk, EDIT),
    "goodpractice:entry_restore": post("goodpractice:entry_restore", withdrawn_entry_pk, EDIT),
    # --- needs and finding support -----------------------------------------------------------
    "goodpractice:school_needs": obj("goodpractice:school_needs", school_with_need, NEEDS),
    "goodpractice:need_create": obj("goodpractice:need_create", school_with_need, FIND),
    "goodpractice:need_create+save": post(
        "goodpractice:need_create",
        school_with_need,
        FIND,
        data=lambda w: {"area": factories.area("maths").pk, "title": "Fluency in Year 3", "description": ""},
    ),
    "goodpractice:need_resolve": post("goodpractice:need_resolve", need_pk, FIND),
    # Find support: with the school's needs; asking from it is `find_support`.
    "goodpractice:find_support": obj("goodpractice:find_support", school_with_need, NEEDS, query=_need_query),
    "goodpractice:request_create": obj("goodpractice:request_create", ask_entry, FIND, query=_need_query),
    "goodpractice:request_create+send": post(
        "goodpractice:request_create",
        ask_entry,
        FIND,
        query=_need_query,
        data=lambda w: {"sessions": 2, "message": "Could we visit?"},
    ),
    "goodpractice:school_ledger": obj("goodpractice:school_ledger", school_with_need, NEEDS),
    "goodpractice:school_ledger_xlsx": obj("goodpractice:school_ledger_xlsx", school_with_need, NEEDS),
    # --- support requests --------------------------------------------------------------------
    # The list: any signed-in person (each sees the requests the policy lets them).
    "goodpractice:requests": Entry("goodpractice:requests", SIGNED_IN),
    "goodpractice:request_detail": obj("goodpractice:request_detail", _at("agreed"), REQUEST_VIEW),
    "goodpractice:request_accept": post("goodpractice:request_accept", _at("requested"), RESPOND),
    "goodpractice:request_decline": obj("goodpractice:request_decline", _at("requested"), RESPOND),
    "goodpractice:request_decline+save": post(
        "goodpractice:request_decline", _at("requested"), RESPOND, data=lambda w: {"reason": "No room this term."}
    ),
    "goodpractice:request_withdraw": post("goodpractice:request_withdraw", _at("requested"), ASKER),
    "goodpractice:request_plan": obj("goodpractice:request_plan", _at("accepted"), TAKES_PART),
    "goodpractice:request_plan+save": post(
        "goodpractice:request_plan",
        _at("accepted"),
        TAKES_PART,
        data=lambda w: {"plan": "Two visits", "sessions": 2, "visits": 2, "impact_target": "Year 5 reasoning"},
    ),
    "goodpractice:session_create": obj("goodpractice:session_create", _at("agreed"), TAKES_PART),
    "goodpractice:session_create+save": post("goodpractice:session_create", _at("agreed"), TAKES_PART, data=_session),
    "goodpractice:impact_create": obj("goodpractice:impact_create", _at("session"), ASKER),
    "goodpractice:impact_create+save": post(
        "goodpractice:impact_create",
        _at("session"),
        ASKER,
        data=lambda w: {"target": "", "impact": "partly", "note": "More pupils explain their answers."},
    ),
    "goodpractice:request_action": obj("goodpractice:request_action", _at("agreed"), TAKES_PART),
    "goodpractice:request_action+save": post(
        "goodpractice:request_action",
        _at("agreed"),
        TAKES_PART,
        data=lambda w: {"title": "Trial reasoning prompts", "owner": _made(w, "owner").pk},
    ),
    "goodpractice:request_close": post("goodpractice:request_close", _at("agreed"), CLOSE),
    # --- the partnership's matrix and ledger -------------------------------------------------
    "goodpractice:support_matrix": obj("goodpractice:support_matrix", partnership_slug, MATRIX),
    "goodpractice:partnership_ledger_xlsx": obj("goodpractice:partnership_ledger_xlsx", partnership_slug, MATRIX),
}
