"""pygeoapi feature providers over the public GIS views, using Django's own connection.

Why not pygeoapi's PostgreSQL provider: it counts every match (``count(*)`` on each items
request), transforms coordinates in Python and opens its own connection pool. These providers
build the GeoJSON in PostgreSQL (``json_build_object`` + ``ST_AsGeoJSON``, docs/measurements.md: the
fastest way to make features), transform in SQL, page by ``ORDER BY fid LIMIT/OFFSET`` and
never count unless a client asks for ``resulttype=hits``. Columns come from the same public
allow-list as the exports (``inputbank.publishing.layers``).

Axis order: CRS84 (the default) is lon/lat; an explicit ``crs=EPSG:4326`` or ``EPSG:4258``
gets lat/lon, as OGC API – Features Part 2 and pygeoapi's own providers do.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

import orjson
import pyarrow as pa
from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from geo.crs import (
    CRS84_URIS,
    ETRS89_GEOGRAPHIC_SRID,
    OUTPUT_SRIDS,
    STORAGE_SRID,
    WEB_SRID,
    coordinate_precision,
    parse_srid,
)
from inputbank.dbrouter import read_connection
from inputbank.location_privacy import HOME_DRAWN_MARGIN_M
from inputbank.models import Input
from inputbank.models.place_sql import published_homes_drawn_in_sql
from inputbank.models.tables import quoted_table
from inputbank.public import VIEW_PUBLIC
from inputbank.publishing import cql, layers
from inputbank.publishing.layers import Column

MAX_OFFSET = 100_000_000
_IDENTITY = frozenset({"lokalId", "navnerom", "versjonId"})


class FeatureText:
    """Holds the JSON array of features PostgreSQL built for one items request, unparsed.

    pygeoapi parses nothing it is not given: with a holder active (``passing_features_through``)
    the provider hands pygeoapi one ``None`` per feature (so it counts them and makes its
    paging links as usual) and keeps the text here; the view puts it into the response. Parsing
    10 000 features and serialising them again cost twice the query itself.
    """

    def __init__(self) -> None:
        self.text: str | None = None


_FEATURE_TEXT: ContextVar[FeatureText | None] = ContextVar("ogc_feature_text", default=None)


@contextlib.contextmanager
def passing_features_through() -> Iterator[FeatureText]:
    """Within this block, items queries leave their features as text in the holder yielded."""
    holder = FeatureText()
    token = _FEATURE_TEXT.set(holder)
    try:
        yield holder
    finally:
        _FEATURE_TEXT.reset(token)


_FILTER: ContextVar[cql.SqlFilter | None] = ContextVar("ogc_cql_filter", default=None)


@contextlib.contextmanager
def filtering(sql_filter: cql.SqlFilter | None) -> Iterator[None]:
    """Within this block, items queries also apply this compiled CQL2 filter.

    The view compiles ``filter`` itself (pygeoapi reads only ECQL and pre-CQL2 language names,
    and answers every fault "Bad CQL text"), so pygeoapi never sees the parameter.
    """
    token = _FILTER.set(sql_filter)
    try:
        yield
    finally:
        _FILTER.reset(token)


_JSON_TYPES = {pa.string(): "string", pa.bool_(): "boolean", pa.int32(): "integer"}
_NUMBER_OF_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def _json_type(column: Column) -> dict[str, str]:
    if pa.types.is_timestamp(column.type):
        return {"type": "string", "format": "date-time"}
    if pa.types.is_date(column.type):
        return {"type": "string", "format": "date"}
    return {"type": _JSON_TYPES.get(column.type, "string")}


# A bbox in the storage CRS (pygeoapi transforms it to the collection's storage_crs, api/ogc.py
# configures EPSG:25832): four parameters.
_BOX = f"ST_MakeEnvelope(%s, %s, %s, %s, {STORAGE_SRID})"


class _ViewProvider(BaseProvider):
    """A read-only feature collection over one view aliased ``v``, keyed by ``lokalId``."""

    source: str
    columns: tuple[Column, ...]
    base_where = "true"
    drawn = "v.geom"  # the geometry shown; rows are selected by v.geom and its index
    # How far ``drawn`` may lie from ``v.geom``'s box (metres), for the index prefilter.
    drawn_margin = 0.0
    time_column = "mottatt"
    list_columns: frozenset[str] = frozenset()  # comma-separated values, filtered by membership
    searchable = False  # whether ``q`` (full-text search) is offered

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self.id_field = "lokalId"
        self.get_fields()

    @classmethod
    def filterable(cls) -> tuple[Column, ...]:
        """The properties a query parameter filters on by equality: the queryables.

        Short coded values only; free text has ``q``, and an object's identity its own URL.
        """
        return tuple(
            c for c in cls.columns
            if pa.types.is_string(c.type) and not c.text and c.name not in _IDENTITY
        )  # fmt: skip

    @classmethod
    def cql_target(cls) -> cql.Target:
        """What a CQL2 filter may name: the queryables, tested as the public sees them."""
        return cql.Target(
            columns={c.name: c.sql for c in cls.filterable()},
            list_columns=cls.list_columns,
            drawn=cls.drawn,
            margin=cls.drawn_margin,
        )

    @classmethod
    def sortable(cls) -> tuple[Column, ...]:
        """The properties ``sortby`` takes: every column read from the view itself."""
        return tuple(c for c in cls.columns if "%s" not in c.sql)

    def get_fields(self) -> dict:
        if not self._fields:
            self._fields = {c.name: _json_type(c) for c in self.columns}
        return self._fields

    # --- SQL pieces -------------------------------------------------------------------------

    def _out_srid(self, crs_transform_spec) -> tuple[int, bool]:
        """Return (output SRID, flip axes) for pygeoapi's transform spec (None = storage)."""
        if crs_transform_spec is None:
            return STORAGE_SRID, False
        uri = crs_transform_spec.target_crs_uri
        srid = parse_srid(uri, OUTPUT_SRIDS)
        flip = uri not in CRS84_URIS and srid in (WEB_SRID, ETRS89_GEOGRAPHIC_SRID)
        return srid, flip

    def _feature_sql(self, select_properties, skip_geometry, crs_transform_spec) -> str:
        wanted = list(self.columns)
        if select_properties:
            # lokalId + navnerom always travel together: they are the object's identity.
            keep = {*select_properties, "lokalId", "navnerom"}
            wanted = [c for c in wanted if c.name in keep]
        props = ", ".join(f"'{c.name}', {c.sql}" for c in wanted)
        if skip_geometry:
            geometry = "NULL::json"
        else:
            srid, flip = self._out_srid(crs_transform_spec)
            expr = f"ST_Transform({self.drawn}, {int(srid)})"
            if flip:
                expr = f"ST_FlipCoordinates({expr})"
            geometry = f"ST_AsGeoJSON({expr}, {coordinate_precision(srid)}, 0)::json"
        return (
            "json_build_object('type', 'Feature', 'id', v.\"lokalId\"::text, "
            f"'geometry', {geometry}, 'properties', json_build_object({props}))"
        )

    def _where(self, bbox, datetime_, properties, q) -> tuple[list[str], list[object]]:
        clauses, params = [self.base_where], []
        if bbox:
            if len(bbox) != 4:
                raise ProviderInvalidQueryError(user_msg="bbox needs four numbers")
            clause, box_params = self._in_box([float(b) for b in bbox])
            clauses.append(clause)
            params += box_params
        if datetime_ and datetime_ not in ("../..", ".."):
            clauses.append(self._time_clause(datetime_, params))
        known = {c.name: c for c in self.filterable()}
        for name, value in properties or []:
            column = known.get(name)
            if column is None:
                raise ProviderInvalidQueryError(user_msg=f"cannot filter on {name[:40]!r}")
            if name in self.list_columns:
                clauses.append(f"%s = ANY(string_to_array({column.sql}, ','))")
            else:
                clauses.append(f"{column.sql} = %s")
            params.append(str(value)[:200])
        if q:
            clauses.append(self._search_clause())
            params.append(str(q)[:200])
        sql_filter = _FILTER.get()
        if sql_filter is not None:
            clauses.append(sql_filter.sql)
            params += sql_filter.params
        return clauses, params

    def _in_box(self, bbox: list[float]) -> tuple[str, list[float]]:
        """SQL and parameters: the row as the public sees it (``drawn``) intersects the box."""
        box = _BOX
        return f"v.geom && {box} AND ST_Intersects({self.drawn}, {box})", bbox * 2

    def _time_clause(self, text: str, params: list[object]) -> str:
        column = f"v.{self.time_column}"
        if "/" not in text:
            start = end = self._instant(text)
            if isinstance(start, str) and len(text) <= 10:
                params += [start]
                return f"{column}::date = %s::date"
        else:
            first, last = text.split("/", 1)
            start = None if first in ("", "..") else self._instant(first)
            end = None if last in ("", "..") else self._instant(last)
        parts = []
        if start is not None:
            parts.append(f"{column} >= %s")
            params.append(start)
        if end is not None:
            parts.append(f"{column} <= %s")
            params.append(end)
        return " AND ".join(parts) or "true"

    @staticmethod
    def _instant(text: str):
        try:
            value = parse_datetime(text) or parse_date(text)
        except ValueError:
            value = None
        if value is None:
            raise ProviderInvalidQueryError(user_msg="datetime must be RFC 3339 (or an interval)")
        return value.isoformat()

    def _search_clause(self) -> str:
        raise ProviderInvalidQueryError(user_msg="q is not supported for this collection")

    def _order(self, sortby) -> str:
        terms = []
        known = {c.name: c for c in self.sortable()}
        for item in sortby or []:
            column = known.get(item.get("property"))
            if column is None:
                name = str(item.get("property"))[:40]
                raise ProviderInvalidQueryError(user_msg=f"cannot sort by {name!r}")
            terms.append(f"{column.sql} {'DESC' if item.get('order') == '-' else 'ASC'}")
        return ", ".join([*terms, "v.fid"])

    # --- pygeoapi interface ------------------------------------------------------------------

    def query(
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=None,
        datetime_=None,
        properties=None,
        sortby=None,
        select_properties=None,
        skip_geometry=False,
        q=None,
        filterq=None,
        crs_transform_spec=None,
        **kwargs,
    ):
        if filterq is not None:
            # The view compiles CQL2 itself and never passes ``filter`` on (see ``filtering``).
            raise ProviderInvalidQueryError(user_msg="filter: not compiled by the view")
        if not 0 <= int(offset) <= MAX_OFFSET:
            raise ProviderInvalidQueryError(user_msg=f"offset must be at most {MAX_OFFSET}")
        clauses, params = self._where(bbox, datetime_, properties, q)
        where = " AND ".join(f"({c})" for c in clauses)
        if resulttype == "hits":
            with read_connection().cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {self.source} v WHERE {where}", params)
                matched = cursor.fetchone()[0]
            return {"type": "FeatureCollection", "features": [], "numberMatched": matched,
                    "numberReturned": 0}  # fmt: skip
        feature = self._feature_sql(select_properties, skip_geometry, crs_transform_spec)
        # Page over ids only, then build features for the page: columns such as the themes
        # are then computed for the rows returned, not for every row an OFFSET skips.
        # max(n) is the number of features on the page (n numbers them): nothing is counted.
        sql = (
            f"SELECT coalesce(json_agg(f.feature ORDER BY f.n), '[]')::text,"
            f" coalesce(max(f.n), 0) FROM ("
            f" SELECT {feature} AS feature, page.n FROM ("
            "  SELECT ids.fid, row_number() OVER () AS n FROM ("
            f"   SELECT v.fid FROM {self.source} v WHERE {where}"
            f"   ORDER BY {self._order(sortby)} LIMIT %s OFFSET %s) ids) page"
            f" JOIN {self.source} v ON v.fid = page.fid) f"
        )
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [settings.INPUTBANK["NAMESPACE"], *params,
                                 int(limit), int(offset)])  # fmt: skip
            text, count = cursor.fetchone()
        holder = _FEATURE_TEXT.get()
        if holder is not None:
            holder.text = text
            features = [None] * count
        else:
            features = orjson.loads(text)
        return {"type": "FeatureCollection", "features": features,
                "numberReturned": len(features)}  # fmt: skip

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        try:
            key = uuid.UUID(str(identifier)[:36])
        except ValueError as exc:
            raise ProviderItemNotFoundError(user_msg="no such item") from exc
        feature = self._feature_sql(None, False, crs_transform_spec)
        sql = (
            f"SELECT {feature}::text FROM {self.source} v "
            f'WHERE ({self.base_where}) AND v."lokalId" = %s'
        )
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [settings.INPUTBANK["NAMESPACE"], key])
            row = cursor.fetchone()
        if row is None:
            raise ProviderItemNotFoundError(user_msg="no such item")
        return orjson.loads(row[0])


