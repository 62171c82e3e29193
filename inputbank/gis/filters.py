"""Query parameters shared by exports, OGC API wiring and the export command.

The names and meanings are the input list API's (``theme``, ``process``, ``channel``,
``outcome``, ``since``, ``until``, ``bbox``, ``intersects``, ``q``, ``crs``, ``status``), so a
GIS user can copy a query string from the API to an export. Parsing is plain Python (no DRF)
so the management command shares it; each parameter maps to one named queryset method and
request data never reaches ``filter(**kwargs)``. Unknown parameters are refused: a typo must
not silently export everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.utils.dateparse import parse_date, parse_datetime

from geo.crs import OUTPUT_SRIDS, STORAGE_SRID, WEB_SRID, UnknownCRS, parse_srid
from geo.validation import GeometryError, parse_bbox, parse_geojson_geometry, parse_wkt_geometry
from inputbank.models import Channel, ModerationStatus, Outcome, Process, Theme

OUTCOME_CHOICES = (*Outcome.values, "none")
LIST_LIMIT = 20
KNOWN = frozenset(
    {"theme", "process", "channel", "outcome", "since", "until", "bbox", "intersects", "q",
     "crs", "status"}
)  # fmt: skip


class ParamError(ValueError):
    """One or more parameters are wrong; ``errors`` is [{"field": ..., "message": ...}]."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass
class InputFilters:
    """Validated filters. Geometries are GEOS with an SRID; dates are dates or datetimes."""

    themes: list[str] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    since: dt.date | dt.datetime | None = None
    until: dt.date | dt.datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    intersects: GEOSGeometry | None = None
    q: str = ""
    srid: int = STORAGE_SRID
    statuses: list[str] = field(default_factory=lambda: [ModerationStatus.PUBLISHED])

    @property
    def published_only(self) -> bool:
        return self.statuses == [ModerationStatus.PUBLISHED]


def _values(params: Mapping[str, object], key: str) -> list[str]:
    """All values of a repeatable, comma-separable parameter (QueryDict or plain dict)."""
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        value = params.get(key)
        raw = value if isinstance(value, list | tuple) else [value] if value is not None else []
    out: list[str] = []
    for item in raw:
        out.extend(v.strip() for v in str(item).split(",") if v.strip())
    return out


def _single(params: Mapping[str, object], key: str, max_chars: int = 200) -> str | None:
    values = params.getlist(key) if hasattr(params, "getlist") else [params.get(key)]
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    if len(values) > 1:
        raise ValueError("give this parameter once")
    text = str(values[0])
    if len(text) > max_chars:
        raise ValueError(f"longer than {max_chars} characters")
    return text


def _parse_when(text: str) -> dt.date | dt.datetime:
    try:
        value = parse_datetime(text) or parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise ValueError("use an ISO date (2024-05-31) or date-time")
    return value


