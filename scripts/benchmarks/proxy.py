"""nginx from Debian in front of the app, on loopback, with the shipped site file.

deploy/nginx/innspillsbank.conf with this machine's ports and folders put in, a self-signed
certificate and a main file that keeps every path inside one folder, so no root-owned
/etc/nginx or /var/cache is touched. Used by the proxy measure (measures/p_proxy_tiles.py) and
by tests/ops/test_nginx.py, so both check the file users deploy.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "innspillsbank.conf"


def nginx_missing() -> str:
    """Why nginx cannot run here ("" when it can)."""
    if not shutil.which("nginx"):
        return "not available yet: nginx is not installed (Debian: apt-get install nginx-light)"
    return ""


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def render(
    folder: Path, *, app_port: int, http: int, https: int, static: Path, extra: str = ""
) -> Path:
    """The shipped file with this machine's ports and folders put in, wrapped in a main file.
    ``extra``: more server blocks for the same http block ({cert} and {key} filled in)."""
    cert, key = self_signed(folder)
    site = CONF.read_text()
    for old, new in {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "/var/cache/nginx/innspillsbank-tiles": str(folder / "tile-cache"),
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "/etc/ssl/innspillsbank/fullchain.pem": str(cert),
        "/etc/ssl/innspillsbank/privkey.pem": str(key),
        "/srv/innspillsbank/var/staticfiles/": f"{static}/",
        "return 301 https://$host$request_uri;": f"return 301 https://$host:{https}$request_uri;",
    }.items():
        if old not in site:
            raise ValueError(f"{CONF.name} no longer contains {old!r}: update proxy.render")
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    more = extra.replace("{cert}", str(cert)).replace("{key}", str(key))
    main.write_text(
        f"""
user root;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
{more}
}}
"""
    )
    return main


class Nginx:
    """nginx started on loopback in front of ``app_port``; ``stop()`` ends it."""

    def __init__(
        self,
        folder: Path,
        *,
        app_port: int,
        http: int,
        https: int,
        static: Path,
        extra: str = "",
    ):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.https_port = https
        self.base = f"https://127.0.0.1:{https}"
        self.http_base = f"http://127.0.0.1:{http}"
        main = render(folder, app_port=app_port, http=http, https=https, static=static, extra=extra)
        self.cert = str(folder / "cert.pem")
        self._stderr = (folder / "nginx-stderr.log").open("wb")
        self.process = subprocess.Popen(
            ["nginx", "-c", str(main), "-p", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cert)

    def wait(self, path: str = "/healthz", timeout: float = 60) -> Nginx:
        deadline = time.monotonic() + timeout
        context = self.ssl_context()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "nginx-stderr.log").read_text(errors="replace")
                raise RuntimeError(f"nginx exited: {log[-800:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5, context=context):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"nginx did not answer {path} within {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
