"""The raw-bytes tile cache on disk: fresh for its lifetime, atomic, one generation at a time."""

from __future__ import annotations

import os
import time

import pytest

from geo import tilestore
from geo.tilestore import TileStore


def test_a_stored_tile_comes_back_byte_for_byte(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    stored = store.put(1, 14, 8673, 4770, b"\x1a\x02mvt")
    again = store.get(1, 14, 8673, 4770)
    assert again == stored
    assert (tmp_path / "g1" / "14" / "8673" / "4770.mvt").read_bytes() == b"\x1a\x02mvt"


def test_an_empty_tile_is_stored_too(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put(1, 8, 1, 1, b"")
    assert store.get(1, 8, 1, 1).data == b""


def test_a_tile_older_than_its_lifetime_is_a_miss(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put(1, 14, 1, 2, b"old")
    path = tmp_path / "g1" / "14" / "1" / "2.mvt"
    past = time.time() - 61
    os.utime(path, (past, past))
    assert store.get(1, 14, 1, 2) is None


def test_writing_leaves_no_temporary_file(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put(1, 14, 1, 2, b"a")
    store.put(1, 14, 1, 2, b"b")
    assert os.listdir(tmp_path / "g1" / "14" / "1") == ["2.mvt"]


def test_invalidate_starts_a_new_generation_and_drops_the_old_one(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put(store.generation(), 14, 1, 2, b"a")
    generation = store.invalidate()
    assert generation == 2 and store.generation() == 2
    assert store.get(2, 14, 1, 2) is None
    assert not (tmp_path / "g1").exists()


def test_a_new_file_gets_a_new_etag(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    first = store.put(1, 14, 1, 2, b"a")
    path = tmp_path / "g1" / "14" / "1" / "2.mvt"
    past = time.time() - 10
    os.utime(path, (past, past))
    assert store.put(1, 14, 1, 2, b"bb").etag != first.etag


def test_sweep_removes_expired_tiles_only(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put(1, 14, 1, 2, b"old")
    store.put(1, 14, 1, 3, b"new")
    past = time.time() - 120
    os.utime(tmp_path / "g1" / "14" / "1" / "2.mvt", (past, past))
    assert store.sweep(1) == 1
    assert os.listdir(tmp_path / "g1" / "14" / "1") == ["3.mvt"]


def test_a_missing_cache_folder_is_generation_one_and_a_miss(tmp_path):
    store = TileStore(tmp_path / "gone", max_age_s=60)
    assert store.generation() == 1
    assert store.get(1, 14, 1, 2) is None


def test_named_answers_share_the_generation_of_the_tiles(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    store.put_named(1, "grid-abc123", b'{"type":"FeatureCollection"}')
    assert store.get_named(1, "grid-abc123").data == b'{"type":"FeatureCollection"}'
    generation = store.invalidate()
    assert store.get_named(generation, "grid-abc123") is None


def test_a_name_cannot_leave_the_cache_folder(tmp_path):
    store = TileStore(tmp_path / "cache", max_age_s=60)
    with pytest.raises(ValueError, match="not a cache name"):
        store.put_named(1, "../../etc/evil", b"x")
    assert not (tmp_path / "etc").exists()


def test_answers_stop_being_stored_at_the_budget(tmp_path):
    store = TileStore(tmp_path, max_age_s=60)
    assert store.put_named(1, "a", b"x" * 600, budget_bytes=1000) is not None
    # A second answer would take the generation over its budget: not stored, nothing written.
    assert store.put_named(1, "b", b"y" * 600, budget_bytes=1000) is None
    assert store.get_named(1, "b") is None
    assert store.put_named(1, "c", b"z" * 300, budget_bytes=1000) is not None


def test_expired_answers_leave_room_for_new_ones(tmp_path):
    # Measured on a running site: a budget full of answers expired hours ago refused every
    # store (and with it the sweep that a store triggers), so nothing was cached any more.
    store = TileStore(tmp_path, max_age_s=60)
    assert store.put_named(1, "morning", b"x" * 900, budget_bytes=1000) is not None
    an_hour_ago = time.time() - 3600
    os.utime(tmp_path / "g1" / "named" / "morning", (an_hour_ago, an_hour_ago))
    # The folder is counted again after tilestore._RECOUNT_S seconds; here at once.
    tilestore._answer_bytes.clear()
    assert store.put_named(1, "afternoon", b"y" * 900, budget_bytes=1000) is not None
    assert store.get_named(1, "afternoon").data == b"y" * 900
    assert not (tmp_path / "g1" / "named" / "morning").exists()
