"""Roles are Django groups. This module names them and answers "may this user ...?".

Superusers have every role. Permission checks elsewhere call these functions, never compare
group names themselves.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

CASE_OFFICERS = "case_officers"
MODERATORS = "moderators"
GIS = "gis"
PARTICIPATION_ADVISERS = "participation_advisers"
ALL_ROLES = (CASE_OFFICERS, MODERATORS, GIS, PARTICIPATION_ADVISERS)

User = AbstractBaseUser | AnonymousUser


def roles_of(user: User | None) -> frozenset[str]:
    """Return the role names a user holds (all of them for a superuser), cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_inputbank_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(ALL_ROLES)
        else:
            cached = frozenset(user.groups.values_list("name", flat=True)) & set(ALL_ROLES)
        user._inputbank_roles = cached
    return cached


def is_staff_member(user: User | None) -> bool:
    """Any role at all: may enter /staff/."""
    return bool(roles_of(user))


def can_see_unpublished(user: User | None) -> bool:
    """Case officers and moderators see pending and rejected input."""
    return bool(roles_of(user) & {CASE_OFFICERS, MODERATORS})


def can_see_contributors(user: User | None) -> bool:
    """Only case officers see who gave input (moderators see it only through the case view)."""
    return CASE_OFFICERS in roles_of(user)


def can_moderate(user: User | None) -> bool:
    return bool(roles_of(user) & {CASE_OFFICERS, MODERATORS})


def can_respond(user: User | None) -> bool:
    return CASE_OFFICERS in roles_of(user)


def can_register(user: User | None) -> bool:
    """Register processes and input from letters, hearings, workshops."""
    return CASE_OFFICERS in roles_of(user)


def can_export(user: User | None) -> bool:
    return bool(roles_of(user) & {GIS, CASE_OFFICERS})


def can_import(user: User | None) -> bool:
    """Upload GIS files and spreadsheets of inputs (bulk registration)."""
    return bool(roles_of(user) & {CASE_OFFICERS, GIS})


def can_see_indicators(user: User | None) -> bool:
    return bool(roles_of(user) & {PARTICIPATION_ADVISERS, CASE_OFFICERS})


def can_see_evaluations(user: User | None) -> bool:
    """Participants' evaluations (anonymous, shown from 5 answers): the participation adviser."""
    return PARTICIPATION_ADVISERS in roles_of(user)
