"""``InputFilter``: which inputs a reader asked for, parsed once and applied to any queryset.

Parsing reads each value through ``parameters``; applying calls one named queryset method per
field (``in_bbox``, ``about``, ``search``, ...), never ``filter(**kwargs)`` with request data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext

from inputbank.filters.parameters import PARAMETERS, Bound, FilterError, parse_value
from inputbank.geomessages import geo_message
from inputbank.models import Process
from inputbank.references import parse_reference


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
    shapes: tuple[str, ...] = ()
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
                value = parse_value(
                    PARAMETERS[name], query, any_status=any_status, check=not lenient
                )
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
        if self.shapes:
            queryset = queryset.of_shapes(self.shapes)
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
        lists = ("themes", "processes", "statuses", "channels", "outcomes", "shapes")
        return {
            "bbox": [round(v, 7) for v in self.bbox] if self.bbox else None,
            "intersects": self.intersects.hexewkb.decode() if self.intersects else None,
            **{name: sorted(getattr(self, name)) for name in lists},
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "q": self.q,
        }


# Parameter name -> InputFilter attribute, where they differ (lists have plural names).
_ATTRIBUTE = {
    "theme": "themes",
    "process": "processes",
    "status": "statuses",
    "channel": "channels",
    "outcome": "outcomes",
    "shape": "shapes",
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
