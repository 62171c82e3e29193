"""Group the whole bank into arguments in one sweep: ``manage.py match_arguments``.

Submission places one input with one candidate query (``argument_match``); doing that for
every input of a bank is a million queries at size M. This sweep does the same work per
block: it walks the bank in square blocks of ``block_m`` metres (storage CRS) from south to
north, west to east, reads each block's unplaced inputs in one query, finds each one's
candidates in memory (``matching.near.Grid``: the same rule as the query, the
MAX_CANDIDATES nearest published and pending inputs with an argument within NEAR_M) and
scores them as ``best_match`` does, oldest first, all of an input's candidate members at once
(``matching.pool.Pool``: the same sums, the same winner); then writes the block with bulk
statements in one transaction.

- Same answer as one by one within a block. Across a block edge it differs in one way: an
  input near the edge does not yet see the older inputs of the block east or north of it
  (they are placed later, and then see it). Distances are between centroids, as scoring
  measures them; the query measures lines and areas by their edges.
- Officers' decisions win: only inputs without an argument are placed; pinned inputs (and any
  already placed) are candidates, read once per strip of the sweep.
- Resumable: each block commits on its own; a second run places what the first did not.
- Bounded memory: only the strip within NEAR_M south of the current block row is kept.
- Inputs without a place come last, oldest first, against the newest inputs sharing a theme
  (the rule at submission), read once per theme.
"""

from __future__ import annotations

import datetime as dt
import math
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from inputbank import cache
from inputbank.matching import Candidate, Match, Statement, best_match
from inputbank.matching.near import Grid
from inputbank.matching.pool import Pool
from inputbank.matching.text import token_key
from inputbank.models import Argument, Input, ModerationStatus
from inputbank.models.tables import quoted_table
from inputbank.reads.argument_blocks import (
    Box,
    Unplaced,
    newest_placed_with_theme,
    placed_in,
    unplaced_centroids,
    unplaced_extent,
    unplaced_in,
    unplaced_without_place,
)
from inputbank.reads.argument_statements import MAX_CANDIDATES, NEAR_M, ThemeKeys
from inputbank.reads.arguments import reason_text, title_of

BLOCK_M = 1_000
# Grid cells near the distance that holds MAX_CANDIDATES inputs of the kind in the densest
# spot at size M (published ~30 m, pending ~100 m): a search reads a few dozen cells.
CELL_M: dict[str, float] = {ModerationStatus.PUBLISHED: 20.0, ModerationStatus.PENDING: 50.0}
WRITE_CHUNK = 5_000


@dataclass(eq=False)
class _Ref:
    """An argument as the sweep knows it; ``id`` is None until a new one is written;
    ``number``: its place in the sweep's list (the pool's group)."""

    id: int | None
    number: int = -1


@dataclass
class RegroupResult:
    placed: int = 0
    opened: int = 0
    blocks: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    # The most candidate statements held in memory at once (the strip the sweep keeps).
    kept_max: int = 0


@dataclass
class _Sweep:
    grids: dict[str, Grid] = field(
        default_factory=lambda: {kind: Grid(cell=cell) for kind, cell in CELL_M.items()}
    )
    # The grids' points are rows of the pool: the statement and its argument's number.
    pool: Pool = field(default_factory=Pool)
    numbered: list[_Ref] = field(default_factory=list)  # every argument by its number
    refs: dict[int, _Ref] = field(default_factory=dict)  # placed before the sweep
    keys: ThemeKeys = field(default_factory=ThemeKeys)
    ids: list[int] | None = None  # only these inputs (an import's), else all unplaced
    result: RegroupResult = field(default_factory=RegroupResult)

    def ref(self, argument_id: int) -> _Ref:
        return self.refs.setdefault(argument_id, _Ref(argument_id))

    def add(self, status: str, statement: Statement, ref: _Ref) -> None:
        """A candidate for the inputs placed after it (a statement with a point)."""
        assert statement.x is not None and statement.y is not None
        if ref.number < 0:
            ref.number = len(self.numbered)
            self.numbered.append(ref)
        row = self.pool.add(statement, ref.number)
        self.grids[status].add(statement.x, statement.y, row)

    def load_placed(self, box: Box) -> None:
        for argument_id, status, statement in placed_in(box, self.keys):
            if statement.x is not None and statement.y is not None:
                self.add(status, statement, self.ref(argument_id))

    def forget_south_of(self, y: float) -> None:
        for grid in self.grids.values():
            grid.drop_below(y)
        # The pool keeps only the grids' rows (memory bounded by the strip, as before).
        rows = sorted(p for grid in self.grids.values() for p in grid.payloads())
        if len(rows) < len(self.pool):
            moved = self.pool.keep(np.array(rows, dtype=np.int64))
            for grid in self.grids.values():
                grid.renumber(moved)

    def best(self, statement: Statement) -> tuple[_Ref, Match] | tuple[None, None]:
        """``best_match`` against the arguments of the nearest published, then pending,
        inputs (each nearest first: the order of the submission query's rows, so ties go
        the same way), scored as arrays; the reason is the closest member's, as there."""
        x, y = statement.x, statement.y
        assert x is not None and y is not None
        rows = [
            self.grids[kind].nearest_arrays(x, y, limit=MAX_CANDIDATES, within=NEAR_M)[1]
            for kind in (ModerationStatus.PUBLISHED, ModerationStatus.PENDING)
        ]
        found = self.pool.best(statement, np.concatenate(rows))
        if found is None:
            return None, None
        number, match = found
        return self.numbered[number], match

    @transaction.atomic
    def place_block(self, box: Box) -> int:
        items = unplaced_in(box, self.keys, self.ids)
        placed: list[tuple[Unplaced, _Ref, str]] = []
        opened: list[tuple[_Ref, Unplaced]] = []
        joined: set[_Ref] = set()
        for item in items:
            found, match = self.best(item.statement)
            if found is None or match is None:
                ref, reason = _Ref(None), ""
                opened.append((ref, item))
            else:
                ref, reason = found, reason_text(match)
                joined.add(ref)
            placed.append((item, ref, reason))
            st = item.statement
            if item.status in self.grids and st.x is not None and st.y is not None:
                self.add(item.status, st, ref)
        _open_arguments(opened)
        _write_placings(placed, [r.id for r in joined if r.id is not None])
        self.result.placed += len(placed)
        self.result.opened += len(opened)
        kept = sum(grid.size for grid in self.grids.values())
        self.result.kept_max = max(self.result.kept_max, kept)
        return len(placed)


