"""Nearest statements in memory: what the batch regrouping asks instead of one query per input.

Submission asks PostGIS for the inputs nearest to a new one (``reads.arguments``); regrouping a
whole bank asks that about every input, which as a query each is a million round trips at size
M. The batch reads a block's inputs once and asks this grid instead: the same rule (the
``limit`` nearest of each kind within ``within`` metres, nearest first), on points in metres.

Plain Python and numpy, no Django: cells of ``cell`` metres in a dict, searched ring by ring
outwards until the nearest ``limit`` are certain (every point within the ring's inner radius
has been seen) or the radius is reached.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

# A coarse cell spans COARSE × COARSE fine cells; a search tries FINE_RINGS fine rings first.
COARSE = 8
FINE_RINGS = COARSE
assert FINE_RINGS <= COARSE  # Grid._sparse


def _key(ix: int, iy: int) -> int:
    """A cell's key: one int (hashed faster than a pair, and a neighbour's is key + delta)."""
    return (ix << 32) + iy


def _row(key: int) -> int:
    return ((key + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


_NINE = tuple(_key(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))


class _Cell:
    """The points of one cell as three parallel lists (x, y, payload; extended in C) and,
    once searched, the same as one 3 × n array (``packed``; None again when the cell
    changes, made again when next searched)."""

    __slots__ = ("packed", "ps", "xs", "ys")

    def __init__(self) -> None:
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.ps: list[int] = []
        self.packed: np.ndarray | None = None

    def pack(self) -> np.ndarray:
        packed = self.packed = np.array((self.xs, self.ys, self.ps), dtype=np.float64)
        return packed

    def renumber(self, moved: np.ndarray) -> None:
        self.ps = moved[self.ps].tolist()
        self.packed = None


@dataclass
class Grid:
    """Points (x, y in metres) with an integer payload (a row of ``pool.Pool``), asked for
    the nearest ones to a place.

    One grid per kind of candidate (published, pending), each asked for its own ``limit``:
    as the two PostGIS queries are. Two levels: where the bank is dense the nearest ``limit``
    lie within a few fine cells (``cell``, near the distance that holds ``limit`` points in
    the densest spot: 20-50 m at size M); where it is sparse they may lie a kilometre away,
    and ring after ring of empty fine cells would cost more than the points, so the search
    starts again on cells COARSE times larger.

    The distances of a ring's points are worked out in numpy on the cells' arrays (the first
    version looped over them in Python: ~60 % of a regrouping's time); the order is the same
    as that version's (by distance, equal distances in the order the cells were searched and
    the points added).
    """

    cell: float = 25.0
    _fine: dict[int, _Cell] = field(default_factory=lambda: defaultdict(_Cell))
    _coarse: dict[int, _Cell] = field(default_factory=lambda: defaultdict(_Cell))
    size: int = 0

    def add(self, x: float, y: float, payload: int) -> None:
        for cells, size in ((self._fine, self.cell), (self._coarse, self.cell * COARSE)):
            cell = cells[_key(math.floor(x / size), math.floor(y / size))]
            cell.xs.append(x)
            cell.ys.append(y)
            cell.ps.append(payload)
            cell.packed = None
        self.size += 1

    def drop_below(self, y: float) -> None:
        """Forget the points south of ``y`` (a sweep northwards no longer needs them)."""
        for cells, size in ((self._fine, self.cell), (self._coarse, self.cell * COARSE)):
            row = math.floor(y / size)
            for key in [k for k in cells if _row(k) < row]:
                popped = cells.pop(key)
                if cells is self._fine:
                    self.size -= len(popped.xs)

    def payloads(self) -> list[int]:
        """Every point's payload (in no promised order)."""
        return [p for cell in self._fine.values() for p in cell.ps]

    def renumber(self, moved: np.ndarray) -> None:
        """Replace every payload p by ``moved[p]`` (after ``Pool.keep``)."""
        for cells in (self._fine, self._coarse):
            for cell in cells.values():
                cell.renumber(moved)

    def nearest(self, x: float, y: float, *, limit: int, within: float) -> list[tuple[float, int]]:
        """Up to ``limit`` (distance, payload) within ``within`` metres, nearest first (equal
        distances in no promised order, as in PostGIS)."""
        distances, payloads = self.nearest_arrays(x, y, limit=limit, within=within)
        return list(zip(distances.tolist(), payloads.tolist(), strict=True))

    def nearest_arrays(
        self, x: float, y: float, *, limit: int, within: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """``nearest`` as two arrays: the distances and the payloads."""
        big = self.cell * COARSE
        found = None
        if FINE_RINGS * self.cell >= within or not self._sparse(x, y, limit):
            found = _search(self._fine, self.cell, x, y, limit, within, FINE_RINGS)
        if found is None:
            found = _search(self._coarse, big, x, y, limit, within, math.ceil(within / big) + 1)
        assert found is not None  # the coarse search runs to ``within``
        return found

    def _sparse(self, x: float, y: float, limit: int) -> bool:
        """Fewer than ``limit`` points in the 3 × 3 coarse cells around (x, y): they hold
        every fine cell the fine search reads (FINE_RINGS <= COARSE), so that search would
        not settle; nine look-ups instead of its ~300 (most of a sparse bank's searches)."""
        size = self.cell * COARSE
        base = _key(math.floor(x / size), math.floor(y / size))
        return (
            sum(len(c.xs) for c in filter(None, map(self._coarse.get, [base + d for d in _NINE])))
            < limit
        )


def _search(
    cells: dict[int, _Cell],
    size: float,
    x: float,
    y: float,
    limit: int,
    within: float,
    rings: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The nearest ``limit`` within ``within``, ring by ring; None when ``rings`` rings did
    not settle it."""
    parts: list[np.ndarray] = []
    count = 0
    base = _key(math.floor(x / size), math.floor(y / size))
    get = cells.get
    for ring in range(rings + 1):
        # The ring's cells that hold points, in the ring's order (filter and map run in C).
        for cell in filter(None, map(get, [base + d for d in _ring(ring)])):
            packed = cell.packed
            if packed is None:
                packed = cell.pack()
            parts.append(packed)
            count += packed.shape[1]
        # After ring r every point closer than r cells has been seen: ``limit`` of those
        # settle the nearest, as does having looked as far as ``within``.
        certain = ring * size
        if certain < within and count < limit:
            continue
        if not count:
            return np.zeros(0), np.zeros(0, dtype=np.int64)
        points = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        d = np.hypot(points[0] - x, points[1] - y)
        if certain >= within or np.count_nonzero(d <= certain) >= limit:
            inside = np.flatnonzero(d <= within)
            order = inside[np.argsort(d[inside], kind="stable")][:limit]
            return d[order], points[2, order].astype(np.int64)
    return None


@lru_cache(maxsize=256)
def _ring(r: int) -> tuple[int, ...]:
    """The key offsets of the cells at Chebyshev distance ``r`` (worked out once per ring),
    always in the same order."""
    if r == 0:
        return (0,)
    out = [(dx, dy) for dx in range(-r, r + 1) for dy in (-r, r)]
    out += [(dx, dy) for dy in range(-r + 1, r) for dx in (-r, r)]
    return tuple(_key(dx, dy) for dx, dy in out)
