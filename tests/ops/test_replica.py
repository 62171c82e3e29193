"""Reads from a streaming read replica (inputbank/dbrouter.py, docs/deploy.md "Read replicas").

A real physical replica of the test cluster, made by the script function ./scripts/run
--replica uses (scripts/lib/common.sh: ensure_replica), and gunicorn serving the app with
DATABASE_REPLICA_URLS pointed at the test database on it. Which database answered is told by
what it can see: the replica's WAL replay is paused, so a row written since exists only on the
primary. The replica's own pg_stat_activity shows the app's connection to it.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from rest_framework.authtoken.models import Token

from inputbank import antibot, roles
from tests.api.helpers import LIST_URL, submission
from tests.factories import make_input, make_user
from tests.ops.servers import ROOT, Gunicorn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

COMMON = ROOT / "scripts" / "lib" / "common.sh"
BBOX = {"bbox": "10.55,59.38,10.80,59.50", "page_size": 1000}


def _script(command: str) -> str:
    """Run a function of scripts/lib/common.sh (the cluster the test database lives in)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        ["bash", "-c", f'source "{COMMON}" && {command}'],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


class Replica:
    def __init__(self, database: str):
        self.url = _script(f"ensure_replica 1 && replica_url 1 {database}")
        socket_dir = self.url.split("host=", 1)[1]
        self.conninfo = f"host={socket_dir} port=5433 dbname={database} user={_pg_user()}"

    def sql(self, query: str, params=(), *, dbname: str | None = None):
        conninfo = self.conninfo + (f" dbname={dbname}" if dbname else "")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def pause(self) -> None:
        self.sql("SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")

    def catch_up(self, timeout: float = 120) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        primary = _primary_sql("SELECT pg_current_wal_lsn()::text")[0][0]
        deadline = time.monotonic() + timeout
        # Through the postgres database: the test database may not have been replayed yet.
        query = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        while not self.sql(query, [primary], dbname="postgres")[0][0]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.1)

    def wait_for_a_replayed_transaction(self, timeout: float = 60) -> None:
        """Until the replica has replayed a commit since it started (its replay timestamp)."""
        from django.db import connections

        params = connections["default"].get_connection_params()
        keep = ("dbname", "user", "password", "host", "port")
        primary = {k: v for k, v in params.items() if k in keep and v}
        deadline = time.monotonic() + timeout
        query = "SELECT pg_last_xact_replay_timestamp() IS NOT NULL"
        while not self.sql(query, dbname="postgres")[0][0]:
            assert time.monotonic() < deadline, "the replica replayed no transaction"
            # A transaction of its own on the primary (an xid makes a commit record).
            with psycopg.connect(**primary, autocommit=True) as conn:
                conn.execute("SELECT pg_current_xact_id()")
            time.sleep(0.2)

    def app_connections(self) -> int:
        """Client connections to the test database on the replica other than ours."""
        return self.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )[0][0]

    def start(self) -> None:
        _script("ensure_replica 1")

    def stop(self) -> None:
        _script("stop_replica 1")


def _pg_user() -> str:
    return "postgres" if os.geteuid() == 0 else os.environ.get("PGUSER", "postgres")


def _primary_sql(query: str):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


@pytest.fixture(scope="session")
def replica(django_db_setup, django_db_blocker):
    if not (Path(os.environ.get("PGHOST", "/nonexistent")).parent / "data" / "PG_VERSION").exists():
        pytest.fail("needs the project-local cluster of ./scripts/test (it gets a replica)")
    replica = Replica(settings.DATABASES["default"]["NAME"])
    with django_db_blocker.unblock():
        # Started again after a whole test run's writes, it has a backlog of WAL to replay.
        replica.catch_up(timeout=600)
    yield replica
    with django_db_blocker.unblock():
        replica.resume()
    # Stopped, not removed: the next run starts it again in a second (the slot keeps its WAL,
    # bounded by max_slot_wal_keep_size).
    replica.stop()


@pytest.fixture
def paused(replica):
    # The router tells a paused replica's lag by the age of the last transaction it replayed
    # (dbrouter._LAG_SQL); a replica copied afresh (a clean clone's whole suite copies it long
    # after the test database was made, on a quiet primary) has replayed none, so its lag is
    # unknown (1e9) and it is skipped as soon as the primary writes. Commit one transaction and
    # wait until it is replayed: the lag is measured from then on.
    replica.catch_up()
    replica.wait_for_a_replayed_transaction()
    replica.pause()
    yield replica
    replica.resume()


def _server(tmp_path, replica: Replica, **env: str) -> Gunicorn:
    return Gunicorn(
        tmp_path,
        workers=1,
        DATABASE_REPLICA_URLS=replica.url,
        REPLICA_CHECK_SECONDS="0.2",
        THROTTLE_SUBMIT="100000/hour",
        THROTTLE_ANON="100000/minute",
        INPUT_MIN_FILL_SECONDS="0",
        **env,
    )


