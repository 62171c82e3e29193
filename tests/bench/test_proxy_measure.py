"""The proxy measure's parts (P1 in ./scripts/bench); the whole measure runs in test_smoke."""

from scripts.benchmarks import proxy
from scripts.benchmarks.measures import p_proxy_tiles


def test_only_answers_from_the_proxy_cache_count_as_hits():
    assert p_proxy_tiles.hit_share({"HIT": 30}) == 1.0
    assert p_proxy_tiles.hit_share({"HIT": 3, "MISS": 1}) == 0.75
    assert p_proxy_tiles.hit_share({}) == 0.0


def test_without_nginx_the_measure_says_why(monkeypatch):
    monkeypatch.setattr(proxy.shutil, "which", lambda name: None)
    [row] = p_proxy_tiles.run(ctx=None)
    assert row.status == "unavailable"
    assert row.note.startswith("not available yet: nginx is not installed")


def test_the_shipped_site_file_still_has_every_line_the_loopback_copy_replaces(tmp_path):
    main = proxy.render(tmp_path, app_port=1, http=2, https=3, static=tmp_path / "static")
    site = (tmp_path / "site.conf").read_text()
    assert "server 127.0.0.1:1;" in site
    assert "listen 127.0.0.1:3 ssl" in site
    assert str(tmp_path / "tile-cache") in site
    assert f"include {tmp_path}/site.conf;" in main.read_text()
