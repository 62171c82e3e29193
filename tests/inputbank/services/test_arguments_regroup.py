"""The batch regrouping (manage.py match_arguments): the same arguments as one by one,
officers' decisions kept, resumable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from inputbank.models import Argument, Input
from inputbank.services import (
    argument_match,
    argument_split,
    arguments_match_many,
    arguments_regroup,
    arguments_reset,
)
from scripts.benchmarks.measures.b9_arguments import load_labelled, pairwise
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def unplaced(settings):
    """The first 150 labelled statements as inputs nobody has matched yet (every third one
    pending), in the order they were received."""
    settings.INPUTBANK = {**settings.INPUTBANK, "ARGUMENTS_MATCH_AT_SUBMISSION": False}
    labelled = load_labelled()[:150]
    themes = {slug: make_theme(slug) for slug in sorted({s["theme"] for s in labelled})}
    items = [
        make_input(
            s["text"],
            geom=point(s["lon"], s["lat"]),
            themes=(themes[s["theme"]],),
            published=n % 3 != 0,
        )
        for n, s in enumerate(labelled)
    ]
    assert not Input.objects.filter(argument__isnull=False).exists()
    return items


def one_by_one(items) -> None:
    """Match the inputs as submission does, one at a time in the order they were received."""
    for item in Input.objects.filter(pk__in=[i.pk for i in items]).order_by("received_at", "id"):
        argument_match(input=item)


def placings() -> tuple[list[list[int]], dict[int, str]]:
    """The grouping (inputs per argument, in id order) and each input's reason."""
    groups: dict[int, list[int]] = {}
    reasons = {}
    for pk, argument_id, reason in Input.objects.order_by("id").values_list(
        "id", "argument_id", "argument_reason"
    ):
        assert argument_id is not None
        groups.setdefault(argument_id, []).append(pk)
        reasons[pk] = reason
    return sorted(groups.values()), reasons


def test_the_batch_gives_the_arguments_one_by_one_gives(unplaced):
    one_by_one(unplaced)
    by_one = placings()
    assert arguments_reset() == len(unplaced)
    assert not Argument.objects.exists()  # the machine's own, now empty, are gone

    # One block around the whole set: exactly the same inputs together, for the same reasons.
    result = arguments_regroup(block_m=50_000)
    assert result.placed == len(unplaced)
    assert placings() == by_one
    assert result.opened == Argument.objects.count() == len(by_one[0])


def test_an_import_is_matched_in_blocks_as_one_by_one(unplaced):
    one_by_one(unplaced)
    by_one = placings()
    arguments_reset()
    # The first 100 are there already; an import brings the last 50.
    early, imported = unplaced[:100], unplaced[100:]
    arguments_regroup(ids=[i.pk for i in early], block_m=50_000)
    assert not Input.objects.filter(pk__in=[i.pk for i in imported], argument__isnull=False)
    result = arguments_regroup(ids=[i.pk for i in imported], block_m=50_000)
    assert result.placed == len(imported)
    assert placings() == by_one


def test_an_import_of_more_than_a_handful_goes_through_the_blocks(unplaced):
    one_by_one(unplaced)
    truth = [{"id": pk, "argument": n} for n, g in enumerate(placings()[0]) for pk in g]
    arguments_reset()
    assert arguments_match_many(input_ids=[i.pk for i in unplaced]) == len(unplaced)
    assert pairwise(truth, placings()[0])["f1"] >= 0.9  # 1 km blocks: edges as in the sweep


def test_blocks_of_a_kilometre_differ_only_at_their_edges(unplaced):
    one_by_one(unplaced)
    by_one = placings()[0]
    arguments_reset()
    arguments_regroup()
    blocks = placings()[0]
    # As labels: the one-by-one grouping is the truth the batch is scored against.
    truth = [{"id": pk, "argument": n} for n, group in enumerate(by_one) for pk in group]
    assert pairwise(truth, blocks)["f1"] >= 0.9


def test_officers_pinned_decisions_survive_a_regrouping_from_scratch(case_officer, unplaced):
    arguments_match_many(input_ids=[i.pk for i in unplaced])
    first = Input.objects.get(pk=unplaced[0].pk)
    together = list(first.argument.inputs.order_by("id"))
    assert len(together) >= 2
    moved = together[-1]
    new = argument_split(argument=first.argument, inputs=[moved], decided_by=case_officer)

    call_command("match_arguments", "--all", stdout=StringIO())

    moved.refresh_from_db()
    first.refresh_from_db()
    assert moved.argument_id == new.pk and moved.argument_pinned
    assert first.argument_pinned and first.argument_id != new.pk
    assert not Input.objects.filter(argument__isnull=True).exclude(status="rejected").exists()


def test_an_interrupted_run_is_finished_by_the_next(unplaced):
    # Some inputs placed (as a run that stopped after a few blocks leaves them) ...
    arguments_match_many(input_ids=[i.pk for i in unplaced[:40]])
    first = [i.pk for i in unplaced[:40]]
    before = dict(Input.objects.filter(pk__in=first).values_list("id", "argument_id"))
    out = StringIO()
    call_command("match_arguments", stdout=out)
    # ... stay where they are; the rest join them or open their own.
    after = dict(Input.objects.filter(pk__in=list(before)).values_list("id", "argument_id"))
    assert after == before
    assert not Input.objects.filter(argument__isnull=True).exclude(status="rejected").exists()
    assert "110 inputs placed" in out.getvalue()
    assert "peak memory" in out.getvalue()


def test_inputs_without_a_place_are_placed_by_their_themes(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "ARGUMENTS_MATCH_AT_SUBMISSION": False}
    leisure = make_theme("fritid")
    first = make_input("Bygg skatepark i Nesparken!", no_location=True, themes=(leisure,))
    second = make_input(
        "Skatepark i Nesparken for ungdommen, takk.", no_location=True, themes=(leisure,)
    )
    other = make_input("Flystøyen fra Rygge er ille om natta.", no_location=True)
    assert arguments_regroup().placed == 3
    for item in (first, second, other):
        item.refresh_from_db()
    assert first.argument_id == second.argument_id != other.argument_id
    assert "skatepark" in second.argument_reason
