"""Bulk registration of inputs from an import: the same rules as ``input_register``, at COPY speed.

A file of 100 000 archived inputs cannot go through ``input_register`` one row at a time
(docs/measurements.md: ``bulk_create`` ~7 800 rows/s, binary COPY ~350 000/s). This service does
what ``input_register`` does for each row — redacts the public text, stores the geometry in
the storage CRS, sets "no location" when there is none, starts the input as pending (or
published when the officer vouches for it), links themes, and writes the audit trail row —
but through a binary COPY into a temporary table and set-based INSERTs, all in one
transaction: either every row is stored or none. The rows arrive in the shapes
``services.imports_rows`` defines (``NewInput``, ``StagedColumns``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank.models import (
    Channel,
    Contributor,
    Input,
    InputReferenceCounter,
    LocationSource,
    ModerationStatus,
    input_themes_history,
)
from inputbank.redaction import candidates, redact
from inputbank.redaction_streets import register_streets
from inputbank.references import year_sql
from inputbank.services import bulk_load
from inputbank.services.arguments import arguments_match_many
from inputbank.services.imports_rows import COLUMN_SCHEMA, NewInput, StagedColumns

_STAGE = "inputbank_import_stage"
_STAGE_COLUMNS = (
    ("public_id", "uuid"),
    ("text", "text"),
    ("public_text", "text"),
    ("wkb", "bytea"),
    ("location_source", "text"),
    ("location_description", "text"),
    ("channel", "text"),
    ("language", "text"),
    ("received_at", "timestamptz"),
    ("process_id", "bigint"),
    ("source_group", "text"),
    ("case_year", "integer"),
    ("case_sequence", "integer"),
    ("case_document", "integer"),
    ("theme_ids", "bigint[]"),
    ("sender_category", "text"),
)


def _public_texts(texts: pa.Array) -> pa.Array:
    """The redacted texts, NULL where the text cannot hold personal data (it is its own).

    ``redaction.candidates`` marks the texts any finder could match (the same necessary
    conditions ``find_personal_data`` tests); only those go through ``redact``, each distinct
    text once (archives repeat form letters and one-line answers).
    """
    marked = candidates(texts)
    public = pa.nulls(len(texts), pa.string())
    if marked.any():
        mask = pa.array(marked)
        distinct = texts.filter(mask).dictionary_encode()
        redacted = pa.array([redact(t) for t in distinct.dictionary.to_pylist()], pa.string())
        public = pc.replace_with_mask(public, mask, redacted.take(distinct.indices))
    return public


def _history_insert_sql() -> str:
    """INSERT ... SELECT copying new inputs into simple-history's table ('+' = created)."""
    history = Input.history.model
    own = {f.column for f in Input._meta.concrete_fields}
    targets, sources = [], []
    for f in history._meta.concrete_fields:
        if f.column in own:
            targets.append(f'"{f.column}"')
            sources.append(f'i."{f.column}"')
    targets += ['"history_date"', '"history_type"', '"history_user_id"', '"history_change_reason"']
    sources += ["now()", "'+'", "%s", "'import'"]
    return (
        f'INSERT INTO "{history._meta.db_table}" ({", ".join(targets)}) '
        f"SELECT {', '.join(sources)} FROM {_STAGE} s "
        f'JOIN "{Input._meta.db_table}" i ON i.id = s.id'
    )


def _history_themes_insert_sql() -> str:
    """INSERT ... SELECT recording the new inputs' themes with their '+' history rows.

    As simple-history does for a save, so the change log's first theme change after an import
    compares against the themes the import gave (and not against none).
    """
    history = Input.history.model
    themes = input_themes_history()
    through = Input.themes.through._meta.db_table
    return (
        f'INSERT INTO "{themes._meta.db_table}" (id, input_id, theme_id, history_id) '
        f"SELECT it.id, it.input_id, it.theme_id, h.history_id FROM {_STAGE} s "
        f'JOIN "{through}" it ON it.input_id = s.id '
        f'JOIN "{history._meta.db_table}" h ON h.id = s.id'
    )


def _stage_row(row: NewInput) -> tuple:
    geom = row.geom_wkb
    return (
        row.public_id,
        row.text,
        redact(row.text),
        geom,
        row.location_source if geom is not None else LocationSource.NONE,
        row.location_description,
        row.channel,
        row.language,
        row.received_at,
        row.process_id,
        row.source_group,
        row.case_year,
        row.case_sequence,
        row.case_document,
        sorted(set(row.theme_ids)),
        row.sender_category,
    )


# Matching costs a few milliseconds per row (a candidate query each): a letter batch is
# matched at once, an archive of 100 000 rows would hold the import's transaction for
# minutes, so it is matched afterwards in batches (docs/arguments.md).
MATCH_IN_TRANSACTION_MAX = 5_000


