"""WMS 1.3.0 and WFS 2.0 by MapServer at /ows, read with GDAL's WMS and WFS drivers and OWSLib."""

from __future__ import annotations

import io
import subprocess
import urllib.request

import pytest
from owslib.wfs import WebFeatureService
from owslib.wms import WebMapService
from PIL import Image

from geo.crs import STORAGE_SRID
from inputbank.models import Theme
from inputbank.publishing import mapserver
from tests.gis.conftest import SECRET_EMAIL, SECRET_NAME
from tests.gis.helpers import to_storage

pytestmark = [
    pytest.mark.skipif(not mapserver.available(), reason="cgi-mapserver not installed"),
    pytest.mark.django_db(transaction=True),
]


def gdal(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    assert done.stderr == "", done.stderr
    return done.stdout


def test_gdal_wfs_reads_the_public_layers_by_geometry_type(live_server, sample):
    out = gdal("ogrinfo", "-ro", "-al", "-q", f"WFS:{live_server.url}/ows?VERSION=2.0.0")
    assert str(sample["point"].public_id) in out
    assert str(sample["area"].public_id) in out
    assert "Trygg skolevei" in out
    for hidden in (
        SECRET_NAME,
        SECRET_EMAIL,
        "Ikke moderert",
        "Avvist",
        str(sample["nowhere"].public_id),
    ):
        assert hidden not in out
    layers = gdal("ogrinfo", "-ro", "-q", f"WFS:{live_server.url}/ows?VERSION=2.0.0")
    for name in ("innspill_punkt", "innspill_linje", "innspill_flate"):
        assert name in layers


def test_gdal_wms_draws_a_map(live_server, sample, tmp_path):
    x, y = to_storage(10.658, 59.434)
    url = (
        f"WMS:{live_server.url}/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap"
        f"&LAYERS=innspill_punkt,innspill_linje,innspill_flate&CRS=EPSG:25832"
        f"&BBOX={x - 500},{y - 500},{x + 500},{y + 500}&FORMAT=image/png"
    )
    target = tmp_path / "map.png"
    gdal("gdal_translate", "-q", "-of", "PNG", "-outsize", "256", "256", url, str(target))
    assert target.stat().st_size > 500
    caps = gdal("gdalinfo", f"WMS:{live_server.url}/ows?SERVICE=WMS&VERSION=1.3.0")
    assert "innspill_punkt" in caps


def test_getfeatureinfo_returns_public_fields_only(live_server, sample):
    x, y = to_storage(10.658, 59.434)
    query = (
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=innspill_punkt"
        "&QUERY_LAYERS=innspill_punkt&STYLES=&CRS=EPSG:25832&WIDTH=101&HEIGHT=101&I=50&J=50"
        f"&BBOX={x - 50},{y - 50},{x + 50},{y + 50}&INFO_FORMAT=application/vnd.ogc.gml"
    )
    with urllib.request.urlopen(f"{live_server.url}/ows?{query}", timeout=60) as response:  # noqa: S310
        text = response.read().decode()
    assert "Trygg skolevei" in text
    assert str(sample["point"].public_id) in text
    for hidden in (SECRET_NAME, SECRET_EMAIL, "<fid>", "status"):
        assert hidden not in text


def test_a_client_cannot_name_its_own_mapfile(client, sample):
    response = client.get("/ows", {"map": "/etc/passwd", "SERVICE": "WMS",
                                   "REQUEST": "GetCapabilities", "VERSION": "1.3.0"})  # fmt: skip
    assert response.status_code == 200
    assert b"root:" not in response.content
    assert b"WMS_Capabilities" in response.content


def test_owslib_reads_the_wms_and_wfs_capabilities_and_data(live_server, sample):
    # OWSLib is the OGC client of QGIS's MetaSearch and of many Python tools: it parses the
    # capabilities documents strictly (WMS 1.3.0, WFS 2.0) and asks as they do.
    wms = WebMapService(f"{live_server.url}/ows", version="1.3.0")
    assert {"innspill_punkt", "innspill_linje", "innspill_flate"} <= set(wms.contents)
    assert "EPSG:25832" in wms["innspill_punkt"].crsOptions
    x, y = to_storage(10.658, 59.434)
    image = wms.getmap(
        layers=["innspill_punkt"], srs="EPSG:25832", bbox=(x - 500, y - 500, x + 500, y + 500),
        size=(256, 256), format="image/png",
    )  # fmt: skip
    assert image.read()[:8] == b"\x89PNG\r\n\x1a\n"

    wfs = WebFeatureService(f"{live_server.url}/ows", version="2.0.0")
    assert {"innspill_punkt", "innspill_flate"} <= {n.split(":")[-1] for n in wfs.contents}
    name = next(n for n in wfs.contents if n.endswith("innspill_punkt"))
    body = wfs.getfeature(typename=[name]).read()
    body = body.decode() if isinstance(body, bytes) else body
    assert str(sample["point"].public_id) in body
    for hidden in (SECRET_NAME, SECRET_EMAIL):
        assert hidden not in body


def test_wms_draws_each_input_in_the_colour_of_its_theme(live_server, sample):
    # The same palette as the GeoPackage styles, KML and vector tiles (publishing/styles.py):
    # the theme table's colour, set by staff in the admin.
    Theme.objects.filter(slug="transport").update(colour="#d55e00")
    x, y = to_storage(10.658, 59.434)  # the sample's point, about transport
    url = (
        f"{live_server.url}/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=innspill_punkt"
        f"&STYLES=&CRS=EPSG:{STORAGE_SRID}&BBOX={x - 60},{y - 60},{x + 60},{y + 60}"
        "&WIDTH=64&HEIGHT=64&FORMAT=image/png&TRANSPARENT=TRUE"
    )
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        image = Image.open(io.BytesIO(response.read())).convert("RGBA")
    colours = {image.getpixel((i, j))[:3] for i in range(64) for j in range(64)
               if image.getpixel((i, j))[3] == 255}  # fmt: skip
    assert (0xD5, 0x5E, 0x00) in colours
