"""Script bundles: a page's scripts as one static file, built from their source files.

The map at / needs six scripts before it can draw; each is a request the browser waits for
and the server answers (B8, docs/benchmarks.md). ``BUNDLES`` names a bundle's sources in the
order the page ran them; the bundle is their text, one after another, each in its own
statement (a ``;`` and a line between them), under a comment saying where it came from.

It is built by the static pipeline itself, as a staticfiles finder: ``collectstatic`` finds
the bundle like any other file (so it gets a hashed name, compression and year-long cache
headers), and the development server and the tests (finders, no ``collectstatic``) get it
built from the current sources on each look-up. Nothing to install and no build step: the
sources stay the files to edit. The built files are written to ``STATIC_BUNDLE_ROOT``
(``var/bundles/`` by default), only when their text changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage

BUNDLES: dict[str, tuple[str, ...]] = {
    # The map at / (maps/templates/maps/home.html): Leaflet and the map's own scripts.
    "maps/js/bundles/home.js": (
        "vendor/leaflet/leaflet.js",
        "maps/js/common.js",
        "maps/js/map-context.js",
        "maps/js/input-display.js",
        "maps/js/place-search.js",
        "maps/js/input-layers.js",
        "maps/js/home.js",
    ),
}


def bundle_root() -> Path:
    return Path(getattr(settings, "STATIC_BUNDLE_ROOT", settings.BASE_DIR / "var" / "bundles"))


def bundle_text(name: str) -> str:
    """The bundle's text, from its sources as the other finders find them now."""
    parts = [f"/* {name}: built by maps/bundles.py from the files below; edit those. */\n"]
    for source in BUNDLES[name]:
        path = finders.find(source)
        if isinstance(path, list):  # Django 5.2 answers [None, ...] when no finder has it
            path = next((found for found in path if found), None)
        if not path:
            raise FileNotFoundError(f"bundle {name}: source {source} not found")
        text = Path(path).read_text(encoding="utf-8").rstrip()
        parts.append(f"\n/* ---- {source} ---- */\n{text}\n;\n")
    return "".join(parts)


def build(name: str) -> Path:
    """Write the bundle under bundle_root() if its text changed; return its path."""
    target = bundle_root() / name
    text = bundle_text(name)
    try:
        if target.read_text(encoding="utf-8") == text:
            return target
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    # Whole or not at all: a server answering meanwhile never sends half a bundle.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bundle-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


class BundleFinder(finders.BaseFinder):
    """Finds the bundles of BUNDLES (built on each look-up) for runserver, tests and
    collectstatic."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)  # Django < 5.2 said "all"
        if path not in BUNDLES:
            return [] if find_all else None
        built = str(build(path))
        return [built] if find_all else built

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(bundle_root()))
        for name in BUNDLES:
            build(name)
            yield name, storage
