"""The demo's local SMTP server (scripts/lib/smtp_sink.py, started by ./scripts/run)."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
import time

from django.core.mail import EmailMessage, get_connection

from tests.ops.servers import ROOT, free_port

SINK = ROOT / "scripts" / "lib" / "smtp_sink.py"


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stdout.read()
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the SMTP sink did not start")


def test_the_demo_sink_keeps_what_django_sends_and_ends_with_its_parent(tmp_path):
    port = free_port()
    parent = subprocess.Popen(["sleep", "60"])
    sink = subprocess.Popen(
        [sys.executable, str(SINK), "--port", str(port), "--folder", str(tmp_path / "mail")]
        + ["--parent", str(parent.pid)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, sink)
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=port,
            use_tls=False,
            timeout=5,
            fail_silently=False,
        )
        sent = EmailMessage(
            "Svar på innspillet ditt",
            "Benken kommer.",
            "innspill@moss.kommune.no",
            ["kari@example.no"],
            connection=connection,
        ).send()
        assert sent == 1
        [kept] = (tmp_path / "mail").glob("*.eml")
        message = email.message_from_bytes(kept.read_bytes(), policy=email.policy.default)
        assert message["To"] == "kari@example.no"
        assert message.get_content().strip() == "Benken kommer."
        parent.kill()
        parent.wait()
        assert sink.wait(timeout=10) == 0
    finally:
        for proc in (sink, parent):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
