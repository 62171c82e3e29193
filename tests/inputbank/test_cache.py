"""The answer and tile cache: shared answers, generations, one refresh per committed change."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from inputbank import cache, services
from tests.factories import make_input


def test_an_answer_key_does_not_depend_on_the_order_of_a_dict():
    first = cache.public_answer_key("grid", {"zoom": 12, "theme": ["a"]})
    again = cache.public_answer_key("grid", {"theme": ["a"], "zoom": 12})
    assert first == again
    assert first.startswith("public-")
    assert cache.public_answer_key("grid", {"zoom": 13, "theme": ["a"]}) != first
    assert cache.public_answer_key("list", {"zoom": 12, "theme": ["a"]}) != first


def test_an_answer_is_rendered_once_and_then_served_from_the_cache():
    calls = []

    def render():
        calls.append(1)
        return b'{"n": 1}'

    key = cache.public_answer_key("test")
    assert cache.cached(key, render) == b'{"n": 1}'
    assert cache.cached(key, render) == b'{"n": 1}'
    assert len(calls) == 1


def test_a_new_generation_renders_again():
    answers = iter([b"old", b"new"])
    key = cache.public_answer_key("test")
    assert cache.cached(key, lambda: next(answers)) == b"old"
    cache.invalidate()
    assert cache.cached(key, lambda: next(answers)) == b"new"


def test_an_answer_over_the_budget_is_sent_but_not_kept(settings):
    settings.TILES = {**settings.TILES, "ANSWER_CACHE_MB": 0}
    calls = []

    def render():
        calls.append(1)
        return b"x" * 100

    key = cache.public_answer_key("big")
    assert cache.cached(key, render) == b"x" * 100
    assert cache.cached(key, render) == b"x" * 100
    assert len(calls) == 2


def test_a_cache_that_cannot_be_written_still_answers(settings, tmp_path, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.TILES = {**settings.TILES, "CACHE_DIR": str(blocked)}
    with caplog.at_level(logging.ERROR, logger="inputbank.cache"):
        assert cache.cached(cache.public_answer_key("x"), lambda: b"answer") == b"answer"
    assert "cannot store" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_refresh_waits_for_the_commit_and_a_rollback_refreshes_nothing():
    before = cache.store().generation()
    with transaction.atomic():
        cache.invalidate_after_commit()
        assert cache.store().generation() == before  # not yet: the change may roll back
    assert cache.store().generation() == before + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        cache.invalidate_after_commit()
        raise RuntimeError("the decision failed")
    assert cache.store().generation() == before + 1


def test_many_changes_in_one_transaction_refresh_once(db, django_capture_on_commit_callbacks):
    items = [make_input(published=False) for _ in range(3)]
    before = cache.store().generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for item in items:
            services.input_publish(input=item, moderator=None)
    assert len(callbacks) == 1
    assert cache.store().generation() == before + 1


def test_a_cache_that_cannot_refresh_does_not_undo_the_decision(
    db, settings, tmp_path, django_capture_on_commit_callbacks, caplog
):
    item = make_input(published=False)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.TILES = {**settings.TILES, "CACHE_DIR": str(blocked / "cache")}
    with (
        caplog.at_level(logging.ERROR, logger="inputbank.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.input_publish(input=item, moderator=None)
    item.refresh_from_db()
    assert item.status == "published"
    assert "cannot start a new generation" in caplog.text


def test_services_and_imports_refresh_without_a_gis_module():
    """Writes refresh the cache through inputbank.cache, not through publishing (layers)."""
    import ast
    from pathlib import Path

    import inputbank

    root = Path(inputbank.__file__).parent
    for folder in ("services", "imports"):
        for path in (root / folder).glob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    assert not node.module.startswith("inputbank.publishing"), path
