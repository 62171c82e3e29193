"""KML styled by theme: the colours of the GeoPackage styles and the vector tiles in Google Earth.

GDAL's KML writer takes no style through the Arrow interface we write with, so the file it
wrote is finished here: one shared ``<Style>`` per theme (``styles.theme_styles``, the palette
every other client gets) after ``<Document>``, and in each placemark a ``<styleUrl>`` to the
style of its first theme (``tema`` holds the slugs in theme order), grey without one. The file
is rewritten one placemark at a time, so a large export is never held in memory. GDAL reads
the styles back (``ogrinfo`` shows each feature's style string).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from inputbank.publishing import styles

_FIRST_THEME = re.compile(r'<SimpleData name="tema">([a-z0-9_-]+)')
# KML's Feature elements come in schema order: styleUrl after name and description and
# before ExtendedData (GDAL writes every field there, lokalId always).
_BEFORE = re.compile(r"(\n\t<ExtendedData>)")
# GDAL gives lines and areas an inline style of its own (a red line, no fill), which a viewer
# would draw over the shared one: it goes.
_GDAL_STYLE = re.compile(r"\n\t<Style>.*?</Style>")
# Input without a theme (or with one no longer active); not "tema-...", so no slug meets it.
OTHER = "uten-tema"


def style_id(slug: str) -> str:
    return slug if slug == OTHER else f"tema-{slug}"


def _kml_colour(colour: str, alpha: int) -> str:
    """#rrggbb -> KML's aabbggrr."""
    r, g, b = colour[1:3], colour[3:5], colour[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _style(slug: str, colour: str) -> str:
    return (
        f'<Style id="{style_id(slug)}">'
        f"<IconStyle><color>{_kml_colour(colour, 0xFF)}</color><scale>1.1</scale></IconStyle>"
        f"<LineStyle><color>{_kml_colour(colour, 0xFF)}</color><width>3</width></LineStyle>"
        f"<PolyStyle><color>{_kml_colour(colour, 0x66)}</color><outline>1</outline></PolyStyle>"
        "</Style>\n"
    )


def style_by_theme(path: Path) -> None:
    """Add the theme styles to the KML file GDAL wrote at ``path`` (in place)."""
    themes = styles.theme_styles()
    known = {t.slug for t in themes}
    head = "".join(_style(t.slug, t.colour) for t in themes) + _style(OTHER, styles.OTHER_COLOUR)
    finished = path.with_suffix(".styled.kml")
    with path.open(encoding="utf-8") as source, finished.open("w", encoding="utf-8") as out:
        placemark: list[str] = []
        for line in source:
            if placemark:
                placemark.append(line)
                if "</Placemark>" in line:
                    out.write(_with_style_url("".join(placemark), known))
                    placemark = []
                continue
            if line.lstrip().startswith("<Placemark"):
                placemark = [line]
                continue
            out.write(line)
            if line.startswith("<Document"):
                out.write(head)
        if placemark:  # an unfinished placemark: keep it as written
            out.write("".join(placemark))
    os.replace(finished, path)


def _with_style_url(placemark: str, known: set[str]) -> str:
    found = _FIRST_THEME.search(placemark)
    slug = found.group(1) if found and found.group(1) in known else OTHER
    url = f"\n\t<styleUrl>#{style_id(slug)}</styleUrl>"
    placemark = _GDAL_STYLE.sub("", placemark, count=1)
    return _BEFORE.sub(lambda m: url + m.group(1), placemark, count=1)
