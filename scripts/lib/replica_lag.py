"""How far a streaming read replica falls behind while submissions are written at a steady rate.

    python scripts/lib/replica_lag.py <submissions per second> <seconds>

Submissions go through the service layer (``services.input_submit``: the write path the API,
the admin and the importer share, with redaction, history, case number and grid counts), from
a few paced threads, so the WAL is what real submissions write; HTTP is left out because on
two cores the web server, not the database, would set the rate. Meanwhile the primary's
``pg_stat_replication`` is read every 0.1 s: the replay lag as the primary measures it (WAL
flushed here until replayed there) and the WAL bytes not yet replayed. Prints the rate
reached, the WAL written per submission (what replication carries) and the lag's
p50/p95/max. Needs DATABASE_URL, SECRET_KEY and a running replica.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inputbank.settings")

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402

from geo.crs import MOSS_CENTRE_LONLAT, WEB_SRID  # noqa: E402
from inputbank import services  # noqa: E402

WRITERS = 4
TEXT = "Replikatest: benk ved fjorden, takk."
SAMPLE_SQL = """
SELECT coalesce(max(extract(epoch FROM replay_lag)), 0),
       coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0),
       count(*)
FROM pg_stat_replication
"""


def main(rate: float, seconds: float) -> int:
    stop = time.monotonic() + seconds
    written: list[int] = [0] * WRITERS
    lags: list[float] = []
    behind: list[float] = []

    def writer(number: int) -> None:
        interval = WRITERS / rate
        next_at = time.monotonic() + number * interval / WRITERS
        lon, lat = MOSS_CENTRE_LONLAT
        try:
            while (now := time.monotonic()) < stop:
                if next_at > now:
                    time.sleep(next_at - now)
                next_at += interval
                geom = Point(
                    lon + random.uniform(-0.03, 0.03),
                    lat + random.uniform(-0.02, 0.02),
                    srid=WEB_SRID,
                )
                services.input_submit(
                    text="Replikatest: benk ved fjorden, takk.", geom=geom, themes=[]
                )
                written[number] += 1
        finally:
            connection.close()

    def sampler() -> None:
        try:
            with connection.cursor() as cursor:
                while time.monotonic() < stop + 1:
                    cursor.execute(SAMPLE_SQL)
                    lag, wal_bytes, replicas = cursor.fetchone()
                    if not replicas:
                        raise SystemExit("no replica is streaming from this primary")
                    lags.append(float(lag))
                    behind.append(float(wal_bytes))
                    time.sleep(0.1)
        finally:
            connection.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (start_lsn,) = cursor.fetchone()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    threads.append(threading.Thread(target=sampler))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = min(time.monotonic() - started, seconds)

    def q(values: list[float], p: int) -> float:
        return statistics.quantiles(values * 2, n=100, method="inclusive")[p - 1]

    total = sum(written)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [start_lsn])
        (wal,) = cursor.fetchone()
    print(f"{total} submissions in {took:.0f} s: {total / took:.1f}/s (asked {rate:g}/s)")
    per_submission = float(wal) / max(total, 1) / 1024
    print(f"WAL written: {float(wal) / 2**20:.1f} MB, {per_submission:.1f} kB a submission")
    print(
        f"replay lag ms: p50 {q(lags, 50) * 1000:.1f}  p95 {q(lags, 95) * 1000:.1f}  "
        f"max {max(lags) * 1000:.1f}   ({len(lags)} samples)"
    )
    print(
        f"WAL not yet replayed kB: p50 {q(behind, 50) / 1024:.1f}  p95 {q(behind, 95) / 1024:.1f}"
        f"  max {max(behind) / 1024:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]), float(sys.argv[2])))
