"""Row checks on whole Arrow columns: ``RowBuilder``'s fast path for GIS files.

An archive import checks ~100 000 rows, and one Python loop per row (``RowBuilder._row``) was
most of its Python time (docs/benchmarks.md, B4). Here every check runs on a whole column
(pyarrow.compute, numpy) and decides which rows certainly pass every check of ``_row`` with no
warning; their values are computed column-wise too. Every other row — anything that could give
an error or a warning, or that a column test cannot judge exactly (a cell with spaces to trim,
a date near a limit, a lokalId not written in the canonical form) — goes through ``_row`` as
before, which words the problems, so the report (fields, messages, row numbers, order) and the
dry run are what they were. Vocabulary values (themes, channels, languages, processes, sender
categories, case numbers) are checked once per distinct value, with ``_row``'s own functions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.io import RawBatch
from geo.messages import GeoMessage
from inputbank.casenumbers import parse_case
from inputbank.geomessages import geo_message
from inputbank.imports.cells import cell_text
from inputbank.models import LocationSource
from inputbank.services.imports_rows import (
    COLUMN_SCHEMA,
    NewInput,
    StagedColumns,
    columns_from_rows,
    theme_literal,
)

if TYPE_CHECKING:
    from inputbank.imports.rows import RowBuilder

# What str.strip() removes (str.isspace); all of it lies below U+3001 (test_imports checks).
SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_SPACE_CLASS = "".join(f"\\x{{{ord(c):x}}}" for c in SPACE)
_NEEDS_STRIP = f"^[{_SPACE_CLASS}]|[{_SPACE_CLASS}]$"
# The form str(uuid.UUID(...)) gives: such a cell is its own key, any other form is parsed.
_CANONICAL_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_UTC_ZONES = ("UTC", "Etc/UTC", "+00:00", "Z")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_YEAR_1900_US = (dt.datetime(1900, 1, 1, tzinfo=dt.UTC) - _EPOCH) // dt.timedelta(microseconds=1)
_MAX_SHORT = 200  # location_description and source_group are cut to this in _row
# Mapped fields whose cells only matter for NUL (x/y/WKT: GIS files carry their own geometry).
_ONLY_NUL = ("x", "y", "wkt")


class NotColumnar(Exception):
    """A column of a type the column checks do not judge: the batch goes row by row."""


def _np(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False))


def _mask(values: pa.Array) -> np.ndarray:
    return np.asarray(_np(pc.fill_null(values, False)), dtype=bool)


def _strings(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(the values, nulls as "", and the rows whose cell needs trimming or holds a NUL)."""
    if pa.types.is_null(array.type):
        return pa.array([""] * len(array), pa.string()), np.zeros(len(array), dtype=bool)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise NotColumnar(str(array.type))
    array = array.cast(pa.string())
    slow = _mask(pc.match_substring_regex(array, _NEEDS_STRIP)) | _mask(
        pc.match_substring(array, "\x00")
    )
    return pc.fill_null(array, ""), slow


