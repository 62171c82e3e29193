"""A tile cache on disk that stores the MVT bytes as they are: one file per tile.

Plain Python, no Django. Layout: ``<root>/g<generation>/<z>/<x>/<y>.mvt``, other answers of
the same data version (the map's counts, public lists) in ``<root>/g<generation>/named/``,
and a file ``<root>/generation`` holding the current data version (an integer). Why files of
raw bytes: Django's file cache pickles and zlib-compresses every value, which cost ~70 ms for
a 1.7 MB tile — as much as rendering it. Here a hit is one ``open`` + ``read``, a miss one write.

* Writes are atomic (a temporary file in the same folder, then ``os.replace``), so a worker
  never reads half a tile another worker is writing, and every worker process shares the cache.
* A tile is fresh for ``max_age_s`` seconds after it was written (its mtime).
* ``invalidate()`` starts a new generation: tiles of older generations are never read again
  and are deleted at once (best effort).
* Expired files are swept at most once per ``max_age_s`` per process, so the folder holds
  about the tiles asked for within one cache period.
* The ETag is made from the generation and the file's mtime and size (as static file servers
  do), so a hit never hashes the tile; a re-rendered tile gets a new ETag.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_GENERATION_FILE = "generation"
_SUFFIX = ".mvt"
_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
_last_sweep: dict[str, float] = {}  # root -> time.monotonic() of this process' last sweep
# How long a worker trusts its count of a generation's answer bytes before counting the folder
# again. Counting stats every file (thousands of answers after a morning of panned maps: 15 ms
# per miss, measured), so a worker counts at most this often and adds its own stores between.
_RECOUNT_S = 2.0
_answer_bytes: dict[str, tuple[str, float, int]] = {}  # root -> (folder, monotonic time, bytes)


@dataclass(frozen=True)
class StoredTile:
    """A tile's bytes and the validator to send with them."""

    data: bytes
    etag: str


class TileStore:
    """Raw MVT bytes in files under ``root``, keyed by generation and z/x/y."""

    def __init__(self, root: str | os.PathLike[str], max_age_s: float) -> None:
        self.root = Path(root)
        self.max_age_s = max_age_s

    # --- data version ------------------------------------------------------------------------

    def generation(self) -> int:
        """The current data version (1 until the first invalidation)."""
        try:
            return int((self.root / _GENERATION_FILE).read_text().strip() or 1)
        except (OSError, ValueError):  # missing or unreadable: the first generation
            return 1

    def invalidate(self) -> int:
        """Start a new generation (every stored tile is stale from now on); return it."""
        generation = self.generation() + 1
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.root / _GENERATION_FILE, str(generation).encode())
        self._remove_other_generations(generation)
        return generation

    # --- tiles -------------------------------------------------------------------------------

    def _path(self, generation: int, z: int, x: int, y: int) -> Path:
        return self.root / f"g{int(generation)}" / str(int(z)) / str(int(x)) / f"{int(y)}{_SUFFIX}"

    def get(self, generation: int, z: int, x: int, y: int) -> StoredTile | None:
        """The stored tile if it is fresh, else None."""
        return self._read(generation, self._path(generation, z, x, y))

    def put(self, generation: int, z: int, x: int, y: int, data: bytes) -> StoredTile:
        """Store a tile atomically and return it with its ETag."""
        return self._write(generation, self._path(generation, z, x, y), data)

    # --- other answers of the same data version (the map's grid counts) -----------------------

    def _named_path(self, generation: int, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a cache name: {name[:40]!r}")
        return self.root / f"g{int(generation)}" / "named" / name

    def get_named(self, generation: int, name: str) -> StoredTile | None:
        """A fresh answer stored under ``name`` (letters, digits, '-', '_'), else None."""
        return self._read(generation, self._named_path(generation, name))

    def put_named(
        self, generation: int, name: str, data: bytes, *, budget_bytes: int | None = None
    ) -> StoredTile | None:
        """Store an answer under ``name`` in this generation, atomically; None when it would
        take the generation's answers over ``budget_bytes``.

        Names come from request parameters, so anyone can ask for new ones: the budget keeps
        a stream of distinct questions from filling the disk within one cache period. Expired
        answers do not count: they are deleted when the folder is counted (otherwise a full
        budget of expired answers stopped every store, and with it the sweep that a store
        triggers). A worker counts the folder at most every ``_RECOUNT_S`` seconds and adds its
        own stores between, so workers storing at once may overshoot by what the others
        stored within those seconds.
        """
        path = self._named_path(generation, name)
        if budget_bytes is not None:
            # One count per cache root: the current generation's folder, or a new one.
            folder, counted_at, used = _answer_bytes.get(str(self.root), ("", -_RECOUNT_S, 0))
            if folder != str(path.parent) or time.monotonic() - counted_at >= _RECOUNT_S:
                folder, counted_at = str(path.parent), time.monotonic()
                used = self._count_fresh_answers(path.parent)
            fits = used + len(data) <= budget_bytes
            _answer_bytes[str(self.root)] = (folder, counted_at, used + len(data) * fits)
            if not fits:
                return None
        return self._write(generation, path, data)

    def _count_fresh_answers(self, folder: Path) -> int:
        """Bytes of the fresh answers in ``folder``, deleting the expired ones on the way."""
        limit = time.time() - self.max_age_s
        total = 0
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    with contextlib.suppress(FileNotFoundError):  # swept meanwhile
                        stat = entry.stat(follow_symlinks=False)
                        if stat.st_mtime < limit:
                            os.unlink(entry.path)
                        else:
                            total += stat.st_size
        except FileNotFoundError:
            return 0
        return total

    def _read(self, generation: int, path: Path) -> StoredTile | None:
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                if time.time() - stat.st_mtime > self.max_age_s:
                    return None
                data = handle.read()
        except OSError:  # missing (a miss) or unreadable (treated as one)
            return None
        return StoredTile(data, _etag(generation, stat))

    def _write(self, generation: int, path: Path, data: bytes) -> StoredTile:
        path.parent.mkdir(parents=True, exist_ok=True)
        stat = _write_atomically(path, data)
        self._sweep_now_and_then(generation)
        return StoredTile(data, _etag(generation, stat))

    # --- housekeeping ------------------------------------------------------------------------

    def sweep(self, generation: int) -> int:
        """Delete expired tiles, left-over temporary files and old generations; return a count."""
        removed = self._remove_other_generations(generation)
        limit = time.time() - self.max_age_s
        folder = self.root / f"g{int(generation)}"
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                path = os.path.join(dirpath, name)
                # Another worker may sweep the same file first.
                with contextlib.suppress(FileNotFoundError):
                    if os.stat(path).st_mtime < limit:
                        os.unlink(path)
                        removed += 1
        return removed

    def _sweep_now_and_then(self, generation: int) -> None:
        key = str(self.root)
        now = time.monotonic()
        last = _last_sweep.setdefault(key, now)
        if now - last >= self.max_age_s:
            _last_sweep[key] = now
            self.sweep(generation)

    def _remove_other_generations(self, generation: int) -> int:
        removed = 0
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if entry.is_dir() and entry.name.startswith("g") and entry.name != f"g{generation}":
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
        return removed


def _write_atomically(path: Path, data: bytes) -> os.stat_result:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            stat = os.fstat(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return stat


def _etag(generation: int, stat: os.stat_result) -> str:
    return f'"{int(generation)}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