@transaction.atomic
def inputs_bulk_register(
    *,
    batches: Iterable[Sequence[NewInput] | StagedColumns],
    registered_by,
    publish: bool = False,
    match_arguments: bool = True,
) -> int:
    """Store every row of every batch in one transaction; return how many were stored.

    With ``publish`` the officer vouches for the (redacted) public texts and the inputs are
    published at once, as ``input_register(publish=True)`` does. With ``match_arguments``
    each row then joins the argument it makes (or opens one), oldest first, in this
    transaction, as ``input_register`` does — up to MATCH_IN_TRANSACTION_MAX rows; a larger
    import (an archive) is left to ``manage.py match_arguments``, in batches.

    A large load (``IMPORTS["LARGE_LOAD_ROWS"]`` rows or more, and at least as many as the
    table holds) rebuilds the input table's secondary indexes (and the audit trail's, when
    the load at least doubles that too) after the INSERTs instead of updating them row by row
    (``bulk_load``: this locks the tables until commit).
    """
    user_id = getattr(registered_by, "pk", None)
    all_ids: list[int] = []
    with connection.cursor() as cursor:
        count = _stage(cursor, batches)
        if count == 0:
            cursor.execute(f"DROP TABLE {_STAGE}")
            return 0
        if match_arguments and count <= MATCH_IN_TRANSACTION_MAX:
            cursor.execute(f"SELECT id FROM {_STAGE} ORDER BY id")
            all_ids = [row[0] for row in cursor.fetchall()]
        now = timezone.now()
        _contributors_insert(cursor, now)
        aside = None
        if count >= cast(int, settings.IMPORTS["LARGE_LOAD_ROWS"]):
            # The audit trail's table too, when the load at least doubles it as well.
            tables = [Input._meta.db_table, Input.history.model._meta.db_table]
            tables = [t for t in tables if _holds_at_most(cursor, t, count)]
            if Input._meta.db_table in tables:
                aside = bulk_load.set_aside(cursor, tables=tables)
        if aside is None:
            # GIN indexes (full text, trigrams) are the slowest part of inserting; a large
            # pending list lets them take the rows cheaply and merge them in bulk at the end
            # (measured: 13 s instead of 20 s for 300 000 rows).
            cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
        _inputs_insert(cursor, now=now, publish=publish, user_id=user_id)
        themes = Input.themes.through._meta.db_table
        cursor.execute(
            f'INSERT INTO "{themes}" (input_id, theme_id) '
            f"SELECT s.id, t.theme_id FROM {_STAGE} s "
            "CROSS JOIN LATERAL unnest(s.theme_ids) AS t(theme_id)"
        )
        cursor.execute(_history_insert_sql(), [user_id])
        cursor.execute(_history_themes_insert_sql())
        if aside is not None:
            bulk_load.restore(cursor, aside)
        cursor.execute(f"DROP TABLE {_STAGE}")
        if aside is None:
            _merge_gin_pending_lists(cursor)
    if match_arguments and count <= MATCH_IN_TRANSACTION_MAX:
        arguments_match_many(input_ids=all_ids)
    return count


def _stage(cursor, batches: Iterable[Sequence[NewInput] | StagedColumns]) -> int:
    """COPY every batch into the temporary stage table; return the row count.

    Ids come from the input table's own sequence, in COPY order (file order): theme links and
    audit rows can then be written from the stage table without joining back on public_id.
    A list of ``NewInput`` goes as binary rows encoded one by one; ``StagedColumns`` as CSV
    that Arrow writes from the columns (docs/benchmarks.md, B4, measured both).
    """
    table = Input._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    cursor.execute(
        f"CREATE TEMP TABLE {_STAGE} (id bigint NOT NULL DEFAULT nextval(%s::regclass), "
        + ", ".join(f"{n} {t}" for n, t in _STAGE_COLUMNS)
        + ") ON COMMIT DROP",
        [sequence],
    )
    raw = cursor.cursor  # psycopg's own cursor: COPY is not part of the DB-API
    count = 0
    names = ", ".join(name for name, _t in _STAGE_COLUMNS)
    copy_binary = f"COPY {_STAGE} ({names}) FROM STDIN (FORMAT BINARY)"
    csv_names = ", ".join([*COLUMN_SCHEMA.names, "public_text"])
    copy_csv = f"COPY {_STAGE} ({csv_names}) FROM STDIN (FORMAT CSV)"
    types = [t for _n, t in _STAGE_COLUMNS]
    register_streets()  # redaction's street names, read now: not during a COPY
    for batch in batches:
        if not len(batch):
            continue
        # One COPY per batch: producing the next batch may query the database (lookups),
        # which the connection cannot do while a COPY is in progress.
        if isinstance(batch, StagedColumns):
            columns = batch.table.append_column(
                "public_text", _public_texts(batch.table.column("text").combine_chunks())
            )
            buffer = io.BytesIO()
            pa_csv.write_csv(columns, buffer, pa_csv.WriteOptions(include_header=False))
            with raw.copy(copy_csv) as copy:
                copy.write(buffer.getbuffer())
        else:
            with raw.copy(copy_binary) as copy:
                copy.set_types(types)
                for row in batch:
                    copy.write_row(_stage_row(row))
        count += len(batch)
    return count


