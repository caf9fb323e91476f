"""Access matrix entries for the good practice API (`v1:` names; added to `access_entries.py`'s
ENTRIES).

The policy (`goodpractice/policy.py`): a live register entry is for whoever may view the partnership;
a withdrawn one for its own school's people and the partnership's coordinators. A school's needs,
the matches for one of them and its ledger need `view_needs` on the school: its staff (not its
governors) and the coordinators and advisers of its partnerships. A support request and its
sessions are for the staff of the two schools and the partnership's coordinators and advisers. A
buddy pair follows the pages' grid (`goodpractice/tests/access_buddies.py`). Lists are for anyone
signed in (scoped; test_goodpractice_api.py checks who sees which rows).

Each scope's request is made by that scope's school to a new school of the same partnership (so the
own scope's request does not involve the partner school, nor the partner scope's the own school);
its session is logged under it. The needs, matches and ledger take the scope's school as
`?school=`, the matches with a need that school added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.core.tests.matrix import API, OBJECT, SIGNED_IN, VIEW, Entry, grid, obj, school_slug
from partnership.directory.tests.factories import World
from partnership.goodpractice import needs
from partnership.goodpractice.models import RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories
from partnership.goodpractice.tests import factories_buddies as fb
from partnership.goodpractice.tests.access_buddies import PAIR_VIEW, pair_pk

#                        head     teacher  governor coord    adviser  out_head admin
# A withdrawn entry: its school's people and the partnership's coordinators.
WITHDRAWN = grid(        "A..",   "A..",   "A..",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# School `view_needs` (needs, matches, ledger): its staff, its partnerships' coordinators and advisers.
VIEW_NEEDS = grid(       "A..",   "A..",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# A support request and its sessions: both schools' staff, the partnership's coordinators and advisers.
REQUEST = grid(          "A..",   "A..",   "...",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip

HEADS = {"own": "head", "partner": "partner_head", "outside": "outside_head"}


def _partnership(w: World, scope: str) -> Any:
    return w.other if scope == "outside" else w.home


def _school(w: World, scope: str) -> Any:
    return {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]


def _entry(w: World, scope: str, status: str = RegisterEntry.Status.PROPOSED) -> RegisterEntry:
    return factories.entry(_partnership(w, scope), _school(w, scope), by=w[HEADS[scope]], status=status)


def entry_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _entry(w, scope).pk}


def withdrawn_entry_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _entry(w, scope, RegisterEntry.Status.WITHDRAWN).pk}


def _request(w: World, scope: str, stage: str = "requested") -> SupportRequest:
    third = fb.school_with_teacher(_partnership(w, scope), f"Third Primary {scope}", role=Role.HEADTEACHER)
    entry = factories.entry(_partnership(w, scope), third.school, by=third)
    return factories.request_at(entry, _school(w, scope), asker=w[HEADS[scope]], answerer=third, stage=stage)


def request_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _request(w, scope).pk}


def session_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _request(w, scope, stage="session").sessions.get().pk}


def _match_query(w: World, scope: str) -> dict[str, Any]:
    need = needs.need_add(
        school=_school(w, scope),
        academic_year=current_academic_year(),
        area=factories.area("maths"),
        title="Reasoning in Year 5",
        actor=w[HEADS[scope]],
    )
    return {"school": _school(w, scope).slug, "need": f"own|{need.pk}", "area": "maths"}


def _school_query(w: World, scope: str) -> dict[str, Any]:
    return {"school": school_slug(w, scope)["slug"]}


def by_school(name: str, query: Callable[[World, str], dict[str, Any]] = _school_query) -> dict[str, Entry]:
    """One entry per scope for an endpoint whose school is in the query string (`?school=<slug>`),
    with that scope's column of VIEW_NEEDS (as `access_entries.by_query` does for slugs)."""
    return {
        f"{name}+school_{scope}": Entry(
            name,
            {role: cells[index] for role, cells in VIEW_NEEDS.items()},
            anonymous=API,
            data=lambda w, scope=scope: query(w, scope),
        )
        for index, scope in enumerate(OBJECT)
    }


def _list(name: str) -> Entry:
    return Entry(name, SIGNED_IN, anonymous=API)


def _obj(name: str, kwargs: Any, allow: dict[str, str]) -> Entry:
    return obj(name, kwargs, allow, anonymous=API)


ENTRIES: dict[str, Entry] = {
    "v1:register-entry-list": _list("v1:register-entry-list"),
    "v1:register-entry-detail": _obj("v1:register-entry-detail", entry_pk, VIEW),
    "v1:register-entry-detail+withdrawn": _obj("v1:register-entry-detail", withdrawn_entry_pk, WITHDRAWN),
    **by_school("v1:support-need-list"),
    **by_school("v1:support-match-list", _match_query),
    **by_school("v1:support-ledger-list"),
    "v1:support-request-list": _list("v1:support-request-list"),
    "v1:support-request-detail": _obj("v1:support-request-detail", request_pk, REQUEST),
    "v1:support-session-list": _list("v1:support-session-list"),
    "v1:support-session-detail": _obj("v1:support-session-detail", session_pk, REQUEST),
    "v1:buddy-pair-list": _list("v1:buddy-pair-list"),
    "v1:buddy-pair-detail": _obj("v1:buddy-pair-detail", pair_pk, PAIR_VIEW),
}
