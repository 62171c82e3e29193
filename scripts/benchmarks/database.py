"""The benchmark database: one per size, generated once, reused while its marker matches.

It lives on the same PostgreSQL server as the app's own database (the project-local cluster
by default), so product and baselines run with the same server settings. A marker row records
what was generated; a run whose size, seed and generator source match it skips generation.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from scripts.benchmarks.sizes import BENCH_TODAY, Size

ROOT = Path(__file__).resolve().parents[2]
# The generator's source and inputs: when one changes, the data is generated again.
GENERATOR_FILES = [
    *sorted((ROOT / "inputbank" / "demo").glob("*.py")),
    *sorted((ROOT / "fixtures" / "demo").glob("*.json")),
    # The demo's recurring concerns (inputbank/demo/arguments.py).
    ROOT / "fixtures" / "arguments" / "statements.json",
    ROOT / "fixtures" / "themes.json",
    ROOT / "fixtures" / "moss_boundary.geojson",
]


def url_with_database(url: str, name: str) -> str:
    """Return DATABASE_URL pointing at another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def bench_database_name(base_url: str, label: str) -> str:
    """innspillsbank_bench_<label> next to the app's database (label: a size, "empty", ...)."""
    base = urlsplit(base_url).path.lstrip("/") or "innspillsbank"
    return f"{base}_bench_{label.lower()}"


def session_options() -> str:
    """The app's per-connection settings (e.g. no parallel workers, no JIT: settings.py).

    Baselines use the very same ones, so product and baseline run under equal settings.
    """
    from django.conf import settings

    return settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")


def connect(url: str, **kw) -> psycopg.Connection:
    """A raw psycopg connection with the app's session settings (autocommit)."""
    return psycopg.connect(url, autocommit=True, options=session_options(), **kw)


def create_database(base_url: str, name: str, *, drop: bool = False) -> str:
    """Create a database from template1 (which has PostGIS on our cluster); return its URL."""
    with psycopg.connect(url_with_database(base_url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template1").format(sql.Identifier(name))
            )
    url = url_with_database(base_url, name)
    with psycopg.connect(url, autocommit=True) as conn:
        # A server of one's own (DATABASE_URL) may lack them in template1.
        conn.execute("SET client_min_messages = warning")
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return url


def drop_database(base_url: str, name: str) -> None:
    with psycopg.connect(url_with_database(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def generator_hash() -> str:
    digest = hashlib.sha256()
    for path in GENERATOR_FILES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def wanted_marker(size: Size, seed: int) -> dict:
    return {
        "points": size.points,
        "lines": size.lines,
        "polygons": size.polygons,
        "seed": seed,
        "today": BENCH_TODAY.isoformat(),
        "generator": generator_hash(),
    }


def read_marker(url: str) -> dict | None:
    with connect(url) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (key text PRIMARY KEY, value jsonb NOT NULL)"
        )
        row = conn.execute("SELECT value FROM bench_marker WHERE key = 'data'").fetchone()
    return row[0] if row else None


def write_marker(url: str, marker: dict) -> None:
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO bench_marker (key, value) VALUES ('data', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(marker)],
        )


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # The shared cache (CACHE_URL, the database by default) that throttles and form tokens use.
    call_command("createcachetable", verbosity=0)


def ensure_data(url: str, size: Size, seed: int, log: Callable[[str], None]) -> dict:
    """Migrate, and generate the demo data unless the marker says it is already there.

    Returns the seconds of each phase (rows built and written with COPY, secondary indexes
    built, VACUUM ANALYZE, argument grouping): docs/benchmarks.md extrapolates size L from M."""
    migrate()
    want = wanted_marker(size, seed)
    have = read_marker(url)
    if have == want:
        log(f"reusing {size.name} data ({size.total:,} inputs, seed {seed})")
        if group_arguments(log):
            vacuum(url)
        return {"generated": False, "seconds": 0.0}
    log(f"generating {size.name} data: {size.total:,} inputs, seed {seed} (COPY)")
    from inputbank.demo.loader import InputCounts, load_demo

    phases: dict[str, float] = {}
    lines: list[str] = []

    def note(msg: str) -> None:
        lines.append(msg.strip())
        log(msg.strip())

    started = time.perf_counter()
    with connect(url) as conn:
        conn.execute("DELETE FROM bench_marker")
    load_demo(
        counts=InputCounts(size.points, size.lines, size.polygons),
        today=BENCH_TODAY,
        seed=seed,
        replace=True,
        log=note,
    )
    phases["load_demo"] = time.perf_counter() - started
    for line in lines:  # the loader's own split: "... (123 s)" and "... built in 45 s"
        if line.endswith("chunks written") or "chunks written (" in line:
            phases["copy"] = float(line.rsplit("(", 1)[1].split(" ")[0])
        if "indexes built in" in line:
            phases["indexes"] = float(line.rsplit(" in ", 1)[1].split(" ")[0])
    t0 = time.perf_counter()
    group_arguments(log)
    phases["grouping"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    vacuum(url)
    phases["vacuum_analyze"] = time.perf_counter() - t0
    write_marker(url, want)
    seconds = time.perf_counter() - started
    split = ", ".join(f"{k} {v:.0f} s" for k, v in phases.items())
    log(f"generated in {seconds:.0f} s ({split}); load average {os.getloadavg()[0]:.2f}")
    return {
        "generated": True,
        "seconds": round(seconds, 1),
        "phases": {k: round(v, 1) for k, v in phases.items()},
        "database_mb": database_mb(url),
    }


def database_mb(url: str) -> float:
    with connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return round(row[0] / 2**20, 1)


VACUUMED = [
    "inputbank_input",
    "inputbank_input_themes",
    "inputbank_response",
    "inputbank_argument",
    "inputbank_contributor",
]


def vacuum(url: str) -> None:
    """After a bulk load: visibility map and statistics, so the first timed queries neither
    set hint bits nor plan on guesses (the product's loader leaves this to autovacuum). The
    input table on one connection, the others on a second: one core each."""
    from concurrent.futures import ThreadPoolExecutor

    def run(tables: list[str]) -> None:
        with connect(url) as conn:
            for table in tables:
                conn.execute(f"VACUUM (ANALYZE) {table}")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, [VACUUMED[:1], VACUUMED[1:]]))


def group_arguments(log: Callable[[str], None]) -> bool:
    """Put every input into an argument, as the product does (B1's answer lists arguments,
    submissions meet a grouped bank). Skipped when nothing is left to place."""
    from inputbank.models import Input
    from inputbank.services import arguments_regroup

    if not Input.objects.filter(argument__isnull=True).exclude(status="rejected").exists():
        return False
    log("grouping inputs into arguments (manage.py match_arguments)")
    result = arguments_regroup()
    log(f"{result.placed:,} inputs grouped in {result.seconds:.0f} s")
    return True


def setup_django(url: str) -> None:
    """Point Django at the benchmark database and set it up (in this process)."""
    os.environ["DATABASE_URL"] = url
    # Always ours: a caller's DJANGO_SETTINGS_MODULE (pytest sets one) must not win.
    os.environ["DJANGO_SETTINGS_MODULE"] = "scripts.benchmarks.django_settings"
    import django

    django.setup()