def _per_value(values: pa.Array, check) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Run ``check(value, problems)`` once per distinct non-empty value.

    Returns (result per distinct value, None for ""), each row's distinct-value index, and
    per distinct value whether the check reported a problem.
    """
    encoded = values.dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    results: list[Any] = []
    bad = np.zeros(len(distinct), dtype=bool)
    for k, value in enumerate(distinct):
        if value == "":
            results.append(None)
            continue
        problems: list[tuple[str, str]] = []
        results.append(check(value, problems))
        bad[k] = bool(problems)
    return results, _np(encoded.indices), bad


def build_columns(
    builder: RowBuilder,
    batch: RawBatch,
    geoms: np.ndarray,
    geom_errors: dict[int, GeoMessage | str],
    repaired: set[int],
) -> StagedColumns | list[NewInput]:
    """The valid rows of a GIS batch as columns; problems reported as ``RowBuilder.build`` does.

    Falls back to ``RowBuilder.build_rows`` (every row one by one) for a batch with a column
    of a type the checks here do not judge.
    """
    try:
        return _Columns(builder, batch, geoms, geom_errors, repaired).build()
    except NotColumnar:
        return builder.build_rows(batch, geoms, geom_errors, repaired)


class _Columns:
    def __init__(self, builder, batch, geoms, geom_errors, repaired):
        self.b = builder
        self.batch = batch
        self.geoms = geoms
        self.n = n = len(batch)
        self.slow = np.zeros(n, dtype=bool)
        for i in (*batch.errors, *geom_errors, *repaired):
            self.slow[i] = True
        self.geom_errors = geom_errors
        self.repaired = repaired
        self.keys: np.ndarray | None = None  # each row's lokalId key (``_lokal_ids``)
        self.cols = {
            target: batch.columns[name]
            for target, name in builder.mapping.columns.items()
            if name in batch.columns
        }
        self.strings: dict[str, pa.Array] = {}
        for target, column in self.cols.items():
            array = column.array
            if target == "received_at" and pa.types.is_temporal(array.type):
                continue  # dates and local times go row by row (_received); no NUL in them
            if target in _ONLY_NUL and not (
                pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
            ):
                continue  # a number cannot hold a NUL; nothing else of it is read
            values, slow = _strings(array)
            self.strings[target] = values
            self.slow |= slow

    def _empty(self, target: str) -> np.ndarray:
        values = self.strings.get(target)
        if values is None:
            return np.ones(self.n, dtype=bool)
        return _np(pc.equal(pc.utf8_length(values), 0))

    def _length_over(self, target: str, limit: int) -> np.ndarray:
        return _np(pc.greater(pc.utf8_length(self.strings[target]), limit))

    def _vocabulary(self, target: str, fn, default: Any, empty_is_error: bool = False) -> pa.Array:
        """Each row's value: ``fn`` once per distinct cell (memoised as ``_row`` does)."""
        if target not in self.strings:
            if empty_is_error:
                self.slow[:] = True
            return pa.array([default] * self.n)
        results, index, bad = _per_value(
            self.strings[target], lambda v, errors: self.b._lookup(target, fn, v, errors)
        )
        results = [default if r is None else r for r in results]
        self.slow |= bad[index]
        if empty_is_error:
            self.slow |= self._empty(target)
        return pa.array(results).take(pa.array(index))

    def build(self) -> StagedColumns:
        b = self.b
        if "text" not in self.strings:
            raise NotColumnar("no text column")
        text = self.strings["text"]
        self.slow |= self._empty("text") | self._length_over("text", b.max_text)
        themes = self._themes()
        channel = self._vocabulary(
            "channel", b._channel, b.default_channel, empty_is_error=b.default_channel is None
        )
        language = self._vocabulary("language", b._language, b.default_language)
        process = self._vocabulary("process", b._process, b.default_process)
        category = self._vocabulary("sender_category", b._category, b.default_category)
        received = self._received()
        case = self._case()
        group = self._short("source_group", b.default_group)
        description = self._short("location_description", "")
        no_geom = np.asarray(shapely.is_missing(self.geoms), dtype=bool)
        if "location_description" in self.strings:
            # Warned about (or geocoded) row by row.
            self.slow |= no_geom & ~self._empty("location_description")
        public_id = self._lokal_ids()
        fast = np.flatnonzero(~self.slow)
        take = pa.array(fast)
        hex_wkb = pa.array(shapely.to_wkb(self.geoms[fast], hex=True, flavor="iso"), pa.string())
        wkb_text = pc.binary_join_element_wise("\\x", hex_wkb, "")  # bytea's hex input
        source = np.where(~no_geom[fast], str(LocationSource.DIGITISED), str(LocationSource.NONE))
        fast_table = pa.table(
            {
                "public_id": public_id.take(take),
                "text": text.take(take),
                "wkb": wkb_text,
                "location_source": pa.array(source, pa.string()),
                "location_description": description.take(take),
                "channel": channel.take(take),
                "language": language.take(take),
                "received_at": received.take(take),
                "process_id": process.take(take),
                "source_group": group.take(take),
                "case_year": case[0].take(take),
                "case_sequence": case[1].take(take),
                "case_document": case[2].take(take),
                "theme_ids": themes.take(take),
                "sender_category": category.take(take),
            }
        ).cast(COLUMN_SCHEMA)
        slow_rows, slow_at = self._one_by_one()
        table = pa.concat_tables([fast_table, columns_from_rows(slow_rows)])
        at = np.concatenate([fast, np.asarray(slow_at, dtype=np.int64)])
        order = np.argsort(at, kind="stable")
        table, at = table.take(pa.array(order)), at[order]
        return StagedColumns(self._refuse_known_ids(table, at))

    def _themes(self) -> pa.Array:
        b = self.b
        default = theme_literal(b.default_themes)
        if "themes" not in self.strings:
            return pa.array([default] * self.n, pa.string())

        def literal(value: str, errors: list) -> str:
            themes = list(b.default_themes)
            for pk in b._lookup("themes", b._split_themes, value, errors):
                if pk not in themes:
                    themes.append(pk)
            return theme_literal(themes)

        results, index, bad = _per_value(self.strings["themes"], literal)
        self.slow |= bad[index]
        literals = [default if r is None else r for r in results]
        return pa.array(literals, pa.string()).take(pa.array(index))

    def _received(self) -> pa.Array:
        b = self.b
        default = b.default_received or b.now
        fill = pa.scalar(default, pa.timestamp("us", tz="UTC"))
        column = self.cols.get("received_at")
        if column is None:
            return pa.array([default] * self.n, pa.timestamp("us", tz="UTC"))
        array = column.array
        kind = array.type
        if not (pa.types.is_timestamp(kind) and kind.tz in _UTC_ZONES and kind.unit != "ns"):
            # Text, dates, local times or nanoseconds: row by row (cell_when, the zone rules).
            if "received_at" in self.strings:
                self.slow |= ~self._empty("received_at")
            elif not pa.types.is_null(kind):
                self.slow |= _mask(pc.is_valid(array))
            return pa.array([default] * self.n, pa.timestamp("us", tz="UTC"))
        values = array.cast(pa.timestamp("us", tz="UTC"))
        micros = _np(pc.fill_null(values.cast(pa.int64()), _YEAR_1900_US))
        latest = (b.now + dt.timedelta(days=1) - _EPOCH) // dt.timedelta(microseconds=1)
        # _when's limits (in the future, before 1900): such rows are worded one by one.
        self.slow |= (micros > latest) | (micros < _YEAR_1900_US)
        return pc.fill_null(values, fill)

    def _case(self) -> tuple[pa.Array, pa.Array, pa.Array]:
        nothing = pa.nulls(self.n, pa.int32())
        if "case" not in self.strings:
            return nothing, nothing, nothing

        def parse(value: str, errors: list):
            try:
                return parse_case(value)
            except ValueError as exc:
                errors.append(("case", geo_message(exc)))
                return None

        results, index, bad = _per_value(self.strings["case"], parse)
        self.slow |= bad[index]
        take = pa.array(index)
        parts = (
            pa.array([r.year if r else None for r in results], pa.int32()).take(take),
            pa.array([r.sequence if r else None for r in results], pa.int32()).take(take),
            pa.array([r.document if r else None for r in results], pa.int32()).take(take),
        )
        return parts

    def _short(self, target: str, default: str) -> pa.Array:
        if target not in self.strings:
            return pa.array([default] * self.n, pa.string())
        self.slow |= self._length_over(target, _MAX_SHORT)
        values = self.strings[target]
        if default:
            values = pc.if_else(pc.equal(values, ""), default, values)
        return values

    def _lokal_ids(self) -> pa.Array:
        """Each row's public_id (NULL: a new one), checked as ``_row._lokal_id`` would.

        ``_lokal_id`` remembers every lokalId it accepts, in file order, and refuses one seen
        before. Here every row's key is known first (canonical cells are their own key; the
        few others are parsed), so a repeat is found column-wise and worded by ``_row``.
        """
        if "lokal_id" not in self.strings:
            return pa.nulls(self.n, pa.string())
        values = self.strings["lokal_id"]
        canonical = _mask(pc.match_substring_regex(values, _CANONICAL_UUID))
        present = ~self._empty("lokal_id")
        keys = np.where(canonical, _np(values), None)
        for i in np.flatnonzero(present & ~canonical):
            self.slow[i] = True  # parsed (and any problem worded) by _row
            try:
                keys[i] = str(uuid.UUID(cell_text(values[i].as_py()).replace("\x00", "")))
            except ValueError:
                keys[i] = None
        keyed = pa.array(keys, pa.string())
        encoded = keyed.dictionary_encode()
        index = _np(pc.fill_null(encoded.indices, -1))
        _distinct, first = np.unique(index, return_index=True)
        first_of = np.full(len(encoded.dictionary) + 1, -1)
        first_of[_distinct] = first
        rows = np.arange(self.n)
        repeat = (index >= 0) & (first_of[index] != rows)
        if self.b.seen_ids:
            # This batch's keys looked up in the set (~20 000 lookups): the set made into an
            # Arrow array for ``is_in`` cost every batch the whole file so far (9 s of an
            # import of 938 000 rows, B4 at M).
            seen = self.b.seen_ids
            repeat |= np.fromiter((k is not None and k in seen for k in keys), bool, self.n)
        self.slow |= repeat
        self.keys = keys
        return pc.if_else(pa.array(canonical), values, pa.nulls(self.n, pa.string()))

    def _one_by_one(self) -> tuple[list[NewInput], list[int]]:
        """``_row`` for every slow row, in file order; the lokalIds of the rows between them
        are remembered as ``_row`` would have remembered them."""
        b, keys = self.b, self.keys
        rows: list[NewInput] = []
        at: list[int] = []
        done = 0
        for i in np.flatnonzero(self.slow):
            i = int(i)
            if keys is not None:
                b.seen_ids.update(k for k in keys[done:i] if k is not None)
            done = i + 1
            geom = self.geoms[i]
            wkb = shapely.to_wkb(geom, flavor="iso") if geom is not None else None
            row = b.check_row(self.cols, i, self.batch.numbers[i], wkb, self.batch.errors,
                              self.geom_errors, self.repaired)  # fmt: skip
            if row is not None:
                rows.append(row)
                at.append(i)
        if keys is not None:
            b.seen_ids.update(k for k in keys[done:] if k is not None)
        return rows, at

    def _refuse_known_ids(self, table: pa.Table, at: np.ndarray) -> pa.Table:
        """Drop rows whose lokalId is already stored, as ``RowBuilder._refuse_known_ids``."""
        b = self.b
        if "lokal_id" not in b.mapping.columns or table.num_rows == 0:
            return table
        ids = table.column("public_id")
        known = b.stored_ids([i for i in ids.to_pylist() if i is not None])
        if not known:
            return table
        refused = _mask(pc.is_in(ids, pa.array(sorted(known), pa.string())))
        for pos in np.flatnonzero(refused):
            b.refuse_known(self.batch.numbers[int(at[pos])])
        return table.filter(pa.array(~refused))
