"""deploy/nginx/innspillsbank.conf in front of gunicorn, both on loopback: TLS, static files,
tiles cached at the proxy, request size limits and forwarded headers. nginx is started by
scripts/benchmarks/proxy.py, which the benchmark's proxy measure (P1) uses too."""

import shutil

import pytest
import requests

from scripts.benchmarks.proxy import Nginx
from tests.factories import make_input, point
from tests.gis.test_tiles import tile_of, url
from tests.ops.servers import ROOT, Gunicorn, free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


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
    proxy = Nginx(tmp_path, app_port=app.port, http=free_port(), https=free_port(), static=static)
    try:
        proxy.wait()
        yield {"base": proxy.base, "http": proxy.http_base, "cert": proxy.cert, "app": app}
    finally:
        proxy.stop()
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