def _browser(user=None) -> requests.Session:
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    if user is not None:
        session.headers["Authorization"] = f"Token {Token.objects.create(user=user).key}"
    return session


def _ids(session: requests.Session, server: Gunicorn, **params) -> set[str]:
    response = session.get(server.url + LIST_URL, params={**BBOX, **params}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return {feature["id"] for feature in response.json()["features"]}


@pytest.fixture
def server(tmp_path, replica):
    # Any lag is acceptable here: what each request can see tells which database answered.
    server = _server(tmp_path, replica, REPLICA_MAX_LAG_SECONDS="100000")
    yield server
    server.stop()


def test_public_reads_use_the_replica_and_authors_see_their_writes(server, paused):
    author = _browser(make_user("author", roles.MODERATORS))
    colleague = _browser(make_user("colleague", roles.MODERATORS))
    resident = _browser()
    assert _ids(resident, server) == set()
    # Published while the replica stands still: only the primary has it.
    earlier = str(make_input().public_id)

    # (A resident's cached list is not asked here: after a publication the answer cache may
    # refill from the primary on purpose, inputbank/cache.py; the export below is the
    # resident's replica read.)
    assert earlier not in _ids(colleague, server)
    export = resident.get(server.url + "/api/v1/exports/inputs.csv", timeout=60)
    assert export.status_code == 200
    assert export.headers["X-Row-Count"] == "0"  # exported from the replica too (ADBC)
    assert paused.app_connections() >= 1  # gunicorn's connection to the replica

    created = author.post(
        server.url + LIST_URL,
        json=submission(antibot.issue_form_token()),
        headers={"Idempotency-Key": uuid.uuid4().hex},
        timeout=30,
    )
    assert created.status_code == 201, created.text[:300]
    new = created.json()["id"]
    assert "ib_primary_until" in author.cookies
    # The author's next request reads the primary: their own input, and the earlier one.
    assert {new, earlier} <= _ids(author, server)
    assert author.get(created.headers["Location"], timeout=30).status_code == 200
    # Someone else still reads the replica, where neither exists yet.
    assert not {new, earlier} & _ids(colleague, server)

    # A moderator publishes: the public list is fresh at once for everyone, because an answer
    # cached after a public change is only rendered from a replica that has replayed it.
    published = author.post(f"{server.url}{LIST_URL}{new}/publish/", json={}, timeout=30)
    assert published.status_code == 200, published.text[:300]
    assert {new, earlier} <= _ids(resident, server)

    paused.resume()
    paused.catch_up()
    assert {new, earlier} <= _ids(colleague, server)


def test_prior_input_is_a_read_and_leaves_no_stickiness(server, paused):
    resident = _browser()
    answer = resident.post(
        server.url + "/api/v1/prior-input/",
        json={"geometry": {"type": "Point", "coordinates": [10.658, 59.434]}, "buffer_m": 100},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text[:300]
    assert "ib_primary_until" not in resident.cookies


def test_a_stopped_replica_does_not_fail_a_request(server, replica):
    replica.catch_up()
    resident = _browser()
    item = str(make_input().public_id)
    replica.catch_up()
    assert item in _ids(resident, server, page_size=999)
    replica.stop()
    try:
        # Every read kind still answers, from the primary, the moment the replica is gone.
        assert item in _ids(resident, server, page_size=998)
        assert item in _ids(resident, server, page_size=997)
        grid = resident.get(
            server.url + LIST_URL + "grid/", params={"bbox": BBOX["bbox"], "zoom": 12}, timeout=30
        )
        assert grid.status_code == 200
        tile = resident.get(server.url + "/tiles/inputs/14/8677/4808.mvt", timeout=30)
        assert tile.status_code in (200, 204)
        ogc = resident.get(server.url + "/ogc/collections/inputs/items", timeout=30)
        assert ogc.status_code == 200
        assert item in ogc.text or ogc.json()["numberMatched"] >= 1
        log = server.log.name
    finally:
        replica.start()
    # Back: after the next check the replica is used again.
    deadline = time.monotonic() + 20
    while replica.app_connections() == 0:
        assert time.monotonic() < deadline, Path(log).read_text()[-2000:]
        _ids(resident, server, page_size=996)
        time.sleep(0.3)


def test_a_replica_further_behind_than_the_bound_is_skipped(tmp_path, paused):
    server = _server(tmp_path, paused, REPLICA_MAX_LAG_SECONDS="1")
    try:
        colleague = _browser(make_user("colleague", roles.MODERATORS))
        # Written after the pause: the replica falls behind from here on.
        item = str(make_input(published=False).public_id)
        time.sleep(1.5)
        assert item in _ids(colleague, server)  # read from the primary
        assert paused.app_connections() >= 1  # the replica was asked, and found too far behind
    finally:
        server.stop()
