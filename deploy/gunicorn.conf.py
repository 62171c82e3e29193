"""gunicorn settings for ./scripts/run and the systemd unit (docs/deploy.md).

Every value can be overridden from the environment (gunicorn reads GUNICORN_CMD_ARGS too).
Sync workers: every request is short and database-bound, and one process per core plus one
keeps both cores busy while a worker waits on PostgreSQL (docs/reliability.md has the figures).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Exports of a whole municipality can take a minute; nothing else comes close.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak in a C library never grows without bound. Not
# too often: a new worker costs ~1.5 s of CPU to start and its first requests fill cold caches;
# at 2 000 the load test's 220 requests/s recycled a worker every ~9 s, and those restarts were
# the submissions' p99 beyond 1 s (docs/reliability.md). 20 000 is hours at Moss's real traffic.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Forwarded headers (X-Forwarded-Proto/For) are trusted only from these addresses: nginx on
# the same host. Anyone else's X-Forwarded-* is ignored.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
