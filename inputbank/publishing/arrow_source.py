"""Rows of a query as Arrow record batches, read ahead while the caller writes the last ones.

Exports spend their time in three places: PostgreSQL running the query, turning rows into
Arrow columns, and GDAL writing the file. Through psycopg every value became a Python object
before it became Arrow (about half the export at 100 000 rows), and fetching and writing took
turns. Here ADBC's PostgreSQL driver reads the result as binary COPY and decodes it into Arrow
in C, on a thread of its own that keeps up to ``PREFETCH`` batches ready, so PostgreSQL,
the decoding and GDAL's writing run at the same time (2 cores: the database on one, GDAL on
the other). Memory stays bounded: at most ``PREFETCH`` + 2 batches of ``BATCH_BYTES`` each.

ADBC opens its own connection (same settings as Django's), so it sees committed data only.
Inside a transaction (tests, or a caller that just wrote rows) the rows come through Django's
connection instead, in the same Arrow shape, so an export never misses what its own
transaction wrote.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator, Sequence

import pyarrow as pa
from django.db import connection, transaction

from inputbank.dbrouter import read_connection

BATCH_ROWS = 50_000  # rows per batch through Django's connection
BATCH_BYTES = 8 << 20  # ADBC batch size hint: small enough to overlap, big enough for GDAL
PREFETCH = 3  # batches read ahead of the writer


def conninfo() -> str:
    """A libpq connection string for the database reads use now: the primary (the test
    database in tests) or, inside a read-only view, a read replica (inputbank.dbrouter)."""
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    # Django's OPTIONS also hold psycopg and Django settings (pool, isolation_level, ...):
    # pass on only what libpq knows.
    libpq_keys = {d.keyword.decode() for d in pq.Conninfo.get_defaults()}
    settings = read_connection().settings_dict
    params: dict[str, object] = {
        "dbname": settings["NAME"],
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": str(settings["PORT"]) if settings.get("PORT") else None,
    }
    for key, value in (settings.get("OPTIONS") or {}).items():
        if key in libpq_keys and isinstance(value, str | int):
            params[key] = value
    return make_conninfo(**{k: v for k, v in params.items() if v is not None})


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """Give a batch the export's schema: names, types, no driver metadata.

    Timestamps travel as epoch milliseconds (``exports.select_sql``) and become timestamps
    here without copying.
    """
    arrays = []
    for field, array in zip(schema, batch.columns, strict=True):
        if array.type != field.type:
            array = array.cast(field.type)
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _psycopg_batches(
    sql: str, params: Sequence[object], schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """Batches through Django's connection: sees the current transaction's own rows."""
    with transaction.atomic():
        connection.ensure_connection()
        # Binary results: WKB and integers arrive as bytes, not as hex text to decode.
        with connection.connection.cursor(name="gis_export", binary=True) as cursor:
            cursor.itersize = BATCH_ROWS
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(BATCH_ROWS):
                columns = zip(*rows, strict=True)
                arrays = [
                    _array(values, field.type)
                    for values, field in zip(columns, schema, strict=True)
                ]
                yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _array(values: Sequence[object], type_: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(type_):
        return pa.array(values, pa.int64()).cast(type_)
    return pa.array(values, type=type_)


@contextlib.contextmanager
def record_batches(
    sql: str, params: Sequence[object], schema: pa.Schema
) -> Iterator[Iterator[pa.RecordBatch]]:
    """Yield an iterator of Arrow batches (in ``schema``) of a query's rows, read ahead.

    ``sql`` has Django-style ``%s`` placeholders; its columns are in the schema's order.
    """
    if connection.in_atomic_block:
        yield _psycopg_batches(sql, params, schema)
        return
    import adbc_driver_postgresql.dbapi as adbc
    from adbc_driver_postgresql import StatementOptions

    reads = read_connection()
    reads.ensure_connection()
    # psycopg quotes the parameters client-side (strings, dates, geometries alike), so the
    # ADBC statement needs no parameter binding of its own.
    text = reads.ops.compose_sql(sql, params)
    with adbc.connect(conninfo()) as conn, conn.cursor() as cursor:
        cursor.adbc_statement.set_options(
            **{StatementOptions.BATCH_SIZE_HINT_BYTES.value: str(BATCH_BYTES)}
        )
        cursor.execute(text)
        reader = cursor.fetch_record_batch()
        ahead = _ReadAhead(reader, schema)
        try:
            yield iter(ahead)
        finally:
            ahead.stop()
            reader.close()


class _ReadAhead:
    """Read batches on a thread of its own, at most PREFETCH ahead of the consumer."""

    _DONE = object()

    def __init__(self, reader: pa.RecordBatchReader, schema: pa.Schema) -> None:
        self._reader = reader
        self._schema = schema
        self._queue: queue.Queue = queue.Queue(maxsize=PREFETCH)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="export-read-ahead", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for batch in self._reader:
                if not self._put(_conform(batch, self._schema)):
                    return
            self._put(self._DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(exc)

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def stop(self) -> None:
        """Stop reading (the consumer finished or failed) and wait for the thread."""
        self._stopped.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._thread.join()
