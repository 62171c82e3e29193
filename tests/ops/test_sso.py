"""Staff single sign-on against a real OpenID Connect provider on loopback.

The provider is panva/oidc-provider (npm, maintained, certified), started with node; its
development login form stands in for the municipality's Entra ID sign-in page.
"""

import re
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore

from inputbank import roles
from inputbank.models import AuditEvent
from inputbank.reauth import SESSION_KEY
from tests.ops.servers import ROOT, Gunicorn, free_port, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HERE = Path(__file__).parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "innspillsbank", "loopback-test-secret"


def _provider_dir() -> Path:
    """The provider's script and its npm packages under var/ (installed once)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed for the OIDC provider (Debian: nodejs npm)")
    target = ROOT / "var" / "oidc-provider"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "provider.mjs"):
        shutil.copy(HERE / name, target / name)
    if not (target / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"],
            cwd=target,
            check=True,
            timeout=300,
        )
    return target


@pytest.fixture(scope="module")
def provider_dir():
    return _provider_dir()


@pytest.fixture
def sso(tmp_path, provider_dir):
    op_port, app_port = free_port(), free_port()
    issuer = f"http://127.0.0.1:{op_port}"
    redirect = f"http://127.0.0.1:{app_port}/oidc/callback/"
    log = open(tmp_path / "provider.log", "wb")  # noqa: SIM115
    provider = subprocess.Popen(
        ["node", "provider.mjs", str(op_port), CLIENT_ID, CLIENT_SECRET, redirect],
        cwd=provider_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app = None
    try:
        wait_for(issuer + "/.well-known/openid-configuration")
        app = Gunicorn(
            tmp_path,
            workers=1,
            port=app_port,
            OIDC_RP_CLIENT_ID=CLIENT_ID,
            OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
            OIDC_OP_ISSUER=issuer,
            OIDC_GROUP_ROLES=(
                "sg-innspill-saksbehandlere=case_officers;sg-innspill-moderatorer=moderators"
            ),
            CACHE_URL="locmem://",
        )
        yield app
    finally:
        if app:
            app.stop()
        provider.terminate()
        provider.wait(timeout=10)
        log.close()


def _form(page: requests.Response) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert match, page.text[:500]
    return requests.compat.urljoin(page.url, unescape(match.group(1)))


def _sign_in(
    app, username: str, browser: requests.Session | None = None, start: str = ""
) -> requests.Response:
    """What a person does in the browser: start at our login, sign in at the IdP, consent."""
    browser = browser or requests.Session()
    page = browser.get(start or app.url + "/oidc/authenticate/?next=/staff/", timeout=30)
    assert "/interaction/" in page.url
    page = browser.post(
        _form(page), data={"prompt": "login", "login": username, "password": "x"}, timeout=30
    )
    if "/interaction/" in page.url:  # the consent screen on a first visit
        page = browser.post(_form(page), data={"prompt": "consent"}, timeout=30)
    return page


def test_a_case_officer_signs_in_and_gets_the_role_from_the_idp_group(sso):
    page = _sign_in(sso, "kari")
    assert page.status_code == 200
    assert page.url == sso.url + "/staff/"
    user = get_user_model().objects.get(username="kari")
    assert roles.roles_of(user) == {roles.CASE_OFFICERS}
    assert user.email == "kari@moss.kommune.no"
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SSO_ROLES)
    assert event.detail == {"added": [roles.CASE_OFFICERS], "removed": []}


def test_an_old_session_confirms_by_signing_on_again_at_the_idp(sso):
    browser = requests.Session()
    _sign_in(sso, "kari", browser)
    session = SessionStore(session_key=browser.cookies["sessionid"])
    session[SESSION_KEY] = int(time.time()) - 3600  # logged in an hour ago
    session.save()
    page = browser.get(sso.url + "/staff/privacy/", timeout=30)
    assert "/accounts/reauthenticate/" in page.url
    link = re.search(r'href="(/oidc/authenticate/\?reauth=1[^"]*)"', page.text)
    assert link, page.text[:1000]
    # The IdP still has its own session, but prompt=login makes it ask again.
    page = _sign_in(sso, "kari", browser, start=sso.url + unescape(link.group(1)))
    assert page.status_code == 200
    assert page.url == sso.url + "/staff/privacy/"


def test_a_second_group_maps_to_its_own_role(sso):
    _sign_in(sso, "mona")
    assert roles.roles_of(get_user_model().objects.get(username="mona")) == {roles.MODERATORS}


def test_someone_in_no_mapped_group_is_refused(sso):
    page = _sign_in(sso, "ola")
    assert "/accounts/login/" in page.url
    assert not get_user_model().objects.filter(username="ola").exists()


def test_the_login_page_offers_single_sign_on(sso):
    page = requests.get(sso.url + "/accounts/login/?next=/staff/", timeout=30)
    assert 'href="/oidc/authenticate/?next=/staff/"' in page.text