@transaction.atomic
def _place_without_place(sweep: _Sweep) -> None:
    """Inputs without a place, oldest first, against the MAX_CANDIDATES newest inputs
    sharing a theme (the rule of ``candidates_for``): read once per theme, kept newest first
    as the inputs are placed. One query per theme instead of one per input."""
    items = unplaced_without_place(sweep.keys, sweep.ids)
    if not items:
        return
    newest: dict[int, list[tuple[dt.datetime, object, _Ref, Statement]]] = {}
    for theme_id in sorted({t for item in items for t in item.theme_ids}):
        rows = newest_placed_with_theme(theme_id, MAX_CANDIDATES, sweep.keys)
        newest[theme_id] = [(r, s.key, sweep.ref(a), s) for r, a, s in rows]
    placed: list[tuple[Unplaced, _Ref, str]] = []
    opened: list[tuple[_Ref, Unplaced]] = []
    for item in items:
        pool: dict[object, tuple[dt.datetime, object, _Ref, Statement]] = {}
        for theme_id in item.theme_ids:
            for row in newest.get(theme_id, []):
                pool[row[1]] = row
        chosen = sorted(pool.values(), key=lambda row: row[0], reverse=True)[:MAX_CANDIDATES]
        by_ref: dict[_Ref, list[Statement]] = {}
        for _received, _pk, ref, statement in chosen:
            by_ref.setdefault(ref, []).append(statement)
        candidates = [Candidate(key=ref, members=members) for ref, members in by_ref.items()]
        found, match = best_match(item.statement, candidates)
        if found is None or match is None:
            ref, reason = _Ref(None), ""
            opened.append((ref, item))
        else:
            ref, reason = found.key, reason_text(match)  # type: ignore[assignment]
        placed.append((item, ref, reason))
        if item.status in CELL_M:  # published or pending: a candidate for the next ones
            for theme_id in item.theme_ids:
                row = (item.received_at, item.statement.key, ref, item.statement)
                newest.setdefault(theme_id, []).insert(0, row)
                del newest[theme_id][MAX_CANDIDATES:]
    _open_arguments(opened)
    _write_placings(placed, [])
    sweep.result.placed += len(placed)
    sweep.result.opened += len(opened)


def _open_arguments(opened: list[tuple[_Ref, Unplaced]]) -> None:
    """Write the block's new arguments (with history rows, as ``argument_match`` has) and
    their themes: the first input's, as at submission."""
    if not opened:
        return
    rows = bulk_create_with_history(
        [
            Argument(title=title_of(item.public_text or item.text), text=item.public_text)
            for _ref, item in opened
        ],
        Argument,
        batch_size=WRITE_CHUNK,
    )
    through = Argument.themes.through
    links = []
    for (ref, item), row in zip(opened, rows, strict=True):
        ref.id = row.pk
        links += [through(argument_id=row.pk, theme_id=t) for t in item.theme_ids]
    through.objects.bulk_create(links, batch_size=WRITE_CHUNK)


