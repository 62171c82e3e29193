"""Real servers on loopback for the operations tests: gunicorn with the app, nginx in front.

Each runs against the test database (pytest-django's, so the test must use
``django_db(transaction=True)`` for the server to see its rows) and is stopped by the fixture.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_database_url(name: str | None = None) -> str:
    """DATABASE_URL pointed at the test database (or another database on the same server)."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(
        url._replace(path="/" + (name or settings.DATABASES["default"]["NAME"]))
    )


def wait_for(url: str, timeout: float = 60, context=None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5, context=context).read()  # noqa: S310
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Gunicorn:
    """gunicorn serving the app with deploy/gunicorn.conf.py, as ./scripts/run does."""

    def __init__(self, tmp_path: Path, workers: int, port: int | None = None, **env: str):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = tmp_path / f"access-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": app_database_url(),
            "DJANGO_DEBUG": "false",
            "HTTPS": "false",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": str(self.access_log),
            # The worker's pid on every access line: which worker answered.
            "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(s)s %(r)s'",
            "TILE_CACHE_LOCATION": str(tmp_path / "tiles"),
            **env,
        }
        self.log = open(tmp_path / f"gunicorn-{self.port}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "inputbank.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(self.url + "/healthz")
        except Exception:
            self.stop()
            raise

    def worker_pids(self) -> set[str]:
        return {line.split()[0] for line in self.access_log.read_text().splitlines() if line}

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
