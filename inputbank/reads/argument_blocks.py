"""Reads for the batch regrouping of arguments: a block's inputs in one query each.

``services.arguments_regroup`` sweeps the bank in square blocks (storage CRS metres) from
south to north. It asks three things, each one statement however many inputs a block holds:
where the inputs without an argument are (``unplaced_extent``), which inputs of a block are
to be placed (``unplaced_in``), and which inputs of a strip already have an argument and so
are candidates (``placed_in``: officers' pinned inputs, or an interrupted earlier run's).
A block is by its inputs' centroids, as the matcher measures distance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from geo.crs import STORAGE_SRID
from inputbank.matching import Statement
from inputbank.models import Input, ModerationStatus
from inputbank.models.tables import quoted_table
from inputbank.reads.argument_statements import ThemeKeys, row_statement, statement_sql

Box = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in storage CRS metres
# What placing may touch: everything not rejected (as ``manage.py match_arguments`` always did).
_UNPLACED = "i.argument_id IS NULL AND i.status <> %s"
_LIVE = (ModerationStatus.PUBLISHED, ModerationStatus.PENDING)


@dataclass(frozen=True)
class Unplaced:
    """An input to place: its statement, status, the wording a new argument would take, and
    its theme ids (a new argument gets them)."""

    statement: Statement
    status: str
    public_text: str
    text: str
    theme_ids: tuple[int, ...]
    received_at: dt.datetime
    stored: bool = False  # its tokens came stored (else they are written when it is placed)


def _in_box(alias: str) -> str:
    # The bounding box test uses the geometry indexes; the centroid test puts each input in
    # exactly one block (a centroid lies inside its geometry's box, so none is missed).
    return f"""{alias}.geom && ST_MakeEnvelope(%s, %s, %s, %s, %s)
        AND ST_X(ST_Centroid({alias}.geom)) >= %s AND ST_X(ST_Centroid({alias}.geom)) < %s
        AND ST_Y(ST_Centroid({alias}.geom)) >= %s AND ST_Y(ST_Centroid({alias}.geom)) < %s"""


def _box_params(box: Box) -> list[float]:
    xmin, ymin, xmax, ymax = box
    return [xmin, ymin, xmax, ymax, STORAGE_SRID, xmin, xmax, ymin, ymax]


def _of(ids: list[int] | None) -> tuple[str, list]:
    return ("", []) if ids is None else (" AND i.id = ANY(%s)", [ids])


def unplaced_extent(ids: list[int] | None = None) -> Box | None:
    """The box around every input with a place that has no argument yet (of ``ids`` only, if
    given; None: there is none)."""
    only, params = _of(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                FROM (SELECT ST_Extent(ST_Centroid(i.geom)) AS e FROM {quoted_table(Input)} i
                      WHERE {_UNPLACED} AND i.geom IS NOT NULL{only}) x""",
            [ModerationStatus.REJECTED, *params],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else (row[0], row[1], row[2], row[3])


def _unplaced(where: str, params: list, keys: ThemeKeys) -> list[Unplaced]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {statement_sql("i")}, i.status, i.public_text, i.text, i.received_at
                FROM {quoted_table(Input)} i
                WHERE {_UNPLACED} AND {where}
                ORDER BY i.received_at, i.id""",
            [ModerationStatus.REJECTED, *params],
        )
        rows = cursor.fetchall()
    return [
        Unplaced(
            statement=row_statement(pk, text, description, x, y, theme_ids, stored, keys),
            status=status,
            public_text=public_text,
            text=raw,
            theme_ids=tuple(theme_ids),
            received_at=received_at,
            stored=stored is not None,
        )
        for (
            pk,
            _a,
            text,
            description,
            x,
            y,
            theme_ids,
            stored,
            status,
            public_text,
            raw,
            received_at,
        ) in rows
    ]


def unplaced_in(box: Box, keys: ThemeKeys, ids: list[int] | None = None) -> list[Unplaced]:
    """The inputs of a block still to place (of ``ids`` only, if given), oldest first (the
    order submission met them)."""
    only, params = _of(ids)
    return _unplaced(_in_box("i") + only, [*_box_params(box), *params], keys)


def unplaced_centroids(ids: list[int]) -> list[tuple[float, float]]:
    """Where these inputs still to place are (their centroids): the blocks an import touches."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ST_X(ST_Centroid(i.geom)), ST_Y(ST_Centroid(i.geom))
                FROM {quoted_table(Input)} i
                WHERE {_UNPLACED} AND i.geom IS NOT NULL AND i.id = ANY(%s)""",
            [ModerationStatus.REJECTED, ids],
        )
        return cursor.fetchall()


def unplaced_without_place(keys: ThemeKeys, ids: list[int] | None = None) -> list[Unplaced]:
    """The inputs without a geometry still to place (of ``ids`` only, if given), oldest first
    (a few per cent)."""
    only, params = _of(ids)
    return _unplaced("i.geom IS NULL" + only, params, keys)


def newest_placed_with_theme(
    theme_id: int, limit: int, keys: ThemeKeys
) -> list[tuple[dt.datetime, int, Statement]]:
    """(received, argument id, statement) of the ``limit`` newest published or pending inputs
    under a theme that have an argument, newest first: the candidates of an input without a
    place (``reads.argument_statements.candidates_for``)."""
    link = quoted_table(Input.themes.through)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT i.received_at, {statement_sql("i")}
                FROM {quoted_table(Input)} i JOIN {link} l ON l.input_id = i.id
                WHERE l.theme_id = %s AND i.argument_id IS NOT NULL AND i.status IN (%s, %s)
                ORDER BY i.received_at DESC LIMIT %s""",
            [theme_id, *_LIVE, limit],
        )
        rows = cursor.fetchall()
    return [
        (received, argument_id, row_statement(pk, text, description, x, y, themes, stored, keys))
        for received, pk, argument_id, text, description, x, y, themes, stored in rows
    ]


def placed_in(box: Box, keys: ThemeKeys) -> Iterator[tuple[int, str, Statement]]:
    """(argument id, status, statement) of the published and pending inputs of a strip that
    have an argument: the candidates the sweep did not place itself. Streamed (a strip of the
    town centre holds hundreds of thousands at size M)."""
    # A server-side cursor: the rows come in chunks, not all at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"""SELECT i.status, {statement_sql("i")}
                FROM {quoted_table(Input)} i
                WHERE i.argument_id IS NOT NULL AND i.status IN (%s, %s) AND {_in_box("i")}""",
            [*_LIVE, *_box_params(box)],
        )
        while rows := cursor.fetchmany(5_000):
            for status, pk, argument_id, text, description, x, y, themes, stored in rows:
                statement = row_statement(pk, text, description, x, y, themes, stored, keys)
                yield argument_id, status, statement
