"""CQL2 filters (OGC API – Features Part 3) translated to SQL over a provider's view.

pygeofilter parses ``cql2-text`` and ``cql2-json`` into one syntax tree; this module walks it
and writes a parameterised SQL condition over the view aliased ``v``. pygeofilter's own SQL
backend writes literals into the SQL text unescaped, so it is not used.

What a filter may say (the conformance classes ``inputbank.publishing.ogc_documents``
declares, nothing more):

* Basic CQL2: ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``IS [NOT] NULL``, ``AND``, ``OR``,
  ``NOT``, on a queryable and a literal of its type.
* Advanced comparison: ``[NOT] LIKE`` (``%`` any text, ``_`` one character, ``\\`` escapes),
  ``[NOT] BETWEEN``, ``[NOT] IN``.
* Spatial functions: ``S_INTERSECTS``, ``S_DISJOINT``, ``S_CONTAINS``, ``S_WITHIN``,
  ``S_TOUCHES``, ``S_CROSSES``, ``S_OVERLAPS``, ``S_EQUALS`` between the ``geometry``
  queryable and a geometry literal (WKT / GeoJSON, or ``BBOX(minx, miny, maxx, maxy)``) in
  ``filter-crs`` (CRS84 by default). The literal is admitted as a query area by the one
  geometry policy (``inputbank.geometry``): same vertex limit, same "must touch Moss" rule as
  ``intersects=`` on the REST API.

Only the collection's queryables can be named (``provider.filterable()`` and ``geometry``):
anything else, and every syntax error, is a ``CqlError`` whose message names the problem.
A list column (``tema``: comma-separated slugs) is tested by membership, as its query
parameter is: ``tema = 'transport'`` holds for input carrying that theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import orjson
import shapely
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from geo.crs import (
    CRS84_URIS,
    ETRS89_GEOGRAPHIC_SRID,
    WEB_SRID,
    UnknownCRS,
    canonical_crs_uri,
    parse_srid,
)
from geo.validation import GeometryError
from inputbank.geomessages import geo_message
from inputbank.geometry import QUERY_AREA, admit_geometry, admit_shape

LANGUAGES = ("cql2-text", "cql2-json")
# GDAL up to 3.6 translates ``-where`` to CQL text only for a server that lists the draft name
# ``cql-text`` for ``filter-lang``; what it writes (=, <>, <, >, LIKE, IS NULL, AND, OR, NOT on
# queryables) is CQL2 text as well, so the draft name is read as CQL2 text.
DRAFT_TEXT = "cql-text"
ACCEPTED = (*LANGUAGES, DRAFT_TEXT)
GEOMETRY = "geometry"  # the spatial queryable's name
MAX_FILTER_CHARS = 20_000  # a filter comes in a URL; this also bounds a literal's vertices
MAX_TERMS = 200  # comparisons and predicates in one filter

_COMPARISON = {
    ast.ComparisonOp.EQ: "=",
    ast.ComparisonOp.NE: "<>",
    ast.ComparisonOp.LT: "<",
    ast.ComparisonOp.LE: "<=",
    ast.ComparisonOp.GT: ">",
    ast.ComparisonOp.GE: ">=",
}
_SPATIAL = {
    ast.SpatialComparisonOp.INTERSECTS: "ST_Intersects",
    ast.SpatialComparisonOp.DISJOINT: "ST_Disjoint",
    ast.SpatialComparisonOp.CONTAINS: "ST_Contains",
    ast.SpatialComparisonOp.WITHIN: "ST_Within",
    ast.SpatialComparisonOp.TOUCHES: "ST_Touches",
    ast.SpatialComparisonOp.CROSSES: "ST_Crosses",
    ast.SpatialComparisonOp.OVERLAPS: "ST_Overlaps",
    ast.SpatialComparisonOp.EQUALS: "ST_Equals",
}


class CqlError(ValueError):
    """A filter we cannot run: bad syntax, an unknown property, an operator not offered."""


@dataclass(frozen=True)
class SqlFilter:
    """A condition over the view aliased ``v`` and its parameters, in order."""

    sql: str
    params: tuple[object, ...]


@dataclass(frozen=True)
class Target:
    """What the filter runs against: the provider's columns and its geometry expressions."""

    columns: dict[str, str]  # queryable name -> SQL expression
    list_columns: frozenset[str]
    drawn: str  # the geometry the public sees: spatial predicates test this one
    # A box test on the indexed column that every row the predicate keeps passes: ``drawn``
    # lies within ``margin`` metres of ``v.geom``'s box (homes are drawn at a cell centre).
    margin: float


