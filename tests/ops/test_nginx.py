"""deploy/nginx/innspillsbank.conf in front of gunicorn, both on loopback: TLS, static files,
tiles cached at the proxy, request size limits and forwarded headers."""

import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.factories import make_input, point
from tests.gis.test_tiles import tile_of, url
from tests.ops.servers import ROOT, Gunicorn, free_port, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CONF = ROOT / "deploy" / "nginx" / "innspillsbank.conf"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _render(folder: Path, *, app_port: int, http: int, https: int, static: Path) -> Path:
    """The shipped file with this machine's ports and folders put in, wrapped in a main file."""
    cert, key = _self_signed(folder)
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
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
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
}}
"""
    )
    return main


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, django_db_setup, django_db_blocker):
    """One nginx and one gunicorn for the whole module (starting them is the slow part)."""
    tmp_path = tmp_path_factory.mktemp("nginx")
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    static = tmp_path / "static"
    (static / "maps" / "js").mkdir(parents=True)
    shutil.copy(ROOT / "maps" / "static" / "maps" / "js" / "common.js", static / "maps" / "js")
    app = Gunicorn(
        tmp_path,
        workers=2,
        CACHE_URL="locmem://",
        HTTPS="true",
        # nginx redirects to https; the app behind it trusts its X-Forwarded-Proto.
        SECURE_SSL_REDIRECT="false",
        API_NUM_PROXIES="1",
    )
    http, https = free_port(), free_port()
    main = _render(tmp_path, app_port=app.port, http=http, https=https, static=static)
    nginx = subprocess.Popen(
        ["nginx", "-c", str(main), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "nginx-stderr.log", "wb"),  # noqa: SIM115
    )
    base = f"https://127.0.0.1:{https}"
    cert = str(tmp_path / "cert.pem")
    try:
        import ssl

        wait_for(base + "/healthz", context=ssl.create_default_context(cafile=cert))
        yield {"base": base, "http": f"http://127.0.0.1:{http}", "cert": cert, "app": app}
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.stop()


def test_tls_is_terminated_and_plain_http_redirected(proxied):
    response = requests.get(proxied["base"] + "/healthz", verify=proxied["cert"], timeout=30)
    assert response.status_code == 200
    # The app saw https through the proxy: it sends HSTS.
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    plain = requests.get(proxied["http"] + "/healthz", allow_redirects=False, timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"] == proxied["base"] + "/healthz"


def test_a_client_cannot_claim_https_or_another_address(proxied):
    forged = {"X-Forwarded-Proto": "http", "X-Forwarded-For": "198.51.100.7"}
    response = requests.get(
        proxied["base"] + "/healthz", headers=forged, verify=proxied["cert"], timeout=30
    )
    assert "Strict-Transport-Security" in response.headers  # nginx said https, not the client


def test_static_files_come_from_disk_with_long_cache_headers(proxied):
    response = requests.get(
        proxied["base"] + "/static/maps/js/common.js", verify=proxied["cert"], timeout=30
    )
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "/static/" not in proxied["app"].access_log.read_text()


def test_tiles_are_cached_at_the_proxy(proxied):
    make_input(geom=point(10.658, 59.434))
    tile = proxied["base"] + url(*tile_of(10.658, 59.434, 15))
    first = requests.get(tile, verify=proxied["cert"], timeout=30)
    second = requests.get(tile, verify=proxied["cert"], timeout=30)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache-Status"] == "MISS"
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]
    assert proxied["app"].access_log.read_text().count("/tiles/") == 1


def test_oversized_bodies_are_refused_at_the_proxy(proxied):
    response = requests.post(
        proxied["base"] + "/api/v1/inputs/",
        data=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        verify=proxied["cert"],
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "the request body is too large"
    assert "/api/v1/inputs/" not in proxied["app"].access_log.read_text()


def test_the_api_answers_json_while_the_app_is_down(proxied):
    """Last in this module: it stops the app behind the proxy."""
    proxied["app"].stop()
    response = requests.get(proxied["base"] + "/api/v1/themes/", verify=proxied["cert"], timeout=30)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["errors"][0]["message"]
