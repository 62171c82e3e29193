"""Reading settings from the environment: typed values, the database and the cache by URL.

Apart from ``settings.py`` so that the settings read as a list of decisions, and these parsers
(with their error messages for a wrong value) are written once. Plain Python and Django only.
"""

from __future__ import annotations

import os
from typing import Any, overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database(url: str) -> dict[str, Any]:
    """A PostGIS database from a URL, with the connection settings every alias shares.

    ``postgres://user:pass@host:5432/innspillsbank`` or, for the project-local cluster that
    ./scripts/run starts, ``postgres://postgres@/innspillsbank?host=/path/to/socket-dir``.
    """
    config = dj_database_url.parse(
        url,
        engine="django.contrib.gis.db.backends.postgis",
        # Persistent connections: a new connection costs ~8 ms vs ~0.1 ms (docs/measurements.md).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    # Parallel workers make small queries ~10x slower on 2 cores (docs/measurements.md): API
    # queries are small and index-driven, so switch them off per connection.
    # JIT compilation likewise: PostgreSQL JIT-compiles any plan costed above jit_above_cost,
    # and for the prior-input query (summary + features over 20 000 hits) compiling took 1.5 s
    # of a 1.7 s answer; without it the same answer takes 0.13-0.46 s. Our queries are short.
    # random_page_cost 1.1 (PostgreSQL's default 4 prices a random read as a spinning disk's):
    # the bank's working set is in memory or on SSD, and with 4 the planner read all 1.3 M
    # theme links in index order to merge-join 24 000 hits instead of looking each one up
    # (prior input's gaps at size M: ~1 000 ms against ~200 ms; docs/benchmarks.md, B1).
    config.setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env_int('DB_PARALLEL_WORKERS', 0)} "
        f"-c jit={'on' if env_bool('DB_JIT', False) else 'off'} "
        f"-c random_page_cost={float(env('DB_RANDOM_PAGE_COST', '1.1'))}"
    )
    return dict(config)


def databases_from_env() -> dict[str, dict[str, Any]]:
    """DATABASES: the primary from DATABASE_URL, read replicas from DATABASE_REPLICA_URLS."""
    url = env("DATABASE_URL")
    if not url:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. ./scripts/run and ./scripts/test set it for the local "
            "cluster; see .env.example for a PostGIS server of your own."
        )
    databases = {"default": database(url)}
    databases["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_innspillsbank")}
    for number, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
        replica = database(replica_url)
        # A replica that is down must not hold a request for the OS's TCP timeout.
        replica["OPTIONS"].setdefault("connect_timeout", env_int("REPLICA_CONNECT_TIMEOUT", 2))
        # A test run mirrors the replicas onto the test database.
        replica["TEST"] = {"MIRROR": "default"}
        databases[f"replica_{number}"] = replica
    return databases


def cache_from_url(url: str) -> dict:
    """The Django cache named by CACHE_URL (docs/deploy.md).

    db://table          PostgreSQL, the default: shared by every worker and host, survives
                        restarts, needs no new server (`manage.py createcachetable`).
    redis://host:port/n Redis or Valkey (Debian: valkey-server), for large sites.
    locmem://           one worker's memory: tests and single-process tools only.
    dummy://            no cache at all.
    """
    scheme, _, rest = url.partition("://")
    if scheme == "db":
        return {
            # Django's database cache, each write one statement (inputbank/cache_backend.py).
            "BACKEND": "inputbank.cache_backend.PostgresCache",
            "LOCATION": rest or "inputbank_cache",
            # The table is counted every 50th write; past MAX_ENTRIES the expired rows are
            # deleted (and, if still full, a third). Live rows (throttle windows, used form
            # tokens of 12 h, lock-outs) stay far below this for a municipality.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if scheme in ("redis", "rediss", "valkey"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.replace("valkey://", "redis://", 1),
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with db://, redis://, locmem:// or dummy://, not {url!r}"
    )


def logging_from_env() -> dict[str, Any]:
    """LOGGING: everything to the console (systemd's journal or the container log)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
