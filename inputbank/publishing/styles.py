"""Map styles by theme, one palette for every client: QGIS (QML), SLD readers, MapLibre.

An input is drawn in the colour of its first theme (``tema`` is the comma-separated slugs in
theme order, so "first" is ``tema = slug`` or ``tema LIKE 'slug,%'``); input without a theme
is grey. Colours come from the theme table (``gis.tema``, staff set them in the admin).
The GeoPackage export embeds QML and SLD per layer in ``layer_styles`` (QGIS applies it when
the layer is added); the vector tiles' MapLibre style (``/tiles/style.json``) uses the same
colours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyarrow as pa
from django.db import connection

from inputbank.publishing import layers

OTHER_COLOUR = "#7f7f7f"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_PALETTE = ("#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3",
            "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6", "#ffff99")  # fmt: skip


@dataclass(frozen=True)
class ThemeStyle:
    slug: str
    name: str
    colour: str


def theme_styles() -> list[ThemeStyle]:
    """Active top-level and child themes in display order, each with a usable colour."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug, navn, farge FROM {layers.THEME_SOURCE} "
            "WHERE aktiv ORDER BY sortering, slug"
        )
        rows = cursor.fetchall()
    styles = []
    for i, (slug, name, colour) in enumerate(rows):
        if not _SLUG.match(slug or ""):
            continue  # never put a value we have not checked into a filter expression
        colour = colour if _COLOUR.match(colour or "") else _PALETTE[i % len(_PALETTE)]
        styles.append(ThemeStyle(slug, name or slug, colour.lower()))
    return styles


def _rgb(colour: str, alpha: int = 255) -> str:
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5)) + f",{alpha}"


# --- QML (QGIS) -------------------------------------------------------------------------------


def _qml_symbol(kind: str, index: int, colour: str) -> str:
    if kind == "punkt":
        symbol, cls = "marker", "SimpleMarker"
        options = {"name": "circle", "color": _rgb(colour), "size": "3",
                   "outline_color": "255,255,255,255", "outline_width": "0.4"}  # fmt: skip
    elif kind == "linje":
        symbol, cls = "line", "SimpleLine"
        options = {"line_color": _rgb(colour), "line_width": "0.8", "capstyle": "round"}
    else:
        symbol, cls = "fill", "SimpleFill"
        options = {"color": _rgb(colour, 90), "outline_color": _rgb(colour),
                   "outline_width": "0.5", "style": "solid"}  # fmt: skip
    opts = "".join(f'<Option type="QString" name="{k}" value="{v}"/>' for k, v in options.items())
    return (
        f'<symbol type="{symbol}" name="{index}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" pass="0" locked="0"><Option type="Map">{opts}</Option>'
        "</layer></symbol>"
    )


def qml(themes: list[ThemeStyle], kind: str) -> str:
    """A QGIS rule-based style: one rule per theme (first theme of an input), else grey."""
    rules, symbols = [], []
    for i, theme in enumerate(themes):
        expression = f"\"tema\" = '{theme.slug}' OR \"tema\" LIKE '{theme.slug},%'"
        rules.append(
            f'<rule key="{i}" symbol="{i}" label={quoteattr(theme.name)} '
            f"filter={quoteattr(expression)}/>"
        )
        symbols.append(_qml_symbol(kind, i, theme.colour))
    n = len(themes)
    rules.append(f'<rule key="{n}" symbol="{n}" label="Annet" filter="ELSE"/>')
    symbols.append(_qml_symbol(kind, n, OTHER_COLOUR))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.28.0" styleCategories="Symbology">'
        '<renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0">'
        f'<rules key="root">{"".join(rules)}</rules><symbols>{"".join(symbols)}</symbols>'
        "</renderer-v2></qgis>"
    )


# --- SLD 1.0 ----------------------------------------------------------------------------------


def _sld_symbolizer(kind: str, colour: str) -> str:
    if kind == "punkt":
        return (
            "<PointSymbolizer><Graphic><Mark><WellKnownName>circle</WellKnownName>"
            f'<Fill><CssParameter name="fill">{colour}</CssParameter></Fill>'
            '<Stroke><CssParameter name="stroke">#ffffff</CssParameter></Stroke>'
            "</Mark><Size>10</Size></Graphic></PointSymbolizer>"
        )
    if kind == "linje":
        return (
            f'<LineSymbolizer><Stroke><CssParameter name="stroke">{colour}</CssParameter>'
            '<CssParameter name="stroke-width">3</CssParameter></Stroke></LineSymbolizer>'
        )
    return (
        f'<PolygonSymbolizer><Fill><CssParameter name="fill">{colour}</CssParameter>'
        '<CssParameter name="fill-opacity">0.35</CssParameter></Fill>'
        f'<Stroke><CssParameter name="stroke">{colour}</CssParameter>'
        '<CssParameter name="stroke-width">1.5</CssParameter></Stroke></PolygonSymbolizer>'
    )


def _sld_filter(slug: str) -> str:
    return (
        "<ogc:Filter><ogc:Or><ogc:PropertyIsEqualTo><ogc:PropertyName>tema</ogc:PropertyName>"
        f"<ogc:Literal>{slug}</ogc:Literal></ogc:PropertyIsEqualTo>"
        '<ogc:PropertyIsLike wildCard="*" singleChar="?" escape="!">'
        f"<ogc:PropertyName>tema</ogc:PropertyName><ogc:Literal>{slug},*</ogc:Literal>"
        "</ogc:PropertyIsLike></ogc:Or></ogc:Filter>"
    )


def sld(themes: list[ThemeStyle], kind: str, layer: str) -> str:
    """The same rules as SLD 1.0 (QGIS, GeoServer, MapServer read it)."""
    rules = [
        f"<Rule><Name>{theme.slug}</Name><Title>{escape(theme.name)}</Title>"
        f"{_sld_filter(theme.slug)}{_sld_symbolizer(kind, theme.colour)}</Rule>"
        for theme in themes
    ]
    rules.append(
        f"<Rule><Name>annet</Name><Title>Annet</Title><ElseFilter/>"
        f"{_sld_symbolizer(kind, OTHER_COLOUR)}</Rule>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
        'xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.opengis.net/sld '
        'http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">'
        f"<NamedLayer><Name>{escape(layer)}</Name><UserStyle><Name>tema</Name>"
        f"<Title>Innspill etter tema</Title><FeatureTypeStyle>{''.join(rules)}"
        "</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"
    )


# --- QGIS' layer_styles table ------------------------------------------------------------------

_STYLE_COLUMNS = ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                  "styleName", "styleQML", "styleSLD", "description", "owner", "ui")  # fmt: skip


def layer_styles_table(layer_names: list[str], geometry_column: str = "geom") -> pa.Table:
    """Rows of QGIS' ``layer_styles`` table: the default style ``tema`` of each layer.

    A layer's kind is its name's last part (``innspill_punkt`` → ``punkt``).
    """
    themes = theme_styles()
    rows: dict[str, list] = {name: [] for name in _STYLE_COLUMNS}
    for layer in layer_names:
        kind = layer.rsplit("_", 1)[-1]
        values = ("", "", layer, geometry_column, "tema", qml(themes, kind),
                  sld(themes, kind, layer), "Innspill etter (første) tema", "", None)  # fmt: skip
        for name, value in zip(_STYLE_COLUMNS, values, strict=True):
            rows[name].append(value)
    schema = pa.schema(
        [*(pa.field(n, pa.string()) for n in _STYLE_COLUMNS), pa.field("useAsDefault", pa.bool_())]
    )
    return pa.table({**rows, "useAsDefault": [True] * len(layer_names)}, schema=schema)
