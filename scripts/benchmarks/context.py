"""What every measure shares: the size, the database, the server, the query sets."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import psycopg

from scripts.benchmarks import areas, database
from scripts.benchmarks.server import WORKERS, Server
from scripts.benchmarks.sizes import Size

ROOT = Path(__file__).resolve().parents[2]


STARTED = time.monotonic()


def log(message: str) -> None:
    """Progress on stderr, stamped with seconds since the run started."""
    print(f"  [{time.monotonic() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def collect_static(target: Path) -> None:
    """collectstatic as production does (hashed, compressed), skipped when nothing changed."""
    import hashlib

    from django.core.management import call_command

    digest = hashlib.sha256()
    # The static folders, and the list of script bundles built from them (maps/bundles.py).
    for folder in [*sorted(ROOT.glob("*/static")), ROOT / "maps" / "bundles.py"]:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    stamp = target / ".collected"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    log("collectstatic")
    # STATIC_ROOT is this folder: __main__ sets it in the environment before Django starts.
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


@dataclass
class Context:
    size: Size
    seed: int
    url: str  # the benchmark database
    base_url: str  # the app's own database: scratch databases are created next to it
    work: Path  # generated files (GeoPackage, baseline page), kept between runs
    _server: Server | None = field(default=None, repr=False)
    _conns: list[psycopg.Connection] = field(default_factory=list, repr=False)

    @cached_property
    def drawn_areas(self) -> list[areas.Area]:
        return areas.drawn_areas(self.size.areas, self.seed)

    @cached_property
    def complex_areas(self) -> list[areas.Area]:
        return areas.complex_areas(self.size.complex_areas, self.seed)

    def server(self) -> Server:
        """The app under gunicorn, started on first use and stopped by close()."""
        if self._server is None:
            collect_static(self.work / "static")
            log(f"starting gunicorn ({WORKERS} workers, DEBUG off) on the benchmark database")
            self._server = Server(self.url, self.work).start()
        return self._server

    def connect(self) -> psycopg.Connection:
        """A baseline connection with the app's session settings, closed by close()."""
        conn = database.connect(self.url)
        self._conns.append(conn)
        return conn

    def close(self) -> None:
        if self._server:
            self._server.stop()
            self._server = None
        for conn in self._conns:
            conn.close()
        self._conns.clear()
