"""The pieces of prior input's one statement (``reads.prior_input``): the hits, their theme
links, the summary counted over them and the processes whose area the question touches.

Apart from the question (its checks, its filters, running the statement and assembling the
answer): each piece here is SQL text, runs no query of its own, and reads the hits that
``hits_cte`` materialises once; ``prior_input`` joins them, with the features', arguments' and
gaps' SQL, into one statement, one round trip for the whole answer (docs/benchmarks.md, B1).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.gis.geos import GEOSGeometry

from inputbank.models import Input, Process, Response, Theme
from inputbank.models.tables import quoted_table
from inputbank.reads.features import localized_column


def summary_sql() -> str:
    """SQL for the summary object over ``hits``; counts only, no personal data.

    ``hits`` carries channel, process and receipt time and ``hit_themes`` the themes, so only
    responses need a join; the process titles are joined after grouping (a handful of rows).
    """
    title = localized_column("title")
    return f"""json_build_object(
        'total', (SELECT count(*) FROM hits),
        'by_theme', (SELECT COALESCE(json_object_agg(slug, n ORDER BY n DESC, slug), '{{}}')
            FROM (SELECT t.slug, s.n FROM (SELECT theme_id, count(*) AS n FROM hit_themes
                                              GROUP BY theme_id) s
                  JOIN {quoted_table(Theme)} t ON t.id = s.theme_id) s),
        'by_outcome', (SELECT COALESCE(json_object_agg(o, n ORDER BY n DESC, o), '{{}}')
            FROM (SELECT COALESCE(r.outcome, 'none') AS o, count(*) AS n FROM hits
                  LEFT JOIN {quoted_table(Response)} r ON r.input_id = hits.id GROUP BY 1) s),
        'by_channel', (SELECT COALESCE(json_object_agg(channel, n ORDER BY n DESC, channel), '{{}}')
            FROM (SELECT channel, count(*) AS n FROM hits GROUP BY 1) s),
        'by_year', (SELECT COALESCE(json_object_agg(y, n ORDER BY y), '{{}}')
            FROM (SELECT extract(year FROM received_at AT TIME ZONE %s)::int::text AS y,
                         count(*) AS n FROM hits GROUP BY 1) s),
        'by_process', (SELECT COALESCE(json_agg(json_build_object(
                'id', p.id, 'slug', p.slug, 'title', {title}, 'count', s.n)
                ORDER BY s.n DESC, p.id), '[]')
            FROM (SELECT process_id, count(*) AS n FROM hits GROUP BY 1) s
            LEFT JOIN {quoted_table(Process)} p ON p.id = s.process_id)
    )"""


# What every hit carries: (name, SQL type, SQL over the input row ``i``) and its fields.
HIT_FIELDS = (
    ("id", "bigint", "i.id"),
    ("channel", "text", "i.channel"),
    ("process_id", "bigint", "i.process_id"),
    ("received_at", "timestamptz", "i.received_at"),
)
HIT_INPUT_FIELDS = tuple(name for name, _type, _sql in HIT_FIELDS)  # plain columns


def hits_cte(rows_sql: str, columns: Sequence[tuple[str, str, str]]) -> str:
    """``hits(<columns>, ord)``: the rows of ``rows_sql`` (input fields, alias ``i``), newest
    first (Input.objects.newest_first's order), as one array of rows computed once."""
    values = ", ".join(f"({sql})::{type_}" for _name, type_, sql in columns)
    types = ", ".join(f"{name} {type_}" for name, type_, _sql in columns)
    names = ", ".join(name for name, _type, _sql in columns)
    return (
        f"hits AS MATERIALIZED (SELECT * FROM ROWS FROM (unnest(ARRAY(SELECT ROW({values}) "
        f"FROM ({rows_sql}) i ORDER BY i.received_at DESC, i.id DESC)) AS ({types})) "
        f"WITH ORDINALITY AS h({names}, ord))"
    )


def themes_cte(name: str, inputs: str) -> str:
    """A materialised relation (id, theme_id, received_at): the theme links of ``inputs``."""
    link = quoted_table(Input.themes.through)
    return (
        f"{name} AS MATERIALIZED (SELECT h.id, it.theme_id, h.received_at FROM {inputs} h "
        f"JOIN {link} it ON it.input_id = h.id)"
    )


def overlapping_processes_sql(pieces: Sequence[GEOSGeometry]) -> tuple[str, tuple]:
    """SQL (a JSON array as text) of the processes whose area touches the query area: the
    earlier consultations about it, the latest first."""
    overlapping = Process.objects.overlapping_pieces(list(pieces)).order_by().values("id")
    sql, params = overlapping.query.sql_with_params()
    title = localized_column("title")
    return (
        "(SELECT COALESCE(json_agg(json_build_object('id', p.id, 'slug', p.slug, "
        f"'title', {title}, 'status', p.status, 'opens_on', p.opens_on, "
        "'closes_on', p.closes_on) ORDER BY p.opens_on DESC, p.slug), '[]')::text "
        f"FROM {quoted_table(Process)} p WHERE p.id IN ({sql}))",
        params,
    )
