"""The filter's parameters: their names and meanings, and how each value is read and checked.

One table (``PARAMETERS``) that the API's OpenAPI, ``export_layers`` and ``InputFilter`` all
read, so a parameter is declared once. Values are read here and nowhere else; a value that
cannot be read raises ValueError (or FilterError) with the message the API answers, and
``InputFilter.from_query`` decides whether that refuses the request (programs) or drops the
parameter (pages).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from geo.geometry_text import parse_bbox
from geo.validation import GeometryError
from inputbank.geomessages import geo_message
from inputbank.geometry import NO_SHAPE, QUERY_AREA, SHAPE_TYPES, admit_geometry_text
from inputbank.models import Channel, ModerationStatus, Outcome, Process, Theme

Bound = dt.date | dt.datetime

# A theme or process slug as the SlugField stores it (unicode letters, digits, - and _).
_SLUG = re.compile(r"^[-\w]+\Z")
RECEIVED_FORMAT = "wrong format: use an ISO date (2024-05-31) or date-time (2024-05-31T12:00:00Z)"
YEAR_RANGE = "the year must be between 1900 and 2999"


@dataclass(frozen=True)
class Parameter:
    """One filter parameter as callers see it: its name, meaning and accepted values."""

    name: str
    help: str
    many: bool = False  # repeat it (theme=a&theme=b) or comma-separate it (theme=a,b)
    choices: tuple[str, ...] = ()
    max_items: int | None = None
    item_chars: int = 200  # the longest item of a list


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("bbox", "minlon,minlat,maxlon,maxlat (CRS84). Inputs that intersect the box."),
        Parameter(
            "theme",
            "Theme slug; repeat or comma-separate for several. Includes sub-themes.",
            many=True,
            max_items=20,
            item_chars=60,
        ),
        Parameter(
            "process", "Process id or slug; repeatable.", many=True, max_items=20, item_chars=80
        ),
        Parameter(
            "status",
            "Moderation status; the public only ever sees published input.",
            many=True,
            choices=tuple(ModerationStatus.values),
        ),
        Parameter(
            "channel",
            "Channel the input came through (web_map, letter, hearing, ...); repeatable.",
            many=True,
            choices=tuple(Channel.values),
        ),
        Parameter(
            "outcome",
            "Response outcome; 'none' for input without a response yet.",
            many=True,
            choices=(*Outcome.values, "none"),
        ),
        Parameter(
            "shape",
            "Kind of place: point, line, area, or none (no place); repeatable. One kind per "
            "file for the single-layer export formats (FlatGeobuf, GeoJSON, CSV, KML).",
            many=True,
            choices=(*SHAPE_TYPES, NO_SHAPE),
        ),
        Parameter("since", "Received on or after (ISO date, or date-time)."),
        Parameter("until", "Received on or before (ISO date, or date-time)."),
        Parameter("q", "Norwegian full-text search with inflections; trigram fallback for typos."),
        Parameter(
            "intersects", "Inputs intersecting this geometry: GeoJSON geometry or WKT, lon/lat."
        ),
    )
}


class FilterError(ValueError):
    """Parameters are wrong; ``errors`` is [{"field": ..., "message": ...}] as the API answers."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def query_values(query: Mapping, name: str) -> list[str]:
    """Every non-empty value of a parameter in a QueryDict or a plain dict of str or lists.

    An empty value is an absent one: HTML forms send every field.
    """
    values = query.getlist(name) if hasattr(query, "getlist") else query.get(name)
    if values is None:
        return []
    values = values if isinstance(values, list | tuple) else [values]
    return [str(v) for v in values if v not in (None, "")]


def single_value(query: Mapping, name: str) -> str | None:
    """The one value of a single-valued parameter (None if absent); FilterError if repeated."""
    values = query_values(query, name)
    if len(values) > 1:
        raise FilterError([{"field": name, "message": "give this parameter once"}])
    return values[0] if values else None


def parse_value(param: Parameter, query: Mapping, *, any_status: bool, check: bool):
    """One parameter's value (a non-empty tuple for list parameters), or None when absent.

    Raises ValueError with the message the API answers.
    """
    if param.many:
        items: list[str] = []
        for value in query_values(query, param.name):
            items.extend(v.strip() for v in value.split(",") if v.strip())
        if not items:
            return None
        return _parse_list(param, list(dict.fromkeys(items)), any_status=any_status, check=check)
    text = single_value(query, param.name)
    return None if text is None else _SINGLE[param.name](text)


