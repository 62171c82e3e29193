"""The tests mirror the floors: a test module per read model and per service.

A read or a write tested only through the page or endpoint that uses it breaks silently when a
second door starts using it (docs/decisions.md, "Layout"). So each module of
``inputbank/reads/`` and ``inputbank/services/`` has ``tests/inputbank/<floor>/test_<name>*.py``.
A module that is one part of another (its SQL, its row shapes) is tested with its owner.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ("reads", "services")
# Part -> the module it belongs to; the owner's tests cover it.
PARTS = {
    "reads/prior_sql": "reads/prior_input",
    "reads/feature_pages": "reads/features",
    "services/imports_rows": "services/imports",
}


def floor_modules() -> list[str]:
    return sorted(
        f"{floor}/{path.stem}"
        for floor in FLOORS
        for path in (ROOT / "inputbank" / floor).glob("*.py")
        if path.stem != "__init__"
    )


def test_the_floors_have_modules_to_mirror():
    modules = floor_modules()
    assert "reads/prior_input" in modules and "services/inputs" in modules
    assert set(PARTS) <= set(modules), "a part named here no longer exists: update PARTS"


@pytest.mark.parametrize("module", floor_modules())
def test_each_read_model_and_service_has_its_own_test_module(module: str):
    floor, name = PARTS.get(module, module).split("/")
    tests = list((ROOT / "tests" / "inputbank" / floor).glob(f"test_{name}*.py"))
    assert tests, f"inputbank/{module}.py has no tests/inputbank/{floor}/test_{name}.py"
