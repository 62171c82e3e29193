"""When PostgreSQL is away the API answers JSON 503 with Retry-After, never an HTML page."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from inputbank import antibot
from tests.api.helpers import LIST_URL, post_json, submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails the way it does while PostgreSQL restarts."""

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def _assert_retry_later(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["message"]


def test_reads_answer_503_json(client, database_down):
    _assert_retry_later(client.get(LIST_URL, {"bbox": "10.6,59.4,10.7,59.5"}))


def test_submissions_answer_503_json(client, database_down, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 0}
    _assert_retry_later(post_json(client, LIST_URL, submission(antibot.issue_form_token())))


def test_readyz_names_the_database(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_stays_alive(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "unavailable"


def test_readyz_is_ready_with_database_cache_and_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() | {"postgis": ""} == {
        "status": "ok",
        "postgis": "",
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
    }


def test_pages_keep_their_own_error_page(client, database_down):
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert not response["Content-Type"].startswith("application/json")
