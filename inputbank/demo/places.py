"""Where demo input lands: clustered where people live, plus a spread over Moss.

All coordinates are EPSG:25832 metres (E, N). The few anchor points given in lon/lat are
transformed once with pyproj; everything per-row is numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.crs import STORAGE_SRID, WEB_SRID

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Where people live: (lon, lat, spread in metres, weight).
CLUSTERS = [
    (10.662, 59.434, 600, 0.25),  # Moss sentrum
    (10.615, 59.440, 1100, 0.15),  # Jeløya
    (10.675, 59.445, 450, 0.08),  # Høyden / Verket
    (10.712, 59.408, 800, 0.10),  # Ekholt
    (10.695, 59.477, 550, 0.07),  # Kambo
    (10.683, 59.331, 450, 0.05),  # Larkollen
    (10.742, 59.392, 700, 0.08),  # Rygge / Halmstad
    (10.668, 59.423, 500, 0.08),  # Kransen / Nøkkeland
    (10.760, 59.370, 600, 0.04),  # Halmstad sør
    (10.640, 59.455, 500, 0.05),  # Mosseporten / Tronvik
    (10.725, 59.355, 600, 0.05),  # Rygge vest
]


def to_storage_transformer() -> Transformer:
    return Transformer.from_crs(WEB_SRID, STORAGE_SRID, always_xy=True)


def lonlat_geom_to_storage(geom: BaseGeometry) -> BaseGeometry:
    """Transform a small lon/lat shapely geometry to EPSG:25832 (fixture anchors only)."""
    transformer = to_storage_transformer()
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def moss_boundary() -> BaseGeometry:
    """The approximate Moss outline from fixtures/moss_boundary.geojson, in EPSG:25832."""
    data = json.loads((FIXTURES / "moss_boundary.geojson").read_text(encoding="utf-8"))
    return lonlat_geom_to_storage(shape(data["features"][0]["geometry"]))


def process_area(spec: dict, boundary: BaseGeometry) -> BaseGeometry:
    """Build a process area (EPSG:25832 MultiPolygon) from its fixture description."""
    kind = spec["type"]
    if kind == "municipality":
        area = boundary
    elif kind == "circle":
        centre = lonlat_geom_to_storage(shapely.Point(spec["centre"]))
        area = centre.buffer(spec["radius_m"], quad_segs=16)
    elif kind == "circles":
        centres = [lonlat_geom_to_storage(shapely.Point(c)) for c in spec["centres"]]
        area = shapely.union_all([c.buffer(spec["radius_m"], quad_segs=16) for c in centres])
    elif kind == "corridor":
        line = lonlat_geom_to_storage(shapely.LineString(spec["line"]))
        area = line.buffer(spec["width_m"] / 2, quad_segs=8)
    else:
        raise ValueError(f"unknown area type {kind!r} in processes.json")
    area = shapely.set_precision(area.intersection(boundary.buffer(300)), 0.01)
    if area.geom_type == "Polygon":
        area = shapely.MultiPolygon([area])
    return area


@dataclass
class Sampler:
    """Draws positions: 70 % around CLUSTERS, 30 % uniform over the boundary (with margin)."""

    rng: np.random.Generator
    boundary: BaseGeometry
    cluster_share: float = 0.7

    def __post_init__(self) -> None:
        transformer = to_storage_transformer()
        lon, lat, spread, weight = (
            np.array(col, dtype=float) for col in zip(*CLUSTERS, strict=True)
        )
        self.cx, self.cy = transformer.transform(lon, lat)
        self.spread = spread
        self.weight = weight / weight.sum()
        # Coastal inputs may be slightly in the fjord; never far outside Moss.
        self.allowed = self.boundary.buffer(300)
        shapely.prepare(self.allowed)

    def _draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        in_cluster = self.rng.random(n) < self.cluster_share
        k = self.rng.choice(len(self.weight), size=n, p=self.weight)
        x = self.cx[k] + self.rng.normal(0, 1, n) * self.spread[k]
        y = self.cy[k] + self.rng.normal(0, 1, n) * self.spread[k]
        minx, miny, maxx, maxy = self.boundary.bounds
        ux = self.rng.uniform(minx, maxx, n)
        uy = self.rng.uniform(miny, maxy, n)
        return np.where(in_cluster, x, ux), np.where(in_cluster, y, uy)

    def points(self, n: int, within: BaseGeometry | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return n positions inside ``within`` (default: Moss with a 300 m fjord margin)."""
        area = self.allowed if within is None else within.intersection(self.allowed)
        shapely.prepare(area)
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        have, tries = 0, 0
        while have < n:
            tries += 1
            want = max(64, int((n - have) * 1.6))
            if tries > 4:
                # Small areas far from clusters: sample uniformly in the area's bounds.
                minx, miny, maxx, maxy = area.bounds
                x = self.rng.uniform(minx, maxx, want)
                y = self.rng.uniform(miny, maxy, want)
            else:
                x, y = self._draw(want)
            keep = shapely.contains_xy(area, x, y)
            xs.append(x[keep])
            ys.append(y[keep])
            have += int(keep.sum())
        return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def points_wkt(x: np.ndarray, y: np.ndarray) -> list[str]:
    return [f"SRID={STORAGE_SRID};POINT({a:.2f} {b:.2f})" for a, b in zip(x, y, strict=True)]


def lines_wkt(rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> list[str]:
    """Short walking/cycling routes: 3-6 vertices, 40-150 m steps, gently turning."""
    out = []
    n = len(x)
    vertices = rng.integers(3, 7, n)
    heading = rng.uniform(0, 2 * np.pi, n)
    for i in range(n):
        px, py, h = x[i], y[i], heading[i]
        coords = [f"{px:.2f} {py:.2f}"]
        for _ in range(vertices[i] - 1):
            h += rng.normal(0, 0.5)
            step = rng.uniform(40, 150)
            px, py = px + step * np.cos(h), py + step * np.sin(h)
            coords.append(f"{px:.2f} {py:.2f}")
        out.append(f"SRID={STORAGE_SRID};LINESTRING({', '.join(coords)})")
    return out


def polygons_wkt(rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> list[str]:
    """Small areas: star-shaped around a centre with increasing angles, so always valid."""
    out = []
    n = len(x)
    corners = rng.integers(5, 9, n)
    radius = rng.uniform(25, 150, n)
    for i in range(n):
        k = corners[i]
        # Gaps of at least a third of the average keep vertices apart after rounding.
        gaps = rng.uniform(0.5, 1.5, k)
        angles = np.cumsum(gaps) / gaps.sum() * 2 * np.pi
        r = radius[i] * rng.uniform(0.6, 1.0, k)
        ring = [
            f"{x[i] + rr * np.cos(a):.2f} {y[i] + rr * np.sin(a):.2f}"
            for a, rr in zip(angles, r, strict=True)
        ]
        ring.append(ring[0])
        out.append(f"SRID={STORAGE_SRID};POLYGON(({', '.join(ring)}))")
    return out
