"""The map page's scripts as one file, built from their sources by the static pipeline."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from maps import bundles

pytestmark = pytest.mark.django_db

HOME = "maps/js/bundles/home.js"


@pytest.fixture(autouse=True)
def bundle_root(tmp_path, settings):
    settings.STATIC_BUNDLE_ROOT = tmp_path


def test_the_bundle_is_its_sources_in_order():
    text = Path(finders.find(HOME)).read_text(encoding="utf-8")
    at = -1
    for source in bundles.BUNDLES[HOME]:
        body = Path(finders.find(source)).read_text(encoding="utf-8").rstrip()
        found = text.find(body)
        assert found > at, f"{source} missing or out of order"
        at = found


def test_a_changed_source_is_in_the_next_look_up(tmp_path, monkeypatch):
    extra = tmp_path / "src"
    (extra / "maps" / "js").mkdir(parents=True)
    (extra / "maps" / "js" / "extra.js").write_text("var changed = 1;\n", encoding="utf-8")
    monkeypatch.setitem(bundles.BUNDLES, "maps/js/bundles/test.js", ("maps/js/extra.js",))
    monkeypatch.setattr(bundles.finders, "find", lambda path: str(extra / path))
    finder = bundles.BundleFinder()
    assert "var changed = 1;" in Path(finder.find("maps/js/bundles/test.js")).read_text()
    (extra / "maps" / "js" / "extra.js").write_text("var changed = 2;\n", encoding="utf-8")
    assert "var changed = 2;" in Path(finder.find("maps/js/bundles/test.js")).read_text()


def test_collectstatic_lists_every_bundle():
    listed = {path for path, _storage in bundles.BundleFinder().list(None)}
    assert listed == set(bundles.BUNDLES)


def test_a_missing_source_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(bundles.BUNDLES, "maps/js/bundles/broken.js", ("maps/js/nowhere.js",))
    with pytest.raises(FileNotFoundError, match="nowhere.js"):
        bundles.build("maps/js/bundles/broken.js")


def test_the_map_page_loads_the_bundle_not_its_sources(client):
    page = client.get("/").content.decode()
    assert HOME in page
    for source in bundles.BUNDLES[HOME]:
        assert f'src="/static/{source}"' not in page
