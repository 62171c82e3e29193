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
    grid = Grid(cell=20.0)
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


def test_the_regrouping_picks_the_argument_and_reason_submission_would():
    """The regrouping scores an input's candidates as arrays (matching.pool); the argument
    it joins and the reason written must be best_match's, exactly, near and far (every
    distance band of the score), with and without street and theme."""
    import random

    import numpy as np

    from inputbank.matching import Candidate, Statement, best_match
    from inputbank.matching.pool import Pool
    from scripts.benchmarks.measures.b9_arguments import statements

    labelled = statements(load_labelled())
    rng = random.Random(13)
    streets = ["", "", "kongens gate", "storgata"]

    def near(s: Statement, key: int, spread: float) -> Statement:
        x, y = labelled[0].x, labelled[0].y
        assert x is not None and y is not None
        return Statement(
            key=key,
            tokens=s.tokens,
            x=x + rng.uniform(-spread, spread),
            y=y + rng.uniform(-spread, spread),
            themes=s.themes if rng.random() < 0.8 else frozenset(),
            street=rng.choice(streets),
        )

    joined = 0
    for _round in range(200):
        spread = rng.choice([30.0, 150.0, 400.0, 1_200.0])
        pool = Pool()
        rows: list[int] = []
        by_argument: dict[int, list[Statement]] = {}
        for n in range(rng.randint(1, 300)):
            member, argument = near(rng.choice(labelled), n, spread), rng.randint(0, 30)
            rows.append(pool.add(member, argument))
            by_argument.setdefault(argument, []).append(member)
        # Candidates in the order of their first member, members in row order.
        order = rng.sample(rows, len(rows))
        candidates: dict[int, list[Statement]] = {}
        for row in order:
            argument = next(a for a, ms in by_argument.items() if pool.statements[row] in ms)
            candidates.setdefault(argument, []).append(pool.statements[row])
        probe = near(rng.choice(labelled), -1, spread)
        found, match = best_match(probe, [Candidate(a, ms) for a, ms in candidates.items()])
        fast = pool.best(probe, np.array(order))
        assert (None if found is None else (found.key, match)) == fast
        joined += found is not None
    assert 50 < joined < 200  # both outcomes were tried


def test_a_pool_that_forgot_rows_scores_the_rest_as_before():
    """The sweep forgets the statements south of its strip (Pool.keep, bounded memory): what
    is kept must score exactly as before, under its new row numbers."""
    import numpy as np

    from inputbank.matching import Statement
    from inputbank.matching.pool import Pool
    from scripts.benchmarks.measures.b9_arguments import statements

    labelled = statements(load_labelled())
    pool = Pool()
    for n, s in enumerate(labelled):
        pool.add(s, n % 40)
    kept = np.arange(0, len(labelled), 3)
    probes = [Statement(key=-1, tokens=s.tokens, x=s.x, y=s.y, themes=s.themes) for s in labelled]
    before = [pool.best(p, kept) for p in probes]
    moved = pool.keep(kept)
    assert len(pool) == len(kept) and (moved[kept] == np.arange(len(kept))).all()
    assert [pool.best(p, moved[kept]) for p in probes] == before
    assert any(b is not None for b in before)
