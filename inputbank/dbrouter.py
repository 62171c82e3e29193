"""Which database a read goes to: the primary, or a streaming read replica (docs/deploy.md).

Reads are routed **explicitly**: a view that only reads (public lists, grid, tiles, OGC API,
prior input, exports) is wrapped in ``read_only_view``, and only inside it do ORM reads of our
own models (the router below) and raw SQL through ``read_connection()`` go to a replica.
Everything else, and every write, stays on the primary. Guessing from the SQL (SELECT goes
to a replica) would be wrong here in ways that cost: a SELECT right after the author's own
write must see it, the form-token and throttle checks read-then-write the shared cache, and
several "reads" call functions that write (an export's temporary tables, the answer cache).
A view knows what it does; the SQL text does not.

Rules, in the order they are applied when a read-only view starts:

* No replicas configured (``DATABASE_REPLICA_URLS`` empty) - everything on the primary.
* The request is pinned to the primary: a browser that wrote within
  ``REPLICAS["STICKY_SECONDS"]`` (read-your-writes; ``inputbank.middleware``), or the primary
  is inside a transaction.
* A replica is used only if its last check (at most every ``CHECK_SECONDS`` per process) found
  it in recovery, streaming, and behind by at most ``MAX_LAG_SECONDS``; a replica that refused
  the connection is skipped until the next check.
* A replica that fails during the view (stopped, restarting, a query cancelled by recovery)
  is marked down and the view runs once more on the primary: it only reads, so that is safe.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"
# Only the input bank's own data is read from a replica. Sessions, users, the shared cache
# (throttles, form tokens, lock-outs) and tokens stay on the primary: they are read to be
# written, and a stale throttle count or a used form token read from a replica would be wrong.
REPLICA_APPS = frozenset({"inputbank"})

# How far behind a replica is, in seconds: 0 when it has replayed all it received; otherwise
# the age of the last transaction it replayed (an upper bound: the primary may have been idle).
_LAG_SQL = """
SELECT pg_is_in_recovery(),
       -- No row: the WAL receiver is not running. Its status is NULL to roles without
       -- pg_read_all_stats (docs/deploy.md): then only the lag below decides.
       EXISTS (SELECT FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming'),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END
"""


@dataclass
class Routing:
    """One request's routing state (set by the middleware, read by the views' wrapper)."""

    pinned: bool = False  # this browser wrote a moment ago: read the primary
    read_only: bool = False  # a read-only view answered: no stickiness after a POST to it


_routing: ContextVar[Routing | None] = ContextVar("inputbank_routing", default=None)
_alias: ContextVar[str | None] = ContextVar("inputbank_read_alias", default=None)


@dataclass
class _Health:
    checked: float = float("-inf")
    usable: bool = False
    lag: float | None = None


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def read_alias() -> str:
    """The database alias reads use right now: a replica inside a read-only view, else default."""
    return _alias.get() or DEFAULT_DB_ALIAS


def read_connection():
    """The connection raw-SQL reads use (``with read_connection().cursor() as cursor``)."""
    return connections[read_alias()]


def on_replica() -> bool:
    return _alias.get() is not None


@contextlib.contextmanager
def request_routing(*, pinned: bool) -> Iterator[Routing]:
    """The middleware's scope for one request: pinned = read the primary throughout."""
    state = Routing(pinned=pinned)
    token = _routing.set(state)
    try:
        yield state
    finally:
        _routing.reset(token)


