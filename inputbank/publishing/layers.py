"""The column lists of every GIS layer, which exports, OGC and tiles share.

Which input columns are public is decided by ``inputbank.public`` (the one allow-list, shared
with the API); this module says how each column is read and in which order. Columns come
from the database views of migration 0002 (``inputbank_gis_inputs``, ``gis.prosesser``,
``gis.tema``), which hold no contributor data and no original text.
Names are SOSI-style Norwegian and at most 10 characters, so a shapefile keeps them intact.
``lokalId`` + ``navnerom`` identify an object for good; ``versjonId`` changes with every edit
(of the input or of its response), so a GIS tool re-importing an export updates rather than
duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from inputbank.geometry import SHAPE_TYPES
from inputbank.models import Input, Theme
from inputbank.models.tables import quoted_table
from inputbank.public import PUBLIC_GIS_COLUMNS

TIMESTAMP = pa.timestamp("ms", tz="UTC")
STRING = pa.string()


@dataclass(frozen=True)
class Column:
    """An output column: name, Arrow type, SQL expression over the view aliased ``v``."""

    name: str
    type: pa.DataType
    sql: str
    text: bool = False  # free text a person wrote (escaped for KML, guarded for CSV)


def _c(name: str, sql: str | None = None, type_: pa.DataType = STRING, text=False) -> Column:
    return Column(name, type_, sql or f"v.{name}", text)


NAVNEROM = Column("navnerom", pa.string(), "%s::text")  # the namespace is a query parameter

# Every input column of the layers, in file order.
_INPUT_COLUMNS: tuple[Column, ...] = (
    _c("lokalId", 'v."lokalId"::text'),
    NAVNEROM,
    _c("versjonId", 'v."versjonId"'),
    _c("tekst", text=True),
    _c("tema"),
    _c("temanavn", text=True),
    _c("kanal"),
    _c("spraak"),
    _c("mottatt", type_=TIMESTAMP),
    _c("publisert", type_=TIMESTAMP),
    _c("kilde"),
    _c("prosess"),
    _c("saksnr"),
    _c("utfall"),
    _c("svar", text=True),
    _c("fase"),
    _c("svardato", type_=TIMESTAMP),
    _c("vedtaksref", text=True),
)
# The public ones: only what inputbank.public allows (test_public.py checks none is missing).
INPUT_COLUMNS: tuple[Column, ...] = tuple(c for c in _INPUT_COLUMNS if c.name in PUBLIC_GIS_COLUMNS)
# Only for the GIS team and case officers, who may export unpublished input: never personal.
# ``begrenset`` marks location-restricted input (children's routes): never to be published.
STAFF_INPUT_COLUMNS: tuple[Column, ...] = (_c("status"), _c("begrenset", type_=pa.bool_()))

PROCESS_COLUMNS: tuple[Column, ...] = (
    _c("lokalId", 'v."lokalId"::text'),
    NAVNEROM,
    _c("versjonId", 'v."versjonId"'),
    _c("kortnavn"),
    _c("tittel", text=True),
    _c("omtale", text=True),
    _c("formaal", text=True),
    _c("eier", text=True),
    _c("aapner", type_=pa.date32()),
    _c("lukker", type_=pa.date32()),
    _c("stige"),
    _c("kanaler"),
    _c("maalgruppe", text=True),
    _c("status"),
    _c("saksnr"),
    _c("planid"),
)

THEME_COLUMNS: tuple[Column, ...] = (
    _c("slug"),
    _c("navn", text=True),
    _c("forelder"),
    _c("farge"),
    _c("ikon"),
    _c("sortering", type_=pa.int32()),
    _c("aktiv", type_=pa.bool_()),
)

INPUT_SOURCE = "inputbank_gis_inputs"
# For exports of many rows: the view computes themes per row (LATERAL, right for a tile or a
# page); a merge join against themes grouped once is ~4x cheaper for a whole table. Same
# expressions and order as the view (migration 0002); a test compares the two.
THEMES_GROUPED_JOIN = (
    "LEFT JOIN (SELECT it.input_id,"
    " string_agg(t.slug, ',' ORDER BY t.sort_order, t.slug) AS slugs,"
    " string_agg(t.name, ', ' ORDER BY t.sort_order, t.slug) AS names"
    f" FROM {quoted_table(Input.themes.through)} it"
    f" JOIN {quoted_table(Theme)} t ON t.id = it.theme_id"
    " GROUP BY it.input_id) th ON th.input_id = v.fid"
)
THEMES_GROUPED_COLUMNS = {"v.temanavn": "th.names", "v.tema": "th.slugs"}
PROCESS_SOURCE = "gis.prosesser"
THEME_SOURCE = "gis.tema"

# Layer names inside files, as in the database views.
INPUT_LAYER, PROCESS_LAYER, THEME_LAYER = "innspill", "prosesser", "tema"
NO_PLACE_LAYER = f"{INPUT_LAYER}_uten_sted"  # input without a place: a table, no geometry
# Shapefiles hold one geometry kind each: (layer suffix, GDAL type, PostGIS types).
SHAPE_KINDS = (
    ("punkt", "MultiPoint", SHAPE_TYPES["point"]),
    ("linje", "MultiLineString", SHAPE_TYPES["line"]),
    ("flate", "MultiPolygon", SHAPE_TYPES["area"]),
)


def kml_columns(columns) -> list[Column]:
    """KML shows Name on the map and Description in the balloon."""
    head = [
        Column("Name", pa.string(), "coalesce(v.temanavn, 'Innspill')", text=True),
        Column("Description", pa.string(), "v.tekst", text=True),
    ]
    return head + [c for c in columns if c.name not in ("tekst", "temanavn")]
