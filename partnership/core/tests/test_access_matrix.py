"""The access matrix: every URL of the project x every role x own / partner / outside objects.

The expectations below are written from the policy table in `partnership/core/access.py`'s
docstring, not from what the code happens to do. Every URL pattern of the project must have an
entry (`test_every_url_has_an_entry`); only third-party patterns are skipped, in `SKIPPED`.

Cast (`build_world()`): `home` has schools `own` and `partner`; `other` has school `outside`.
Roles: anonymous; head, teacher, governor (all at `own`); coordinator and adviser (external) of
`home`; outside_head (headteacher at `outside`, to double-check that nothing crosses from one
partnership to another); admin (platform administrator).

Scopes: an object of the user's own school / own partnership ("own"), of the partner school in the
same partnership ("partner") and of the school in the other partnership ("outside"). Person URLs
add two scopes for the coordinator's rule about externals: "external" (the adviser of `home`) and
"outside_external" (the adviser of `other`). URLs without an object have the single scope "-".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnership.accounts.models import User
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.core.tests.matrix import (  # noqa: F401 - the table below uses most of them
    API,
    COORDINATORS,
    LOGIN,
    LOGIN_PATH,
    MANAGE_ROLES,
    MEMBER_HEADS,
    NO_OBJECT,
    NOBODY,
    OBJECT,
    PERSON,
    PUBLIC,
    ROLES,
    SCHOOL_AUDIT,
    SCHOOL_HEAD,
    SIGNED_IN,
    SKIPPED,
    VIEW,
    VIEW_PERSON,
    Entry,
    _network,
    _partnership,
    _person,
    _school,
    decision_pk,
    grid,
    invitation_token,
    membership,
    network_member,
    network_pk,
    obj,
    partnership_slug,
    pending_grant,
    person_pk,
    person_role,
    post,
    school_invitation,
    school_slug,
    school_urn,
)
from partnership.directory.models import Membership, Network, Partnership, RoleAssignment, School
from partnership.directory.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world: World) -> World:
    """The cast, built once for this module: each case gets its own copy and its writes are rolled back."""
    return shared_world


# The expectation table: key -> entry. The key is the URL name (without the `directory:`
# namespace), or "name+variant" for a second action on the same URL (a POST form on a page).
ENTRIES: dict[str, Entry] = {
    # --- core ------------------------------------------------------------------------------
    "home": Entry("home", SIGNED_IN),
    "healthz": Entry("healthz", SIGNED_IN, anonymous=PUBLIC),  # load-balancer health check
    # The footer's privacy notice and accessibility statement: everyone may read them, signed in or not.
    "privacy": Entry("privacy", SIGNED_IN, anonymous=PUBLIC),
    "accessibility": Entry("accessibility", SIGNED_IN, anonymous=PUBLIC),
    # The admin's sign-in form is replaced: visitors go to the app's sign-in (password, then the
    # authenticator code); people signed in without the admin flag are refused. (Platform
    # administrators without `is_staff`, like the cast's, are refused too.)
    "admin:login": Entry("admin:login", NOBODY),
    "admin:login+post": Entry(
        "admin:login", NOBODY, method="post", data=lambda w: {"username": w["head"].email, "password": "x"}
    ),
    # --- accounts ----------------------------------------------------------------------------
    "accounts:profile": Entry("accounts:profile", SIGNED_IN),
    # The invitation's token is the credential: whoever holds the link may open it.
    "directory:invitation_accept": Entry(
        "directory:invitation_accept", SIGNED_IN, kwargs=invitation_token, anonymous=PUBLIC
    ),
    # --- partnerships ------------------------------------------------------------------------
    "partnership_list": Entry("directory:partnership_list", SIGNED_IN),
    "partnership_detail": obj("directory:partnership_detail", partnership_slug, VIEW),
    "partnership_add_school": obj("directory:partnership_add_school", partnership_slug, COORDINATORS),
    "membership_end": post("directory:membership_end", membership, COORDINATORS),
    "partnership_invite": obj("directory:partnership_invite", partnership_slug, COORDINATORS),
    "working_party_create": obj("directory:working_party_create", partnership_slug, COORDINATORS),
    "memorandum": obj("directory:memorandum", partnership_slug, VIEW),
    "memorandum_publish": obj("directory:memorandum_publish", partnership_slug, COORDINATORS),
    "memorandum_agree": post("directory:memorandum_agree", partnership_slug, MEMBER_HEADS),
    "decision_list": obj("directory:decision_list", partnership_slug, VIEW),
    "decision_create": obj("directory:decision_create", partnership_slug, COORDINATORS),
    "partnership_audit": obj("directory:partnership_audit", partnership_slug, COORDINATORS),  # view_audit
    "decision_detail": obj("directory:decision_detail", decision_pk, VIEW),
    "decision_detail+vote": post(
        "directory:decision_detail", decision_pk, MEMBER_HEADS, data=lambda w: {"form": "vote", "choice": "for"}
    ),
    "decision_detail+close": post(
        "directory:decision_detail", decision_pk, COORDINATORS, data=lambda w: {"form": "close", "outcome": "Agreed"}
    ),
    # --- schools -----------------------------------------------------------------------------
    "school_list": Entry("directory:school_list", SIGNED_IN),
    "school_detail": obj("directory:school_detail", school_slug, VIEW),
    "school_edit": obj("directory:school_edit", school_slug, SCHOOL_HEAD),
    "school_invite": obj("directory:school_invite", school_slug, SCHOOL_HEAD),
    "school_audit": obj("directory:school_audit", school_slug, SCHOOL_AUDIT),  # School view_audit
    # Roles awaiting approval: the school's head (or an administrator) approves or refuses them; the
    # list across schools shows each signed-in person the waiting grants they may see.
    "role_pending": obj("directory:role_pending", school_slug, SCHOOL_HEAD),
    "role_approve": post("directory:role_approve", pending_grant, SCHOOL_HEAD),
    "role_refuse": post("directory:role_refuse", pending_grant, SCHOOL_HEAD),
    "role_pending_all": Entry("directory:role_pending_all", SIGNED_IN),
    # --- people ------------------------------------------------------------------------------
    "person_list": Entry("directory:person_list", SIGNED_IN),
    "person_export": Entry("directory:person_export", SIGNED_IN),  # lists only the people one may view
    "person_detail": obj("directory:person_detail", person_pk, VIEW_PERSON),
    "role_end": post("directory:role_end", person_role, MANAGE_ROLES),
    "role_add": post("directory:role_add", person_pk, MANAGE_ROLES, data=lambda w: {"role": Role.DSL}),
    "invitation_withdraw": post("directory:invitation_withdraw", school_invitation, SCHOOL_HEAD),
    "person_set_active": post("directory:person_set_active", person_pk, MANAGE_ROLES, data=lambda w: {"active": "0"}),
    # --- networks ----------------------------------------------------------------------------
    "network_list": Entry("directory:network_list", SIGNED_IN),
    "network_detail": obj("directory:network_detail", network_pk, VIEW),
    "network_detail+add_member": post(
        "directory:network_detail", network_pk, COORDINATORS, data=lambda w: {"person": w["partner_teacher"].pk}
    ),
    "network_member_remove": post("directory:network_member_remove", network_member, COORDINATORS),
    # --- API ---------------------------------------------------------------------------------
    # Documentation of the API's shape holds no data; it is public like the docs page it serves.
    "api-docs": Entry("api-docs", SIGNED_IN, anonymous=PUBLIC),
    "api-schema": Entry("api-schema", SIGNED_IN, anonymous=PUBLIC),
    # Any other address under /api/v1/: a JSON 404 for everyone, signed in or not.
    "api-not-found": Entry(
        "api-not-found", NOBODY, kwargs=lambda w, scope: {"rest": "no/such/thing/"}, anonymous="deny"
    ),
    "v1:api-root": Entry("v1:api-root", SIGNED_IN, anonymous=API),
    "v1:partnership-list": Entry("v1:partnership-list", SIGNED_IN, anonymous=API),
    "v1:partnership-detail": obj("v1:partnership-detail", partnership_slug, VIEW, anonymous=API),
    "v1:school-list": Entry("v1:school-list", SIGNED_IN, anonymous=API),
    "v1:school-detail": obj("v1:school-detail", school_urn, VIEW, anonymous=API),
    "v1:person-list": Entry("v1:person-list", SIGNED_IN, anonymous=API),
    "v1:person-detail": obj("v1:person-detail", person_pk, VIEW_PERSON, anonymous=API),
    "v1:network-list": Entry("v1:network-list", SIGNED_IN, anonymous=API),
    "v1:network-detail": obj("v1:network-detail", network_pk, VIEW, anonymous=API),
    "v1:network-members": obj("v1:network-members", network_pk, VIEW, anonymous=API),
}


def _app_entries() -> dict[str, Entry]:
    """Entries that other apps keep beside their own tests (`<app>/tests/access_entries.py`)."""
    import importlib

    from django.apps import apps

    found: dict[str, Entry] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("partnership."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_entries")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.access_entries":
                raise
            continue
        clash = set(found) & set(module.ENTRIES) | set(ENTRIES) & set(module.ENTRIES)
        assert not clash, f"access entries defined twice: {clash}"
        found.update(module.ENTRIES)
    return found


ENTRIES.update(_app_entries())


def _cases() -> Iterator[Any]:
    for key, entry in ENTRIES.items():
        for role in ROLES:
            for scope in entry.scopes:
                case_id = f"{key}-{role}" if scope == "-" else f"{key}-{role}-{scope}"
                yield pytest.param(key, role, scope, id=case_id)


def _expected(entry: Entry, role: str, scope: str) -> str:
    if role == "anonymous":
        return entry.anonymous
    return "allow" if entry.allow[role][entry.scopes.index(scope)] == "A" else "deny"


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


@pytest.mark.parametrize(("key", "role", "scope"), list(_cases()))
def test_access(client, world, key, role, scope):
    entry = ENTRIES[key]
    url = reverse(entry.name, kwargs=entry.kwargs(world, scope) if entry.kwargs else None)
    query = entry.query(world)
    if query:
        url = f"{url}?{urlencode(query)}"
    user = None if role == "anonymous" else world[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, entry.method)(url, entry.data(world))
    expected = _expected(entry, role, scope)
    status = response.status_code
    what = f"{entry.method.upper()} {url} as {role}: {status}"

    if expected == LOGIN:
        assert _is_login_redirect(response), f"{what}, expected a redirect to {LOGIN_PATH}"
    elif expected == API:
        assert status in (401, 403), f"{what}, expected 401/403"
    elif expected == "deny":
        assert status in (403, 404), f"{what}, expected 403/404"
        if status == 403 and not entry.name.startswith("v1:"):
            # A refusal by the policy is audited (access.require).
            assert AuditEvent.objects.filter(verb="denied", actor=user).exists(), f"{what}: denial not audited"
    else:  # allow, or public
        assert status not in (401, 403, 404) and status < 500, f"{what}, expected access"
        assert not _is_login_redirect(response), f"{what}, sent to sign in"
        if entry.method == "get":
            assert status == 200, f"{what}, expected 200"
        assert not AuditEvent.objects.filter(verb="denied").exists(), f"{what}: an allowed request audited a denial"


# ---------------------------------------------------------------------------------------------
# The matrix covers every URL.


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"
            yield name, pattern


def _skipped(name: str, pattern: URLPattern) -> bool:
    module = getattr(pattern.callback, "__module__", "") or ""
    return any(name.startswith(prefix) and module.startswith(origin) for prefix, origin in SKIPPED)


def _all_url_names() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver()))


def test_every_url_has_an_entry():
    covered = {entry.name for entry in ENTRIES.values()}
    missing = sorted(name for name, pattern in _all_url_names().items() if not _skipped(name, pattern))
    missing = [name for name in missing if name not in covered]
    assert not missing, f"URLs without an access policy entry in {__name__}.ENTRIES: {missing}"


def test_every_entry_is_a_url_and_has_a_cell_per_role_and_scope():
    names = _all_url_names()
    for key, entry in ENTRIES.items():
        assert entry.name in names, f"{key}: no URL named {entry.name}"
        assert not _skipped(entry.name, names[entry.name]), f"{key}: {entry.name} is also in SKIPPED"
        assert set(entry.allow) == set(ROLES) - {"anonymous"}, key
        for role, cells in entry.allow.items():
            assert len(cells) == len(entry.scopes) and set(cells) <= {"A", "."}, f"{key}/{role}: {cells!r}"


def test_skip_list_holds_only_third_party_views():
    skipped = [(name, p) for name, p in _all_url_names().items() if _skipped(name, p)]
    assert skipped
    for name, pattern in skipped:
        assert not pattern.callback.__module__.startswith(("partnership", "config")), name


# ---------------------------------------------------------------------------------------------
# API lists are scoped: nothing from another partnership, everything for administrators.


def _ids(client: Any, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.json()
    assert body["next"] is None, f"{url}: more than one page"
    return {row["id"] for row in body["results"]}


def _partnership_objects(w: World, partnership: Partnership) -> dict[str, set[int]]:
    schools = set(Membership.objects.current().filter(partnership=partnership).values_list("school_id", flat=True))
    externals = RoleAssignment.objects.current().filter(partnership=partnership).values_list("person_id", flat=True)
    return {
        "/api/v1/partnerships/": {partnership.pk},
        "/api/v1/schools/": schools,
        "/api/v1/people/": set(User.objects.filter(school_id__in=schools).values_list("pk", flat=True))
        | set(externals),
        "/api/v1/networks/": set(Network.objects.filter(partnership=partnership).values_list("pk", flat=True)),
    }


@pytest.mark.parametrize("role", ["head", "teacher", "governor", "coordinator", "adviser", "outside_head"])
def test_api_lists_never_include_the_other_partnership(client, world, role):
    mine, theirs = (world.other, world.home) if role == "outside_head" else (world.home, world.other)
    own_objects = _partnership_objects(world, mine)
    foreign = _partnership_objects(world, theirs)
    client.force_login(world[role])
    for url, foreign_ids in foreign.items():
        seen = _ids(client, url)
        assert foreign_ids and not seen & foreign_ids, f"{url} as {role} shows {seen & foreign_ids}"
        assert seen >= own_objects[url], f"{url} as {role} misses {own_objects[url] - seen}"


def test_api_lists_show_administrators_everything(client, world):
    client.force_login(world["admin"])
    assert _ids(client, "/api/v1/partnerships/") == set(Partnership.objects.values_list("pk", flat=True))
    assert _ids(client, "/api/v1/schools/") == set(School.objects.values_list("pk", flat=True))
    assert _ids(client, "/api/v1/people/") == set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    assert _ids(client, "/api/v1/networks/") == set(
        Network.objects.filter(closed_on__isnull=True).values_list("pk", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Denials are audited.


def test_a_denial_writes_an_audit_event(client, world):
    teacher = world["teacher"]
    client.force_login(teacher)
    url = reverse("directory:school_edit", kwargs={"slug": world.own.slug})
    assert client.get(url).status_code == 403
    event = AuditEvent.objects.get(verb="denied")
    assert event.actor == teacher and event.actor_label == teacher.email
    assert (event.object_type, event.object_id) == ("directory.school", str(world.own.pk))
    assert event.school_id == world.own.pk
    assert event.detail == {"action": "manage", "path": url}


def test_a_disabled_account_is_treated_as_signed_out(client, world):
    # "Inactive accounts may do nothing."
    head = world["head"]
    head.is_active = False
    head.save(update_fields=["is_active"])
    client.force_login(head)
    assert _is_login_redirect(client.get(reverse("directory:school_detail", kwargs={"slug": world.own.slug})))
    assert client.get(reverse("v1:school-list")).status_code in (401, 403)


# ---------------------------------------------------------------------------------------------
# The API through a token, with and without a second factor (REQUIRE_MFA on): without an
# authenticator no endpoint answers; with one, each answers as the matrix above says.

API_KEYS = [key for key, entry in ENTRIES.items() if entry.name.startswith("v1:")]
TOKEN_ROLES = ("head", "coordinator", "outside_head")


def _token_cases() -> Iterator[Any]:
    for key in API_KEYS:
        for role in TOKEN_ROLES:
            for with_authenticator in (False, True):
                state = "with-authenticator" if with_authenticator else "without"
                yield pytest.param(key, role, with_authenticator, id=f"{key}-{role}-{state}")


@pytest.mark.parametrize(("key", "role", "with_authenticator"), list(_token_cases()))
def test_api_tokens_and_the_second_factor(client, world, settings, key, role, with_authenticator):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from partnership.accounts.services import api_token_create

    settings.REQUIRE_MFA = True
    entry = ENTRIES[key]
    scope = entry.scopes[0]  # "own" (or "-" for lists)
    user = world[role]
    if with_authenticator:
        TOTP.activate(user, generate_totp_secret())
    _, raw = api_token_create(user=user)
    url = reverse(entry.name, kwargs=entry.kwargs(world, scope) if entry.kwargs else None)
    response = getattr(client, entry.method)(url, entry.data(world), HTTP_AUTHORIZATION=f"Token {raw}")
    what = f"{entry.method.upper()} {url} as {role} by token: {response.status_code}"
    if not with_authenticator:
        assert response.status_code == 401, what
        assert "two-step sign-in" in response.json()["detail"], what
    elif _expected(entry, role, scope) == "allow":
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, what
    else:
        assert response.status_code in (403, 404), what


# ---------------------------------------------------------------------------------------------
# The audit page per reader: each row's content only where the reader may open its object.


def _audit_objects(w: World) -> dict[str, tuple[Any, str]]:
    """One audited object of each sensitive kind, with a marker text that its audit row carries."""
    from partnership.core import audit
    from partnership.meetings.tests.factories import agenda_item, held_meeting
    from partnership.outcomes.models import Pupil
    from partnership.plans.services import priority_create
    from partnership.plans.tests.factories import school_plan

    unshared = school_plan(w.own, w["head"], shares=False)
    shared = school_plan(w.partner, w["partner_head"], shares=True)
    secret = priority_create(plan=unshared, title="Marker unshared priority", actor=w["head"])
    open_priority = priority_create(plan=shared, title="Marker shared priority", actor=w["partner_head"])
    pupil = Pupil.objects.create(
        school=w.own, upn="A123456789012", surname="Markerpupil", forename="Zed", date_of_birth="2015-01-01", sex="F"
    )
    audit.record(w["head"], "view", pupil, detail={"page": "pupil detail"})
    item = agenda_item(held_meeting(w.network, created_by=w["coordinator"]), "Marker SENCO item")
    audit.record(w["coordinator"], "update", item, partnership_id=w.home.pk)
    audit.record(w["coordinator"], "update", w.decision, detail={"title": "Marker decision"})
    return {
        "unshared priority": (secret, "Marker unshared priority"),
        "shared priority": (open_priority, "Marker shared priority"),
        "pupil": (pupil, "Markerpupil"),
        "SENCO meeting item": (item, "Marker SENCO item"),
        "decision": (w.decision, "Marker decision"),
    }


# What each reader of `home`'s audit log may see, from the policy table (not from the code).
AUDIT_CONTENT_SHOWN = {
    "coordinator": {"shared priority", "SENCO meeting item", "decision"},
    "admin": {"unshared priority", "shared priority", "SENCO meeting item", "decision"},  # never pupils
}


@pytest.mark.parametrize("reader", sorted(AUDIT_CONTENT_SHOWN))
def test_audit_page_shows_each_reader_only_what_they_may_open(client, world, reader):
    objects = _audit_objects(world)
    client.force_login(world[reader])
    response = client.get(reverse("directory:partnership_audit", kwargs={"slug": world.home.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    for kind, (_, marker) in objects.items():
        shown = kind in AUDIT_CONTENT_SHOWN[reader]
        assert (marker in body) is shown, f"{reader}: {kind} content {'missing' if shown else 'shown'}"
