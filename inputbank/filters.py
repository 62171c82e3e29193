"""The one input filter: parsed once from a query string or command line, applied everywhere.

The list API, the grid, GIS exports, ``export_layers``, the resident and staff lists and the
prior-input report all narrow input through ``InputFilter``, so a query string selects the
same inputs wherever it is pasted. Names and meanings are the API's (docs/api.md).

Request data never reaches ``filter(**kwargs)``: each parameter maps to one named queryset
method (Django CVE-2025-64459 class). Parsing is strict for programs (unknown parameters,
themes or processes are refused: a typo such as ``themes=`` must not silently return
everything) and lenient for pages (what a page cannot read is left out and named in
``dropped``; a theme or process that does not exist, a stale link, matches nothing).
Plain Python, no DRF: ``inputbank.api.filters`` adds the API's error answer and OpenAPI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Value
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from geo.geometry_text import parse_bbox
from geo.validation import GeometryError
from inputbank.geomessages import geo_message
from inputbank.geometry import QUERY_AREA, admit_geometry_text
from inputbank.models import Channel, ModerationStatus, Outcome, Process, Theme
from inputbank.references import parse_reference

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


@dataclass(frozen=True)
class InputFilter:
    """Which inputs a reader asked for. Empty fields filter nothing; all given fields must hold.

    ``processes`` holds process ids (as text) once checked, or the keys as given (id or slug)
    on a page; ``themes`` holds slugs (a theme includes its sub-themes).
    """

    bbox: tuple[float, float, float, float] | None = None
    intersects: GEOSGeometry | None = None
    themes: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    since: Bound | None = None
    until: Bound | None = None
    q: str = ""
    # Parameters a lenient parse left out because their values could not be read.
    dropped: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(
        cls,
        query: Mapping,
        *,
        names: Collection[str] = tuple(PARAMETERS),
        required: Collection[str] = (),
        extra: Collection[str] = (),
        any_status: bool = False,
        lenient: bool = False,
    ) -> InputFilter:
        """Parse the filter parameters ``names`` of a QueryDict or a dict (the command line).

        ``extra`` names the caller's own parameters (page, crs, ...), read by the caller.
        ``any_status`` also takes ``status=all`` (exports). Strict parsing raises FilterError
        listing every problem; ``lenient`` (pages) leaves out what it cannot read instead and
        ignores parameters it does not know.
        """
        errors: list[dict[str, str]] = []
        if not lenient:
            unknown = sorted(set(query) - set(names) - set(extra))
            errors += [{"field": n[:40], "message": "unknown parameter"} for n in unknown[:5]]
        values: dict[str, Any] = {}
        for name in names:
            try:
                value = _parse(PARAMETERS[name], query, any_status=any_status, check=not lenient)
            except FilterError as exc:
                errors += exc.errors
                continue
            except ValueError as exc:
                errors.append({"field": name, "message": geo_message(exc)})
                continue
            if value is not None:
                values[name] = value
            elif name in required:
                errors.append({"field": name, "message": gettext("This field is required.")})
        since, until = values.get("since"), values.get("until")
        if since and until and _is_empty_range(since, until):
            errors.append({"field": "until", "message": "must not be before since"})
        if errors and not lenient:
            raise FilterError(errors)
        dropped = sorted({e["field"] for e in errors})
        kept = {_ATTRIBUTE.get(k, k): v for k, v in values.items() if k not in dropped}
        return cls(**kept, dropped=tuple(dropped))

    def narrow(self, queryset):
        """Keep the inputs that match (search results annotated with ``rank``); no ordering.

        The caller chooses the base: ``visible_to(user)`` for lists, published input or every
        status for exports.
        """
        if self.bbox is not None:
            queryset = queryset.in_bbox(self.bbox)
        if self.intersects is not None:
            queryset = queryset.within(self.intersects)
        if self.themes:
            queryset = queryset.about(self.themes)
        if self.processes:
            queryset = queryset.in_processes(Process.objects.by_keys(self.processes))
        if self.statuses:
            queryset = queryset.with_status(self.statuses)
        if self.channels:
            queryset = queryset.in_channels(self.channels)
        if self.outcomes:
            queryset = queryset.with_outcome(self.outcomes)
        if self.since:
            queryset = queryset.since(self.since)
        if self.until:
            queryset = queryset.until(self.until)
        if self.q:
            # A reference ("MOSS-2026-0142") finds its input; any other text is searched.
            reference = parse_reference(self.q)
            if reference is not None:
                return queryset.with_reference(reference).annotate(rank=Value(1.0))
            queryset = queryset.search(self.q)
        return queryset

    def narrow_comments(self, comments, inputs):
        """Keep the comments this filter selects: on the ``inputs`` it keeps (process, theme,
        channel, ...; ``inputs`` is the base, e.g. every input), written within since/until.

        The moderation queue filters its comments with the input filter the moderator set, so
        "this process, older than 14 days" means the same for both halves of the queue; age is
        the comment's own.
        """
        about = replace(self, since=None, until=None)
        if about != InputFilter():
            comments = comments.on_inputs(about.narrow(inputs).values("pk"))
        if self.since:
            comments = comments.since(self.since)
        if self.until:
            comments = comments.until(self.until)
        return comments

    def apply(self, queryset, *, oldest_first: bool = False):
        """Narrow and order for stable paging: best match first when searching, else by date.

        Newest first unless ``oldest_first`` (the case officers' queue); the id breaks ties.
        """
        queryset = self.narrow(queryset)
        if self.q:
            return queryset.order_by("-rank", "-received_at", "-id")
        if oldest_first:
            return queryset.order_by("received_at", "id")
        return queryset.newest_first()

    def as_key(self) -> dict:
        """The filter as plain JSON values, order-free: for cache keys."""
        lists = ("themes", "processes", "statuses", "channels", "outcomes")
        return {
            "bbox": [round(v, 7) for v in self.bbox] if self.bbox else None,
            "intersects": self.intersects.hexewkb.decode() if self.intersects else None,
            **{name: sorted(getattr(self, name)) for name in lists},
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "q": self.q,
        }


def _parse(param: Parameter, query: Mapping, *, any_status: bool, check: bool):
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


# Parameter name -> InputFilter attribute, where they differ (lists have plural names).
_ATTRIBUTE = {
    "theme": "themes",
    "process": "processes",
    "status": "statuses",
    "channel": "channels",
    "outcome": "outcomes",
}
_SINGLE = {
    "bbox": _parse_bbox,
    "since": _parse_received,
    "until": _parse_received,
    "q": _parse_q,
    "intersects": _parse_area,
}


def _is_empty_range(since: Bound, until: Bound) -> bool:
    """True when no moment is on or after ``since`` and on or before ``until``.

    A date means its whole local day: since from its start, until to its end.
    """

    def start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    first = since if isinstance(since, dt.datetime) else start(since)
    if isinstance(until, dt.datetime):
        return first > until
    return first >= start(until + dt.timedelta(days=1))
