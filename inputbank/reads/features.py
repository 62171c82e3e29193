"""Build GeoJSON Features of inputs in PostgreSQL, with the fields each audience may see.

Why SQL: json_agg + ST_AsGeoJSON builds ~118 000 features/s; DRF-gis model serializers manage
~3 400 (docs/measurements.md). The API list, prior-input query, staff pages and exports share
this one builder, so the field allow-list per audience lives in one place; its PUBLIC level
comes from ``inputbank.public``, the allow-list the GIS layers share. The statements that
run it for the API list (a page, one input, the map's dots) are ``reads.feature_pages``.

Audiences are cumulative: each level sees everything the level below sees, plus more.

* PUBLIC (anonymous, residents): published inputs, the redacted text, themes, process,
  response, counts. No contributor, no original text, no exact receipt time, no free-text place
  description (a pin's address can identify a person).
* GIS (gis, participation advisers): published inputs with every non-personal field.
* MODERATOR: also pending and rejected inputs, the original text and moderation fields.
* CASE_OFFICER: also the contributor (name, e-mail, phone, address).

Geometry is written as RFC 7946 lon/lat unless another SRID is asked for; transformed in SQL
with fixed precision (geo.crs.coordinate_precision).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence

from django.conf import settings
from django.db import connection
from django.utils import translation

from geo.crs import WEB_SRID, coordinate_precision
from inputbank import roles
from inputbank.location_privacy import public_geom_sql
from inputbank.models import Comment, Contributor, Input, Process, Response, Support, Theme
from inputbank.models.tables import quoted_table
from inputbank.public import PUBLIC_API_PROPERTIES


class Audience(enum.IntEnum):
    """What a caller may see of an input; higher levels include the lower ones."""

    PUBLIC = 0
    GIS = 1
    MODERATOR = 2
    CASE_OFFICER = 3

    @property
    def sees_unpublished(self) -> bool:
        return self >= Audience.MODERATOR


def audience_for(user) -> Audience:
    """Return the audience level of a user (anonymous and residents are PUBLIC)."""
    if roles.can_see_contributors(user):
        return Audience.CASE_OFFICER
    if roles.can_see_unpublished(user):
        return Audience.MODERATOR
    if roles.can_export(user) or roles.can_see_indicators(user):
        return Audience.GIS
    return Audience.PUBLIC


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def localized_column(field: str) -> str:
    """Return SQL for a translated column in the active language, falling back to bokmål.

    The column name is built from settings.LANGUAGES only, never from request data.
    """
    codes = {code for code, _name in settings.LANGUAGES}
    lang = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if lang not in codes:
        lang = settings.LANGUAGE_CODE
    default = settings.LANGUAGE_CODE
    return (
        f"COALESCE(NULLIF(p.{_q(f'{field}_{lang}')}, ''), "
        f"NULLIF(p.{_q(f'{field}_{default}')}, ''), p.{_q(field)})"
    )


def _local_date(column: str) -> str:
    # A date cast is several times cheaper than to_char(); json writes it as "YYYY-MM-DD".
    return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"


def _iso(column: str) -> str:
    # timestamptz goes into json as ISO 8601 with its offset (the connection speaks UTC).
    return f"date_trunc('second', {column})"


def _case_reference(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.case_year IS NULL THEN NULL ELSE "
        f"{alias}.case_year || '/' || {alias}.case_sequence "
        f"|| COALESCE('-' || {alias}.case_document, '') END"
    )


def _properties(audience: Audience) -> list[tuple[str, str]]:
    """Return (property name, SQL expression) pairs: the allow-list for this audience.

    What PUBLIC sees is decided by ``inputbank.public`` (shared with the GIS layers): of the
    first list, only the properties named there are kept.
    """
    process_title = localized_column("title")
    every_audience: list[tuple[str, str]] = [
        ("text", "i.public_text"),
        ("themes", "COALESCE(th.slugs, '{}')"),
        (
            "process",
            "CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object("
            f"'id', p.id, 'slug', p.slug, 'title', {process_title}) END",
        ),
        ("channel", "i.channel"),
        ("language", "i.language"),
        ("location_source", "i.location_source"),
        ("received_on", _local_date("i.received_at")),
        ("status", "i.status"),
        (
            "response",
            "CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object("
            "'outcome', r.outcome, 'justification', r.justification, 'stage', r.stage, "
            f"'decided_on', {_local_date('r.decided_at')}, "
            "'decision_reference', r.decision_reference) END",
        ),
        ("supports", "COALESCE(sup.n, 0)"),
        ("comments", "COALESCE(com.n, 0)"),
    ]
    props = [(name, sql) for name, sql in every_audience if name in PUBLIC_API_PROPERTIES]
    if audience >= Audience.GIS:
        props += [
            ("received_at", _iso("i.received_at")),
            ("published_at", _iso("i.published_at")),
            ("updated_at", _iso("i.updated_at")),
            ("location_description", "i.location_description"),
            ("source_group", "i.source_group"),
            ("case_reference", _case_reference("i")),
        ]
    if audience >= Audience.MODERATOR:
        props += [
            ("original_text", "i.text"),
            ("rejection_reason", "i.rejection_reason"),
            ("moderated_at", _iso("i.moderated_at")),
            ("has_contributor", "i.contributor_id IS NOT NULL"),
            ("location_restricted", "i.location_restricted"),
        ]
    if audience >= Audience.CASE_OFFICER:
        props.append(
            (
                "contributor",
                "CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object("
                "'name', c.name, 'email', c.email, 'phone', c.phone, "
                "'postal_address', c.postal_address, 'organisation', c.organisation, "
                "'wants_feedback', c.wants_feedback, 'preferred_language', c.preferred_language, "
                "'consent_publish_name', c.consent_publish_name) END",
            )
        )
    return props


def property_names(audience: Audience) -> list[str]:
    """Return the property names a Feature carries for this audience (for docs and tests)."""
    return [name for name, _sql in _properties(audience)]


def _comments_sql(audience: Audience) -> str:
    status = "" if audience.sees_unpublished else "AND cm.status = 'published'"
    extra = ", 'status', cm.status, 'original_text', cm.text" if audience.sees_unpublished else ""
    return (
        "(SELECT COALESCE(json_agg(json_build_object('id', cm.id, 'text', cm.public_text, "
        f"'language', cm.language, 'created_on', {_local_date('cm.created_at')}{extra}) "
        f"ORDER BY cm.created_at, cm.id), '[]'::json) FROM {quoted_table(Comment)} cm "
        f"WHERE cm.input_id = i.id {status})"
    )


def _object_sql(pairs: Sequence[tuple[str, str]]) -> str:
    # json_build_object takes at most 100 arguments; the largest audience uses under 50.
    return "json_build_object(" + ", ".join(f"'{name}', {expr}" for name, expr in pairs) + ")"


# The joins and per-input aggregates that properties need beyond the input row itself. A
# request for a few properties (the map asks for ``themes`` only) leaves the others out of the SQL.
_RELATIONS = {
    "process": "p",
    "response": "r",
    "themes": "th",
    "supports": "sup",
    "comments": "com",
    "contributor": "c",
}


def per_input_lateral(name: str) -> str:
    """A LEFT JOIN LATERAL giving one input's themes (th.slugs) or counts (sup.n, com.n).

    Per row, through the input_id indexes: the cost follows the rows built, whatever the
    planner guesses. (Aggregating for all of ``ids`` at once and joining by hash was planned
    as a nested loop over the whole aggregate when the array's row count was misjudged:
    15 s for 5 551 hits at size S, B1 in docs/benchmarks.md.)
    """
    sql = {
        "th": "SELECT array_agg(t.slug ORDER BY t.sort_order, t.slug) AS slugs "
        f"FROM {quoted_table(Input.themes.through)} it "
        f"JOIN {quoted_table(Theme)} t ON t.id = it.theme_id WHERE it.input_id = i.id",
        "sup": f"SELECT count(*) AS n FROM {quoted_table(Support)} s WHERE s.input_id = i.id",
        "com": f"SELECT count(*) AS n FROM {quoted_table(Comment)} cm "
        "WHERE cm.input_id = i.id AND cm.status = 'published'",
    }[name]
    return f"LEFT JOIN LATERAL ({sql}) {name} ON true "


def feature_sql(
    audience: Audience,
    srid: int = WEB_SRID,
    *,
    with_comments: bool = False,
    only: Collection[str] | None = None,
    anchor: bool = False,
) -> tuple[str, str, set[str]]:
    """Return (FROM clause, Feature as text, CTEs needed) over a relation ``ids(id, ord)``.

    The FROM clause joins the input and what the chosen properties need: its process,
    response, themes and counts (per_input_lateral) and, for case officers
    only, its contributor; the expression builds one GeoJSON Feature per row. ``only`` keeps
    just those properties (names outside the audience's allow-list are simply not there).
    With ``anchor`` each geometry is replaced by a point on it (ST_PointOnSurface): all a map
    needs to draw many inputs as dots, at a fraction of the bytes of long lines and areas.
    """
    pairs = _properties(audience)
    if only is not None:
        pairs = [(name, sql) for name, sql in pairs if name in only]
    if with_comments:
        pairs.append(("comment_list", _comments_sql(audience)))
    needed = {_RELATIONS[name] for name, _sql in pairs if name in _RELATIONS}
    precision = coordinate_precision(srid)
    # The public sees a home only generalised (inputbank.location_privacy); staff the place.
    geom = public_geom_sql("i") if audience == Audience.PUBLIC else "i.geom"
    geom = f"ST_PointOnSurface({geom})" if anchor else geom
    geometry = f"ST_AsGeoJSON(ST_Transform({geom}, {int(srid)}), {precision}, 0)"
    joins = f"ids JOIN {quoted_table(Input)} i ON i.id = ids.id "
    if "p" in needed:
        joins += f"LEFT JOIN {quoted_table(Process)} p ON p.id = i.process_id "
    if "r" in needed:
        joins += f"LEFT JOIN {quoted_table(Response)} r ON r.input_id = i.id "
    for aggregate in ("th", "sup", "com"):
        if aggregate in needed:
            joins += per_input_lateral(aggregate)
    if "c" in needed:  # only case officers have the contributor property
        joins += f"LEFT JOIN {quoted_table(Contributor)} c ON c.id = i.contributor_id "
    # The Feature is written as text around ST_AsGeoJSON's text: casting that to json (to nest
    # it in json_build_object) parses every geometry again, a fifth of the time for 10 000.
    feature = (
        """'{"type":"Feature","id":"' || i.public_id || '","geometry":' || """
        f"""COALESCE({geometry}, 'null') || ',"properties":' || {_object_sql(pairs)}::text """
        """|| '}'"""
    )
    return joins, feature, needed


def features_array_sql(
    audience: Audience, srid: int = WEB_SRID, *, limit_param: bool = False, **kwargs
) -> str:
    """Return SQL for a JSON array (as text) of Features over ``ids(id, ord)``, ordered by ``ord``.

    With ``limit_param`` the SQL takes one parameter: only rows with ``ord <= %s`` are built.
    Other keyword arguments go to feature_sql (``with_comments``, ``only``, ``anchor``).
    """
    joins, feature, _needed = feature_sql(audience, srid, **kwargs)
    where = "WHERE ids.ord <= %s" if limit_param else ""
    return (
        f"(SELECT COALESCE('[' || string_agg({feature}, ',' ORDER BY ids.ord) || ']', '[]') "
        f"FROM {joins} {where})"
    )


def ids_cte(id_sql: str, name: str = "ids") -> str:
    """Wrap an ordered SQL query of input ids as the ``ids(id, ord)`` relation, computed once.

    As an array the planner expects few rows and joins everything else by primary key,
    instead of hashing whole tables on a guess (a MATERIALIZED CTE's row estimate is blind).
    """
    return (
        f"{name} AS MATERIALIZED (SELECT u.id, u.ord FROM "
        f"unnest(ARRAY({id_sql})) WITH ORDINALITY AS u(id, ord))"
    )
