"""The form token and honeypot rules (inputbank.antibot)."""

import time

import pytest
from django.core import signing

from inputbank import antibot


def test_a_fresh_token_is_too_quick(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 3}
    with pytest.raises(antibot.BotCheckFailed, match="too quickly"):
        antibot.check_form(token=antibot.issue_form_token(), honeypot="")


def test_an_old_enough_token_passes(settings, monkeypatch):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 3}
    token = antibot.issue_form_token()
    later = time.time() + 4
    monkeypatch.setattr(antibot.time, "time", lambda: later)
    antibot.check_form(token=token, honeypot=None)


def test_an_expired_token_is_refused(monkeypatch):
    token = antibot.issue_form_token()
    later = time.time() + antibot.FORM_TOKEN_MAX_AGE + 10
    monkeypatch.setattr(antibot.time, "time", lambda: later)
    with pytest.raises(antibot.BotCheckFailed, match="open too long"):
        antibot.check_form(token=token, honeypot="")


def test_a_token_signed_for_something_else_is_refused():
    other = signing.TimestampSigner(salt="another.purpose").sign("x")
    with pytest.raises(antibot.BotCheckFailed, match="not a valid form token"):
        antibot.check_form(token=other, honeypot="")


def test_a_filled_honeypot_is_refused_whatever_the_token():
    with pytest.raises(antibot.BotCheckFailed) as err:
        antibot.check_form(token=antibot.issue_form_token(), honeypot="http://spam")
    assert err.value.field == antibot.HONEYPOT_FIELD


def test_a_token_is_accepted_once(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 0}
    token = antibot.issue_form_token()
    antibot.check_form(token=token, honeypot="")
    with pytest.raises(antibot.BotCheckFailed, match="already used"):
        antibot.check_form(token=token, honeypot="")
