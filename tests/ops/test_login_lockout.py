"""Password guessing is locked out per account and address, on every login form."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORMS = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()
    yield
    cache.clear()


def _login(url, username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("url", FORMS)
def test_guessing_locks_that_account_from_that_address(url):
    make_user("kari", is_staff=True, is_superuser=True)
    for _ in range(2):
        assert _login(url, "kari", "wrong").status_code == 200  # the form again, with an error
    assert _login(url, "kari", "wrong").status_code == 429  # the third failure locks
    locked = _login(url, "kari", "test-pass-123")
    assert locked.status_code == 429  # even the right password, from here, for now


@pytest.mark.parametrize("url", FORMS)
def test_the_real_user_elsewhere_still_gets_in(url):
    make_user("kari", is_staff=True, is_superuser=True)
    for _ in range(3):
        _login(url, "kari", "wrong", address="203.0.113.66")
    assert _login(url, "kari", "test-pass-123", address="10.0.0.1").status_code == 302


def test_other_accounts_from_the_same_address_are_not_locked():
    make_user("ola")
    for _ in range(3):
        _login("/accounts/login/", "kari", "wrong")
    assert _login("/accounts/login/", "ola", "test-pass-123").status_code == 302


def test_sessions_expire():
    from django.conf import settings

    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_behind_the_proxy_the_client_address_counts_not_the_proxys(settings):
    """nginx connects from 127.0.0.1 for everyone: an attacker there must not lock Kari out."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    make_user("kari")

    def via_proxy(client_address, password):
        return Client().post(
            "/accounts/login/",
            {"username": "kari", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(3):
        via_proxy("203.0.113.66", "wrong")
    assert via_proxy("203.0.113.66", "test-pass-123").status_code == 429
    assert via_proxy("10.0.0.1", "test-pass-123").status_code == 302
