"""Fixtures for API tests: clients per role (session and token auth), bot-check helpers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inputbank import antibot


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: every test starts with empty buckets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_min_fill_time(settings):
    """Most tests submit at once; the fill-time rule has its own tests."""
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 0}


@pytest.fixture
def api():
    return APIClient()


def client_for(user, *, token: bool = False) -> APIClient:
    client = APIClient()
    if token:
        key = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_login(user)
    return client


@pytest.fixture
def officer_api(case_officer):
    return client_for(case_officer, token=True)


@pytest.fixture
def moderator_api(moderator):
    return client_for(moderator, token=True)


@pytest.fixture
def gis_api(gis_user):
    return client_for(gis_user, token=True)


@pytest.fixture
def resident_api(resident):
    return client_for(resident)


@pytest.fixture
def form_token():
    return antibot.issue_form_token()
