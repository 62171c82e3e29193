"""Every staff page, as every staff role, in bokmål and in nynorsk, in real Chromium: no visible
text is still the English source text of a catalogue message (issue 12).

The English texts are the catalogues' msgids whose translation differs from them (a msgid
that the language writes the same way, "Status", or nynorsk's "Open", is not English on the
page). Placeholders in a msgid match any text. The browser sends Accept-Language: en, so a
page that followed the browser instead of the officer's profile would fail too.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from inputbank import roles, services
from inputbank.models import Outcome, Stage
from tests.chromium import launch
from tests.factories import make_input, make_process, make_user, point
from tests.staff.conftest import contributor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ROLES = [roles.CASE_OFFICERS, roles.MODERATORS, roles.GIS, roles.PARTICIPATION_ADVISERS]
# Shown as is in every language: proper names and the name of a language in itself.
ALLOW = {"English", "Leaflet", "OpenStreetMap", "CSV", "DOCX", "JSON"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# The visible text of the page: text nodes whose element is rendered (not hidden, not in a
# closed <details> or <template>), plus the options of visible selects and button values.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const shown = (el) => el && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, template, noscript")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text) continue;
    const owner = el.closest("option") ? el.closest("select") : el;
    if (shown(owner)) out.push(text);
  }
  document.querySelectorAll("input[type=submit], input[type=button]").forEach((b) => {
    if (shown(b) && b.value) out.push(b.value.trim());
  });
  return out;
}"""


def english_texts(language: str) -> tuple[set[str], list[re.Pattern]]:
    """The English source texts that ``language`` translates: plain ones, and patterns."""
    plain: set[str] = set()
    same: set[str] = set()  # written alike in both ("Status"; nynorsk "Open" is Norwegian)
    patterns: list[re.Pattern] = []
    for app in ("inputbank", "maps"):
        path = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)).translated_entries():
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                pairs = [
                    (entry.msgid, entry.msgstr_plural.get(0, "")),
                    (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
                ]
            for source, translated in pairs:
                if source == translated or source in ALLOW:
                    same.add(source)
                    continue
                source = " ".join(source.split())
                if PLACEHOLDER.search(source):
                    parts = PLACEHOLDER.split(source)
                    patterns.append(re.compile(".+?".join(re.escape(p) for p in parts)))
                else:
                    plain.add(source)
    return plain - same, patterns


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        connections.close_all()
        browser.close()


@pytest.fixture
def case_data():
    """A little of everything, so each page shows its tables and not only "nothing yet"."""
    process = make_process(
        "kanalen", title="Kanalen og Verket", case_year=2024, case_sequence=1234, hours_used=12
    )
    answered = make_input(
        "Lag en trygg sykkelvei langs Kanalen.",
        geom=point(10.658, 59.434),
        process=process,
        contributor=contributor(),
    )
    officer = make_user("answerer", roles.CASE_OFFICERS)
    services.response_record(
        input=answered,
        outcome=Outcome.PARTLY_ADOPTED,
        justification="Sykkelveien kommer på østsiden.",
        decided_by=officer,
        stage=Stage.FIRST_READING,
    )
    make_input("Flere benker ved stranda.", process=process, published=False)
    services.comment_submit(input=answered, text="Enig, og belysning også.")
    return {"process": process, "input": answered}


def staff_pages(data) -> list[str]:
    process, item = data["process"], data["input"]
    return [
        "/staff/",
        "/staff/language/",
        "/staff/processes/",
        "/staff/processes/new/",
        f"/staff/processes/{process.pk}/",
        f"/staff/processes/{process.pk}/edit/",
        f"/staff/processes/{process.pk}/merknadsbehandling/",
        "/staff/inputs/",
        "/staff/inputs/new/",
        f"/staff/inputs/{item.public_id}/",
        "/staff/arguments/",
        f"/staff/arguments/{item.argument_id}/",
        "/staff/moderation/",
        "/staff/audit/",
        "/staff/prior-input/",
        f"/staff/prior-input/?source=process&process={process.pk}",
        "/staff/consultation-map/",
        "/staff/indicators/",
        "/staff/feedback/",
        "/staff/privacy/?q=kari",
        "/staff/import/",
    ]


def english_on(page, plain, patterns) -> list[str]:
    found = []
    for text in page.evaluate(VISIBLE_TEXT_JS):
        if text in ALLOW:
            continue
        if text in plain or any(p.fullmatch(text) for p in patterns):
            found.append(text)
    return found


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_staff_page_shows_english_in_bokmal_or_nynorsk(
    live_server, browser, case_data, language
):
    plain, patterns = english_texts(language)
    problems: dict[str, list[str]] = {}
    visited = 0
    # The log-in page knows no officer yet: it follows the browser, here set to the language.
    context = browser.new_context(extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    if english := english_on(page, plain, patterns):
        problems["login"] = english
    context.close()
    for role in ROLES:
        make_user(f"crawl-{role}", role, language=language)
        context = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
        page.fill("#id_username", f"crawl-{role}")
        page.fill("#id_password", "test-pass-123")
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_url("**/staff/")
        for path in staff_pages(case_data):
            response = page.goto(live_server.url + path)
            if response.status == 403:
                continue  # not this role's page
            assert response.status == 200, (role, path, response.status)
            page.wait_for_load_state("load")
            visited += 1
            if english := english_on(page, plain, patterns):
                problems[f"{role} {path}"] = english
            if "source=process" in path:
                # The printable report is a POST from the report page.
                page.locator("form[action$='/prior-input/print/'] button").click()
                page.wait_for_load_state("load")
                if english := english_on(page, plain, patterns):
                    problems[f"{role} print"] = english
        context.close()
    assert visited >= len(ROLES) * 5
    assert problems == {}


def test_the_map_tools_speak_the_officers_language(live_server, browser):
    make_user("kartleser", roles.CASE_OFFICERS, language="nn")
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    context.route("https://**/*", lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/prior-input/")
    page.fill("#id_username", "kartleser")
    page.fill("#id_password", "test-pass-123")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url("**/staff/prior-input/")
    draw_map = page.locator("[data-draw-map]")
    expect(draw_map.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom inn")
    expect(draw_map.locator("[title='Teikn eit rektangel']")).to_have_count(1)
    expect(draw_map.locator("[aria-label='Teikn ei flate (polygon)']")).to_have_count(1)
    page.locator(".leaflet-pm-icon-polygon").click()
    expect(draw_map.locator(".button-container.active .action-cancel")).to_have_text("Avbryt")
    context.close()
    assert errors == []
