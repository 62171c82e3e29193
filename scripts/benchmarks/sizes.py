"""Data sizes and how hard each one is measured."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Fixed, so the same size and seed always build the same data (processes' dates are relative
# to "today" in the demo generator).
BENCH_TODAY = dt.date(2026, 1, 15)
DEFAULT_SEED = 20_261_125


@dataclass(frozen=True)
class Size:
    name: str
    points: int
    lines: int
    polygons: int
    # Timed rounds over every query set after one discarded warm-up round.
    rounds: int
    # Query sets: 500 m areas and complex plan areas (B1, B6), tiles (B2), search areas (B7).
    areas: int
    complex_areas: int
    tiles: int
    # Timed runs of whole-table jobs (import, export) after a small warm-up run.
    batch_runs: int
    # Seconds each throughput measure drives the server.
    seconds: float

    @property
    def total(self) -> int:
        return self.points + self.lines + self.polygons


SIZES = {
    # Only proves the benchmark still runs (tests/bench): a few thousand rows, one round.
    "XS": Size("XS", 2_400, 300, 300, 1, 4, 1, 12, 1, 0.5),
    "S": Size("S", 80_000, 10_000, 10_000, 3, 60, 12, 200, 1, 4.0),
    "M": Size("M", 1_000_000, 50_000, 50_000, 3, 60, 12, 200, 1, 6.0),
    "L": Size("L", 9_000_000, 500_000, 500_000, 2, 60, 12, 200, 1, 6.0),
}
