"""One result row per judged number, and the statistics behind it.

A row compares "ours" (the product) with a baseline measured in the same run. ``ratio`` is
always ours / baseline of the judged statistic, so its meaning follows the unit: for times
lower is better (target "≤ 1.3×"), for throughput higher is better (target "≥ 0.85×").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

MEASURED = "measured"
UNAVAILABLE = "unavailable"
ERROR = "error"


@dataclass
class Row:
    id: str
    measure: str
    ours: float | None
    baseline: float | None
    ratio: float | None
    target: str
    met: bool
    unit: str = ""
    status: str = MEASURED
    # Why a row is unavailable, failed, or what else a reader must know about it.
    note: str = ""
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def unavailable(id_: str, measure: str, target: str, reason: str) -> Row:
    """Report a measure whose product side does not exist yet, instead of failing the run."""
    return Row(id_, measure, None, None, None, target, False, status=UNAVAILABLE, note=reason)


def failed(id_: str, measure: str, target: str, error: BaseException) -> Row:
    text = f"{type(error).__name__}: {error}"
    return Row(id_, measure, None, None, None, target, False, status=ERROR, note=text[:500])


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples, dtype=float), q))


def summary(samples: list[float], scale: float = 1000.0) -> dict:
    """p50/p95/mean/n of samples in seconds, reported in milliseconds by default."""
    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "p50": round(pct(samples, 50) * scale, 3),
        "p95": round(pct(samples, 95) * scale, 3),
        "mean": round(float(np.mean(samples)) * scale, 3),
    }


def ratio(ours: float | None, baseline: float | None) -> float | None:
    if ours is None or not baseline:
        return None
    return round(ours / baseline, 3)


def latency_row(
    id_: str,
    measure: str,
    ours: list[float],
    baseline: list[float],
    *,
    q: float,
    max_ratio: float,
    note: str = "",
    detail: dict | None = None,
) -> Row:
    """Judge the q-th percentile of two lists of seconds: ours must be ≤ max_ratio × baseline."""
    o, b = pct(ours, q) * 1000, pct(baseline, q) * 1000
    r = ratio(o, b)
    label = "p50" if q == 50 else f"p{q:g}"
    return Row(
        id_,
        measure,
        round(o, 3),
        round(b, 3),
        r,
        f"≤ {max_ratio:g}× {label}",
        r is not None and r <= max_ratio,
        unit=f"ms {label}",
        note=note,
        detail={"ours": summary(ours), "baseline": summary(baseline), **(detail or {})},
    )


def throughput_row(
    id_: str,
    measure: str,
    ours_rps: float,
    baseline_rps: float,
    *,
    min_ratio: float,
    note: str = "",
    detail: dict | None = None,
) -> Row:
    r = ratio(ours_rps, baseline_rps)
    return Row(
        id_,
        measure,
        round(ours_rps, 1),
        round(baseline_rps, 1),
        r,
        f"≥ {min_ratio:g}× throughput",
        r is not None and r >= min_ratio,
        unit="req/s",
        note=note,
        detail=detail or {},
    )


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Run fn once and return (seconds, its result)."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value
