"""How every browser test starts Chromium: Debian's package, headless, no background traffic.

Never `playwright install`: the machine has no internet, and Debian's chromium is what the
set-up installs. Without the background-networking flags Chromium keeps calling Google hosts
that this network refuses.
"""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    """Launch Debian's Chromium through Playwright, or fail with what to do."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: ./scripts/test installs Debian's chromium package")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