def _check_text(text: str, max_chars: int) -> None:
    """The checks of a plain text value (DRF's messages, which the API always answered)."""
    if len(text) > max_chars:
        raise ValueError(
            gettext("Ensure this field has no more than {max_length} characters.").format(
                max_length=max_chars
            )
        )
    if "\x00" in text:
        raise ValueError(gettext("Null characters are not allowed."))


def _parse_list(param: Parameter, items: list[str], *, any_status: bool, check: bool):
    if param.max_items is not None and len(items) > param.max_items:
        raise ValueError(
            gettext("Ensure this field has no more than {max_length} elements.").format(
                max_length=param.max_items
            )
        )
    for item in items:
        _check_text(item, param.item_chars)
    choices = param.choices
    if param.name == "status" and any_status:
        if "all" in items:
            return tuple(ModerationStatus.values)
        choices = (*choices, "all")
    for item in items:
        if choices and item not in choices:
            raise ValueError(gettext('"{input}" is not a valid choice.').format(input=item))
    if param.name == "theme":
        return _themes(items, check=check)
    if param.name == "process":
        return _processes(items, check=check)
    return tuple(items)


def _themes(slugs: list[str], *, check: bool) -> tuple[str, ...]:
    """Theme slugs; with ``check`` each must name a theme (a retired one too: old input keeps
    its themes)."""
    known = (
        set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True)) if check else None
    )
    for slug in slugs:
        if not _SLUG.match(slug) or (known is not None and slug not in known):
            raise ValueError(f"unknown theme {slug[:60]!r}; see GET /api/v1/themes/ for the slugs")
    return tuple(slugs)


def _processes(keys: list[str], *, check: bool) -> tuple[str, ...]:
    """Process keys (id or slug); with ``check`` each must name a process, kept as its id."""
    ids = {}
    if check:
        for pk, slug in Process.objects.by_keys(keys).values_list("pk", "slug"):
            ids[str(pk)] = ids[slug] = str(pk)
    for key in keys:
        if not _SLUG.match(key) or (check and key not in ids):
            raise ValueError("unknown process; see GET /api/v1/processes/ for ids and slugs")
    return tuple(dict.fromkeys(ids[key] for key in keys)) if check else tuple(keys)


def _parse_bbox(text: str) -> tuple[float, float, float, float]:
    if len(text) > 200:
        raise ValueError("longer than 200 characters")
    try:
        return parse_bbox(text)
    except GeometryError as exc:
        raise ValueError(geo_message(exc, where=exc.where != "bbox")) from exc


def _parse_received(text: str) -> Bound:
    """An ISO date (a whole local day) or date-time, in 1900–2999, for since/until."""
    if len(text) > 40:
        raise ValueError(RECEIVED_FORMAT)
    text = text.strip()
    value: Bound | None
    try:
        if "T" in text or " " in text:
            value = parse_datetime(text)
            if value is not None and timezone.is_naive(value):
                value = timezone.make_aware(value)
        else:
            value = parse_date(text)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValueError(RECEIVED_FORMAT)
    if not 1900 <= value.year <= 2999:
        raise ValueError(YEAR_RANGE)
    return value


def _parse_q(text: str) -> str | None:
    text = text.strip()
    _check_text(text, 200)
    return text or None


def _parse_area(text: str) -> GEOSGeometry:
    """A query area: GeoJSON or WKT in lon/lat, admitted by the one geometry policy (a query
    area may reach beyond Moss and have more vertices than stored input)."""
    try:
        return admit_geometry_text(text, purpose=QUERY_AREA, where="geometry").geom
    except GeometryError as exc:
        raise ValueError(geo_message(exc, where=exc.where != "geometry")) from exc


# Single-valued parameter name -> the reader of its one value.
_SINGLE = {
    "bbox": _parse_bbox,
    "since": _parse_received,
    "until": _parse_received,
    "q": _parse_q,
    "intersects": _parse_area,
}
