"""A page's query count must not grow with the number of schools, people or rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.roles import Role
from partnership.directory import services
from partnership.directory.models import Decision, NetworkMember
from partnership.directory.tests.factories import member_school, staff

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda w: "/",
    "partnership list": lambda w: "/partnerships/",
    "partnership": lambda w: f"/partnerships/{w.home.slug}/",
    "memorandum": lambda w: f"/partnerships/{w.home.slug}/memorandum/",
    "decisions": lambda w: f"/partnerships/{w.home.slug}/decisions/",
    "decision": lambda w: f"/decisions/{w.decision.pk}/",
    "audit log": lambda w: f"/partnerships/{w.home.slug}/audit/",
    "school list": lambda w: "/schools/",
    "school": lambda w: f"/schools/{w.own.slug}/",
    "people": lambda w: "/people/",
    "people csv": lambda w: "/people/export.csv",
    "person": lambda w: f"/people/{w['teacher'].pk}/",
    "networks": lambda w: "/networks/",
    "network": lambda w: f"/networks/{w.network.pk}/",
    "api schools": lambda w: "/api/v1/schools/",
    "api people": lambda w: "/api/v1/people/",
    "api networks": lambda w: "/api/v1/networks/",
    "api network members": lambda w: f"/api/v1/networks/{w.network.pk}/members/",
}


def grow(world, schools: int, people_per_school: int) -> None:
    """Add schools, staff in every role network, manual members, votes and decisions."""
    for _ in range(schools):
        school = member_school(world.home)
        for i in range(people_per_school):
            person = staff(school, [Role.TEACHER, Role.SENCO, Role.GOVERNOR, Role.HEADTEACHER][i % 4])
            if i == 0:
                NetworkMember.objects.create(network=world.network, person=person)
            if i == 3:
                services.decision_vote(decision=world.decision, school=school, choice="for", actor=person)
        Decision.objects.create(
            partnership=world.home, title=f"Decision for {school.name}", proposed_by=world["coordinator"]
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_key", ["coordinator", "head"])
def test_query_counts_do_not_grow_with_schools_and_people(client, world, user_key):
    # The small world already has one of everything, so prefetches that skip empty sets do not
    # masquerade as growth.
    services.decision_vote(decision=world.decision, school=world.partner, choice="for", actor=world["partner_head"])
    client.force_login(world[user_key])
    small = {name: count_queries(client, build(world)) for name, build in PAGES.items() if _allowed(name, user_key)}
    grow(world, schools=12, people_per_school=8)
    large = {name: count_queries(client, build(world)) for name, build in PAGES.items() if _allowed(name, user_key)}
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"query counts grew (small, large): {grown}"


def _allowed(page: str, user_key: str) -> bool:
    return not (page == "audit log" and user_key != "coordinator")
