"""The benchmark still runs end to end (XS data, one round). It never judges speed."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"id", "measure", "ours", "baseline", "ratio", "target", "met"}
GROUPS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "X", "P")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "xs.json"
    done = subprocess.run(
        [str(ROOT / "scripts" / "bench"), "--size", "XS", "--json", str(out)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_measure_reports_rows_with_the_agreed_fields(rows):
    ids = [row["id"] for row in rows]
    for group in GROUPS:
        assert any(i.startswith(group) for i in ids), group
    for row in rows:
        assert set(row) >= KEYS, row["id"]
        assert isinstance(row["met"], bool), row["id"]


def test_measured_rows_carry_numbers_and_unavailable_ones_say_why(rows):
    for row in rows:
        assert row["status"] in ("measured", "unavailable"), (row["id"], row["note"])
        if row["status"] == "measured":
            assert row["ours"] is not None, row["id"]
        else:
            assert row["note"].startswith("not available yet"), row["id"]


def test_the_map_page_is_measured_as_deployed_behind_nginx(rows):
    # B8 serves both pages from one nginx (TLS, HTTP/2), ours with the shipped site file in
    # front of gunicorn; without nginx installed it falls back to gunicorn alone.
    b8 = next(row for row in rows if row["id"] == "B8")
    assert b8["status"] == "measured", b8["note"]
    expected = "one nginx" if shutil.which("nginx") else "gunicorn"
    assert b8["detail"]["served_by"].startswith(expected)
    assert b8["detail"]["page_drew"][0]["mode"] == "points"
