"""Building blocks of the access matrix (see test_access_matrix.py): roles, scopes, policy grids,
object builders per scope and the `Entry` type. Each app lists its URLs' expectations in
`<app>/tests/access_entries.py` as `ENTRIES: dict[str, Entry]`, built from these pieces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from partnership.accounts.models import User
from partnership.core.roles import Role
from partnership.directory.models import Membership, Network, Partnership, RoleAssignment, School
from partnership.directory.services import invitation_create
from partnership.directory.tests.factories import World

LOGIN_PATH = "/accounts/login/"

# ---------------------------------------------------------------------------------------------
# Third-party URL patterns the matrix does not walk: (name prefix, module the view must come
# from). A pattern is skipped only when both match, so one of our own views can never hide
# behind a third-party-looking name.
SKIPPED: list[tuple[str, str]] = [
    # django-allauth: sign-in, sign-out, password and email pages; public or guarded by allauth.
    ("account_", "allauth."),
    # django-allauth MFA: authenticator set-up and recovery codes for the signed-in user's own account.
    ("mfa_", "allauth."),
    # Django admin (including the models of allauth and axes registered there): staff only,
    # guarded by AdminSite.has_permission. Its unnamed `<object_id>/` redirects are Django's
    # generic RedirectView, hence "django." rather than "django.contrib.".
    ("admin:", "django."),
]

ROLES = ("anonymous", "head", "teacher", "governor", "coordinator", "adviser", "outside_head", "admin", "leaver")
NO_OBJECT = ("-",)
OBJECT = ("own", "partner", "outside")
PERSON = ("own", "partner", "outside", "external", "outside_external")

# What anonymous visitors get.
LOGIN = "login"  # a page: 302 to the sign-in page
API = "api"  # an API endpoint: 401 or 403
PUBLIC = "public"  # public by design: treated like a signed-in person with access


def grid(
    head: str,
    teacher: str,
    governor: str,
    coordinator: str,
    adviser: str,
    outside_head: str,
    admin: str,
    *,
    leaver: str | None = None,
) -> dict[str, str]:
    """One cell per signed-in role; each cell has one character per scope: A = allow, . = deny.

    The leaver (headteacher of a school that has left `home`, still a named member of its SENCO
    network from before) gets what the outside head gets for `home`'s objects, and nothing of
    `other`'s: leaving ends access. `leaver` overrides that where the object itself is the
    credential (a private address)."""
    return {
        "leaver": _leaver_cells(outside_head) if leaver is None else leaver,
        "head": head,
        "teacher": teacher,
        "governor": governor,
        "coordinator": coordinator,
        "adviser": adviser,
        "outside_head": outside_head,
        "admin": admin,
    }


def _leaver_cells(outside_head: str) -> str:
    if len(outside_head) == 1:  # no object
        return outside_head
    if len(outside_head) == 3:  # own, partner, outside
        return outside_head[:2] + "."
    return outside_head[:2] + "." + outside_head[3] + "."  # own, partner, outside, external, outside_external


# The policy, as grids. Scope order is (own, partner, outside) or PERSON's order.
#                        head     teacher  governor coord    adviser  out_head admin
# No object: any signed-in person.
SIGNED_IN = grid(        "A",     "A",     "A",     "A",     "A",     "A",     "A")  # fmt: skip
NOBODY = grid(           ".",     ".",     ".",     ".",     ".",     ".",     ".")  # fmt: skip
# "view" of a Partnership and of what hangs off it (Network, MoU version, Decision): anyone at a
# member school, its coordinators and external advisers. School "view": people who share a
# partnership with it, and its own people — the same cells.
VIEW = grid(             "AA.",   "AA.",   "AA.",   "AA.",   "AA.",   "..A",   "AAA")  # fmt: skip
# Partnership "manage" and "view_audit", Network "manage", Decision "close": its coordinators.
COORDINATORS = grid(     "...",   "...",   "...",   "AA.",   "...",   "...",   "AAA")  # fmt: skip
# School "manage" (details, staff invitations): its headteacher.
SCHOOL_HEAD = grid(      "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# School "view_audit": its headteacher and its partnerships' coordinators.
SCHOOL_AUDIT = grid(     "A..",   "...",   "...",   "AA.",   "...",   "..A",   "AAA")  # fmt: skip
# MoU "agree", Decision "vote": the headteacher of a current member school.
MEMBER_HEADS = grid(     "AA.",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Person "view": people who share a partnership with them (scopes: own, partner, outside,
# external, outside_external).
VIEW_PERSON = grid(      "AA.A.", "AA.A.", "AA.A.", "AA.A.", "AA.A.", "..A.A", "AAAAA")  # fmt: skip
# Person "manage_roles": their headteacher, or a coordinator for externals in their partnership.
MANAGE_ROLES = grid(     "A....", ".....", ".....", "...A.", ".....", "..A..", "AAAAA")  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Objects per scope. Partnership-level objects (the partnership itself, its networks, MoU and
# decisions) are shared by the own and the partner school, so "partner" is the same object as "own".


def _partnership(w: World, scope: str) -> Partnership:
    return w.other if scope == "outside" else w.home  # partner scope = own (partnership-level)


def _school(w: World, scope: str) -> School:
    return {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]


def _person(w: World, scope: str) -> User:
    return w[
        {
            "own": "teacher",
            "partner": "partner_teacher",
            "outside": "outside_teacher",
            "external": "adviser",
            "outside_external": "other_adviser",
        }[scope]
    ]


def _network(w: World, scope: str) -> Network:
    return w.other_network if scope == "outside" else w.network  # type: ignore[return-value]  # partner = own


def partnership_slug(w: World, scope: str) -> dict[str, Any]:
    return {"slug": _partnership(w, scope).slug}


def membership(w: World, scope: str) -> dict[str, Any]:
    # Each scope's own school membership: own and partner differ here (both in `home`).
    school = _school(w, scope)
    m = Membership.objects.current().get(school=school)
    return {"slug": m.partnership.slug, "pk": m.pk}


def decision_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": (w.other_decision if scope == "outside" else w.decision).pk}  # type: ignore[union-attr]  # partner = own


def school_slug(w: World, scope: str) -> dict[str, Any]:
    return {"slug": _school(w, scope).slug}


def school_urn(w: World, scope: str) -> dict[str, Any]:
    return {"urn": _school(w, scope).urn}


def person_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _person(w, scope).pk}


def person_role(w: World, scope: str) -> dict[str, Any]:
    person = _person(w, scope)
    return {"pk": person.pk, "role_pk": RoleAssignment.objects.current().get(person=person).pk}


def network_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _network(w, scope).pk}


def network_member(w: World, scope: str) -> dict[str, Any]:
    # The manual member of each network (the partnership's adviser); partner = own (network-level).
    member = w.people_extra["other_manual"] if scope == "outside" else w.manual_member  # type: ignore[attr-defined]
    return {"pk": member.network_id, "member_pk": member.pk}


def invitation_token(w: World, scope: str) -> dict[str, Any]:
    _, raw = invitation_create(
        invited_by=w["head"], email="invitee@own.test", full_name="Invitee", roles=[Role.TEACHER], school=w.own
    )
    return {"token": raw}


def school_invitation(w: World, scope: str) -> dict[str, Any]:
    # A pending invitation to each scope's school, sent by that school's headteacher.
    school = _school(w, scope)
    head = {"own": "head", "partner": "partner_head", "outside": "outside_head"}[scope]
    invitation, _ = invitation_create(
        invited_by=w[head], email=f"invitee@{scope}.test", full_name="Invitee", roles=[Role.TEACHER], school=school
    )
    return {"pk": invitation.pk}


def pending_grant(w: World, scope: str) -> dict[str, Any]:
    # A pupil-data role at each scope's school, given to its teacher by a platform administrator
    # other than the cast's `admin`: it awaits approval, and the cast's admin may approve it.
    from partnership.directory.services import role_assign
    from partnership.directory.tests.factories import UserFactory

    granter = UserFactory(email=f"granter-{scope}@platform.test", is_platform_admin=True)
    grant = role_assign(person=_person(w, scope), role=Role.DATA_LEAD, school=_school(w, scope), actor=granter)
    return {"slug": grant.school.slug, "pk": grant.pk}


@dataclass(frozen=True)
class Entry:
    name: str
    allow: dict[str, str]
    kwargs: Callable[[World, str], dict[str, Any]] | None = None
    scopes: tuple[str, ...] = NO_OBJECT
    anonymous: str = LOGIN
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    # The address's query string (read after `kwargs`, like `data`): for a POST to a page that takes
    # what it is about from the address, as a form posting back to its own page does.
    query: Callable[[World], dict[str, Any]] = field(default=lambda w: {})


def obj(name: str, kwargs: Callable[[World, str], dict[str, Any]], allow: dict[str, str], **kw: Any) -> Entry:
    scopes = PERSON if len(allow["admin"]) == len(PERSON) else OBJECT
    return Entry(name=name, allow=allow, kwargs=kwargs, scopes=scopes, **kw)


def post(name: str, kwargs: Callable[[World, str], dict[str, Any]], allow: dict[str, str], **kw: Any) -> Entry:
    return obj(name, kwargs, allow, method="post", **kw)
