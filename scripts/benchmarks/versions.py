"""The machine and the software versions a result was measured with."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict:
    """CPU, RAM and the versions of everything measured (PostgreSQL, PostGIS, GDAL twice)."""
    import django
    import pyogrio
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), PostGIS_Full_Version()")
        pg, postgis = cursor.fetchone()
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "postgresql": pg.split(" on ")[0],
        "postgis": postgis.split('"')[1] if '"' in postgis else postgis,
        "postgis_full": postgis,
        "gdal_ogr2ogr": _run("ogr2ogr", "--version"),
        "gdal_pyogrio": pyogrio.__gdal_version_string__,
        "django": django.get_version(),
        "chromium": _run("/usr/bin/chromium", "--version"),
    }
