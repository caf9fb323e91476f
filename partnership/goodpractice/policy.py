"""Access rules for the good practice register, needs, support requests and buddy pairs.
Registered with `partnership.core.access`.

The register is the partnership's: everyone who can view the partnership reads its entries (a
withdrawn entry: its own school and the coordinators). A school's needs are its own and its
partnerships' coordinators' and advisers' (who broker support); each need shows only what its
source lets this person see. A support request is between two schools: their staff and the
partnership's coordinators and advisers see it. A buddy pair is its two people's, their schools'
leaders' and the coordinators'. Nothing here is pupil-level: figures arrive already suppressed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal, child_scope
from partnership.core.roles import STAFF_ROLES


def _staff_school(p: Principal) -> int | None:
    return p.school_id if p.school_id and p.school_roles & STAFF_ROLES else None


def leads(p: Principal, school_id: int | None) -> bool:
    """The school's headteacher or a senior leader."""
    return school_id is not None and p.school_id == school_id and p.is_school_leader


def _brokers(p: Principal) -> frozenset[int]:
    """Partnerships whose support this person brokers: coordinators and advisers."""
    return p.coordinates | p.advises


def _member_leader(p: Principal, partnership_id: int) -> bool:
    return p.is_school_leader and partnership_id in p.school_partnerships


def _school_brokered(p: Principal, school: Any) -> bool:
    ids = _brokers(p)
    if not ids:
        return False
    from partnership.directory.models import Membership

    return Membership.objects.current().filter(school_id=school.pk, partnership_id__in=ids).exists()


def sees_needs(p: Principal, school: Any) -> bool:
    return _staff_school(p) == school.pk or _school_brokered(p, school)


def scope_entry(p: Principal) -> Q:
    live = Q(partnership_id__in=p.partnership_ids) & ~Q(status="withdrawn")
    own = Q(school_id=p.school_id) if p.school_id else Q(pk__in=[])
    return live | own | Q(partnership_id__in=p.coordinates)


def edits_entry(p: Principal, entry: Any) -> bool:
    return leads(p, entry.school_id) or (entry.contact_id is not None and entry.contact_id == p.user_id)


def _scope_need(p: Principal) -> Q:
    from partnership.directory.models import Membership

    own = Q(school_id=_staff_school(p)) if _staff_school(p) else Q(pk__in=[])
    ids = _brokers(p)
    if not ids:
        return own
    return own | Q(school_id__in=Membership.objects.current().filter(partnership_id__in=ids).values("school_id"))


def scope_request(p: Principal) -> Q:
    school = _staff_school(p)
    mine = Q(requesting_school_id=school) | Q(supporting_school_id=school) if school else Q(pk__in=[])
    return mine | Q(partnership_id__in=_brokers(p) - p.former_partnerships)


def supports(p: Principal, request: Any) -> bool:
    """The supporting school's leaders and the entry's contact person."""
    return leads(p, request.supporting_school_id) or request.entry.contact_id == p.user_id


def asks(p: Principal, request: Any) -> bool:
    return leads(p, request.requesting_school_id)


def takes_part(p: Principal, request: Any) -> bool:
    return supports(p, request) or asks(p, request)


def scope_pair(p: Principal) -> Q:
    mine = Q(first_id=p.user_id) | Q(second_id=p.user_id)
    led = Q(first_school_id=p.school_id) | Q(second_school_id=p.school_id) if p.is_school_leader else Q(pk__in=[])
    return (mine & ~Q(partnership_id__in=p.former_partnerships)) | led | Q(partnership_id__in=p.coordinates)


def in_pair(p: Principal, pair: Any) -> bool:
    return p.user_id in (pair.first_id, pair.second_id) and pair.partnership_id not in p.former_partnerships


def manages_pair(p: Principal, pair: Any) -> bool:
    return (
        pair.partnership_id in p.coordinates
        or leads(p, pair.first_school_id)
        or leads(p, pair.second_school_id)
        or in_pair(p, pair)
    )