def _check(alias: str) -> _Health:
    """Ask the replica whether it is usable, at most every CHECK_SECONDS in this process."""
    cfg = settings.REPLICAS
    now = time.monotonic()
    health = _health.get(alias)
    if health is not None and now - health.checked < cfg["CHECK_SECONDS"]:
        return health
    with _health_lock:
        health = _health.setdefault(alias, _Health())
        if now - health.checked < cfg["CHECK_SECONDS"]:
            return health
        health.checked = now
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(_LAG_SQL)
                in_recovery, streaming, lag = cursor.fetchone()
        except (OperationalError, InterfaceError) as exc:
            if health.usable or health.lag is None:
                logger.warning("read replica %s is down: %s", alias, str(exc).strip()[:200])
            connections[alias].close()
            health.usable, health.lag = False, None
            return health
        health.lag = float(lag)
        health.usable = bool(in_recovery and streaming) and health.lag <= cfg["MAX_LAG_SECONDS"]
        if not health.usable:
            logger.warning(
                "read replica %s skipped: recovery=%s streaming=%s lag=%.1f s",
                alias,
                in_recovery,
                streaming,
                health.lag,
            )
        return health


def mark_down(alias: str) -> None:
    """Skip this replica until its next check (it failed in the middle of a request)."""
    health = _health.setdefault(alias, _Health())
    health.usable, health.checked = False, time.monotonic()
    with contextlib.suppress(Exception):
        connections[alias].close()


def choose_replica() -> str | None:
    """A usable replica for the reads about to run, or None for the primary."""
    aliases = replica_aliases()
    routing = _routing.get()
    if not aliases or (routing is not None and routing.pinned):
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None  # a transaction must read its own writes
    usable = [alias for alias in aliases if _check(alias).usable]
    random.shuffle(usable)
    for alias in usable:
        conn = connections[alias]
        try:
            # A persistent connection to a replica that restarted is dead: Django's health
            # check (once per request) finds out, and a refused reconnect skips the replica.
            conn.close_if_health_check_failed()
            conn.ensure_connection()
        except (OperationalError, InterfaceError):
            mark_down(alias)
            continue
        return alias
    return None


@contextlib.contextmanager
def replica_reads() -> Iterator[str | None]:
    """Run the reads inside on a usable replica (yields its alias), or on the primary (None)."""
    token = _alias.set(choose_replica())
    try:
        yield _alias.get()
    finally:
        _alias.reset(token)


@contextlib.contextmanager
def primary_reads() -> Iterator[None]:
    token = _alias.set(None)
    try:
        yield
    finally:
        _alias.reset(token)


def read_only_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a view (function or a class-based view's handler method) that only reads.

    Its reads go to a replica when one is usable; if the replica fails underneath it, the view
    runs again on the primary instead of answering 500/503.
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        routing = _routing.get()
        if routing is not None:
            routing.read_only = True
        with replica_reads() as alias:
            if alias is None:
                return view(*args, **kwargs)
            try:
                return view(*args, **kwargs)
            except (OperationalError, InterfaceError) as exc:
                logger.warning("read replica %s failed, reading the primary: %s", alias, exc)
                mark_down(alias)
        with primary_reads():
            return view(*args, **kwargs)

    return wrapped


def require_replayed(lsn: str | None) -> None:
    """Read the primary for the rest of this view unless the replica has replayed ``lsn``.

    The answer and tile cache starts a new generation after a public change commits and notes
    the primary's WAL position then (``inputbank.cache``); an answer stored in that generation
    must include the change, so a replica that has not replayed it yet may not render it.
    """
    alias = _alias.get()
    if alias is None or not lsn:
        return
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            (replayed,) = cursor.fetchone()
    except (OperationalError, InterfaceError):
        mark_down(alias)
        replayed = False
    if not replayed:
        _alias.set(None)


def current_wal_lsn() -> str | None:
    """The primary's WAL position now (None without replicas: nobody needs it)."""
    if not replica_aliases():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


class ReplicaRouter:
    """Django's database router: reads of our models follow ``read_alias()``; writes, the
    primary; migrations only on the primary (a replica is a copy of it)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if model._meta.app_label in REPLICA_APPS and _alias.get() is not None:
            if connections[DEFAULT_DB_ALIAS].in_atomic_block:
                return DEFAULT_DB_ALIAS
            return _alias.get()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