def _write_placings(placed: list[tuple[Unplaced, _Ref, str]], joined_ids: list[int]) -> None:
    """One UPDATE per chunk (no model saves: the machine's placing is no audit event, as in
    ``argument_match``); arguments that gained inputs are marked updated. Tokens made here
    (not read stored) are kept for later matching, with their key."""
    table = quoted_table(Input)
    with connection.cursor() as cursor:
        for start in range(0, len(placed), WRITE_CHUNK):
            chunk = placed[start : start + WRITE_CHUNK]
            cursor.execute(
                f"""UPDATE {table} i SET argument_id = v.a, argument_reason = v.r,
                        match_tokens = CASE WHEN v.k IS NULL THEN i.match_tokens
                                            ELSE string_to_array(v.t, ' ') END,
                        match_key = COALESCE(v.k::uuid, i.match_key)
                    FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[])
                         AS v(id, a, r, k, t)
                    WHERE i.id = v.id AND i.argument_id IS NULL""",
                [
                    [item.statement.key for item, _r, _t in chunk],
                    [ref.id for _i, ref, _t in chunk],
                    [reason for _i, _r, reason in chunk],
                    [None if i.stored else str(token_key(_wording(i))) for i, _r, _t in chunk],
                    [None if i.stored else " ".join(sorted(i.statement.tokens)) for i, *_ in chunk],
                ],
            )
        if joined_ids:
            Argument.objects.filter(pk__in=joined_ids).update(updated_at=timezone.now())


def _wording(item: Unplaced) -> str:
    return item.public_text or item.text


def _blocks(extent: Box, size: float) -> list[list[Box]]:
    """Rows of blocks (south to north), each west to east, covering the extent."""
    xmin, ymin, xmax, ymax = extent
    x0, y0 = math.floor(xmin / size) * size, math.floor(ymin / size) * size
    cols = int((xmax - x0) // size) + 1
    rows = int((ymax - y0) // size) + 1
    return [
        [
            (x0 + c * size, y0 + r * size, x0 + (c + 1) * size, y0 + (r + 1) * size)
            for c in range(cols)
        ]
        for r in range(rows)
    ]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def arguments_regroup(
    *,
    block_m: float = BLOCK_M,
    log: Callable[[str], None] = lambda _m: None,
    ids: Sequence[int] | None = None,
) -> RegroupResult:
    """Place every input without an argument (see the module docstring); return counts.

    ``ids``: only these (an import's rows, ``arguments_match_many``), in the blocks that hold
    them: each such row of blocks reads the inputs placed around it (its own earlier rows
    included) and places the imported ones in them, as the whole sweep would."""
    started = time.perf_counter()
    sweep = _Sweep(ids=None if ids is None else list(ids))
    extent = unplaced_extent(sweep.ids)
    rows = _blocks(extent, block_m) if extent else []
    wanted = None
    if sweep.ids is not None and rows:
        x0, y0 = rows[0][0][0], rows[0][0][1]
        wanted = {
            (math.floor((x - x0) / block_m), math.floor((y - y0) / block_m))
            for x, y in unplaced_centroids(sweep.ids)
        }
    total = sum(len(r) for r in rows)
    loaded_to = -math.inf
    for r, row in enumerate(rows):
        south, north = row[0][1], row[0][3]
        if wanted is not None:
            # An import: only the blocks holding its rows, with everything placed around them
            # read afresh (the rows of blocks between are not swept, so nothing is kept).
            row = [box for c, box in enumerate(row) if (c, r) in wanted]
            if not row:
                continue
            sweep.grids, sweep.pool = _Sweep().grids, Pool()
            loaded_to = -math.inf
        sweep.forget_south_of(south - NEAR_M)
        # Candidates placed before the sweep, up to NEAR_M north of this row: a strip each.
        west, east = row[0][0] - NEAR_M, row[-1][2] + NEAR_M
        sweep.load_placed((west, max(loaded_to, south - NEAR_M), east, north + NEAR_M))
        loaded_to = north + NEAR_M
        for box in row:
            count = sweep.place_block(box)
            sweep.result.blocks += 1
            if count:
                elapsed = time.perf_counter() - started
                log(
                    f"block {sweep.result.blocks}/{total}: {sweep.result.placed} placed, "
                    f"{sweep.result.opened} arguments opened, "
                    f"{sweep.result.placed / elapsed:.0f}/s, "
                    f"{sum(g.size for g in sweep.grids.values())} kept, "
                    f"peak memory {_peak_rss_mb():.0f} MB"
                )
    _place_without_place(sweep)
    cache.invalidate_after_commit()
    sweep.result.seconds = round(time.perf_counter() - started, 1)
    sweep.result.peak_rss_mb = round(_peak_rss_mb(), 1)
    return sweep.result


@transaction.atomic
def arguments_reset() -> int:
    """Take back the machine's placings (every input not pinned by an officer) and delete the
    machine's arguments left without input, decision, answer or check; return the inputs
    freed. Officers' decisions stay: pinned inputs keep their argument."""
    freed = Input.objects.filter(argument__isnull=False, argument_pinned=False).update(
        argument=None, argument_reason=""
    )
    empty = Argument.objects.filter(
        inputs__isnull=True, decisions__isnull=True, responses__isnull=True, checks__isnull=True
    ).values("id")
    with connection.cursor() as cursor:
        # In SQL: at size M these are hundreds of thousands of machine arguments, which the
        # ORM's delete would load and signal one by one.
        sql, params = empty.query.sql_with_params()
        for table, column in ((Argument.themes.through, "argument_id"), (Argument, "id")):
            cursor.execute(f"DELETE FROM {quoted_table(table)} WHERE {column} IN ({sql})", params)
    cache.invalidate_after_commit()
    return freed
