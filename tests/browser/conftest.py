"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Tiles from the basemap host are aborted: the tests run offline, and the pages must work with a
plain background. Any Content-Security-Policy violation or uncaught script error fails the test.
"""

import io
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.chromium import launch
from tests.conftest import ADDRESS_SAMPLE, PLACENAME_SAMPLE
from tests.smtp import smtp_server  # noqa: F401 - a fixture, used by name

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    calls from a thread with a running loop. The tests' own ORM calls are ordinary blocking
    calls, so the switch pytest-playwright documents is set here, only while a browser is open
    (it must not leak into other tests or subprocesses such as ``check --deploy``).
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def _fresh_throttles_and_quick_forms(settings):
    """Each test starts with empty throttle counters and a one-second minimum fill time."""
    cache.clear()
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 1}
    yield
    cache.clear()


class PageProblems(list):
    """Script errors and CSP violations seen on a page; the test fails if any remain."""

    def __init__(self):
        super().__init__()
        self.in_flight = set()

    def settle(self, page, timeout_ms: int = 10_000) -> None:
        """Wait until every request the page started has been answered."""
        waited = 0
        while self.in_flight and waited < timeout_ms:
            page.wait_for_timeout(50)
            waited += 50


def open_context(browser, live_server, language="nb", viewport=None):
    context = browser.new_context(viewport=viewport or DESKTOP, locale="nb-NO")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    context.route("**/cache.kartverket.no/**", lambda route: route.abort())
    context.set_default_timeout(10_000)
    return context


def watch(page) -> PageProblems:
    problems = PageProblems()

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            problems.append(f"CSP: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("request", lambda request: problems.in_flight.add(request))
    page.on("requestfinished", lambda request: problems.in_flight.discard(request))
    page.on("requestfailed", lambda request: problems.in_flight.discard(request))
    return problems


@pytest.fixture
def make_page(browser, live_server, transactional_db):
    """Open pages: make_page(language="ar", viewport=PHONE) -> (page, problems).

    Depends on the database so that pages close (and their last requests finish) before the
    database is flushed: a request still running during TRUNCATE deadlocks it.
    """
    contexts = []
    pages = []
    watched = []

    def _make(language="nb", viewport=None):
        context = open_context(browser, live_server, language, viewport)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        problems = watch(page)
        watched.append(problems)
        return page, problems

    yield _make
    for page, problems in zip(pages, watched, strict=True):
        # Requests still running on the server (prior input, nearest address) would hold
        # table locks while the database is flushed after the test: let them finish.
        problems.settle(page)
    for context in contexts:
        context.close()
    for problems in watched:
        assert not problems, problems


@pytest.fixture
def page(make_page):
    return make_page()[0]


@pytest.fixture
def addresses(transactional_db):
    call_command("import_addresses", str(ADDRESS_SAMPLE), stdout=io.StringIO())


@pytest.fixture
def placenames(transactional_db):
    call_command("import_placenames", str(PLACENAME_SAMPLE), stdout=io.StringIO())
