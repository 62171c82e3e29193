"""Comments and docs cite only files that are in the repository.

The knowledge the code relies on lives in docs/ (domain.md, measurements.md, threats.md,
urls.md, ...); a comment that points at a file outside the repository, or at one that was
moved or deleted, sends the next reader nowhere. Checked: every Markdown file named anywhere
(``PLANNING.md``, ``docs/urls.md``) and every repository path with a folder and a known suffix
(``geo/crs.py``, ``scripts/lib/common.sh``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from maps.bundles import BUNDLES

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", "staticfiles", "media"}
SKIP_PARTS = (("maps", "static", "vendor"), ("bench-results",))
SOURCE_SUFFIXES = {".py", ".js", ".html", ".sh", ".md", ".toml", ".css", ".sql", ".txt", ".yml"}
TOP_FOLDERS = ("docs", "geo", "inputbank", "maps", "scripts", "tests", "fixtures", ".ci")
SUFFIXES = r"(?:md|py|js|html|sh|sql|toml|css|yml|json|csv)"
# A repository path: a top-level folder, then path segments, then a known suffix. Not right
# after a quote: "maps/base.html" in code is a template or static name, not a citation.
PATH_CITED = re.compile(
    rf"(?<![\w./'\"-])((?:{'|'.join(re.escape(t) for t in TOP_FOLDERS)})/[\w./-]*\.{SUFFIXES})\b"
)
# A Markdown file named without a folder (README.md, PLANNING.md).
BARE_MD_CITED = re.compile(r"(?<![\w./-])([\w-]+\.md)\b")
# This file names missing files on purpose.
THIS_FILE = Path(__file__).resolve()


def _scanned_files() -> list[Path]:
    # os.walk with pruning, not Path.rglob: rglob descends into var/ (the project's running
    # PostgreSQL cluster) before the filter sees it, and a database dropped by a parallel test
    # worker mid-walk fails this test with FileNotFoundError.
    files = []
    for folder, dirnames, filenames in os.walk(ROOT):
        relative_folder = Path(folder).relative_to(ROOT).parts
        dirnames[:] = [
            name
            for name in dirnames
            if name not in SKIP_DIRS
            and not name.endswith(".egg-info")
            and not any((*relative_folder, name)[: len(skip)] == skip for skip in SKIP_PARTS)
        ]
        for name in filenames:
            path = Path(folder) / name
            in_scripts = relative_folder[:1] == ("scripts",) and path.suffix == ""
            if path == THIS_FILE:
                continue
            if path.suffix in SOURCE_SUFFIXES or in_scripts:
                files.append(path)
    return files


def _exists(cited: str, markdown_names: set[str]) -> bool:
    if "/" not in cited:
        return cited in markdown_names
    # Templated paths ("exports/{layer}.gpkg") and globs are patterns, not citations.
    if any(ch in cited for ch in "{}*<>"):
        return True
    cited = cited.rstrip(".")
    # A script file the static pipeline builds from sources (maps/bundles.py) is a static name.
    if cited in BUNDLES:
        return True
    # "maps/js/common.js" or "maps/base.html" in a comment: a static file or template name.
    found_in = [ROOT] + [
        folder
        for app in ("maps", "inputbank")
        for folder in (ROOT / app / "static", ROOT / app / "templates")
    ]
    return any((folder / cited).exists() for folder in found_in)


def broken_citations(files: list[Path]) -> list[str]:
    markdown_names = {p.name for p in files if p.suffix == ".md"}
    broken = []
    for path in files:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            cited = PATH_CITED.findall(line) + BARE_MD_CITED.findall(line)
            broken += [
                f"{path.relative_to(ROOT)}:{number}: {name}"
                for name in cited
                if not _exists(name, markdown_names)
            ]
    return broken


def test_every_cited_file_is_in_the_repository():
    broken = broken_citations(_scanned_files())
    assert not broken, "cited files that are not in the repository:\n" + "\n".join(broken)


def test_a_citation_of_a_missing_file_is_found(tmp_path):
    # The check must be able to fail: a comment pointing outside the repository is reported.
    source = tmp_path / "module.py"
    source.write_text("# See PLANNING.md and docs/nowhere.md; docs/urls.md exists.\n")
    found = PATH_CITED.findall(source.read_text()) + BARE_MD_CITED.findall(source.read_text())
    names = {p.name for p in _scanned_files() if p.suffix == ".md"}
    assert [name for name in found if not _exists(name, names)] == [
        "docs/nowhere.md",
        "PLANNING.md",
    ]
