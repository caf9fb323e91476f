"""Directory pages as the platform grows: render time and query count at 10, 100 and 1,000 schools.

Run with `make bench`. Each size is a separate benchmark in one table, so the scaling curve can be
read side by side; the query count is stored in each benchmark's extra_info.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.accounts.models import User
from partnership.core.roles import Role
from partnership.directory.models import Membership, Network, Partnership, RoleAssignment, School

PAGES = ["/", "/schools/", "/people/", "/people/?q=teacher", "/networks/", "NETWORK", "PARTNERSHIP"]
PEOPLE_PER_SCHOOL = 10
ROLES = [
    Role.HEADTEACHER,
    Role.SENIOR_LEADER,
    Role.SENCO,
    Role.DSL,
    Role.BUSINESS_MANAGER,
    Role.TEACHER,
    Role.TEACHER,
    Role.TEACHER,
    Role.GOVERNOR,
    Role.GOVERNOR,
]


def build(size: int) -> tuple[User, Partnership, Network]:
    partnership = Partnership.objects.create(name=f"Bench {size}", slug=f"bench-{size}")
    network = Network.objects.create(
        partnership=partnership, name="SENCOs", slug="sencos", kind="role", role=Role.SENCO
    )
    schools = School.objects.bulk_create(
        School(
            urn=f"{500000 + i}",
            la_code="936",
            establishment_number=f"{i:04d}",
            name=f"Bench School {i:04d}",
            slug=f"bench-school-{i}",
        )
        for i in range(size)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, school=s, joined_on="2020-09-01") for s in schools
    )
    people = User.objects.bulk_create(
        User(email=f"p{s.pk}-{j}@bench.test", full_name=f"Person {s.pk}-{j}", school=s, password="!")
        for s in schools
        for j in range(PEOPLE_PER_SCHOOL)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            person=p,
            school_id=p.school_id,
            role=ROLES[i % PEOPLE_PER_SCHOOL],
            started_on="2020-09-01",
            approved_at=timezone.now(),
        )
        for i, p in enumerate(people)
    )
    return people[0], partnership, network


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", [10, 100, 1000])
def test_directory_page(benchmark, size, page):
    head, partnership, network = build(size)
    client = Client()
    client.force_login(head)
    url = {"NETWORK": f"/networks/{network.pk}/", "PARTNERSHIP": f"/partnerships/{partnership.slug}/"}.get(page, page)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    benchmark.extra_info["queries"] = len(ctx.captured_queries)
    benchmark.extra_info["schools"] = size
    benchmark.group = page
    benchmark.pedantic(lambda: client.get(url), rounds=5, iterations=1, warmup_rounds=1)
