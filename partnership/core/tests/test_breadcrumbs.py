"""Every page has one breadcrumb trail (none on the home page), never two and never an empty one."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from partnership.core.tests.test_access_matrix import ENTRIES, ROLES

pytestmark = pytest.mark.django_db

# The home page is the top of every trail; accepting an invitation is a one-off step reached
# from an email, before the person has an account to go anywhere else. The comparative-judgement
# screen is focused on the pair in front of the judge: its only ways out are pause and the session.
WITHOUT_TRAIL = {"home", "directory:invitation_accept", "moderation:cj_judging"}


def _pages():
    for key, entry in ENTRIES.items():
        if entry.method != "get" or entry.name.startswith(("v1:", "api-schema", "api-not-found", "healthz", "admin:")):
            continue
        scope = entry.scopes[0]
        role = next((r for r in ROLES if r != "anonymous" and entry.allow[r][0] == "A"), None)
        if role is not None:
            yield pytest.param(key, role, scope, id=key)


@pytest.mark.parametrize(("key", "role", "scope"), list(_pages()))
def test_the_page_has_one_trail(client, shared_world, key, role, scope):
    entry = ENTRIES[key]
    url = reverse(entry.name, kwargs=entry.kwargs(shared_world, scope) if entry.kwargs else None)
    query = entry.query(shared_world)
    if query:
        url = f"{url}?{urlencode(query)}"
    client.force_login(shared_world[role])
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        pytest.skip(f"{url} is not an HTML page")
    html = response.content.decode()
    if "<main" not in html:
        pytest.skip(f"{url} is a fragment")
    trails = re.findall(r'<nav class="govuk-breadcrumbs".*?</nav>', html, flags=re.S)
    assert len(trails) == (0 if key in WITHOUT_TRAIL else 1), url
    for trail in trails:
        assert "<li" in trail, f"{url}: an empty trail"
