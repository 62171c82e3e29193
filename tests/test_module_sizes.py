"""No product module past 400 lines (docs/decisions.md, "Small modules").

A file that grows past the limit is split by responsibility, not cut at a line: this test only
says when. It reads the product's own Python and JavaScript; migrations (generated, one
schema step each) and the vendored libraries are not ours to split.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400


def product_files() -> list[Path]:
    files = [
        path
        for package in ("geo", "inputbank", "maps")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    files += [
        path
        for path in (ROOT / "maps" / "static").rglob("*.js")
        if "vendor" not in path.parts and "bundles" not in path.parts
    ]
    return sorted(files)


def test_the_product_has_files_to_measure():
    # A wrong root or pattern would make every size test below vanish instead of fail.
    names = {path.relative_to(ROOT).as_posix() for path in product_files()}
    assert {"inputbank/models/inputs.py", "maps/static/maps/js/common.js"} <= names
    assert len(names) > 150


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_product_module_stays_within_400_lines(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, (
        f"{path.relative_to(ROOT)} has {lines} lines (limit {LIMIT}): split it by responsibility"
    )
