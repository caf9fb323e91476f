"""The register and support pages make as many queries for a partnership of 6 schools with 12
register entries as for one of 2 schools with 2 entries, with support requests, their sessions,
actions, evidence and resources growing alongside, and needs both added by the schools and gathered
from their plans' shared priorities."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.tests.factories import World, member_school, staff
from partnership.goodpractice import support
from partnership.goodpractice.models import EntryEvidence, EntryResource, Need, RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories
from partnership.plans.services import priority_create
from partnership.plans.tests.factories import school_plan

pytestmark = pytest.mark.django_db

AREAS = ("maths", "reading", "eal", "writing")


@dataclass
class Data:
    """What the pages are about (the own school's maths entry, its need, a request it made), and
    every school of `home` with its headteacher."""

    schools: list[tuple[Any, Any]] = field(default_factory=list)
    entry: RegisterEntry | None = None
    need: Need | None = None
    request: SupportRequest | None = None


def _dress(entry: RegisterEntry, by: Any, n: int) -> None:
    """Evidence and resources for an entry."""
    for i in range(n):
        EntryEvidence.objects.create(
            entry=entry, kind=EntryEvidence.Kind.INSPECTION, label=f"Ofsted finding {entry.pk}-{i}", added_by=by
        )
        EntryResource.objects.create(
            entry=entry, title=f"Resource {i}", url=f"https://example.org/{entry.pk}/{i}", added_by=by
        )


def _need(school: Any, head: Any, area_key: str, title: str) -> Need:
    return Need.objects.create(
        school=school, academic_year=current_academic_year(), area=factories.area(area_key), title=title,
        created_by=head,
    )  # fmt: skip


def _priorities(school: Any, head: Any, n: int) -> None:
    """Shared priorities of the school's plan for the year, in maths: needs gathered from the plan."""
    plan = school_plan(school, head, shares=True)
    for i in range(n):
        priority_create(plan=plan, title=f"Maths reasoning {i}", themes="Maths", actor=head)


def _sessions(req: SupportRequest, by: Any, n: int) -> None:
    for i in range(n):
        day = timezone.localdate() - datetime.timedelta(days=10 + i)
        support.session_log(
            req=req, day=day, kind="online", days=Decimal("0.5"), attendees="Year 5 team", impact_note="Tried it.",
            actor=by,
        )  # fmt: skip


def _actions(req: SupportRequest, owner: Any, by: Any, n: int) -> None:
    for i in range(n):
        support.request_action_create(req=req, title=f"Follow-up {i}", owner=owner, due_on=None, actor=by)


def small(w: World) -> Data:
    """2 schools, 2 entries (one each, with evidence and a resource), a need and a plan priority
    each, a request each way with a session logged and an action."""
    factories.areas()
    data = Data(schools=[(w.own, w["head"]), (w.partner, w["partner_head"])])
    data.entry = factories.entry(w.home, w.own, by=w["head"], capacity=30, contact=w["teacher"])
    theirs = factories.entry(w.home, w.partner, by=w["partner_head"], capacity=30)
    _dress(data.entry, w["head"], 1)
    _dress(theirs, w["partner_head"], 1)
    data.need = _need(w.own, w["head"], "maths", "Reasoning in Year 5")
    _need(w.partner, w["partner_head"], "maths", "Fluency in Year 3")
    _priorities(w.own, w["head"], 1)
    _priorities(w.partner, w["partner_head"], 1)
    data.request = factories.request_at(theirs, w.own, asker=w["head"], answerer=w["partner_head"], stage="session")
    _actions(data.request, w["head"], w["head"], 1)
    back = factories.request_at(data.entry, w.partner, asker=w["partner_head"], answerer=w["head"], stage="session")
    _actions(back, w["partner_head"], w["head"], 1)
    return data


def grow(w: World, data: Data) -> None:
    """To 6 schools and 12 entries (two each, in different areas), a need each, requests between the
    own school and every other one (sessions logged), and more of everything on the pages' objects."""
    for n in range(4):
        school = member_school(w.home, name=f"Added {n} Primary", slug=f"added-{n}")
        data.schools.append((school, staff(school, Role.HEADTEACHER, email=f"head@added-{n}.test")))
    entries = {}
    for index, (school, head) in enumerate(data.schools):
        if school != w.own and school != w.partner:
            entries[school.pk] = factories.entry(w.home, school, by=head, capacity=30)
            _dress(entries[school.pk], head, 2)
            _need(school, head, AREAS[index % len(AREAS)], f"Need of {school.name}")
            _priorities(school, head, 2)
        second = factories.entry(
            w.home, school, by=head, area_key=AREAS[1 + index % 3], capacity=30, title=f"Second at {school.name}"
        )
        _dress(second, head, 2)
    _dress(data.entry, w["head"], 3)
    _need(w.own, w["head"], "reading", "Reading for pleasure")
    for school, head in data.schools[2:]:
        given = factories.request_at(data.entry, school, asker=head, answerer=w["head"], stage="session")
        _sessions(given, head, 2)
        received = factories.request_at(entries[school.pk], w.own, asker=w["head"], answerer=head, stage="agreed")
        _sessions(received, w["head"], 1)
        _actions(received, head, w["head"], 1)
    assert data.request is not None
    _sessions(data.request, w["head"], 4)
    _actions(data.request, w["partner_head"], w["head"], 3)
    assert len(data.schools) == 6 and RegisterEntry.objects.filter(partnership=w.home).count() == 12


def _find(w: World, data: Data) -> str:
    assert data.need is not None
    return reverse("goodpractice:find_support", args=[w.own.slug]) + f"?need=own|{data.need.pk}&area=maths"


PAGES: dict[str, tuple[str, Callable[[World, Data], str]]] = {
    "register": ("head", lambda w, d: reverse("goodpractice:register", args=[w.home.slug])),
    "register-coordinator": ("coordinator", lambda w, d: reverse("goodpractice:register", args=[w.home.slug])),
    "register-pdf": ("head", lambda w, d: reverse("goodpractice:register_pdf", args=[w.home.slug])),
    "entry": ("head", lambda w, d: reverse("goodpractice:entry_detail", args=[d.entry.pk])),  # type: ignore[union-attr]
    "entry-coordinator": (
        "coordinator",
        lambda w, d: reverse("goodpractice:entry_detail", args=[d.entry.pk]),  # type: ignore[union-attr]
    ),
    "needs": ("head", lambda w, d: reverse("goodpractice:school_needs", args=[w.own.slug])),
    "needs-coordinator": ("coordinator", lambda w, d: reverse("goodpractice:school_needs", args=[w.own.slug])),
    "find-support": ("head", _find),
    "request": ("head", lambda w, d: reverse("goodpractice:request_detail", args=[d.request.pk])),  # type: ignore[union-attr]
    "request-coordinator": (
        "coordinator",
        lambda w, d: reverse("goodpractice:request_detail", args=[d.request.pk]),  # type: ignore[union-attr]
    ),
    "requests": ("head", lambda w, d: reverse("goodpractice:requests")),
    "ledger": ("head", lambda w, d: reverse("goodpractice:school_ledger", args=[w.own.slug])),
    "ledger-xlsx": ("head", lambda w, d: reverse("goodpractice:school_ledger_xlsx", args=[w.own.slug])),
    "matrix": ("coordinator", lambda w, d: reverse("goodpractice:support_matrix", args=[w.home.slug])),
    "matrix-head": ("head", lambda w, d: reverse("goodpractice:support_matrix", args=[w.home.slug])),
    "partnership-ledger-xlsx": (
        "coordinator",
        lambda w, d: reverse("goodpractice:partnership_ledger_xlsx", args=[w.home.slug]),
    ),
}


def _count(client: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_the_partnership(client, shared_world, page):
    w = shared_world
    role, address = PAGES[page]
    client.force_login(w[role])
    data = small(w)
    client.get(address(w, data))  # the first request fills Django's per-process caches
    before, _ = _count(client, address(w, data))
    grow(w, data)
    after, sql = _count(client, address(w, data))
    assert after == before, f"{page}: {before} queries at 2 schools, {after} at 6:\n" + "\n".join(sql)
