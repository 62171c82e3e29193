"""Generate demo input rows and write them with COPY (with contributors, themes, responses).

About half the input near one of the demo's recurring concerns is a voice of it (its wording,
at its spot, across processes and years; ``inputbank.demo.arguments``); the rest says
something of its own about the street and place it is at (``inputbank.demo.texts``). A third
of the concerns were answered once, after a process closed: every voice received before that
carries the same outcome, justification, decision reference and date, as when an officer
answers an argument; later voices join an answered argument.

Where each input is, which process and concern it belongs to, when it came and its reference
number are drawn first for the whole bank as numpy arrays (a few numbers per row), sorted along
a Z-order curve so that the table is physically clustered by place (~1.7x on area queries,
docs/measurements.md). The rows themselves are then built and written chunk by chunk
(``inputbank.demo.rows``): in this transaction for a small demo, and for a bank of
BULK_INDEX_THRESHOLD or more by one worker process per core, each on its own connection,
with the secondary indexes dropped during the load and built afterwards (two at a time).
The ORM would take hours at 1 000 000 rows; ten million take minutes this way.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from inputbank.demo import bulk, placed
from inputbank.demo.arguments import DemoArgument, choose_voices, load_arguments
from inputbank.demo.details import argument_answers
from inputbank.demo.places import Sampler, moss_boundary
from inputbank.demo.rows import ChunkResult, write_chunk
from inputbank.demo.texts import TextMaker
from inputbank.models import Contributor, Input, Process, Theme

DEFAULT_SEED = 20_261_125
# From this many rows on, secondary indexes are dropped during COPY and built afterwards, and
# the chunks are written by worker processes.
BULK_INDEX_THRESHOLD = 100_000
# Rows built and written at a time: bounds the memory of each writer (~100 MB).
CHUNK_ROWS = 50_000
START_FREE = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)


@dataclass
class DemoProcess:
    process: Process
    spec: dict
    area: object  # shapely, EPSG:25832


@dataclass
class InputCounts:
    points: int
    lines: int = 0
    polygons: int = 0

    @classmethod
    def split(cls, total: int) -> InputCounts:
        lines = polygons = total // 10
        return cls(total - lines - polygons, lines, polygons)

    @property
    def total(self) -> int:
        return self.points + self.lines + self.polygons


@dataclass
class Plan:
    """Everything a chunk writer needs: per-row arrays in Z-order and the shared facts."""

    seed: int
    today: dt.date
    now: dt.datetime
    processes: list[DemoProcess]
    theme_ids: dict[str, int]
    theme_order: dict[str, int]
    places: int
    arguments: list[DemoArgument]
    answers: list
    kinds: np.ndarray
    proc_idx: np.ndarray
    x: np.ndarray
    y: np.ndarray
    voices: np.ndarray
    received: np.ndarray  # seconds since the epoch (UTC)
    ref_year: np.ndarray
    ref_number: np.ndarray
    first_input: int
    first_contributor: int
    first_argument: int | None  # set when the rows carry their argument (placed.py)
    chunk: int = CHUNK_ROWS

    @property
    def n(self) -> int:
        return len(self.kinds)

    @property
    def chunks(self) -> int:
        return -(-self.n // self.chunk)


def _received(rng, proc_idx, processes, today: dt.date) -> np.ndarray:
    """When each input came: uniform over its process's open days, or since 2019 without one."""
    end = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC).timestamp()
    lo = np.full(len(proc_idx), START_FREE.timestamp())
    hi = np.full(len(proc_idx), end)
    for i, dp in enumerate(processes):
        mine = proc_idx == i
        if mine.any():
            opens = dt.datetime.combine(dp.process.opens_on, dt.time(8), tzinfo=dt.UTC)
            closes = dt.datetime.combine(
                min(dp.process.closes_on, today), dt.time(20), tzinfo=dt.UTC
            )
            lo[mine], hi[mine] = opens.timestamp(), closes.timestamp()
    return lo + (hi - lo) * rng.random(len(proc_idx))


def _reference_numbers(cursor, received: np.ndarray, first_input: int):
    """Year of receipt (Oslo) and number within it in order of receipt, as the reference
    trigger (migration 0016) would count, continuing each year's counter."""
    # Oslo is UTC+1 at every new year (no summer time in winter).
    year = ((received + 3600).astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64)
            + 1970)  # fmt: skip
    cursor.execute("SELECT year, last FROM inputbank_inputreferencecounter")
    last = dict(cursor.fetchall())
    n = len(received)
    order = np.lexsort((np.arange(n), received, year))
    years = year[order]
    starts = np.r_[0, np.flatnonzero(np.diff(years)) + 1]
    first_of = np.repeat(starts, np.diff(np.r_[starts, n]))
    offset = np.array([last.get(int(y), 0) for y in years[starts]], dtype=np.int64)
    number = np.empty(n, dtype=np.int64)
    number[order] = np.arange(n) - first_of + 1 + np.repeat(offset, np.diff(np.r_[starts, n]))
    return year, number


