"""The answer and tile cache: generations, shared answers, and the refresh after a commit.

Tiles (``inputbank.publishing.tiles``), the map's grid counts and anonymous input lists are
kept as raw bytes in files (``geo.tilestore``) for TILES["CACHE_SECONDS"], one generation
for all of them. A public change (published, rejected, edited, answered, imported, erased)
starts a new generation once its transaction commits, so residents see a moderator's decision
at once rather than after the cache time.

Why here and not beside the tile SQL: services, the importer and the API refresh the cache
after every public change; they must not import a GIS module to do it (docs/decisions.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from geo.tilestore import TileStore
from inputbank import dbrouter

logger = logging.getLogger(__name__)


def store() -> TileStore:
    """The tile cache (raw MVT files under TILES["CACHE_DIR"], shared by every worker)."""
    return TileStore(settings.TILES["CACHE_DIR"], settings.TILES["CACHE_SECONDS"])


def public_answer_key(*parts: object) -> str:
    """A short cache name for an answer that is the same for every anonymous caller.

    Parts are written as sorted JSON (dicts in any order give the same name) and hashed.
    """
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return "public-" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _lsn_path() -> Path:
    return Path(settings.TILES["CACHE_DIR"]) / "generation-lsn"


def render_for_generation() -> None:
    """Before rendering an answer to store in this generation: read from a replica only if it
    has replayed the change that started the generation (else the primary; inputbank.dbrouter).

    Without this a replica a moment behind would fill the fresh generation with the answer
    from before the change, and residents would see it for TILE_CACHE_SECONDS.
    """
    if not dbrouter.on_replica():
        return
    try:
        lsn = _lsn_path().read_text().strip()
    except OSError:
        lsn = ""
    dbrouter.require_replayed(lsn)


def cached(
    key: str,
    render: Callable[[], bytes],
    *,
    later: Callable[[Callable[[], None]], object] | None = None,
) -> bytes:
    """Return the bytes stored under key in this generation, rendering and storing on a miss.

    The map's grid counts and anonymous lists live here, in the tiles' generation, so one
    ``invalidate()`` refreshes them all. A cache disk that cannot be written only costs the
    caching; answers beyond TILES["ANSWER_CACHE_MB"] are sent but not kept. ``later`` is given
    the storing instead of running it (an HTTP view stores after the answer is sent).
    """
    cache = store()
    generation = cache.generation()
    stored = cache.get_named(generation, key)
    if stored is not None:
        return stored.data
    render_for_generation()
    data = render()

    def keep() -> None:
        # Into the generation the answer was rendered for: if a change started a new one
        # meanwhile, this answer is already stale there and is not found by its readers.
        try:
            budget = settings.TILES["ANSWER_CACHE_MB"] * 1024 * 1024
            cache.put_named(generation, key, data, budget_bytes=budget)
        except OSError:
            logger.exception("answer cache: cannot store %s", key)

    if later is None:
        keep()
    else:
        later(keep)
    return data


def invalidate() -> None:
    """Start a new cache generation: every cached tile and answer is stale from now on."""
    store().invalidate()


def _refresh() -> None:
    try:
        # With read replicas, note where the primary's WAL is now, before the new generation
        # exists: whoever sees the generation then finds the position it needs replayed.
        lsn = dbrouter.current_wal_lsn()
    except DatabaseError:
        # Just after our own commit this is near impossible; the refresh matters more.
        logger.exception("answer cache: cannot read the primary's WAL position")
        lsn = None
    try:
        if lsn:
            path = _lsn_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}")
            temporary.write_text(lsn)
            os.replace(temporary, path)
        invalidate()
    except OSError:
        logger.exception("tile cache: cannot start a new generation")


def invalidate_after_commit() -> None:
    """Refresh tiles, grid counts and cached public lists once this transaction commits.

    Services call it when public input changes (published, rejected, edited, answered), so
    residents see a moderator's decision at once rather than after TILE_CACHE_SECONDS.
    Registered once per transaction: answering 500 inputs at once refreshes once, not 500
    times. A cache that cannot be written must not undo the decision: it is logged, not raised.
    """
    if any(entry[1] is _refresh for entry in connection.run_on_commit):
        return
    transaction.on_commit(_refresh)
