"""Text people wrote, made safe for the file it goes into (exports.py streams through this).

KML: Google Earth renders descriptions and data as HTML, so text is HTML-escaped. CSV: a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a
spreadsheet, so it gets a leading ``'`` (formula injection, docs/threats.md); timestamps become
ISO text. Done on whole Arrow columns, never row by row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from geo.io import ExportFormat
from inputbank.publishing.layers import Column


def _escape_html(array: pa.Array) -> pa.Array:
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        array = pc.replace_substring(array, old, new)
    return array


def _guard_formula(array: pa.Array) -> pa.Array:
    risky = pc.match_substring_regex(array, r"^[=+\-@\t\r]")
    return pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)


def for_format(
    batches: Iterator[pa.RecordBatch], columns: Sequence[Column], fmt: ExportFormat
) -> Iterator[pa.RecordBatch]:
    """Adapt batches to a format: escape for KML, guard and stringify times for CSV."""
    text_names = {c.name for c in columns if c.text}
    for batch in batches:
        arrays, names = [], []
        for name, array in zip(batch.schema.names, batch.columns, strict=True):
            if fmt.name == "kml" and pa.types.is_string(array.type):
                array = _escape_html(array)
            elif fmt.name == "csv" and name in text_names:
                array = _guard_formula(array)
            if fmt.name == "csv" and pa.types.is_timestamp(array.type):
                array = pc.strftime(array, format="%Y-%m-%dT%H:%M:%SZ")
            arrays.append(array)
            names.append(name)
        yield pa.RecordBatch.from_arrays(arrays, names=names)


def adapt_schema(schema: pa.Schema, fmt: ExportFormat) -> pa.Schema:
    if fmt.name != "csv":
        return schema
    return pa.schema(
        [pa.field(f.name, pa.string()) if pa.types.is_timestamp(f.type) else f for f in schema]
    )