def register() -> None:
    access.register(
        "goodpractice.practicearea",
        name="Register area (the managed list)",
        scope=lambda p: Q(),
        view="anyone signed in",
        act="changed by platform administrators in the admin",
    )
    access.register(
        "directory.partnership",
        name="Partnership (good practice)",
        rules={
            "propose_entry": lambda p, o: _member_leader(p, o.pk),
            "view_support_matrix": lambda p, o: o.pk in _brokers(p) or _member_leader(p, o.pk),
            "make_buddy_pair": lambda p, o: o.pk in p.coordinates or _member_leader(p, o.pk),
        },
        view="as Partnership",
        act="`propose_entry` (put forward a register entry): member schools' headteachers and senior leaders; "
        "`view_support_matrix` (every school's needs against every strength, the partnership's ledger): its "
        "coordinators and advisers and member schools' headteachers and senior leaders; `make_buddy_pair`: its "
        "coordinators and member schools' headteachers and senior leaders (a leader pairs their own staff)",
    )
    access.register(
        "directory.school",
        name="School (needs and support)",
        rules={
            "view_needs": sees_needs,
            "find_support": lambda p, o: leads(p, o.pk),
        },
        view="as School",
        act="`view_needs` (its needs, its support ledger): its staff and the coordinators and advisers of its "
        "partnerships; `find_support` (add a need, ask for support): its headteacher and senior leaders",
    )
    access.register(
        "goodpractice.registerentry",
        name="Register entry",
        scope=scope_entry,
        rules={
            "edit": edits_entry,
            "endorse": lambda p, o: o.partnership_id in p.coordinates,
        },
        view="everyone who can view the partnership (a withdrawn entry: its school and the partnership's coordinators)",
        act="`edit` (details, evidence, resources, withdraw): the school's headteacher and senior leaders and the "
        "entry's contact; `endorse` (for the Raising Achievement Board): the partnership's coordinators",
    )
    access.register(
        "goodpractice.entryevidence",
        name="Register entry's evidence, resources",
        scope=child_scope("goodpractice.registerentry", "entry_id"),
        view="with their entry",
        act="as their entry's rules",
    )
    access.register("goodpractice.entryresource", scope=child_scope("goodpractice.registerentry", "entry_id"))
    access.register(
        "goodpractice.need",
        name="Need a school added",
        scope=_scope_need,
        rules={"edit": lambda p, o: leads(p, o.school_id)},
        view="the school's staff and the coordinators and advisers of its partnerships",
        act="`edit` (change, mark met): the school's headteacher and senior leaders",
    )
    access.register(
        "goodpractice.supportrequest",
        name="Support request",
        scope=scope_request,
        rules={
            "respond": supports,
            "withdraw": asks,
            "agree_plan": takes_part,
            "log_session": takes_part,
            "record_impact": asks,
            "close": lambda p, o: takes_part(p, o) or o.partnership_id in p.coordinates,
            "add_action": takes_part,
        },
        view="staff of the school asking and of the school supporting, and the partnership's coordinators and advisers",
        act="`respond` (accept or decline): the supporting school's headteacher and senior leaders and the entry's "
        "contact; `withdraw` and `record_impact`: the asking school's headteacher and senior leaders; "
        "`agree_plan`, `log_session` and `add_action`: the leaders of either school and the entry's contact; "
        "`close`: those and the partnership's coordinators",
    )
    access.register(
        "goodpractice.supportsession",
        name="Support session",
        scope=child_scope("goodpractice.supportrequest", "request_id"),
        view="with its request",
        act="as its request's rules",
    )
    access.register(
        "goodpractice.buddypair",
        name="Buddy pair, its meetings",
        scope=scope_pair,
        rules={"log_meeting": in_pair, "manage": manages_pair},
        view="its two people, their schools' headteachers and senior leaders, and the partnership's coordinators",
        act="`log_meeting`: its two people; `manage` (end, renew): they, their schools' headteachers and senior "
        "leaders and the partnership's coordinators",
    )
    access.register("goodpractice.buddymeeting", scope=child_scope("goodpractice.buddypair", "pair_id"))
