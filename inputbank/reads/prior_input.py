""" "What have we heard here before?": every earlier input about an area, with a summary.

The product's reason to exist (docs/domain.md). A plain function, so the API, the staff workspace
and reports call the same code without HTTP:

    result = prior_input(user=request.user, geometry=area, buffer_m=500, themes=["transport"])
    result.summary            # dict: total, by_theme, by_outcome, by_process, by_year, ...
    result.arguments          # the arguments the (newest PRIOR_ARGUMENT_HITS) hits make
    result.arguments_hits     # how many of the newest hits the arguments are grouped from
    result.theme_summaries    # per theme a few quoted sentences, each with its sources
    result.gaps               # themes, channels, children and young people not heard since
    result.feature_collection # bytes: a GeoJSON FeatureCollection (JSON text)

Exact: inputs whose geometry *intersects* the (buffered) area, not bbox overlap. The area is
transformed to EPSG:25832, buffered in metres and, when large, subdivided, once before the
query (inputbank.geometry.query_area); the query then uses the GiST index with plain parameters. The
summary and the features come from one statement over one materialised array of hit ids (its
pieces of SQL: ``reads.prior_sql``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext, gettext_noop
from psycopg.adapt import Loader

from geo.crs import WEB_SRID, crs_uri
from inputbank.dbrouter import read_connection
from inputbank.filters import InputFilter
from inputbank.geometry import query_area
from inputbank.models import Input, Process
from inputbank.models.tables import quoted_table
from inputbank.reads.arguments import (
    ARGUMENT_FIELDS,
    ARGUMENT_INPUT_FIELDS,
    arguments_from_rows,
    arguments_json_sql,
)
from inputbank.reads.features import audience_for, features_array_sql
from inputbank.reads.gaps import (
    GAP_COLUMNS,
    GAP_FIELDS,
    GAP_INPUT_FIELDS,
    YOUTH_PARAMS,
    counts_json_sql,
    default_since_year,
    gaps_from_json,
    since_params,
)
from inputbank.reads.grid import cell_counts
from inputbank.reads.prior_sql import (
    HIT_FIELDS,
    HIT_INPUT_FIELDS,
    hits_cte,
    overlapping_processes_sql,
    summary_sql,
    themes_cte,
)
from inputbank.reads.summaries import MEMBERS_READ, theme_summaries

# The report lists the arguments with the most voices; the summary still counts every hit.
MAX_ARGUMENTS = 100


class _RawText(Loader):
    """A text value as the UTF-8 bytes the server sent (the connection's encoding): the
    answer's JSON, decoded into a str only to be encoded again, cost ~1 ms of CPU per answer
    at size M (800 kB; docs/benchmarks.md, B1)."""

    def load(self, data) -> bytes:
        return bytes(data)


class PriorInputError(ValueError):
    """The question cannot be answered as asked; ``field`` names the offending argument and
    the message (``refusal``) is in the reader's language: the report page and the API show it
    as it is."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# What cannot be asked, per argument. Worded when refused (``refusal``), in the language of
# the request; the staff report's form and the API's serializer check the same things first
# and say the same words.
_REFUSALS = {
    "geometry": gettext_noop("Give either a geometry or a process, not both."),
    "process": gettext_noop("This process has no area; draw one instead."),
    "buffer_m": gettext_noop("The buffer must be between 0 and %(max)s metres."),
}


def refusal(field: str) -> str:
    """Why ``field`` (geometry, process or buffer_m) cannot be answered, in the active
    language."""
    message = gettext(_REFUSALS[field])
    if field == "buffer_m":
        return message % {"max": settings.INPUTBANK["MAX_BUFFER_M"]}
    return message


@dataclass(frozen=True)
class PriorInputResult:
    summary: dict
    features: bytes = field(repr=False)  # a JSON array of Features
    number_returned: int = 0
    srid: int = WEB_SRID
    offset: int = 0  # how many newer hits come before the first feature
    # The arguments (standpunkter) the hits make, most voices first (reads.arguments), from
    # the newest ``arguments_hits`` of them (INPUTBANK["PRIOR_ARGUMENT_HITS"]).
    arguments: list = field(default_factory=list)
    arguments_hits: int = 0
    # Per theme a few sentences quoted from the hits, each with its sources (reads.summaries).
    theme_summaries: list = field(default_factory=list)
    # Themes, channels and children and young people without input since a year (reads.gaps).
    gaps: dict | None = None
    # Counts of every hit per grid square (reads.grid: GeoJSON bytes), when asked for and the
    # hits are more than a map can show one by one.
    cells: bytes | None = field(default=None, repr=False)

    @property
    def truncated(self) -> bool:
        return self.offset + self.number_returned < self.summary["total"]

    def _collection_parts(self) -> list[bytes]:
        head = {
            "type": "FeatureCollection",
            "numberMatched": self.summary["total"],
            "numberReturned": self.number_returned,
        }
        if self.srid != WEB_SRID:
            head["crs"] = {"type": "name", "properties": {"name": crs_uri(self.srid)}}
        return [orjson.dumps(head)[:-1], b',"features":', self.features, b"}"]

    @property
    def feature_collection(self) -> bytes:
        """Return the hits as a GeoJSON FeatureCollection (JSON bytes)."""
        return b"".join(self._collection_parts())

    def as_json(self) -> bytes:
        """Return ``{"summary", "arguments", "arguments_hits", "theme_summaries", "gaps",
        "features"}``."""
        # Joined once: the features are most of an answer (800 kB at size M's median area).
        return b"".join(
            [
                b'{"summary":',
                orjson.dumps(self.summary),
                b',"arguments":',
                orjson.dumps(self.arguments),
                b',"arguments_hits":',
                orjson.dumps(self.arguments_hits),
                b',"theme_summaries":',
                orjson.dumps(self.theme_summaries),
                b',"gaps":',
                orjson.dumps(self.gaps),
                b',"features":',
                *self._collection_parts(),
                b"}",
            ]
        )


def prior_filter(
    *,
    audience_sees_unpublished: bool,
    themes: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    outcomes: Sequence[str] = (),
    include_pending: bool = False,
) -> InputFilter:
    """The question's filters as the list's filter (one meaning everywhere, exports too).

    Published input, and pending input only when asked by a role that sees it.
    """
    statuses = ["published"]
    if include_pending and audience_sees_unpublished:
        statuses.append("pending")
    return InputFilter(
        themes=tuple(themes),
        statuses=tuple(statuses),
        outcomes=tuple(outcomes),
        since=since,
        until=until,
    )


def prior_input(
    *,
    user,
    geometry: GEOSGeometry | None = None,
    process: Process | None = None,
    buffer_m: float = 0,
    themes: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    outcomes: Sequence[str] = (),
    include_pending: bool = False,
    srid: int = WEB_SRID,
    limit: int | None = None,
    offset: int = 0,
    gaps_since: int | None = None,
    summarise: bool = True,
    cells_m: float | None = None,
    cells_above: int = 0,
) -> PriorInputResult:
    """Return earlier input about an area (a geometry with an SRID, or a process's area).

    Each caller sees only the inputs their role may see: ``include_pending`` is honoured only
    for roles that see unpublished input. ``limit`` bounds the features returned (default
    API_MAX_PAGE_SIZE) and ``offset`` skips the newest hits (a report's later pages); the
    summary always counts every hit. ``outcomes`` keeps input whose
    response has one of these outcomes ("none": not answered yet). ``gaps_since`` is the year
    the gaps are counted from (default five years back); the gaps look at the whole area,
    whatever the theme, year and outcome filters. The arguments and theme summaries are
    grouped from the newest INPUTBANK["PRIOR_ARGUMENT_HITS"] hits (``arguments_hits``
    says how many); the summary and the gaps count every hit. ``summarise=False`` (a later
    page of the list) leaves out the arguments, the theme summaries and the gaps. With
    ``cells_m``, more than ``cells_above`` hits are also counted per square of that side
    (``cells``: the map draws counts per place instead of thousands of shapes). Raises
    PriorInputError.
    """
    if (geometry is None) == (process is None):
        raise PriorInputError("geometry", refusal("geometry"))
    if process is not None:
        if process.area is None:
            raise PriorInputError("process", refusal("process"))
        geometry = process.area
    if not 0 <= buffer_m <= settings.INPUTBANK["MAX_BUFFER_M"]:
        raise PriorInputError("buffer_m", refusal("buffer_m"))
    limit = settings.INPUTBANK["MAX_PAGE_SIZE"] if limit is None else limit
    audience = audience_for(user)

    pieces = query_area(geometry, buffer_m)
    # visible_to() applies the role's rules (the public never sees location-restricted
    # input); the filter then applies the caller's wish within them.
    selection = prior_filter(
        audience_sees_unpublished=audience.sees_unpublished,
        themes=themes,
        since=since,
        until=until,
        outcomes=outcomes,
        include_pending=include_pending,
    )
    # The filter keeps its statuses anyway: the spatial scan skips the others early. (The
    # hits are ordered newest first in ``prior_sql.hits_cte``.)
    inputs = selection.narrow(Input.objects.visible_to(user)).within_pieces(
        pieces, statuses=selection.statuses
    )

    # Each hit's row is read once, where the query finds it (the GiST index per piece, then
    # the primary key): its id and what the summary, the arguments and the gaps need, newest
    # first, as one array of rows. As an array the planner expects few rows and joins
    # everything else (themes, responses, processes) by primary key for the hits only
    # (features.ids_cte); ``hit_themes`` holds their theme links, read once for the
    # summary's themes and the gaps. The summary counts them all, the features are built
    # for the first ``limit`` of them.
    fields, columns, column_params = list(HIT_INPUT_FIELDS), list(HIT_FIELDS), ()
    if summarise:
        fields += [*ARGUMENT_INPUT_FIELDS, *GAP_INPUT_FIELDS]
        columns += [*ARGUMENT_FIELDS, *GAP_FIELDS]
        column_params = YOUTH_PARAMS
    hits_sql, params = inputs.order_by().values_list(*fields).query.sql_with_params()
    ctes: list[tuple[str, tuple]] = [
        (hits_cte(hits_sql, columns), (*column_params, *params)),
        (themes_cte("hit_themes", "hits"), ()),
        (
            "ids AS MATERIALIZED (SELECT id, ord FROM hits WHERE ord > %s AND ord <= %s)",
            (offset, offset + limit),
        ),
    ]
    select: list[tuple[str, tuple]] = [
        (f"{summary_sql()}::text", (settings.TIME_ZONE,)),
        (f"{features_array_sql(audience, srid)}::text", ()),
        ("(SELECT count(*) FROM ids)", ()),
        overlapping_processes_sql(pieces),
    ]
    if summarise:
        since_year = default_since_year() if gaps_since is None else gaps_since
        # The gaps ask the whole area: a theme filter would make every other theme a "gap".
        # Unfiltered, that is the hits already found (the area is not searched twice).
        unfiltered = prior_filter(
            audience_sees_unpublished=audience.sees_unpublished, include_pending=include_pending
        )
        counted = "hits", "hit_themes"
        if selection != unfiltered:
            everything = unfiltered.narrow(Input.objects.visible_to(user)).within_pieces(
                pieces, statuses=unfiltered.statuses
            )
            here_sql, here_params = everything.order_by().values("id").query.sql_with_params()
            ctes += [
                (
                    f"here AS MATERIALIZED (SELECT i.id, i.channel, i.received_at, "
                    f"{GAP_COLUMNS} FROM {quoted_table(Input)} i WHERE i.id IN ({here_sql}))",
                    (*YOUTH_PARAMS, *here_params),
                ),
                (themes_cte("here_themes", "here"), ()),
            ]
            counted = "here", "here_themes"
        # The arguments from the newest hits only: at L densities (240 000 hits in 500 m) the
        # grouping and every argument's list of input ids grew with the hits (docs/benchmarks.md).
        argument_hits = settings.INPUTBANK["PRIOR_ARGUMENT_HITS"]
        select += [
            (
                arguments_json_sql(
                    "(SELECT * FROM hits WHERE ord <= %s) AS newest", quote_members=MEMBERS_READ
                ),
                (argument_hits, MAX_ARGUMENTS),
            ),
            (counts_json_sql(*counted), since_params(since_year)),
        ]
    sql = (
        "WITH "
        + ", ".join(text for text, _p in ctes)
        + " SELECT "
        + ", ".join(text for text, _p in select)
    )
    all_params = [p for _text, part in (*ctes, *select) for p in part]
    with read_connection().cursor() as cursor:
        # Every text column is JSON that goes out as bytes: read as bytes (_RawText).
        cursor.cursor.adapters.register_loader("text", _RawText)
        cursor.execute(sql, all_params)
        summary_text, features, returned, overlapping, *more = cursor.fetchone()
    summary = orjson.loads(summary_text)
    summary["processes_overlapping"] = orjson.loads(overlapping)
    cells = None
    if cells_m and summary["total"] > cells_above:
        cells = cell_counts(inputs, cell_m=cells_m, min_count=1)
    if not summarise:
        return PriorInputResult(
            cells=cells,
            summary=summary,
            features=features,
            number_returned=returned,
            srid=srid,
            offset=offset,
        )
    arguments_text, counts_text = more
    # The arguments and, for the quotes, the texts they are quoted from (one statement less).
    argument_rows, quoted_texts = orjson.loads(arguments_text)
    arguments = arguments_from_rows(argument_rows)
    return PriorInputResult(
        cells=cells,
        summary=summary,
        features=features,
        number_returned=returned,
        srid=srid,
        offset=offset,
        arguments=arguments,
        arguments_hits=min(summary["total"], argument_hits),
        theme_summaries=theme_summaries(arguments, quoted_texts),
        gaps=gaps_from_json(
            counts_text, since_year=since_year, sees_restricted=audience.sees_unpublished
        ),
    )
