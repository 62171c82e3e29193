"""Put back the "#. machine translation, review" markers that makemessages drops.

``makemessages`` regenerates every ``#.`` comment from the source code, so the markers that
flag machine-written translations (docs/staff.md, "Languages") vanish on each run. Run this
after it: every entry that carried the marker in the last commit (``git show HEAD:<file>``),
and is still translated the same way, gets it back. Only marker lines are inserted; the rest
of each catalogue is left byte for byte as gettext wrote it.

    .venv/bin/python scripts/translation_markers.py            # nb, nn and en of both apps
    .venv/bin/python scripts/translation_markers.py --ref main # markers as on another commit
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
MARK = "machine translation, review"
MARK_LINE = f"#. {MARK}"
APPS = ("inputbank", "maps")
LANGUAGES = ("nb", "nn", "en")


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgstr or repr(sorted(entry.msgstr_plural.items())))


def marked_keys(text: str) -> set[tuple[str | None, str, str]]:
    return {_key(e) for e in polib.pofile(text) if MARK in (e.comment or "")}


def restore(path: Path, ref: str) -> int:
    """Insert the marker into the blocks of ``path`` that had it at ``ref``; return how many."""
    relative = path.relative_to(ROOT).as_posix()
    old = subprocess.run(
        ["git", "show", f"{ref}:{relative}"], cwd=ROOT, capture_output=True, text=True
    )
    if old.returncode != 0:
        return 0
    wanted = marked_keys(old.stdout)
    blocks = path.read_text("utf-8").split("\n\n")
    added = 0
    for i, block in enumerate(blocks):
        if MARK_LINE in block or "msgid" not in block:
            continue
        entries = polib.pofile(block + "\n")
        if len(entries) == 1 and _key(entries[0]) in wanted:
            blocks[i] = (MARK_LINE + "\n" + block) if not block.startswith("\n") else block
            added += 1
    path.write_text("\n\n".join(blocks), "utf-8")
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="the commit whose markers count")
    args = parser.parse_args()
    for app in APPS:
        for language in LANGUAGES:
            path = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
            if path.exists():
                print(f"{path.relative_to(ROOT)}: {restore(path, args.ref)} markers put back")


if __name__ == "__main__":
    main()
