"""The suite on two workers (pytest-xdist: ./scripts/test runs the whole suite with -n 2).

Each worker has its own test database (pytest-django names it test_innspillsbank_gw0, _gw1),
its own live_server on a free port and its own Chromium. What the workers share is the
project's PostgreSQL cluster and the servers some modules start on it, so:

* every test of tests/ops and tests/bench (servers, a replica, a backup drill, the bench's run,
  all on the shared cluster) runs in one group, "servers", on one worker, one after another.
  It is sent first (the longest piece of work, so the other worker's many short tests fill the
  time around it): two nginx, two OIDC providers or two benchmark runs never start at once,
  and the replica is made once. Any other module with a module- or session-wide fixture of
  ours is refused on two workers until it is put in a group (Chromium per module is exempt:
  each worker starts its own);
* a test marked ``exclusive`` (the database-restart drill restarts the cluster both workers'
  databases live in) waits until the other worker's running test is over, and the other worker
  starts no test until it is done; then each worker drops its database connections, which the
  restart broke. Two file locks make this turnstile: a test enters the "room" shared, an
  exclusive test alone, and the "gate" held by a waiting exclusive test lets no new test in.

Without xdist (a single process) none of this applies: the tests run in their usual order.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from pathlib import Path

import pytest

SERVERS = "servers"
SERVER_DIRS = ("tests/ops/", "tests/bench/")
# Wide fixtures a worker may set up for itself: Chromium per module is cheap and private.
PRIVATE_WIDE_FIXTURES = {"browser"}


def _worker(config: pytest.Config) -> dict | None:
    return getattr(config, "workerinput", None)


class Turnstile:
    """Shared turns for ordinary tests, a whole turn for an exclusive one (see the docstring)."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.gate = open(folder / "gate", "a+")  # noqa: SIM115 - held for the whole session
        self.room = open(folder / "room", "a+")  # noqa: SIM115
        self.restarts = folder / "restarts"
        self.seen = self._restarts()
        self.exclusive: bool | None = None  # None: outside (a skip can come before enter())

    def _restarts(self) -> str:
        try:
            return self.restarts.read_text()
        except FileNotFoundError:
            return ""

    def enter(self, *, exclusive: bool) -> None:
        fcntl.flock(self.gate, fcntl.LOCK_EX)
        self.exclusive = exclusive
        if exclusive:
            fcntl.flock(self.room, fcntl.LOCK_EX)  # the gate stays shut until leave()
            return
        fcntl.flock(self.room, fcntl.LOCK_SH)
        fcntl.flock(self.gate, fcntl.LOCK_UN)
        self._reconnect_after_a_restart()

    def leave(self) -> None:
        if self.exclusive is None:
            return
        if self.exclusive:
            self.folder.mkdir(exist_ok=True)  # the other worker may have finished and tidied
            self.restarts.write_text(f"{int(self._restarts() or 0) + 1}")
            self._reconnect_after_a_restart()
            fcntl.flock(self.room, fcntl.LOCK_UN)
            fcntl.flock(self.gate, fcntl.LOCK_UN)
        else:
            fcntl.flock(self.room, fcntl.LOCK_UN)
        self.exclusive = None

    def _reconnect_after_a_restart(self) -> None:
        now = self._restarts()
        if now != self.seen:
            from django.db import connections

            connections.close_all()  # opened again on first use, to the restarted server
            self.seen = now


def _wide_fixture_of_ours(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name, defs in info.name2fixturedefs.items():
        for fixturedef in defs:
            if (
                fixturedef.scope != "function"
                and fixturedef.baseid.startswith("tests")
                and name not in PRIVATE_WIDE_FIXTURES
            ):
                return True
    return False


def group_for(nodeid: str) -> str | None:
    """The group a test runs in (all on one worker), or None: any free worker."""
    return SERVERS if nodeid.startswith(SERVER_DIRS) else None


@pytest.hookimpl(optionalhook=True)  # known only while xdist is loaded (not with -p no:xdist)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadgroup`` with our groups: tests one by one, a group as one piece of work.

    xdist's own loadgroup reads ``xdist_group`` marks by renaming the test ids, which pytest 9
    no longer allows (the marks are silently ignored), so the groups are told here, by path.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupsByPath(LoadScopeScheduling):
        # Scopes are sent largest first (xdist's loadscope reorder): the servers group leads.
        def _split_scope(self, nodeid: str) -> str:
            return group_for(nodeid) or nodeid

    return GroupsByPath(config, log)


@pytest.hookimpl(trylast=True)  # after pytest-django's order (its transactional tests last)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a worker: refuse a module with a wide fixture outside a group (it would run twice at
    once), and put the exclusive tests at the head of the servers group, so that the cluster
    restarts while the other worker is still on short tests."""
    if _worker(config) is None:
        return
    for item in items:
        if _wide_fixture_of_ours(item) and group_for(item.nodeid) is None:
            raise pytest.UsageError(
                f"{item.nodeid} uses a module- or session-wide fixture: on two workers it "
                "would be set up on both at once; add its folder to SERVER_DIRS in "
                "tests/parallel.py, or name the fixture in PRIVATE_WIDE_FIXTURES"
            )
    items.sort(key=lambda item: item.get_closest_marker("exclusive") is None)  # else as collected


def pytest_configure(config: pytest.Config) -> None:
    worker = _worker(config)
    if worker is not None:
        folder = Path(tempfile.gettempdir()) / f"innspillsbank-pytest-{worker['testrunuid']}"
        config.stash[_TURNSTILE] = Turnstile(folder)


_TURNSTILE = pytest.StashKey[Turnstile]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture is set up: an exclusive test's server must not restart under one.
    if turnstile := item.config.stash.get(_TURNSTILE, None):
        turnstile.enter(exclusive=item.get_closest_marker("exclusive") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    try:
        return (yield)
    finally:
        # After every fixture is torn down (a transactional test's flush included).
        if turnstile := item.config.stash.get(_TURNSTILE, None):
            turnstile.leave()


def pytest_unconfigure(config: pytest.Config) -> None:
    if turnstile := config.stash.get(_TURNSTILE, None):
        turnstile.gate.close()
        turnstile.room.close()
        # Tidy the temp folder; a worker still running keeps its locks (open files survive).
        shutil.rmtree(turnstile.folder, ignore_errors=True)
