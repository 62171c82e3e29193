"""Throttles are counted in the shared (database) cache: 4 workers limit like 1 does."""

import urllib.error
import urllib.request

import orjson
import pytest
from django.core.management import call_command
from django.db import connection

from inputbank import antibot
from tests.api.helpers import LIST_URL, submission
from tests.ops.servers import Gunicorn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LIMIT = 5


def _submit(base_url: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback
        base_url + LIST_URL,
        data=orjson.dumps(submission(antibot.issue_form_token())),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("workers", [1, 4])
def test_the_submission_limit_answers_429_at_the_same_count(tmp_path, workers):
    call_command("createcachetable", "inputbank_cache")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inputbank_cache")
    # Which of 4 idle workers takes a sequential request is the kernel's choice, and on a
    # busy machine one worker took all 12 (CI, session 8): with 4 workers each is recycled
    # after 3 requests, so the requests are answered by several worker processes for certain
    # (and a count kept in a worker's memory would be lost at each recycling as well).
    recycle = "--max-requests 3 --max-requests-jitter 0 " if workers > 1 else ""
    server = Gunicorn(
        tmp_path,
        workers=workers,
        CACHE_URL="db://inputbank_cache",
        THROTTLE_SUBMIT=f"{LIMIT}/hour",
        INPUT_MIN_FILL_SECONDS="0",
        GUNICORN_CMD_ARGS=f"{recycle}--access-logformat '%(p)s %(s)s %(r)s'",
    )
    try:
        answers = [_submit(server.url) for _ in range(LIMIT + 7)]
        served_by = server.worker_pids()
    finally:
        server.stop()
    assert answers == [201] * LIMIT + [429] * 7
    if workers > 1:
        # The requests really were spread: a per-worker count would have let more through.
        assert len(served_by) > 1
