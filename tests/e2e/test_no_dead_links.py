"""No link leads to a refusal: signed in as each demo role, the home page passes axe and every page
reachable from it (breadth first, same-origin links, a bounded number of pages) answers without a
403 or a 404, downloads included (fetched with the same session, not opened).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import APIRequestContext, Page, expect

from partnership.accounts.models import User
from partnership.actions.services import action_create
from partnership.core.registry import DEMO_LOADERS
from partnership.core.roles import Role
from partnership.meetings.models import AgendaItem

pytestmark = pytest.mark.e2e

PASSWORD = "demo-password-for-the-crawl"
# One account per kind of person the demo has (README: `make demo`).
ROLES = {
    "headteacher": "head.byfleet-primary@demo.example",
    "teacher": "teacher.byfleet-primary@demo.example",
    "governor": "governor.byfleet-primary@demo.example",
    "SENCO": "senco.byfleet-primary@demo.example",
    "coordinator": "coordinator.stars@demo.example",
    "external adviser": "adviser.stars@demo.example",
    "platform administrator": "admin@demo.example",
}
MAX_PAGES = 120  # pages fetched per role (HTML pages are read for more links; files are only fetched)
PER_SHAPE = 2  # pages of one shape (/people/<id>/, /schools/<slug>/) fetched per role
NOT_FOLLOWED = ("/accounts/logout/", "/admin/logout/", "/static/", "/media/")
FILES = (".pdf", ".xlsx", ".csv", ".ics")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_in(html: str, at: str, origin: str) -> list[str]:
    """The same-origin links of a page, absolute and without fragments, in page order."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(at, href)).url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == origin:
            found.append(url)
    return found


def shape(url: str) -> str:
    """A URL with its ids and school or partnership slugs left out: the kind of page it is."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    out = []
    for before, segment in zip(["", *segments], segments, strict=False):
        if segment.isdigit():
            out.append("<id>")
        elif before in ("schools", "partnerships"):
            out.append("<slug>")
        else:
            out.append(segment)
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&")) if parts.query else []
    return "/".join(out) + ("?" + "&".join(keys) if keys else "")


def crawl(request: APIRequestContext, start: str, origin: str) -> tuple[list[tuple[str, int, str]], int]:
    """Fetch pages breadth first from `start`; the links that answered 4xx or 5xx, as (url, status,
    the page that linked to it), and how many were fetched."""
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen = {start}
    shapes: Counter[str] = Counter()
    broken: list[tuple[str, int, str]] = []
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, linked_from = queue.popleft()
        response = request.get(url, max_redirects=5)
        fetched += 1
        if response.status >= 400:
            broken.append((url, response.status, linked_from))
            continue
        path = urlsplit(url).path
        html = "text/html" in response.headers.get("content-type", "")
        if not html or path.endswith(FILES) or path.startswith("/admin/"):
            continue  # a file, or Django's own admin: checked, not read for links
        for link in links_in(response.text(), response.url, origin):
            if link in seen or urlsplit(link).path.startswith(NOT_FOLLOWED) or shapes[shape(link)] >= PER_SHAPE:
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            queue.append((link, url))
    return broken, fetched


@pytest.fixture
def demo(transactional_db) -> None:  # type: ignore[no-untyped-def]
    """Everything `make demo` loads: partnerships, people, plans, meetings, pupils and results; and
    an action agreed at a headteachers' meeting given to a teacher, who may not see that meeting."""
    for loader in DEMO_LOADERS:
        loader.load(PASSWORD, timezone.localdate())
    teacher = User.objects.get(email=ROLES["teacher"])
    item = AgendaItem.objects.filter(
        meeting__network__role=Role.HEADTEACHER, meeting__network__partnership__slug="stars"
    )
    item = item.select_related("meeting").first()
    assert item is not None, "the demo has a headteachers' meeting with an agenda"
    action_create(
        title="Bring the Year 2 moderation samples",
        owner=teacher,
        created_by=User.objects.get(email=ROLES["headteacher"]),
        school=teacher.school,
        due_on=timezone.localdate(),
        source=item,
        source_label=f"{item.meeting.title}, item {item.number}",
    )


def test_no_link_any_demo_role_is_shown_answers_403_or_404(
    demo, new_page: Callable[[], Page], a11y, sign_in, live_server
) -> None:
    problems = []
    for role, email in ROLES.items():
        page = new_page()
        sign_in(page, email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        a11y(page)  # each role's home page
        if role == "headteacher":  # the school and partnership pages lead on to their work too
            for url in ("/schools/byfleet-primary/", "/partnerships/stars/"):
                page.goto(url)
                a11y(page)
        broken, fetched = crawl(page.context.request, f"{live_server.url}/", live_server.url)
        assert fetched > 10, f"{role}: the crawl found only {fetched} pages"
        problems += [f"{role}: {url} answered {status} (linked from {source})" for url, status, source in broken]
    assert not problems, "\n".join(problems)
