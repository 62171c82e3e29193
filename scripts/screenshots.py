"""Take the screenshots docs/staff.md shows (run by ./scripts/screenshots, which serves the app).

Each page is opened as the demo user who works with it, in bokmål, 1280 px wide, and saved as
a palette PNG (256 colours: text and flat colours keep well, and each file stays far below
200 KB). The edits that give the change log and the comment queue something to show are made
through the services, as the users would, once.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inputbank.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from inputbank import services  # noqa: E402
from inputbank.models import Comment, Input, Process, Theme  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PASSWORDS = {"saksbehandler": "demo-saksbehandler", "moderator": "demo-moderator"}
MARK = "skjermbilde"
MAX_BYTES = 200_000


def town_centre_plan() -> Process:
    """The demo's "Områderegulering for Moss sentrum" (or another town-centre process)."""
    plans = Process.objects.filter(title__icontains="sentrum").order_by("-opens_on")
    return plans.filter(title__icontains="Moss sentrum").first() or plans.first()


def prepare() -> tuple[Process, Input]:
    """A theme change and a response (change log), two pending comments (queue): once."""
    users = get_user_model().objects
    officer, moderator = users.get(username="saksbehandler"), users.get(username="moderator")
    process = town_centre_plan()
    item = process.inputs.filter(status="published").order_by("received_at").first()
    if not Comment.objects.filter(text__contains=MARK).exists():
        # The demo's input has no history yet: the first edit is its first version.
        services.input_update(input=item, changed_by=moderator, summary=item.summary_or_prefill)
        others = Theme.objects.exclude(pk__in=item.themes.all()).order_by("sort_order")[:2]
        services.input_update(input=item, changed_by=officer, themes=[*others])
        for text in ("Enig, dette haster (skjermbilde).", "Ring meg på 912 34 567 (skjermbilde)."):
            services.comment_submit(input=item, text=text)
    return process, item


def save(png: bytes, path: Path) -> None:
    """Store as a palette PNG; narrower when it would still be over MAX_BYTES."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    while True:
        out = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES or image.height < 400:
            break
        image = image.crop((0, 0, image.width, int(image.height * 0.8)))
    path.write_bytes(out.getvalue())
    print(f"{path.relative_to(ROOT)}: {out.tell() // 1024} KB")


def wait_for(base: str, seconds: int = 60) -> None:
    for _ in range(seconds * 2):
        try:
            # Only the http(s) address ./scripts/screenshots gives (checked in main).
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server at {base} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    if not args.base.startswith(("http://", "https://")):
        sys.exit("--base must be an http(s) address")
    process, item = prepare()
    wait_for(args.base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def page_as(username: str):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="nb-NO",
                extra_http_headers={"Accept-Language": "nb"},
            )  # fmt: skip
            page = context.new_page()
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORDS[username])
            page.press("#id_password", "Enter")
            page.wait_for_url("**/staff/**")
            return page

        def shot(page, url: str, name: str, *, ready: str = "main", at: str = "") -> None:
            page.goto(f"{args.base}{url}")
            page.wait_for_selector(ready)
            if at:
                page.locator(at).first.scroll_into_view_if_needed()
            page.wait_for_timeout(800)  # maps: tiles fail fast offline, context layers load
            save(page.screenshot(), args.out / name)

        officer = page_as("saksbehandler")
        shot(
            officer, f"/staff/processes/{process.pk}/merknadsbehandling/", "merknadsbehandling.png"
        )
        shot(officer, f"/staff/inputs/{item.public_id}/", "input-change-log.png", at="table.audit")
        shot(officer, "/staff/audit/", "audit-log.png")
        # The report for the town-centre plan's area: exports, map (counts per square), list.
        officer.goto(
            f"{args.base}/staff/prior-input/?source=process&process={process.pk}&buffer_m=0"
        )
        officer.wait_for_selector("#report-heading")
        officer.locator("#report").scroll_into_view_if_needed()
        officer.evaluate("document.getElementById('report').scrollIntoView()")
        officer.wait_for_timeout(1200)
        save(officer.screenshot(), args.out / "prior-input-report.png")
        officer.locator("#list-position").scroll_into_view_if_needed()
        save(officer.screenshot(), args.out / "prior-input-list.png")
        shot(officer, f"/staff/processes/{process.pk}/", "process-context-map.png", ready=".map")
        moderator = page_as("moderator")
        shot(moderator, "/staff/moderation/?sort=newest", "moderation-queue.png")
        moderator.locator("#comments").scroll_into_view_if_needed()
        save(moderator.screenshot(), args.out / "moderation-comments.png")
        browser.close()


if __name__ == "__main__":
    main()