class InputProvider(_ViewProvider):
    """Published inputs: the public columns of ``inputbank_gis_inputs``."""

    source = layers.INPUT_SOURCE
    columns = layers.INPUT_COLUMNS
    # A spatial collection holds located input only: features with ``geometry: null`` are
    # refused by the core schema and by several clients. Input with no place is in the REST
    # API and in the exports' table of input without a place.
    base_where = f"({VIEW_PUBLIC}) AND v.geom IS NOT NULL"
    # Homes are shown at their grid cell's centre (inputbank.location_privacy, migration 0011).
    drawn = "v.offentlig_geom"
    # A home's cell centre is within half a cell's diagonal of a point on the real place.
    drawn_margin = HOME_DRAWN_MARGIN_M
    list_columns = frozenset({"tema"})
    searchable = True

    def _in_box(self, bbox: list[float]) -> tuple[str, list[float]]:
        """SQL: the row intersects the box as the public sees it; a home by its cell centre.

        Rows whose real place is in the box, tested by what is drawn; then the homes drawn in
        the box from outside it (inputbank.location_privacy: never by the real place). Two
        arms, each through an index: widening the whole box by the homes' margin made
        PostgreSQL read and test every input up to 50 m around it, 8 × the rows of a
        small, dense box at 10 M inputs (B3.ogc-1k, docs/benchmarks.md).
        """
        in_box, params = super()._in_box(bbox)
        homes = published_homes_drawn_in_sql(quoted_table(Input), _BOX)
        return f"({in_box}) OR v.fid = ANY(ARRAY({homes}))", params + bbox * 2

    def _search_clause(self) -> str:
        # Full-text search on the public text, through the stored tsvector and its GIN index.
        inputs = quoted_table(Input)
        return (
            f"v.fid IN (SELECT id FROM {inputs} "
            "WHERE search_vector @@ websearch_to_tsquery('norwegian', %s))"
        )


class ProcessProvider(_ViewProvider):
    """Participation processes with their areas (public information)."""

    source = layers.PROCESS_SOURCE
    columns = layers.PROCESS_COLUMNS
    base_where = "v.geom IS NOT NULL"
    time_column = "aapner"
    list_columns = frozenset({"kanaler"})