def parse_input_filters(
    params: Mapping[str, object],
    *,
    may_see_unpublished: bool = False,
    default_srid: int = STORAGE_SRID,
    ignore: Sequence[str] = (),
) -> InputFilters:
    """Parse and check every parameter; raise ParamError listing all problems at once."""
    errors: list[dict[str, str]] = []
    out = InputFilters(srid=default_srid)

    def fail(name: str, message: str) -> None:
        errors.append({"field": name, "message": message})

    unknown = sorted(set(params) - KNOWN - set(ignore))
    for name in unknown[:5]:
        fail(str(name)[:40], "unknown parameter")
    for name in set(params) & KNOWN:
        raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
        if any("\x00" in str(v) for v in raw if v is not None):
            fail(name, "contains a NUL character")
    if errors:
        raise ParamError(errors)

    themes = _values(params, "theme")
    if len(themes) > LIST_LIMIT:
        fail("theme", f"at most {LIST_LIMIT} themes")
    elif themes:
        known = set(Theme.objects.filter(slug__in=themes).values_list("slug", flat=True))
        missing = [t for t in themes if t not in known]
        if missing:
            fail("theme", f"unknown theme {missing[0][:60]!r}")
        out.themes = themes

    processes = _values(params, "process")
    if len(processes) > LIST_LIMIT:
        fail("process", f"at most {LIST_LIMIT} processes")
    elif processes:
        found = {p.slug: p for p in Process.objects.filter(slug__in=processes)}
        for key in processes:
            if key.isdigit() and key not in found:
                match = Process.objects.filter(pk=int(key)).first()
                if match:
                    found[key] = match
        missing = [p for p in processes if p not in found]
        if missing:
            fail("process", f"unknown process {missing[0][:60]!r}")
        out.processes = list({p.pk: p for p in found.values()}.values())

    for name, allowed, target in (
        ("channel", Channel.values, "channels"),
        ("outcome", OUTCOME_CHOICES, "outcomes"),
    ):
        values = _values(params, name)
        bad = [v for v in values if v not in allowed]
        if bad:
            fail(name, f"{bad[0][:40]!r} is not one of: {', '.join(allowed)}")
        setattr(out, target, values)

    for name in ("since", "until"):
        try:
            text = _single(params, name, 40)
            if text:
                setattr(out, name, _parse_when(text))
        except ValueError as exc:
            fail(name, str(exc))
    if out.since and out.until and str(out.since) > str(out.until):
        fail("until", "must not be before since")

    try:
        text = _single(params, "bbox")
        if text:
            out.bbox = parse_bbox(text)
    except (ValueError, GeometryError) as exc:
        fail("bbox", str(exc).removeprefix("bbox: "))

    try:
        text = _single(params, "intersects", 1_000_000)
        if text:
            out.intersects = _parse_area(text)
    except (ValueError, GeometryError) as exc:
        fail("intersects", str(exc).removeprefix("geometry: ").removeprefix("intersects: "))

    try:
        out.q = _single(params, "q") or ""
    except ValueError as exc:
        fail("q", str(exc))

    try:
        text = _single(params, "crs", 80)
        if text:
            out.srid = parse_srid(text, OUTPUT_SRIDS)
    except (ValueError, UnknownCRS) as exc:
        fail("crs", str(exc))

    statuses = _values(params, "status")
    bad = [s for s in statuses if s not in (*ModerationStatus.values, "all")]
    if bad:
        fail("status", f"{bad[0][:40]!r} is not one of: all, {', '.join(ModerationStatus.values)}")
    elif statuses and statuses != [ModerationStatus.PUBLISHED]:
        if not may_see_unpublished:
            fail("status", "only the GIS team and case officers may export unpublished input")
        out.statuses = (
            list(ModerationStatus.values) if "all" in statuses else list(dict.fromkeys(statuses))
        )

    if errors:
        raise ParamError(errors)
    return out


def _parse_area(text: str) -> GEOSGeometry:
    """A query area: GeoJSON geometry or WKT in lon/lat; may reach outside Moss (buffers)."""
    limit = settings.INPUTBANK["QUERY_MAX_VERTICES"]
    if text.lstrip().startswith("{"):
        try:
            obj = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ValueError("not valid GeoJSON") from exc
        checked = parse_geojson_geometry(obj, max_vertices=limit, check_extent=False)
    else:
        checked = parse_wkt_geometry(text, max_vertices=limit)
    return GEOSGeometry(memoryview(checked.geom.wkb), srid=WEB_SRID)


def filter_inputs(queryset, filters: InputFilters):
    """Apply validated filters to an Input queryset (ordering is left to the caller)."""
    if filters.published_only:
        queryset = queryset.published()
    else:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.bbox is not None:
        box = Polygon.from_bbox(filters.bbox)
        box.srid = WEB_SRID
        queryset = queryset.within(box)
    if filters.intersects is not None:
        queryset = queryset.within(filters.intersects)
    if filters.themes:
        queryset = queryset.about(filters.themes)
    if filters.processes:
        queryset = queryset.filter(process__in=filters.processes)
    if filters.channels:
        queryset = queryset.filter(channel__in=filters.channels)
    if filters.outcomes:
        queryset = queryset.with_outcome(filters.outcomes)
    if filters.since is not None:
        queryset = queryset.since(filters.since)
    if filters.until is not None:
        queryset = queryset.until(filters.until)
    if filters.q:
        queryset = queryset.search(filters.q)
    return queryset
