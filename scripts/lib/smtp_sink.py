"""A local SMTP server for the demo: accepts every message on loopback and keeps it as a file.

./scripts/run starts it so the feedback e-mail takes the same path as in production (Django's
SMTP backend, a real SMTP conversation) and an officer sees "sent" only when a server accepted
the message. Nothing leaves the machine: each message is written to <folder>/<time>-<n>.eml,
which any mail program opens.

    python scripts/lib/smtp_sink.py --port 8025 --folder var/mail [--parent PID]

With ``--parent`` it stops by itself when that process ends (the web server it serves).
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    """aiosmtpd handler: write each accepted message to a file in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            path = self.folder / f"{stamp}-{next(self.counter):04d}.eml"
            path.write_bytes(envelope.original_content or envelope.content)
        print(f"smtp-sink: {len(envelope.rcpt_tos)} recipient(s) -> {path}", flush=True)
        return "250 OK: kept in the demo mail folder"


def start(folder: Path, port: int, host: str = "127.0.0.1") -> Controller:
    """Start the server in a thread and return its controller (``.stop()`` ends it)."""
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    return controller


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--parent", type=int, help="stop when this process ends")
    args = parser.parse_args()
    controller = start(args.folder, args.port)
    print(f"smtp-sink: listening on 127.0.0.1:{args.port}, mail in {args.folder}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            if args.parent and not _alive(args.parent):
                break
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
