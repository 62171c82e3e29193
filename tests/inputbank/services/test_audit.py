"""The audit trail of sensitive staff actions is kept for AUDIT_RETENTION_DAYS, then deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from inputbank.models import AuditEvent
from inputbank.services.audit import audit_events_expire, audit_record
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _event(days_ago: int, target: str) -> AuditEvent:
    event = audit_record(actor=make_user(), action=AuditEvent.Action.REAUTH, target=target)
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))
    return event


def test_events_past_retention_are_deleted_and_newer_ones_kept(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "AUDIT_RETENTION_DAYS": 365}
    _event(400, "old")
    _event(300, "recent")
    assert audit_events_expire() == 1
    assert list(AuditEvent.objects.values_list("target", flat=True)) == ["recent"]


def test_the_default_keeps_about_five_years(settings):
    assert settings.INPUTBANK["AUDIT_RETENTION_DAYS"] >= 5 * 365
    _event(4 * 365, "four years")
    _event(6 * 365, "six years")
    audit_events_expire()
    assert list(AuditEvent.objects.values_list("target", flat=True)) == ["four years"]


def test_apply_retention_deletes_them_and_a_dry_run_only_counts(settings, capsys):
    settings.INPUTBANK = {**settings.INPUTBANK, "AUDIT_RETENTION_DAYS": 30}
    _event(31, "old")
    call_command("apply_retention", "--dry-run")
    assert "1 audit event(s) would be deleted" in capsys.readouterr().out
    assert AuditEvent.objects.count() == 1
    call_command("apply_retention")
    assert "Deleted 1 audit event(s)" in capsys.readouterr().out
    assert not AuditEvent.objects.exists()
