"""The interactive API docs work in a real browser under our CSP, with local assets only."""

import pytest
from playwright.sync_api import sync_playwright

from tests.chromium import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_operation_from_local_assets(live_server):
    requested, problems = [], []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=15_000)
        operations = page.locator(".opblock").count()
        browser.close()
    assert operations >= 14
    assert [u for u in requested if not u.startswith(live_server.url)] == []
    assert [m for m in problems if "Content Security Policy" in m] == []
