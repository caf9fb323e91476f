"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Every page a test reaches must be checked with axe-core (`a11y` fixture); the `page` fixture
records each main-frame navigation and fails the test if one was never checked.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from partnership.directory.tests.factories import PASSWORD, World, build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Impacts that fail a test; "minor" and "moderate" findings are printed but tolerated.
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module.

    While Playwright's sync API is running, this thread has a running asyncio event loop, so Django
    refuses ORM calls from the tests ("You cannot call this from an async context") unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only for as long as Playwright runs: left set, it
    would leak into the rest of the session (`manage.py check --deploy` warns about it).
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (`make chromium`).")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


class A11yChecker:
    """Runs axe-core on the current page and remembers which URLs have been checked."""

    def __init__(self, axe: Axe) -> None:
        self.axe = axe
        self.checked: set[str] = set()
        self.navigated: dict[Page, list[str]] = {}

    def watch(self, page: Page) -> Page:
        visits = self.navigated.setdefault(page, [])
        page.on("framenavigated", lambda frame: visits.append(frame.url) if frame == page.main_frame else None)
        return page

    def __call__(self, page: Page) -> None:
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        self.checked.add(page.url)
        violations = results.response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        others = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
        if others:
            print(f"\naxe ({page.url}): {len(others)} minor/moderate finding(s)\n{_describe(others)}")
        assert not blocking, f"axe found serious or critical problems on {page.url}:\n{_describe(blocking)}"

    def unchecked(self) -> list[str]:
        return [
            url
            for visits in self.navigated.values()
            for url in visits
            if url not in self.checked and url != "about:blank"
        ]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def a11y(axe: Axe) -> Iterator[A11yChecker]:
    checker = A11yChecker(axe)
    yield checker
    missed = checker.unchecked()
    assert not missed, f"Pages reached without an accessibility check: {missed}"


@pytest.fixture
def new_page(browser: Browser, live_server, a11y: A11yChecker) -> Iterator[Callable[[], Page]]:
    """Open a page in a fresh browser context (its own cookies), based on the live server's URL."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return a11y.watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture
def world(transactional_db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def sign_in(a11y: A11yChecker) -> Callable[..., None]:
    """Fill in and submit the sign-in form (checking its accessibility on the way)."""

    def do(page: Page, email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        a11y(page)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state("load")

    return do


def current_totp(secret: str) -> str:
    """The authenticator code for now, waiting out the last second of a period so it is still valid when used."""
    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@pytest.fixture
def totp_code() -> Callable[[str], str]:
    return current_totp


@pytest.fixture
def require_mfa(settings):  # type: ignore[no-untyped-def]
    """Turn REQUIRE_MFA on; the live server runs in this process, so it sees the change."""
    settings.REQUIRE_MFA = True
    return settings