def filter_crs(value: str | None) -> tuple[int, bool]:
    """Return (EPSG code, axes given lat/lon) for ``filter-crs`` (CRS84 when absent)."""
    if value is None:
        return WEB_SRID, False
    try:
        uri = canonical_crs_uri(value)
    except UnknownCRS as exc:
        raise CqlError(f"filter-crs: {geo_message(exc)}") from exc
    srid = parse_srid(uri)
    return srid, uri not in CRS84_URIS and srid in (WEB_SRID, ETRS89_GEOGRAPHIC_SRID)


def compile_filter(text: str, *, lang: str | None, crs: str | None, target: Target) -> SqlFilter:
    """Parse a CQL2 filter and return its SQL over ``target``; raise CqlError naming the fault."""
    lang = lang or "cql2-text"
    if lang not in ACCEPTED:
        raise CqlError(f"filter-lang must be one of {', '.join(ACCEPTED)}, not {lang[:40]!r}")
    srid, flip = filter_crs(crs)
    if len(text) > MAX_FILTER_CHARS:
        raise CqlError(f"filter is longer than {MAX_FILTER_CHARS} characters")
    tree = _parse(text, lang)
    writer = _Writer(target, srid, flip)
    try:
        sql = writer.condition(tree)
    except RecursionError as exc:
        raise CqlError("filter is nested too deeply") from exc
    return SqlFilter(sql, tuple(writer.params))


def _parse(text: str, lang: str):
    try:
        if lang == "cql2-json":
            try:
                doc = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                raise CqlError(f"filter is not JSON: {exc}") from exc
            return parse_json(_bbox_literals(doc))
        return parse_text(text)
    except CqlError:
        raise
    except UnexpectedCharacters as exc:
        near = text[exc.pos_in_stream : exc.pos_in_stream + 20]
        raise CqlError(f"syntax error at character {exc.column}, near {near!r}") from exc
    except UnexpectedInput as exc:
        raise CqlError(f"syntax error at character {getattr(exc, 'column', '?')}") from exc
    except (LarkError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise CqlError(f"cannot read the filter: {str(exc)[:200]}") from exc
    except RecursionError as exc:
        raise CqlError("filter is nested too deeply") from exc


def _bbox_literals(node):
    """cql2-json ``{"bbox": [...]}`` as a GeoJSON polygon (pygeofilter reads its order wrong)."""
    if isinstance(node, list):
        return [_bbox_literals(n) for n in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"bbox"}:
        return _box_polygon(node["bbox"])
    return {k: _bbox_literals(v) for k, v in node.items()}


def _box_polygon(numbers) -> dict:
    if (
        not isinstance(numbers, list | tuple)
        or len(numbers) not in (4, 6)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers)
    ):
        raise CqlError("a bbox literal needs four numbers: minx, miny, maxx, maxy")
    if len(numbers) == 6:
        numbers = (numbers[0], numbers[1], numbers[3], numbers[4])
    x1, y1, x2, y2 = (float(n) for n in numbers)
    ring = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]
    return {"type": "Polygon", "coordinates": [ring]}


