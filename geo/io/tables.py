"""Read tables (CSV, XLSX) in batches of raw rows, as ``geo.io.reader`` reads GIS files.

The first row (the first non-empty one in a sheet) names the columns; each row after it
becomes a row of a ``RawBatch``, numbered by its line (header = line 1) or sheet row. Blank
rows are skipped; a CSV line that cannot be parsed, or a row with more values than the header
names, is kept as that row's error. Values stay as the file gives them (trimmed text, or an
XLSX cell's number or date): the importer decides what they mean.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from geo.io.reader import BATCH_SIZE, MAX_COLUMNS, TOO_MANY_COLUMNS, RawBatch, RowError, SourceInfo
from geo.io.safety import CSV, UnsupportedFile, UploadLimits
from geo.io.zips import inspect_zip
from geo.messages import gettext_noop


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252.

    Norwegian spreadsheets saved as CSV from Excel are often Windows-1252.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _header(raw: list[Any]) -> list[str]:
    names = [str(v).strip().lstrip("\ufeff") if v is not None else "" for v in raw]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise UnsupportedFile(gettext_noop("the first row must name the columns"))
    if len(names) > MAX_COLUMNS:
        raise UnsupportedFile(TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not name:
            names[i] = f"column_{i + 1}"
        if names[i].lower() in seen:
            raise UnsupportedFile(
                gettext_noop("the column %(column)s appears twice in the header"),
                column=repr(names[i][:60]),
            )
        seen.add(names[i].lower())
    return names


def open_table(
    path: Path, fmt: str, *, limits: UploadLimits, sheet: str | None = None
) -> tuple[SourceInfo, Iterator[RawBatch]]:
    """Open a CSV (comma, semicolon or tab separated) or an XLSX sheet; first row = header."""
    if fmt == CSV:
        return _open_csv(path)
    return _open_xlsx(path, limits, sheet)


def _open_csv(path: Path) -> tuple[SourceInfo, Iterator[RawBatch]]:
    encoding = _detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        first = fh.readline()
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = _header(next(reader))
    except StopIteration as exc:
        fh.close()
        raise UnsupportedFile(gettext_noop("the file is empty")) from exc
    except csv.Error as exc:
        fh.close()
        raise UnsupportedFile(
            gettext_noop("the CSV header cannot be read: %(reason)s"), reason=str(exc)
        ) from exc
    info = SourceInfo(fmt=CSV, columns=header, encoding=encoding)
    return info, _csv_batches(fh, reader, header)


def _csv_batches(fh: io.TextIOBase, reader, header: list[str]) -> Iterator[RawBatch]:
    with fh:
        batch = _new_batch(header)
        previous_line = reader.line_num
        while True:
            start_line = previous_line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                _append(batch, header, start_line, [])
                batch.errors[len(batch.numbers) - 1] = RowError(
                    gettext_noop("the line cannot be read as CSV (%(reason)s)"), reason=str(exc)
                )
                previous_line = reader.line_num
                continue
            previous_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            _append(batch, header, start_line, row)
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = _new_batch(header)
        if len(batch):
            yield batch


def _new_batch(header: list[str]) -> RawBatch:
    return RawBatch(numbers=[], columns={name: [] for name in header})


def _append(batch: RawBatch, header: list[str], number: int, row: list[Any]) -> None:
    cast(list, batch.numbers).append(number)
    if len(row) > len(header) and any(str(v).strip() for v in row[len(header) :] if v is not None):
        batch.errors[len(batch.numbers) - 1] = RowError(
            gettext_noop("the row has %(values)s values but the header names %(columns)s columns"),
            values=len(row),
            columns=len(header),
        )
    for i, name in enumerate(header):
        value = row[i] if i < len(row) else None
        if isinstance(value, str):
            value = value.strip() or None
        cast(list, batch.columns[name]).append(value)


def _open_xlsx(
    path: Path, limits: UploadLimits, sheet: str | None
) -> tuple[SourceInfo, Iterator[RawBatch]]:
    # An XLSX is a zip of XML: the zip-bomb limits apply, and defusedxml (installed) makes
    # openpyxl refuse XML entity expansion attacks.
    inspect_zip(path, limits)
    import openpyxl  # imported here: only XLSX uploads need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnsupportedFile(gettext_noop("the XLSX file cannot be read")) from exc
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise UnsupportedFile(
            gettext_noop("the workbook has no sheet %(sheet)s"), sheet=repr(sheet[:60])
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    try:
        for row_number, row in enumerate(rows, start=1):
            if any(v is not None and str(v).strip() for v in row):
                header, header_row = _header(list(row)), row_number
                break
    except UnsupportedFile:
        book.close()
        raise
    except Exception as exc:  # openpyxl parses sheets lazily; defusedxml refuses entity tricks
        book.close()
        raise UnsupportedFile(gettext_noop("the XLSX sheet cannot be read safely")) from exc
    if header is None:
        book.close()
        raise UnsupportedFile(gettext_noop("the sheet is empty"))
    info = SourceInfo(fmt="xlsx", columns=header, layer=ws.title)
    return info, _xlsx_batches(book, rows, header, header_row)


def _xlsx_batches(book, rows, header: list[str], header_row: int) -> Iterator[RawBatch]:
    try:
        batch = _new_batch(header)
        numbered = enumerate(rows, start=header_row + 1)
        while True:
            try:
                number, row = next(numbered)
            except StopIteration:
                break
            except Exception as exc:  # see _open_xlsx
                raise UnsupportedFile(gettext_noop("the XLSX sheet cannot be read safely")) from exc
            if not any(v is not None and str(v).strip() for v in row):
                continue
            _append(batch, header, number, [_xlsx_value(v) for v in row])
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = _new_batch(header)
        if len(batch):
            yield batch
    finally:
        book.close()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | int | float) or value is None:
        return value
    return str(value)
