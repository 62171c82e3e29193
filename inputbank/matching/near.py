"""Nearest statements in memory: what the batch regrouping asks instead of one query per input.

Submission asks PostGIS for the inputs nearest to a new one (``reads.arguments``); regrouping a
whole bank asks that about every input, which as a query each is a million round trips at size
M. The batch reads a block's inputs once and asks this grid instead: the same rule (the
``limit`` nearest of each kind within ``within`` metres, nearest first), on points in metres.

Plain Python, no Django: cells of ``cell`` metres in a dict, searched ring by ring outwards
until the nearest ``limit`` are certain (every point within the ring's inner radius has been
seen) or the radius is reached.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")


# A coarse cell spans COARSE × COARSE fine cells; a search tries FINE_RINGS fine rings first.
COARSE = 8
FINE_RINGS = COARSE


@dataclass
class Grid(Generic[T]):
    """Points (x, y in metres) with a payload, asked for the nearest ones to a place.

    One grid per kind of candidate (published, pending), each asked for its own ``limit``:
    as the two PostGIS queries are. Two levels: where the bank is dense the nearest ``limit``
    lie within a few fine cells (``cell``, near the distance that holds ``limit`` points in
    the densest spot: 20-50 m at size M); where it is sparse they may lie a kilometre away,
    and ring after ring of empty fine cells would cost more than the points, so the search
    starts again on cells COARSE times larger.
    """

    cell: float = 25.0
    _fine: dict[tuple[int, int], list[tuple[float, float, T]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _coarse: dict[tuple[int, int], list[tuple[float, float, T]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    size: int = 0

    def add(self, x: float, y: float, payload: T) -> None:
        point = (x, y, payload)
        self._fine[math.floor(x / self.cell), math.floor(y / self.cell)].append(point)
        big = self.cell * COARSE
        self._coarse[math.floor(x / big), math.floor(y / big)].append(point)
        self.size += 1

    def drop_below(self, y: float) -> None:
        """Forget the points south of ``y`` (a sweep northwards no longer needs them)."""
        for cells, size in ((self._fine, self.cell), (self._coarse, self.cell * COARSE)):
            row = math.floor(y / size)
            for key in [k for k in cells if k[1] < row]:
                popped = cells.pop(key)
                if cells is self._fine:
                    self.size -= len(popped)

    def nearest(self, x: float, y: float, *, limit: int, within: float) -> list[tuple[float, T]]:
        """Up to ``limit`` (distance, payload) within ``within`` metres, nearest first (equal
        distances in no promised order, as in PostGIS)."""
        found = _search(self._fine, self.cell, x, y, limit, within, FINE_RINGS)
        if found is None:
            big = self.cell * COARSE
            found = _search(self._coarse, big, x, y, limit, within, math.ceil(within / big) + 1)
        assert found is not None  # the coarse search runs to ``within``
        found.sort(key=lambda item: item[0])
        return found[:limit]


def _search(
    cells: dict[tuple[int, int], list[tuple[float, float, T]]],
    size: float,
    x: float,
    y: float,
    limit: int,
    within: float,
    rings: int,
) -> list[tuple[float, T]] | None:
    """Every point within ``within`` of the nearest ``limit``, ring by ring; None when
    ``rings`` rings did not settle it."""
    found: list[tuple[float, T]] = []
    cx, cy = math.floor(x / size), math.floor(y / size)
    hypot = math.hypot
    get = cells.get
    append = found.append
    for ring in range(rings + 1):
        for dx, dy in _ring(ring):
            points = get((cx + dx, cy + dy))
            if points:
                for px, py, payload in points:
                    d = hypot(px - x, py - y)
                    if d <= within:
                        append((d, payload))
        # After ring r every point closer than r cells has been seen: ``limit`` of those
        # settle the nearest, as does having looked as far as ``within``.
        certain = ring * size
        if certain >= within:
            return found
        if len(found) >= limit and sum(1 for d, _p in found if d <= certain) >= limit:
            return found
    return None


@lru_cache(maxsize=256)
def _ring(r: int) -> tuple[tuple[int, int], ...]:
    """The cell offsets at Chebyshev distance ``r`` (worked out once per ring)."""
    if r == 0:
        return ((0, 0),)
    out = [(dx, dy) for dx in range(-r, r + 1) for dy in (-r, r)]
    out += [(dx, dy) for dy in range(-r + 1, r) for dx in (-r, r)]
    return tuple(out)
