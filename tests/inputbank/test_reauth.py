"""Sensitive staff actions need a recent log-in, and each one is in the audit trail.

Sensitive: exports of a contributor's data and erasures (the privacy page), and changes to
user accounts and role groups in the admin. A session older than STAFF_REAUTH_MINUTES is sent
to confirm the password first; the confirmation goes through the log-in lock-out too.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from inputbank import roles
from inputbank.models import AuditEvent, PrivacyRequest
from inputbank.reauth import SESSION_KEY
from inputbank.services import ContributorData
from tests.factories import make_input, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "test-pass-123"  # tests/factories.make_user


def age_session(client, minutes: float) -> None:
    """Make the log-in look ``minutes`` old (a PC left unlocked since the morning)."""
    session = client.session
    session[SESSION_KEY] = int(time.time() - minutes * 60)
    session.save()


@pytest.fixture
def officer(client, settings):
    settings.STAFF_REAUTH_MINUTES = 15
    user = make_user("saksbehandler", roles.CASE_OFFICERS)
    client.login(username="saksbehandler", password=PASSWORD)
    client.cookies["django_language"] = "en"
    return user


@pytest.fixture
def contributor_id(db):
    item = make_input(
        "Lag en benk.", contributor=ContributorData(name="Kari Nordmann", email="kari@example.no")
    )
    return item.contributor_id


def reauth_url(next_path: str) -> str:
    return f"{reverse('reauthenticate')}?{urlencode({'next': next_path})}"


def test_a_fresh_login_may_export_and_it_is_audited(client, officer, contributor_id):
    response = client.post(reverse("staff:privacy_export", args=[contributor_id]))
    assert response.status_code == 200
    assert "Kari Nordmann" in response.content.decode()
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.PRIVACY_ACCESS)
    assert (event.actor, event.target) == (officer, f"contributor {contributor_id}")
    assert event.detail["privacy_request"] == PrivacyRequest.objects.get().pk
    assert "Kari" not in str(event.detail)


def test_an_old_session_must_confirm_before_the_privacy_page(client, officer):
    age_session(client, 60)
    response = client.get(reverse("staff:privacy"))
    assert response.status_code == 302
    assert response["Location"] == reauth_url(reverse("staff:privacy"))


def test_an_old_session_cannot_export_or_erase(client, officer, contributor_id):
    age_session(client, 60)
    export = client.post(reverse("staff:privacy_export", args=[contributor_id]))
    erase = client.post(reverse("staff:privacy_erase", args=[contributor_id]), {"confirm": "yes"})
    for response in (export, erase):
        assert response.status_code == 302
        assert response["Location"] == reauth_url(reverse("staff:privacy"))
    assert not PrivacyRequest.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="privacy").exists()


def test_confirming_the_password_opens_the_way_and_is_audited(client, officer, contributor_id):
    age_session(client, 60)
    wrong = client.post(
        reverse("reauthenticate"), {"password": "guess", "next": reverse("staff:privacy")}
    )
    assert wrong.status_code == 200
    assert "That is not your password" in wrong.content.decode()
    assert client.get(reverse("staff:privacy")).status_code == 302
    right = client.post(
        reverse("reauthenticate"), {"password": PASSWORD, "next": reverse("staff:privacy")}
    )
    assert right["Location"] == reverse("staff:privacy")
    assert client.get(reverse("staff:privacy")).status_code == 200
    erased = client.post(reverse("staff:privacy_erase", args=[contributor_id]), {"confirm": "yes"})
    assert erased.status_code == 302
    actions = list(AuditEvent.objects.order_by("at", "id").values_list("action", "actor_name"))
    assert actions == [
        (AuditEvent.Action.REAUTH_FAILED, "saksbehandler"),
        (AuditEvent.Action.REAUTH, "saksbehandler"),
        (AuditEvent.Action.PRIVACY_ERASURE, "saksbehandler"),
    ]


def test_the_confirmation_never_redirects_off_site(client, officer):
    age_session(client, 60)
    response = client.post(
        reverse("reauthenticate"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"


def test_guessing_the_password_on_the_confirmation_locks_out_like_the_login(
    client, officer, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    age_session(client, 60)
    for _ in range(3):
        client.post(reverse("reauthenticate"), {"password": "guess", "next": "/staff/"})
    locked = client.post(reverse("reauthenticate"), {"password": PASSWORD, "next": "/staff/"})
    assert locked.status_code == 429
    assert client.get(reverse("staff:privacy")).status_code == 302


def test_an_sso_account_is_sent_to_sign_on_again(client, settings):
    user = make_user("kari", roles.CASE_OFFICERS)
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    age_session(client, 60)
    page = client.get(reauth_url("/staff/privacy/")).content.decode()
    assert 'name="password"' not in page


def test_sign_on_for_a_confirmation_makes_the_identity_provider_ask_again(rf, settings):
    from inputbank.sso import StaffAuthenticationRequestView

    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/auth"
    settings.OIDC_RP_CLIENT_ID = "innspillsbank"
    view = StaffAuthenticationRequestView()
    assert "prompt" not in view.get_extra_params(rf.get("/oidc/authenticate/"))
    extra = view.get_extra_params(rf.get("/oidc/authenticate/", {"reauth": "1"}))
    assert (extra["prompt"], extra["max_age"]) == ("login", "0")


# --- the admin: user accounts and roles ------------------------------------------------------


@pytest.fixture
def admin_client_fresh(client, settings):
    settings.STAFF_REAUTH_MINUTES = 15
    User.objects.create_superuser("it-drift", password=PASSWORD)
    client.login(username="it-drift", password=PASSWORD)
    return client


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "groups": [],
        "user_permissions": [],
    }
    data.update(changes)
    return data


def test_giving_a_role_in_the_admin_needs_a_recent_login_and_is_audited(admin_client_fresh):
    target = make_user("ola")
    officers = Group.objects.get_or_create(name=roles.CASE_OFFICERS)[0]
    url = reverse("admin:auth_user_change", args=[target.pk])
    age_session(admin_client_fresh, 60)
    refused = admin_client_fresh.post(url, user_form(target, groups=[officers.pk]))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("reauthenticate"))
    assert not roles.can_respond(User.objects.get(pk=target.pk))

    admin_client_fresh.post(reverse("reauthenticate"), {"password": PASSWORD, "next": url})
    done = admin_client_fresh.post(url, user_form(target, groups=[officers.pk]))
    assert done.status_code == 302, done.content.decode()[:2000]
    assert roles.can_respond(User.objects.get(pk=target.pk))
    event = AuditEvent.objects.get(action=AuditEvent.Action.USER_CHANGE)
    assert event.actor_name == "it-drift"
    assert event.target == f"user {target.pk} (ola)"
    assert event.detail["roles_added"] == [roles.CASE_OFFICERS]


def test_password_changes_and_deletions_in_the_admin_are_audited(admin_client_fresh):
    target = make_user("ola")
    admin_client_fresh.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {
            "password1": "Nytt-passord-2026!",
            "password2": "Nytt-passord-2026!",
            "usable_password": "true",
        },
    )
    admin_client_fresh.post(reverse("admin:auth_user_delete", args=[target.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=target.pk).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditEvent.Action.USER_CHANGE, AuditEvent.Action.USER_DELETE} <= actions


def test_the_audit_trail_cannot_be_edited_in_the_admin(admin_client_fresh):
    event = AuditEvent.objects.create(actor_name="x", action=AuditEvent.Action.REAUTH)
    assert (
        admin_client_fresh.get(reverse("admin:inputbank_auditevent_changelist")).status_code == 200
    )
    response = admin_client_fresh.post(
        reverse("admin:inputbank_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_confirmation_page_speaks_bokmal_and_nynorsk(client, officer):
    age_session(client, 60)
    for language, expected in (("nb", "mer enn 15 minutter siden"), ("nn", "meir enn 15 minutt")):
        client.cookies["django_language"] = language
        page = client.get(reauth_url("/staff/privacy/")).content.decode()
        assert expected in page