class _Writer:
    """Writes one filter's SQL; ``params`` collects the values in placeholder order."""

    def __init__(self, target: Target, srid: int, flip: bool):
        self.target = target
        self.srid = srid
        self.flip = flip
        self.params: list[object] = []
        self.terms = 0

    def condition(self, node) -> str:
        if isinstance(node, ast.And | ast.Or):
            op = "AND" if isinstance(node, ast.And) else "OR"
            return f"({self.condition(node.lhs)} {op} {self.condition(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"(NOT {self.condition(node.sub_node)})"
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise CqlError(f"filter has more than {MAX_TERMS} conditions")
        if isinstance(node, ast.Comparison):
            return self._comparison(node)
        if isinstance(node, ast.Like):
            return self._like(node)
        if isinstance(node, ast.Between):
            return self._between(node)
        if isinstance(node, ast.In):
            return self._in(node)
        if isinstance(node, ast.IsNull):
            if isinstance(node.lhs, ast.Attribute) and node.lhs.name == GEOMETRY:
                column = self.target.drawn
            else:
                column = self.target.columns[self._property(node.lhs)]
            return f"({column} IS {'NOT ' if node.not_ else ''}NULL)"
        if isinstance(node, ast.Include):
            return "false" if node.not_ else "true"
        if isinstance(node, ast.SpatialComparisonPredicate):
            return self._spatial(node)
        if isinstance(node, ast.BBox):
            self._property(node.lhs, spatial=True)
            box = _box_polygon([node.minx, node.miny, node.maxx, node.maxy])
            return self._spatial_sql("ST_Intersects", box, property_first=True)
        if isinstance(node, bool):
            return "true" if node else "false"
        raise CqlError(f"{_describe(node)} is not offered here; see the conformance classes")

    # --- operands ---------------------------------------------------------------------------

    def _property(self, node, *, spatial: bool = False) -> str:
        if not isinstance(node, ast.Attribute):
            raise CqlError(f"expected a property name, got {_describe(node)}")
        name = node.name
        if name == GEOMETRY:
            if not spatial:
                raise CqlError("geometry can only be compared with a spatial function")
            return name
        if name not in self.target.columns:
            known = ", ".join([*self.target.columns, GEOMETRY])
            raise CqlError(f"unknown property {name[:40]!r}; queryables: {known}")
        if spatial:
            raise CqlError(f"{name} is not a geometry; spatial functions take {GEOMETRY!r}")
        return name

    def _text(self, node, name: str) -> str:
        if isinstance(node, str):
            self.params.append(node)
            return "%s"
        raise CqlError(f"{name} is text: compare it with a quoted string, not {_describe(node)}")

    def _sides(self, node) -> tuple[str, object, bool]:
        """(property name, literal, property on the left) of a binary predicate."""
        if isinstance(node.lhs, ast.Attribute):
            return self._property(node.lhs), node.rhs, True
        if isinstance(node.rhs, ast.Attribute):
            return self._property(node.rhs), node.lhs, False
        raise CqlError(f"a comparison needs a queryable on one side, not {_describe(node.lhs)}")

    # --- predicates -------------------------------------------------------------------------

    def _comparison(self, node) -> str:
        if isinstance(node.lhs, ast.Attribute) and isinstance(node.rhs, ast.Attribute):
            raise CqlError("comparing two properties is not offered here")
        name, literal, left = self._sides(node)
        op = _COMPARISON[node.op]
        if not left:
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        if name in self.target.list_columns:
            if op not in ("=", "<>"):
                raise CqlError(f"{name} is a list: use =, <>, IN or NOT IN")
            member = self._member(name, literal)
            return member if op == "=" else f"(NOT {member})"
        value = self._text(literal, name)
        return f"({self.target.columns[name]} {op} {value})"

    def _member(self, name: str, literal) -> str:
        value = self._text(literal, name)
        return f"({value} = ANY(string_to_array({self.target.columns[name]}, ',')))"

    def _like(self, node) -> str:
        name = self._property(node.lhs)
        if name in self.target.list_columns:
            raise CqlError(f"{name} is a list: use =, <>, IN or NOT IN")
        # CQL2's pattern is SQL's: % any text, _ one character, backslash escapes.
        pattern = self._text(node.pattern, name)
        column = self.target.columns[name]
        like = "ILIKE" if node.nocase else "LIKE"  # ILIKE: GDAL sends it for its -where
        return f"({column} {'NOT ' if node.not_ else ''}{like} {pattern} ESCAPE '\\')"

    def _between(self, node) -> str:
        name = self._property(node.lhs)
        if name in self.target.list_columns:
            raise CqlError(f"{name} is a list: use =, <>, IN or NOT IN")
        low, high = self._text(node.low, name), self._text(node.high, name)
        column = self.target.columns[name]
        return f"({column} {'NOT ' if node.not_ else ''}BETWEEN {low} AND {high})"

    def _in(self, node) -> str:
        name = self._property(node.lhs)
        if not node.sub_nodes:
            raise CqlError("IN needs at least one value")
        if name in self.target.list_columns:
            parts = " OR ".join(self._member(name, v) for v in node.sub_nodes)
            return f"({'NOT ' if node.not_ else ''}({parts}))"
        options = ", ".join(self._text(v, name) for v in node.sub_nodes)
        column = self.target.columns[name]
        return f"({column} {'NOT ' if node.not_ else ''}IN ({options}))"

    def _spatial(self, node) -> str:
        function = _SPATIAL[node.op]
        if isinstance(node.lhs, ast.Attribute):
            self._property(node.lhs, spatial=True)
            return self._spatial_sql(function, node.rhs, property_first=True)
        if isinstance(node.rhs, ast.Attribute):
            self._property(node.rhs, spatial=True)
            return self._spatial_sql(function, node.lhs, property_first=False)
        raise CqlError(f"{function[3:].upper()} needs the {GEOMETRY!r} property on one side")

    def _spatial_sql(self, function: str, literal, *, property_first: bool) -> str:
        area = self._geometry(literal)
        drawn = self.target.drawn
        self.params.append(area)
        args = f"{drawn}, %s::geometry" if property_first else f"%s::geometry, {drawn}"
        test = f"{function}({args})"
        if function == "ST_Disjoint":
            return f"({test})"
        # Every other function implies the two intersect: a box test on the indexed column
        # first, so the spatial index chooses the rows.
        self.params.append(area)
        prefilter = f"v.geom && ST_Expand(%s::geometry, {float(self.target.margin)})"
        return f"({prefilter} AND {test})"

    def _geometry(self, literal) -> str:
        """The literal admitted as a query area, as hex EWKB in the storage CRS."""
        if isinstance(literal, ast.Function) and literal.name.lower() == "bbox":
            literal = _box_polygon(list(literal.arguments))
        elif isinstance(literal, values.Envelope):
            raise CqlError("write a box as BBOX(minx, miny, maxx, maxy)")
        elif isinstance(literal, values.Geometry):
            literal = literal.geometry
        if not isinstance(literal, dict) or "type" not in literal:
            raise CqlError(f"expected a geometry, got {_describe(literal)}")
        geometry = {"type": literal["type"], "coordinates": literal.get("coordinates")}
        try:
            if self.srid == WEB_SRID and not self.flip:
                admitted = admit_geometry(geometry, purpose=QUERY_AREA, where="filter geometry")
            else:
                shape = shapely.geometry.shape(geometry)
                if self.flip:
                    shape = shapely.transform(shape, lambda xy: xy[:, ::-1])
                admitted = admit_shape(
                    shape, srid=self.srid, purpose=QUERY_AREA, where="filter geometry"
                )
        except GeometryError as exc:
            raise CqlError(geo_message(exc)) from exc
        except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
            raise CqlError(f"filter geometry: cannot read it ({str(exc)[:100]})") from exc
        return admitted.geom.hexewkb.decode()


def _describe(node) -> str:
    if isinstance(node, ast.Attribute):
        return f"property {node.name[:40]!r}"
    if isinstance(node, ast.Function):
        name = "CASEI" if node.name == "lower" else node.name[:40]  # pygeofilter's CASEI
        return f"function {name}() (not offered here)"
    if isinstance(node, ast.TemporalPredicate):
        return "a temporal function"
    if isinstance(node, ast.ArrayPredicate):
        return "an array function"
    if isinstance(node, ast.Arithmetic):
        return "arithmetic"
    if isinstance(node, str):
        return "a string"
    if isinstance(node, bool):
        return "a boolean"
    if isinstance(node, int | float):
        return "a number"
    if isinstance(node, datetime | date):
        return "a date or timestamp"
    if isinstance(node, ast.Node):
        return type(node).__name__
    return type(node).__name__
