"""KML styled by theme (inputbank/publishing/kml.py): Google Earth draws the themes' colours."""

from __future__ import annotations

import shutil
import subprocess
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from inputbank.models import Theme
from tests.gis.test_exports import export

KML = "{http://www.opengis.net/kml/2.2}"


def placemarks(root) -> dict[str, Element]:
    out = {}
    for mark in root.iter(f"{KML}Placemark"):
        data = {d.get("name"): d.text for d in mark.iter(f"{KML}SimpleData")}
        out[data["lokalId"]] = mark
    return out


def test_each_theme_has_a_style_in_its_colour_and_each_input_points_at_its_first_theme(
    client, sample, tmp_path
):
    Theme.objects.filter(slug="transport").update(colour="#0072B2")
    Theme.objects.filter(slug="green-areas").update(colour="#009E73")
    root = ElementTree.parse(export(client, tmp_path, "kml")).getroot()
    document = root.find(f"{KML}Document")
    shared = {s.get("id"): s for s in document.findall(f"{KML}Style")}
    # KML writes colours as aabbggrr: #0072B2 is ffb27200; areas are filled at 40 %.
    transport = shared["tema-transport"]
    assert transport.find(f"{KML}IconStyle/{KML}color").text == "ffb27200"
    assert transport.find(f"{KML}LineStyle/{KML}color").text == "ffb27200"
    assert shared["tema-green-areas"].find(f"{KML}PolyStyle/{KML}color").text == "66739e00"
    assert "uten-tema" in shared

    marks = placemarks(root)
    url = {key: mark.findtext(f"{KML}styleUrl") for key, mark in marks.items()}
    assert url[str(sample["point"].public_id)] == "#tema-transport"
    # The line has both themes: drawn in the colour of the first in the themes' order.
    line = marks[str(sample["line"].public_id)]
    themes = next(d.text for d in line.iter(f"{KML}SimpleData") if d.get("name") == "tema")
    assert set(themes.split(",")) == {"transport", "green-areas"}
    assert url[str(sample["line"].public_id)] == f"#tema-{themes.split(',')[0]}"
    assert url[str(sample["area"].public_id)] == "#tema-green-areas"
    # GDAL's own inline style (a red line, no fill) would be drawn over the shared one.
    assert not [m for m in marks.values() if m.find(f"{KML}Style") is not None]


def test_an_input_without_a_theme_is_drawn_grey(client, sample, tmp_path):
    sample["area"].themes.clear()
    root = ElementTree.parse(export(client, tmp_path, "kml")).getroot()
    mark = placemarks(root)[str(sample["area"].public_id)]
    assert mark.findtext(f"{KML}styleUrl") == "#uten-tema"
    grey = root.find(f"{KML}Document/{KML}Style[@id='uten-tema']")
    assert grey.find(f"{KML}LineStyle/{KML}color").text == "ff7f7f7f"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL tools missing")
def test_gdal_reads_the_styles_back_without_warnings(client, sample, tmp_path):
    path = export(client, tmp_path, "kml")
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert done.stderr == ""
    assert "Style = @tema-transport" in done.stdout
    assert "Style = @tema-green-areas" in done.stdout
    assert "PEN(c:#FF0000FF)" not in done.stdout
