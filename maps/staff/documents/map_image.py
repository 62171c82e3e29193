"""A map picture for case documents, drawn on the server with Pillow (no tiles, no browser).

The archive copy of a report must show where the input is without a network: the query area
(orange outline), each input coloured by outcome (points as dots, lines and areas as drawn),
a scale bar and a north arrow. Drawn in the storage CRS (UTM, metres), so distances and shapes
are true to scale.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterable, Sequence

import orjson
from django.contrib.gis.geos import GEOSGeometry
from PIL import Image, ImageDraw, ImageFont

from geo.crs import STORAGE_SRID, WEB_SRID

SIZE = (1600, 1000)
MARGIN = 60
AREA_COLOUR = "#d9730d"
BACKGROUND = "#f4f6f7"
FALLBACK_COLOUR = "#333333"
# Pillow's built-in font has no æ, ø, å; DejaVu (Debian fonts-dejavu-core) has them.
FONT_FILE = "DejaVuSans.ttf"


@functools.cache
def _font(size: int):
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:
        return ImageFont.load_default(size)


def _storage_geometry(geojson: dict) -> GEOSGeometry:
    geometry = GEOSGeometry(orjson.dumps(geojson).decode(), srid=WEB_SRID)
    geometry.transform(STORAGE_SRID)
    return geometry


def _parts(geometry: GEOSGeometry) -> Iterable[GEOSGeometry]:
    if geometry.geom_type.startswith("Multi") or geometry.geom_type == "GeometryCollection":
        for part in geometry:
            yield from _parts(part)
    else:
        yield geometry


class _Frame:
    """Maps storage-CRS metres to pixels, keeping the aspect ratio, north up."""

    def __init__(self, extent: Sequence[float]):
        x0, y0, x1, y1 = extent
        pad = max(x1 - x0, y1 - y0, 200) * 0.08
        self.x0, self.y0, self.x1, self.y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        width, height = SIZE[0] - 2 * MARGIN, SIZE[1] - 2 * MARGIN
        self.scale = min(width / (self.x1 - self.x0), height / (self.y1 - self.y0))
        self.left = MARGIN + (width - (self.x1 - self.x0) * self.scale) / 2
        self.top = MARGIN + (height - (self.y1 - self.y0) * self.scale) / 2

    def __call__(self, coords) -> list[tuple[float, float]]:
        return [
            (self.left + (x - self.x0) * self.scale, self.top + (self.y1 - y) * self.scale)
            for x, y, *_z in coords
        ]


def _draw(draw: ImageDraw.ImageDraw, frame: _Frame, geometry: GEOSGeometry, colour: str) -> None:
    for part in _parts(geometry):
        kind = part.geom_type
        if kind == "Point":
            [(x, y)] = frame([part.coords])
            draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=colour, outline="white", width=2)
        elif kind == "LineString":
            draw.line(frame(part.coords), fill=colour, width=5, joint="curve")
        elif kind == "Polygon":
            outer = frame(part.exterior_ring.coords)
            draw.polygon(outer, outline=colour, width=4)


def _scale_bar(draw: ImageDraw.ImageDraw, frame: _Frame) -> None:
    metres = (SIZE[0] / 5) / frame.scale
    nice = 10 ** math.floor(math.log10(metres))
    for step in (5, 2, 1):
        if step * nice <= metres:
            metres = step * nice
            break
    length = metres * frame.scale
    x, y = MARGIN, SIZE[1] - MARGIN / 2
    draw.rectangle((x, y - 6, x + length, y), fill="black")
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    draw.text((x + length + 10, y - 14), label, fill="black", font=_font(22))


def _north_arrow(draw: ImageDraw.ImageDraw) -> None:
    x, y = SIZE[0] - MARGIN, MARGIN
    draw.polygon([(x, y - 30), (x - 14, y + 10), (x + 14, y + 10)], fill="black")
    draw.text((x - 8, y + 14), "N", fill="black", font=_font(24))


def _legend(draw: ImageDraw.ImageDraw, legend: Sequence[tuple[str, str]]) -> None:
    """The colours and what they mean, bottom right, on a white box."""
    rows = [(AREA_COLOUR, label) if colour is None else (colour, label) for label, colour in legend]
    height = 30 * len(rows) + 16
    x, y = SIZE[0] - 430, SIZE[1] - height - 10
    draw.rectangle((x, y, SIZE[0] - 10, SIZE[1] - 10), fill="white", outline="#999999")
    for i, (colour, label) in enumerate(rows):
        top = y + 10 + 30 * i
        draw.rectangle((x + 10, top, x + 32, top + 22), fill=colour)
        draw.text((x + 42, top), label, fill="black", font=_font(20))


def render_report_map(
    area: GEOSGeometry,
    features: Sequence[dict],
    colours: dict[str, str],
    legend: Sequence[tuple[str, str | None]] = (),
) -> bytes:
    """Return a PNG of the area (storage CRS) and the features (GeoJSON, lon/lat).

    Each feature is coloured by ``colours[properties["outcome"]]``; ``legend`` lists
    (label, colour) pairs, colour None meaning the area's outline.
    """
    area = area.transform(STORAGE_SRID, clone=True) if area.srid != STORAGE_SRID else area
    shapes = [
        (_storage_geometry(f["geometry"]), colours.get(f["properties"].get("outcome"), ""))
        for f in features
        if f.get("geometry")
    ]
    x0, y0, x1, y1 = area.extent
    for geometry, _colour in shapes:
        gx0, gy0, gx1, gy1 = geometry.extent
        x0, y0, x1, y1 = min(x0, gx0), min(y0, gy0), max(x1, gx1), max(y1, gy1)
    frame = _Frame((x0, y0, x1, y1))
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    for part in _parts(area):
        if part.geom_type == "Polygon":
            draw.polygon(frame(part.exterior_ring.coords), fill="#fdf0e3")
    # Areas first, then lines, then points: the small things stay visible on top.
    order = {"Polygon": 0, "MultiPolygon": 0, "LineString": 1, "MultiLineString": 1}
    for geometry, colour in sorted(shapes, key=lambda s: order.get(s[0].geom_type, 2)):
        _draw(draw, frame, geometry, colour or FALLBACK_COLOUR)
    _draw(draw, frame, area, AREA_COLOUR)
    _scale_bar(draw, frame)
    _north_arrow(draw)
    if legend:
        _legend(draw, legend)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
