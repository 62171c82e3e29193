"""Geometries of a CSV/XLSX batch from its coordinate or WKT columns, in the columns' own CRS.

A GIS file brings its geometry as WKB (``geo.io``); a table brings an x and a y column or one
WKT column, which the mapping names. A row's coordinates that cannot make a geometry are an
error of that row, reported with the others by ``RowBuilder``; the batch goes on.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.utils.translation import gettext_noop

from geo.io import RawBatch, from_wkt
from geo.messages import GeoMessage
from geo.validation import GeometryError
from inputbank.imports.cells import cell_number, cell_text
from inputbank.imports.mapping import Mapping


def table_geometries(
    batch: RawBatch, mapping: Mapping, *, max_vertices: int
) -> tuple[np.ndarray, dict[int, GeoMessage | str]]:
    """Geometries of a CSV/XLSX batch from x/y or WKT columns, in the columns' own CRS."""
    geoms = np.empty(len(batch), dtype=object)
    errors: dict[int, GeoMessage | str] = {}
    if "wkt" in mapping.columns:
        for i, raw in enumerate(batch.columns[mapping.columns["wkt"]]):
            text = cell_text(raw)
            if text:
                try:
                    geoms[i] = from_wkt(text, max_vertices=max_vertices)
                except GeometryError as exc:
                    errors[i] = exc
        return geoms, errors
    if "x" not in mapping.columns:
        return geoms, errors
    xs, ys = batch.columns[mapping.columns["x"]], batch.columns[mapping.columns["y"]]
    coords = np.full((len(batch), 2), np.nan)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        tx, ty = cell_text(x), cell_text(y)
        if not tx and not ty:
            continue
        if not tx or not ty:
            errors[i] = GeometryError(
                gettext_noop("give both coordinates (or neither, for no location)"),
                where="geometry",
            )
            continue
        try:
            coords[i] = (cell_number(x), cell_number(y))
        except ValueError:
            errors[i] = GeometryError(
                gettext_noop("the coordinates %(x)s, %(y)s are not numbers"),
                where="geometry",
                x=repr(tx[:20]),
                y=repr(ty[:20]),
            )
    ok = ~np.isnan(coords).any(axis=1)
    geoms[ok] = shapely.points(coords[ok])
    return geoms, errors
