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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Grid(Generic[T]):
    """Points (x, y in metres) with a payload, asked for the nearest ones to a place.

    One grid per kind of candidate (published, pending), each asked for its own ``limit``:
    as the two PostGIS queries are. ``cell`` near the distance that holds ``limit`` points in
    a dense spot keeps a search to a few cells (20-50 m at size M in the town centre).
    """

    cell: float = 25.0
    _cells: dict[tuple[int, int], list[tuple[float, float, T]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    size: int = 0

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return math.floor(x / self.cell), math.floor(y / self.cell)

    def add(self, x: float, y: float, payload: T) -> None:
        self._cells[self._key(x, y)].append((x, y, payload))
        self.size += 1

    def drop_below(self, y: float) -> None:
        """Forget the points south of ``y`` (a sweep northwards no longer needs them)."""
        row = math.floor(y / self.cell)
        for key in [k for k in self._cells if k[1] < row]:
            self.size -= len(self._cells.pop(key))

    def nearest(self, x: float, y: float, *, limit: int, within: float) -> list[tuple[float, T]]:
        """Up to ``limit`` (distance, payload) within ``within`` metres, nearest first; equal
        distances in the order the points were added."""
        found: list[tuple[float, T]] = []
        cx, cy = self._key(x, y)
        cells = self._cells
        hypot = math.hypot
        for ring in range(math.ceil(within / self.cell) + 2):
            for key in _ring(cx, cy, ring):
                points = cells.get(key)
                if points:
                    for px, py, payload in points:
                        d = hypot(px - x, py - y)
                        if d <= within:
                            found.append((d, payload))
            # After ring r every point closer than r cells has been seen: enough of those
            # settles the nearest ``limit``.
            if len(found) >= limit:
                certain = ring * self.cell
                if sum(1 for d, _p in found if d <= certain) >= limit:
                    break
        found.sort(key=lambda item: item[0])
        return found[:limit]


def _ring(cx: int, cy: int, r: int) -> Iterable[tuple[int, int]]:
    if r == 0:
        yield cx, cy
        return
    for dx in range(-r, r + 1):
        yield cx + dx, cy - r
        yield cx + dx, cy + r
    for dy in range(-r + 1, r):
        yield cx - r, cy + dy
        yield cx + r, cy + dy
