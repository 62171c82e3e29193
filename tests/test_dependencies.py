"""Every runtime dependency in pyproject.toml is used by the product, or it goes.

A dependency counts as used when a module under geo/, inputbank/ or maps/ imports it, or when
the Django settings name it by dotted path (INSTALLED_APPS, MIDDLEWARE, backends: Django
imports those). Distribution names are mapped to import names from the installed packages'
metadata (python-docx -> docx, Pillow -> PIL), so the map cannot drift from what pip installed.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("geo", "inputbank", "maps")
SETTINGS = ROOT / "inputbank" / "settings.py"

# Needed at run time but never imported by our code; each with the reason it stays.
NOT_IMPORTED = {
    # The WSGI server: ./scripts/run and the benchmarks start it as a program.
    "gunicorn": "run as the web server, not imported",
    # openpyxl parses XLSX uploads with defusedxml when it is installed (entity attacks).
    "defusedxml": "used by openpyxl when present",
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [_normalise(Requirement(spec).name) for spec in project["dependencies"]]


def import_names_by_distribution() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            names.setdefault(_normalise(distribution), set()).add(module)
    return names


def _top_level_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _dotted_paths_in_settings() -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and re.fullmatch(r"[A-Za-z_]\w*(\.\w+)*", node.value):
            found.add(node.value.split(".")[0])
    return found


def used_modules() -> set[str]:
    used = _dotted_paths_in_settings()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            used |= _top_level_imports(path)
    return used


def test_every_runtime_dependency_is_used_by_the_product():
    names = import_names_by_distribution()
    used = used_modules()
    unused = []
    for distribution in runtime_dependencies():
        if distribution in NOT_IMPORTED:
            continue
        provided = names.get(distribution)
        assert provided, f"{distribution} is not installed: run ./scripts/test to set up .venv"
        if not provided & used:
            unused.append(f"{distribution} (imports as {', '.join(sorted(provided))})")
    assert not unused, (
        "runtime dependencies that geo/, inputbank/ and maps/ never import; use them or remove "
        "them from pyproject.toml (and say why in docs/decisions.md): " + "; ".join(unused)
    )


def test_the_not_imported_exceptions_are_still_dependencies():
    # An exception for a dependency that is gone would hide the next one added under its name.
    assert set(NOT_IMPORTED) <= set(runtime_dependencies())


def test_the_check_sees_imports_and_settings():
    # The check itself must be able to fail: it finds a plain import, a dotted settings path
    # and maps a distribution whose import name differs from its own.
    used = used_modules()
    assert {"django", "shapely", "whitenoise", "drf_spectacular_sidecar"} <= used
    assert "PIL" in import_names_by_distribution()["pillow"]


def test_data_frames_stay_off_the_bulk_gis_paths():
    # geopandas does the report tables with geometry (decisions.md, "Dependencies"); GIS files
    # are read and written as Arrow or WKB, never through pyogrio's data-frame functions, and
    # geopandas is imported only where a report table needs it, never at module level.
    calls = []
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            calls += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in ("read_dataframe", "write_dataframe", "import pandas")
                if name in text
            ]
            calls += [
                f"{path.relative_to(ROOT)}: geopandas at module level"
                for line in text.splitlines()
                if line.startswith(("import geopandas", "from geopandas"))
            ]
    assert not calls
