"""Staff single sign-on over OpenID Connect (Microsoft Entra ID, ID-porten, Keycloak, ...).

On in settings when OIDC_RP_CLIENT_ID is set (docs/deploy.md). The identity provider says who
someone is and which groups they belong to; OIDC_GROUP_ROLES maps those groups to our roles
(inputbank.roles), on every login, so a person removed from a group in the IdP loses the role
at their next login. Someone with no mapped group is refused: SSO is for staff only, residents
never need an account. Local passwords keep working beside it for small sites.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from inputbank import roles
from inputbank.models import AuditEvent
from inputbank.reauth import mark_authenticated
from inputbank.services.audit import audit_record


def group_roles() -> dict[str, str]:
    """OIDC_GROUP_ROLES: ``idp-group=role;other-group=role`` (a group id or name as the IdP
    sends it; Entra sends object ids unless configured otherwise)."""
    mapping: dict[str, str] = {}
    for pair in settings.OIDC_GROUP_ROLES.split(";"):
        if not pair.strip():
            continue
        group, _, role = pair.partition("=")
        if role.strip() not in roles.ALL_ROLES:
            raise ValueError(f"OIDC_GROUP_ROLES: {role.strip()!r} is not one of {roles.ALL_ROLES}")
        mapping[group.strip()] = role.strip()
    return mapping


def roles_from_claims(claims: dict) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = group_roles()
    return {mapping[g] for g in groups if g in mapping}


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Accounts keyed on the IdP's user name claim; roles from its groups claim."""

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts the groups (and preferred_username) in the ID token, not in userinfo:
        # take both, userinfo winning where they overlap. ``payload`` is already verified.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def _username(self, claims: dict) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")[:150]

    def verify_claims(self, claims):
        return bool(self._username(claims)) and bool(roles_from_claims(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self._username(claims))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self._username(claims), email=claims.get("email", "")
        )
        # Only SSO may log this account in: no local password to guess.
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        wanted = roles_from_claims(claims)
        current = set(user.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))
        for name in wanted - current:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        if current - wanted:
            user.groups.remove(*Group.objects.filter(name__in=current - wanted))
        if wanted != current:
            audit_record(
                actor=None,
                action=AuditEvent.Action.SSO_ROLES,
                target=f"user {user.pk} ({user.get_username()})",
                detail={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
            )
        if claims.get("email") and user.email != claims["email"]:
            user.email = claims["email"]
            user.save(update_fields=["email"])
        return user


class StaffAuthenticationRequestView(OIDCAuthenticationRequestView):
    """The redirect to the IdP. With ``?reauth=1`` (inputbank/reauth.py) the IdP must ask
    again (``prompt=login``, ``max_age=0``) instead of reusing its own session, so a fresh
    single sign-on proves that the person at the keyboard is the account's owner."""

    def get_extra_params(self, request):
        params = dict(super().get_extra_params(request))
        if request.GET.get("reauth"):
            params.update({"prompt": "login", "max_age": "0"})
        return params


class StaffAuthenticationCallbackView(OIDCAuthenticationCallbackView):
    """The IdP's answer. A re-authentication of the user already logged in is no new log-in
    for mozilla-django-oidc (it keeps the session as it is), but it is a fresh proof of who
    is at the keyboard: stamp it for inputbank/reauth.py."""

    def login_success(self):
        response = super().login_success()
        mark_authenticated(self.request)
        return response
