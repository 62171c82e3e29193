"""The app in a real server process (gunicorn, 2 workers, DEBUG off) and a concurrent client.

The client is plain http.client in threads: each request its own connection (gunicorn's sync
workers close after every answer), latencies measured around the whole exchange.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Two sync workers, one per core (BENCH_WORKERS to try another number).
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# High enough never to throttle the benchmark's own traffic (production keeps its defaults).
NO_THROTTLE = "1000000/s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tile_cache_dir(work: Path) -> Path:
    """Where the app under test keeps tiles and public answers (emptied for cold measures)."""
    return work / "tile-cache"


def clear_tile_cache(work: Path) -> None:
    shutil.rmtree(tile_cache_dir(work), ignore_errors=True)


def server_env(database_url: str, port: int, work: Path) -> dict[str, str]:
    """The production configuration, on plain http, with throttling and bot timing relaxed.

    Static files and the tile cache live in the size's work folder (B2 empties the cache).
    """
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="scripts.benchmarks.django_settings",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-not-secret",
        DJANGO_DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        THROTTLE_SUBMIT=NO_THROTTLE,
        THROTTLE_ANON=NO_THROTTLE,
        INPUT_MIN_FILL_SECONDS="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(work / "static"),
        TILE_CACHE_LOCATION=str(tile_cache_dir(work)),
        PYTHONPATH=str(ROOT),
    )
    return env


@dataclass
class Server:
    database_url: str
    work: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    # Settings a measure changes for its own second server (B9.submit: matching off).
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        log_path = self.work / "gunicorn.log"
        self._log = log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "inputbank.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=600",
                "--log-level=warning",
                f"--chdir={ROOT}",
            ],
            env={**server_env(self.database_url, self.port, self.work), **self.extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            try:
                status, _body, _t = request(self.port, "GET", "/bench/no-database")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 600,
) -> tuple[int, bytes, float]:
    """One request on a fresh connection; return (status, body, seconds for the whole exchange)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    return response.status, data, time.perf_counter() - started


def drive(
    call: Callable[[int], object],
    *,
    concurrency: int,
    count: int | None = None,
    seconds: float | None = None,
) -> tuple[list[float], float]:
    """Run call(i) from ``concurrency`` threads, ``count`` times or for ``seconds``.

    Returns every call's latency and the wall time. Used for HTTP (call sends a request) and
    for baselines (call runs SQL on the thread's own connection), so both see the same
    concurrency.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    next_index = [0]
    stop_at = time.perf_counter() + seconds if seconds else None
    errors: list[BaseException] = []

    def worker() -> None:
        while True:
            with lock:
                i = next_index[0]
                if (count is not None and i >= count) or (
                    stop_at is not None and time.perf_counter() >= stop_at
                ):
                    return
                next_index[0] += 1
            try:
                started = time.perf_counter()
                call(i)
                elapsed = time.perf_counter() - started
            except BaseException as exc:  # re-raised in the caller's thread below
                errors.append(exc)
                return
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return latencies, wall
