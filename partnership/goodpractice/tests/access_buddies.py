"""Access matrix entries for buddy pairs (gathered by access_entries.py). The expectations come from
the sentences of `partnership/goodpractice/policy.py` (the partnership's `make_buddy_pair`, the
pair's scope, `log_meeting` and `manage`) and the engine's rule that administrators may do all of
it (nothing here is pupil-level).

Scopes:
- A partnership ("own" = "partner" = `home`, "outside" = `other`): its pairs page, pairing people.
- A pair: "own" pairs the cast's teacher (Own Primary) with the partner teacher; "partner" pairs the
  partner teacher with a teacher of a third school of `home` (so nobody of Own Primary is in it);
  "outside" pairs the outside teacher with a teacher of a second school of `other`.

POST entries carry payloads that the view accepts, so an allowed person gets a 302. The people a
new pair is made of depend on the scope: the scope's builder leaves them on the world under `made`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from partnership.core.tests.matrix import VIEW, Entry, grid, obj, partnership_slug, post
from partnership.directory.tests.factories import World
from partnership.goodpractice.models import BuddyPair
from partnership.goodpractice.tests import factories_buddies as f

#                     head     teacher  governor coord    adviser  out_head admin
# Partnership `make_buddy_pair`: its coordinators and member schools' headteachers and senior leaders.
MAKE_PAIR = grid(     "AA.",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Pair "view": its two people, their schools' headteachers and senior leaders, the partnership's coordinators.
PAIR_VIEW = grid(     "A..",   "A..",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# Pair `log_meeting`: its two people.
LOG = grid(           "...",   "A..",   "...",   "...",   "...",   "...",   "AAA")  # fmt: skip
# Pair `manage` (end, renew): they, their schools' headteachers and senior leaders, the coordinators.
MANAGE = grid(        "A..",   "A..",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip


def _keep(w: World, **found: Any) -> None:
    w.__dict__.setdefault("made", {}).update(found)


def _made(w: World, name: str) -> Any:
    return w.__dict__["made"][name]


def _partnership_to_pair(w: World, scope: str) -> dict[str, Any]:
    if scope == "outside":
        _keep(w, first=w["outside_teacher"], second=f.school_with_teacher(w.other, "Second Outside Primary"))
    else:
        _keep(w, first=w["teacher"], second=w["partner_teacher"])
    return partnership_slug(w, scope)


def _pair(w: World, scope: str) -> BuddyPair:
    if scope == "own":
        return f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], year_group="2")
    if scope == "partner":
        third = f.school_with_teacher(w.home, "Third Primary")
        return f.current_pair(w.home, w["partner_teacher"], third, by=w["coordinator"])
    second = f.school_with_teacher(w.other, "Second Outside Primary")
    return f.current_pair(w.other, w["outside_teacher"], second, by=w["other_coordinator"])


def pair_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _pair(w, scope).pk}


def _new_pair(w: World) -> dict[str, Any]:
    return {
        "person": _made(w, "first").pk,
        "role": "teacher",
        "year_group": "2",
        "subject": "",
        "second": _made(w, "second").pk,
        "focus": "Reading fluency in Year 2.",
    }


ENTRIES: dict[str, Entry] = {
    # The pairs page: everyone who can view the partnership (each sees the pairs the policy lets them).
    "goodpractice:buddy_list": obj("goodpractice:buddy_list", partnership_slug, VIEW),
    "goodpractice:buddy_create": obj("goodpractice:buddy_create", partnership_slug, MAKE_PAIR),
    "goodpractice:buddy_create+save": post(
        "goodpractice:buddy_create", _partnership_to_pair, MAKE_PAIR, data=_new_pair
    ),
    "goodpractice:buddy_pair": obj("goodpractice:buddy_pair", pair_pk, PAIR_VIEW),
    "goodpractice:buddy_pair+log": post(
        "goodpractice:buddy_pair",
        pair_pk,
        LOG,
        data=lambda w: {"day": timezone.localdate().isoformat(), "note": "Planned a shared reading lesson."},
    ),
    "goodpractice:buddy_end": post("goodpractice:buddy_end", pair_pk, MANAGE),
    "goodpractice:buddy_renew": post("goodpractice:buddy_renew", pair_pk, MANAGE),
}
