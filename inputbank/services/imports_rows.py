"""The rows an import hands to ``services.imports``: a list of ``NewInput``, or ``StagedColumns``.

The importer checks a CSV/XLSX file row by row (a ``NewInput`` per row) and a GIS file column
by column (``StagedColumns``: an Arrow table in ``COLUMN_SCHEMA``). These shapes are all the
importer needs to know of the storing; the COPY and the INSERTs stay in ``services.imports``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from inputbank.models import LocationSource


@dataclass(frozen=True)
class NewInput:
    """One checked row, ready to store. ``geom_wkb`` is WKB in the storage CRS or None."""

    text: str
    channel: str
    received_at: dt.datetime
    geom_wkb: bytes | None = None
    location_source: str = LocationSource.DIGITISED
    location_description: str = ""
    language: str = "nb"
    process_id: int | None = None
    source_group: str = ""
    case_year: int | None = None
    case_sequence: int | None = None
    case_document: int | None = None
    theme_ids: tuple[int, ...] = ()
    # With a category, the sender (the group's name) gets a contributor record to hold it.
    sender_category: str = ""
    public_id: uuid.UUID = field(default_factory=uuid.uuid4)


# The same rows in column form (the importer's fast path, ``StagedColumns``): an Arrow table
# COPYed as CSV that Arrow writes, so no Python object is made per row. ``public_id`` NULL:
# a new random one; ``wkb`` as bytea's hex text ("\\x0101..."); ``theme_ids`` as an array
# literal ("{3,7}"); ``public_text`` is added by the redaction when the stage is written.
COLUMN_SCHEMA = pa.schema(
    [
        ("public_id", pa.string()),
        ("text", pa.string()),
        ("wkb", pa.string()),
        ("location_source", pa.string()),
        ("location_description", pa.string()),
        ("channel", pa.string()),
        ("language", pa.string()),
        ("received_at", pa.timestamp("us", tz="UTC")),
        ("process_id", pa.int64()),
        ("source_group", pa.string()),
        ("case_year", pa.int32()),
        ("case_sequence", pa.int32()),
        ("case_document", pa.int32()),
        ("theme_ids", pa.string()),
        ("sender_category", pa.string()),
    ]
)


@dataclass(frozen=True)
class StagedColumns:
    """Checked rows as columns (``COLUMN_SCHEMA``), in file order: a batch the importer hands
    over instead of a list of ``NewInput`` when it checked the rows column-wise."""

    table: pa.Table

    def __len__(self) -> int:
        return self.table.num_rows


def theme_literal(theme_ids: Iterable[int]) -> str:
    """The stage's array literal for a row's themes (each once, sorted)."""
    return "{" + ",".join(str(t) for t in sorted(set(theme_ids))) + "}"


def columns_from_rows(rows: Sequence[NewInput]) -> pa.Table:
    """``NewInput`` rows as a ``COLUMN_SCHEMA`` table (the rows the importer checked one by one)."""
    data: dict[str, list] = {name: [] for name in COLUMN_SCHEMA.names}
    for row in rows:
        geom = row.geom_wkb
        data["public_id"].append(str(row.public_id))
        data["text"].append(row.text)
        data["wkb"].append("\\x" + bytes(geom).hex() if geom is not None else None)
        data["location_source"].append(
            row.location_source if geom is not None else LocationSource.NONE
        )
        data["location_description"].append(row.location_description)
        data["channel"].append(row.channel)
        data["language"].append(row.language)
        data["received_at"].append(row.received_at)
        data["process_id"].append(row.process_id)
        data["source_group"].append(row.source_group)
        data["case_year"].append(row.case_year)
        data["case_sequence"].append(row.case_sequence)
        data["case_document"].append(row.case_document)
        data["theme_ids"].append(theme_literal(row.theme_ids))
        data["sender_category"].append(row.sender_category)
    return pa.table(data, schema=COLUMN_SCHEMA)
