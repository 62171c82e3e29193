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
# Recycle workers now and then so a slow leak in a C library never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Forwarded headers (X-Forwarded-Proto/For) are trusted only from these addresses: nginx on
# the same host. Anyone else's X-Forwarded-* is ignored.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
