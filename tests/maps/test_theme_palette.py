"""Theme families differ for people with common colour-vision deficiencies: colour and shape.

Colours are simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1.0, in linear RGB) and compared in CIELAB (ΔE*76). Two families
drawn with the same marker shape must stay at least MIN_DELTA_E apart in every simulation;
families with different shapes are told apart by the shape. docs/resident-map.md has the table.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from maps.public.views.common import theme_symbols

THEMES = Path(__file__).resolve().parents[2] / "fixtures" / "themes.json"
MIN_DELTA_E = 30
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
    "typical": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}  # fmt: skip


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(hex_colour: str, matrix) -> tuple[float, float, float]:
    rgb = [_linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)]
    mixed = (sum(m * v for m, v in zip(row, rgb, strict=True)) for row in matrix)
    r, g, b = (min(1.0, max(0.0, c)) for c in mixed)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def families() -> list[tuple[str, str, str]]:
    """(slug, colour, shape) of each top-level theme of the fixture, in the map's order."""
    data = json.loads(THEMES.read_text(encoding="utf-8"))["themes"]
    themes = [
        SimpleNamespace(id=n, slug=t["slug"], parent_id=None, colour=t["colour"])
        for n, t in enumerate(data)
        if not t.get("parent")
    ]
    symbols = theme_symbols(themes)
    return [(t.slug, t.colour, symbols[t.id]) for t in themes]


def test_every_family_has_its_own_colour_and_shape():
    pairs = [(colour.lower(), shape) for _slug, colour, shape in families()]
    assert len(pairs) == len(set(pairs))


def test_sub_themes_draw_like_their_family():
    data = json.loads(THEMES.read_text(encoding="utf-8"))["themes"]
    colour = {t["slug"]: t["colour"] for t in data}
    assert all(t["colour"] == colour[t["parent"]] for t in data if t.get("parent"))


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
def test_families_with_one_shape_differ_in_colour_under_colour_blindness(simulation):
    matrix = SIMULATIONS[simulation]
    for (a, colour_a, shape_a), (b, colour_b, shape_b) in itertools.combinations(families(), 2):
        if shape_a != shape_b:
            continue
        lab_a, lab_b = _lab(colour_a, matrix), _lab(colour_b, matrix)
        distance = sum((p - q) ** 2 for p, q in zip(lab_a, lab_b, strict=True)) ** 0.5
        assert distance >= MIN_DELTA_E, f"{a} and {b} ({shape_a}) under {simulation}"
