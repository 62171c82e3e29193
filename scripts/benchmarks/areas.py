"""Deterministic query areas: 500 m drawn areas and complex multipart plan areas.

Built in EPSG:25832 metres and handed out as RFC 7946 GeoJSON (lon/lat, 7 decimals), which is
what a browser or a GIS script sends to the API. Baselines transform the same GeoJSON in SQL,
so product and baseline answer the very same question.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.demo.places import CLUSTERS, moss_boundary, to_storage_transformer

# Parts per complex plan area: from a dozen plots to a fragmented zoning plan (docs/measurements.md
# measured 1 100 parts / 10 900 vertices). Every one has at least MIN_COMPLEX_VERTICES.
COMPLEX_PARTS = (12, 1100, 40, 400, 20, 250, 60, 800, 30, 120, 90, 600)
MIN_COMPLEX_VERTICES = 5000


@dataclass(frozen=True)
class Area:
    name: str
    kind: str  # "area500" or "complex"
    geojson: dict  # RFC 7946 geometry, lon/lat
    vertices: int
    parts: int


def _to_lonlat(geom):
    back = Transformer.from_crs(STORAGE_SRID, WEB_SRID, always_xy=True)
    return shapely.transform(
        geom, lambda xy: np.round(np.column_stack(back.transform(xy[:, 0], xy[:, 1])), 7)
    )


def _area(name: str, kind: str, geom_25832) -> Area:
    lonlat = _to_lonlat(geom_25832)
    if not lonlat.is_valid:
        raise ValueError(f"{name}: generated area is not valid after rounding")
    parts = len(lonlat.geoms) if hasattr(lonlat, "geoms") else 1
    return Area(name, kind, mapping(lonlat), shapely.get_num_coordinates(lonlat), parts)


def _angles(rng: np.random.Generator, n: int) -> np.ndarray:
    """n strictly increasing angles round the circle, no gap under a third of the average.

    Sorted angles with positive radii make a simple (star-shaped) ring; keeping the gaps
    even keeps it simple after rounding to 7 decimals too.
    """
    gaps = rng.uniform(0.5, 1.5, n)
    return np.cumsum(gaps) / gaps.sum() * 2 * np.pi


def _ring(rng: np.random.Generator, cx: float, cy: float, radius: float, n: int) -> list:
    """A star-shaped ring with a rough, coastline-like edge: always a simple polygon.

    The radius is a sum of sines whose amplitude falls with frequency (a fractal-ish profile),
    sampled at strictly increasing angles, and stays between 55 % and 100 % of ``radius``.
    """
    theta = _angles(rng, n)
    freqs = np.arange(1, 40)
    amps = freqs**-0.9 * rng.uniform(0.5, 1.0, freqs.size)
    phases = rng.uniform(0, 2 * np.pi, freqs.size)
    profile = (amps[:, None] * np.sin(freqs[:, None] * theta[None, :] + phases[:, None])).sum(0)
    profile = (profile - profile.min()) / (np.ptp(profile) or 1.0)
    r = radius * (0.55 + 0.45 * profile)
    coords = np.column_stack([cx + r * np.cos(theta), cy + r * np.sin(theta)])
    return [*map(tuple, coords), tuple(coords[0])]


def _centres(rng: np.random.Generator, n: int) -> np.ndarray:
    """Two thirds where people live (the demo's clusters), a third anywhere on land."""
    boundary = moss_boundary()
    shapely.prepare(boundary)
    lon, lat, spread, weight = (np.array(c, dtype=float) for c in zip(*CLUSTERS, strict=True))
    cx, cy = to_storage_transformer().transform(lon, lat)
    out: list[tuple[float, float]] = []
    minx, miny, maxx, maxy = boundary.bounds
    while len(out) < n:
        if len(out) % 3 < 2:
            k = rng.choice(len(weight), p=weight / weight.sum())
            x, y = cx[k] + rng.normal() * spread[k], cy[k] + rng.normal() * spread[k]
        else:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(boundary, x, y):
            out.append((x, y))
    return np.array(out)


def drawn_areas(n: int, seed: int) -> list[Area]:
    """n irregular areas about 500 m across, as a case officer would draw them."""
    rng = np.random.default_rng(seed + 500)
    out = []
    for i, (x, y) in enumerate(_centres(rng, n)):
        corners = int(rng.integers(8, 17))
        angles = _angles(rng, corners)
        r = 250 * rng.uniform(0.85, 1.0, corners)
        ring = [(x + rr * np.cos(a), y + rr * np.sin(a)) for a, rr in zip(angles, r, strict=True)]
        out.append(_area(f"area500-{i:02d}", "area500", shapely.Polygon(ring)))
    return out


def complex_areas(n: int, seed: int) -> list[Area]:
    """n multipart plan areas of ≥ 5 000 vertices over 1.5–3 km, from 12 to 1 100 parts."""
    rng = np.random.default_rng(seed + 5000)
    out = []
    for i, (x, y) in enumerate(_centres(rng, n)):
        parts = COMPLEX_PARTS[i % len(COMPLEX_PARTS)]
        extent = rng.uniform(1500, 3000)
        per_side = int(np.ceil(np.sqrt(parts)))
        cell = extent / per_side
        per_part = max(8, int(np.ceil(rng.uniform(1.0, 1.6) * MIN_COMPLEX_VERTICES / parts)))
        cells = rng.permutation(per_side * per_side)[:parts]
        polys = []
        for c in cells:
            gx, gy = divmod(int(c), per_side)
            px = x - extent / 2 + (gx + 0.5) * cell + rng.uniform(-0.05, 0.05) * cell
            py = y - extent / 2 + (gy + 0.5) * cell + rng.uniform(-0.05, 0.05) * cell
            # At most 0.4 of a cell from the centre: neighbours never touch, so the
            # MultiPolygon is valid without a union.
            polys.append(shapely.Polygon(_ring(rng, px, py, 0.4 * cell, per_part)))
        area = _area(f"complex-{i:02d}", "complex", shapely.MultiPolygon(polys))
        if area.vertices < MIN_COMPLEX_VERTICES:
            raise ValueError(f"{area.name} has only {area.vertices} vertices")
        out.append(area)
    return out
