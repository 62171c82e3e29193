"""The prior-input map's outcome colours differ for people with colour-vision deficiencies.

Outcome dots all have one shape, so colour alone tells them apart: every pair stays at least
MIN_DELTA_E apart (CIELAB ΔE*76) under the same simulations as the theme palette.
"""

import itertools

import pytest

from maps.builders import OUTCOME_COLOURS
from tests.maps.test_theme_palette import SIMULATIONS, _lab

MIN_DELTA_E = 15


def _distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
def test_every_pair_of_outcomes_is_told_apart(simulation):
    matrix = SIMULATIONS[simulation]
    for (a, colour_a), (b, colour_b) in itertools.combinations(OUTCOME_COLOURS.items(), 2):
        delta = _distance(_lab(colour_a, matrix), _lab(colour_b, matrix))
        assert delta >= MIN_DELTA_E, f"{a} and {b}: ΔE {delta:.1f} under {simulation}"
