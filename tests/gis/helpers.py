"""Small helpers for GIS tests: save a downloaded export, read files back through GDAL."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import Transformer

from geo.crs import STORAGE_SRID, WEB_SRID


def save(response, folder: Path, name: str) -> Path:
    """Write a (streaming) response body to a file and return its path."""
    path = folder / name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path.write_bytes(body)
    return path


def unzip(path: Path, folder: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
        return sorted(zf.namelist())


def all_bytes(path: Path) -> bytes:
    """The file's bytes, with a zip's members inflated (to search for leaked text)."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            data += b"".join(zf.read(name) for name in zf.namelist())
    return data


INPUT_LAYERS = ("innspill_punkt", "innspill_linje", "innspill_flate", "innspill_uten_sted")


def read(path: Path, layer: str | None = None):
    """Read a layer with pyogrio (GDAL) as a GeoDataFrame.

    An input GeoPackage holds one layer per geometry kind and a table for input without a
    place: without ``layer`` (or as "innspill") they are read as one frame (``None`` geometry
    for the table).
    """
    names = {row[0] for row in pyogrio.list_layers(path)}
    if layer in (None, "innspill") and set(INPUT_LAYERS) <= names:
        import pandas as pd

        frames = [pyogrio.read_dataframe(path, layer=name) for name in INPUT_LAYERS]
        crs = frames[0].crs
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    return pyogrio.read_dataframe(path, layer=layer)


def to_storage(lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs(WEB_SRID, STORAGE_SRID, always_xy=True).transform(lon, lat)


def mvt_layers(data: bytes) -> dict:
    import mapbox_vector_tile

    return mapbox_vector_tile.decode(io.BytesIO(data).getvalue())
