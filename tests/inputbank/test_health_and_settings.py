import os
import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_healthz_reports_postgis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["postgis"]


def _django_check(env_overrides, *args):
    drop = ("SECRET_KEY", "DJANGO_DEBUG", "HTTPS", "STATICFILES_BACKEND")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _django_check({"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _django_check(
        {"DJANGO_DEBUG": "false", "SECRET_KEY": "x" * 60 + "-production-like-secret-key"},
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_home_page_answers(client, db):
    assert client.get("/").status_code == 200
