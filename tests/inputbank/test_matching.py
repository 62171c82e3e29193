"""The argument matcher: Norwegian normalisation, and its quality floor on the labelled set.

The floor is B9's target (docs/arguments.md): pairwise F1 ≥ 0.8 with place and theme, ≥ 0.6
on the text alone, on fixtures/arguments/statements.json. A quality floor, not a timing.
"""

from __future__ import annotations

import pytest

from inputbank.matching import tokens
from scripts.benchmarks.measures.b9_arguments import (
    load_labelled,
    text_only,
    trigram_baseline,
    with_place_and_theme,
)


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ("fotgjengerfeltet", "gangfeltet", "fotgjengerfelt"),
        ("overgangen", "zebra crossing", "fotgjengerfelt"),
        ("skulen", "skolen", "skole"),
        ("parkeringsplassane", "parkering", "parkering"),
        ("fartsdumpar", "fartshumper", "fartshump"),
        ("sykkelstativene", "bike racks", "sykkelparkering"),
        ("gatelysa", "belysning", "lys"),
    ],
)
def test_spelling_variants_and_synonyms_meet_in_one_concept(a, b, shared):
    assert shared in tokens(a) & tokens(b)


def test_frames_and_small_words_carry_no_weight():
    assert tokens("Hei! Jeg vil bare si at dette. Mvh en bekymret nabo") == frozenset()


def test_place_and_theme_meet_the_f1_floor_on_the_labelled_set():
    assert with_place_and_theme(load_labelled())["f1"] >= 0.8


def test_text_alone_meets_its_floor():
    assert text_only(load_labelled())["f1"] >= 0.6


@pytest.mark.django_db
def test_the_matcher_beats_todays_trigram_grouping():
    labelled = load_labelled()
    assert text_only(labelled)["f1"] > trigram_baseline(labelled)["f1"] + 0.2


def test_the_grid_finds_the_nearest_as_a_full_search_does():
    import math
    import random

    from inputbank.matching.near import Grid

    rng = random.Random(7)
    grid: Grid[int] = Grid(cell=20.0)
    points = []
    for n in range(3_000):
        # A dense centre and a sparse rest, as a town: both grid levels are searched.
        spread = 60 if n % 3 else 2_000
        x, y = rng.gauss(0, spread), rng.gauss(0, spread)
        grid.add(x, y, n)
        points.append((x, y, n))
    for qx, qy in [(0, 0), (30, -10), (900, 900), (-2_500, 400)]:
        found = grid.nearest(qx, qy, limit=50, within=1_000)
        full = sorted(
            (math.hypot(x - qx, y - qy), n)
            for x, y, n in points
            if math.hypot(x - qx, y - qy) <= 1_000
        )[:50]
        assert [n for _d, n in found] == [n for _d, n in full]