def _holds_at_most(cursor, table: str, count: int) -> bool:
    """Whether ``table`` holds at most ``count`` rows: worth rebuilding its indexes for a load.

    Counted only up to ``count + 1`` rows (a bounded scan, cheap next to the load).
    """
    cursor.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT %s) AS t', [count + 1])
    return cursor.fetchone()[0] <= count


def _inputs_insert(cursor, *, now: dt.datetime, publish: bool, user_id: int | None) -> None:
    """INSERT the staged rows, each numbered (reference year and number) in the same statement.

    The numbers are what migration 0016's per-row trigger would give, in the same order (by
    id, i.e. file order, within each year of receipt): one upsert per year reserves the
    range in the counter, whose rows stay locked until commit as the trigger's would.
    """
    year = year_sql("received_at")
    counter = InputReferenceCounter._meta.db_table
    cursor.execute(f"SELECT {year}, count(*) FROM {_STAGE} GROUP BY 1 ORDER BY 1")
    counts = cursor.fetchall()
    years = [y for y, _n in counts]
    cursor.execute(
        f'INSERT INTO "{counter}" AS c (year, last) '
        "SELECT * FROM unnest(%s::int[], %s::int[]) "
        "ON CONFLICT (year) DO UPDATE SET last = c.last + EXCLUDED.last "
        "RETURNING c.year, c.last",
        [years, [n for _y, n in counts]],
    )
    last = dict(cursor.fetchall())
    starts = [last[y] - n for y, n in counts]
    status = ModerationStatus.PUBLISHED if publish else ModerationStatus.PENDING
    cursor.execute(
        f"""
        INSERT INTO "{Input._meta.db_table}" (
            id, public_id, text, public_text, geom, location_source, location_description,
            channel, language, received_at, process_id, case_year, case_sequence,
            case_document, status, rejection_reason, moderated_by_id, moderated_at,
            published_at, contributor_id, source_group, registered_by_id, created_at,
            updated_at, location_restricted, reference_year, reference_number)
        SELECT id, COALESCE(public_id, gen_random_uuid()), text, COALESCE(public_text, text),
            ST_GeomFromWKB(wkb, {STORAGE_SRID}),
            location_source, location_description, channel, language, received_at,
            process_id, case_year, case_sequence, case_document, %s, '', %s, %s, %s,
            contributor_id, source_group, %s, %s, %s,
            -- children's raw locations are never public (as input_register does)
            channel = %s,
            s.ref_year,
            r.start + row_number() OVER (PARTITION BY s.ref_year ORDER BY s.id)
        FROM (SELECT *, {year} AS ref_year FROM {_STAGE}) AS s
        JOIN unnest(%s::int[], %s::bigint[]) AS r(year, start) ON r.year = s.ref_year
        ORDER BY s.id
        """,
        [
            status,
            user_id if publish else None,
            now if publish else None,
            now if publish else None,
            user_id,
            now,
            now,
            Channel.BARNETRAKK,
            years,
            starts,
        ],
    )


def _contributors_insert(cursor, now: dt.datetime) -> None:
    """Give each staged row with a sender category a contributor record holding only that.

    The record names no person: the group's name (source_group) and the category, so the
    merknadsbehandling groups imported statements as it groups registered ones.
    """
    table = Contributor._meta.db_table
    cursor.execute(f"ALTER TABLE {_STAGE} ADD COLUMN contributor_id bigint")
    cursor.execute(
        f"UPDATE {_STAGE} SET contributor_id = nextval(pg_get_serial_sequence(%s, 'id')) "
        "WHERE sender_category <> ''",
        [f'"{table}"'],
    )
    cursor.execute(
        f'INSERT INTO "{table}" (id, name, email, phone, postal_address, organisation, '
        "wants_feedback, preferred_language, consent_publish_name, created_at, sender_category) "
        f"SELECT contributor_id, '', '', '', '', source_group, false, language, false, %s, "
        f"sender_category FROM {_STAGE} WHERE contributor_id IS NOT NULL",
        [now],
    )


def _merge_gin_pending_lists(cursor) -> None:
    """Merge the GIN pending lists now, so searches do not scan them until autovacuum does."""
    for index in Input._meta.indexes:
        if isinstance(index, GinIndex):
            try:
                with transaction.atomic():
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index.name])
            except DatabaseError:
                pass  # not the index owner: autovacuum will merge it later