def plan_inputs(
    cursor,
    *,
    counts: InputCounts,
    processes: list[DemoProcess],
    themes: dict[str, Theme],
    today: dt.date,
    seed: int,
    place_arguments: bool,
) -> Plan:
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    texts = TextMaker(prng)
    sampler = Sampler(rng, moss_boundary())
    n = counts.total
    kinds = np.array(["P"] * counts.points + ["L"] * counts.lines + ["A"] * counts.polygons)
    rng.shuffle(kinds)
    # Which process each input belongs to (-1: none, e.g. a 'Si fra' report or a general pin).
    active = [i for i, p in enumerate(processes) if p.spec["share"] > 0]
    shares = np.array([processes[i].spec["share"] for i in active])
    proc_idx = np.where(
        rng.random(n) < 0.7,
        np.array(active)[rng.choice(len(active), n, p=shares / shares.sum())],
        -1,
    )
    x = np.empty(n)
    y = np.empty(n)
    for i in [-1, *active]:
        mask = proc_idx == i
        if mask.any():
            x[mask], y[mask] = sampler.points(int(mask.sum()), None if i < 0 else processes[i].area)
    arguments = load_arguments()
    parents = {slug: t.parent.slug if t.parent_id else None for slug, t in themes.items()}
    voices = choose_voices(
        rng, x, y, proc_idx, arguments=arguments, specs=[p.spec for p in processes],
        areas=[p.area for p in processes], allowed=sampler.allowed, parents=parents,
    )  # fmt: skip
    order = np.argsort(bulk.zorder(x, y), kind="stable")
    kinds, proc_idx, x, y, voices = (a[order] for a in (kinds, proc_idx, x, y, voices))
    received = _received(rng, proc_idx, processes, today)
    first_input = bulk.reserve_ids(cursor, Input, n)
    ref_year, ref_number = _reference_numbers(cursor, received, first_input)
    # At most one contributor per input, with the input's own offset (ids may have gaps).
    first_contributor = bulk.reserve_ids(cursor, Contributor, n)
    theme_ids = {slug: t.id for slug, t in themes.items()}
    plan = Plan(
        seed=seed, today=today, now=timezone.now(), processes=processes, theme_ids=theme_ids,
        theme_order={slug: k for k, slug in enumerate(theme_ids)},
        places=len(texts.material["places"]), arguments=arguments,
        answers=argument_answers(prng, texts, arguments, processes), kinds=kinds,
        proc_idx=proc_idx, x=x, y=y, voices=voices, received=received, ref_year=ref_year,
        ref_number=ref_number, first_input=first_input, first_contributor=first_contributor,
        first_argument=None,
    )  # fmt: skip
    if place_arguments:
        plan.first_argument = placed.reserve_arguments(cursor, plan)
    return plan


def workers() -> int:
    """Writer processes for a bulk load: one per core (DEMO_WORKERS overrides)."""
    return max(1, int(os.environ.get("DEMO_WORKERS") or len(os.sched_getaffinity(0))))


def generate_inputs(
    *,
    counts: InputCounts,
    processes: list[DemoProcess],
    themes: dict[str, Theme],
    today: dt.date,
    seed: int = DEFAULT_SEED,
    extras: bool = True,
    place_arguments: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> int:
    """Generate and COPY ``counts`` inputs with contributors, themes and responses; with
    ``place_arguments`` each input (not rejected) also joins its argument (placed.py).

    A bulk load (BULK_INDEX_THRESHOLD rows or more) commits as it goes: call it outside a
    transaction. A smaller one runs in the caller's transaction."""
    from inputbank.demo.details import supports_and_comments

    n = counts.total
    is_bulk = n >= BULK_INDEX_THRESHOLD
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg 3 cursor: COPY support
        plan = plan_inputs(
            cursor, counts=counts, processes=processes, themes=themes, today=today, seed=seed,
            place_arguments=place_arguments,
        )  # fmt: skip
        voiced = int((plan.voices >= 0).sum())
        log(f"  positions for {n} inputs drawn, {voiced} of them voices of "
            f"{len(plan.arguments)} recurring concerns; {plan.chunks} chunks")  # fmt: skip
        if not is_bulk:
            results = [write_chunk(plan, k, cursor) for k in range(plan.chunks)]
    if is_bulk:
        results = bulk.load_in_parallel(plan, write_chunk, workers(), log)
    total = ChunkResult()
    for r in results:
        total.contributors += r.contributors
        total.responses += r.responses
        for key, opener in r.openers.items():
            if key not in total.openers or opener[:2] < total.openers[key][:2]:
                total.openers[key] = opener
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        bulk.update_reference_counters(cursor, plan.ref_year, plan.ref_number)
        if plan.first_argument is not None:
            placed.finish_arguments(cursor, plan, total.openers, log)
    log(f"  {total.contributors} contributors, {total.responses} responses")
    if extras:
        supports_and_comments(random.Random(seed + 1), plan.first_input, n)
    return n
