"""Plausible statements, responses and contributors from fixtures/demo/texts.json.

A statement names the place it is about: the street and the place nearest to the input
(``nearest_names``), never one drawn at random, so a Larkollen complaint is in Larkollen.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "demo"

# Share of input per language: mostly bokmål; the languages spoken in Moss (docs/domain.md).
LANGUAGE_WEIGHTS = {"nb": 0.90, "en": 0.03, "pl": 0.02, "uk": 0.02, "ar": 0.02, "nn": 0.01}
# A statement names a street only this close to it; farther out it names the place.
STREET_NEAR_M = 600.0


def nearest_names(
    names: dict[str, list[float]], x: np.ndarray, y: np.ndarray, transformer
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The names, and for each point (EPSG:25832) the index of the nearest and how far it is."""
    lon, lat = (np.array(col) for col in zip(*names.values(), strict=True))
    nx, ny = transformer.transform(lon, lat)
    index = np.empty(len(x), dtype=int)
    distance = np.empty(len(x))
    for start in range(0, len(x), 100_000):
        part = slice(start, start + 100_000)
        d = np.hypot(x[part, None] - nx[None, :], y[part, None] - ny[None, :])
        index[part] = d.argmin(axis=1)
        distance[part] = d.min(axis=1)
    return list(names), index, distance


@dataclass(frozen=True)
class AuthorityLetter:
    text: str
    theme: str


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng

    @cached_property
    def material(self) -> dict:
        return json.loads((FIXTURES / "texts.json").read_text(encoding="utf-8"))

    def _pick(self, pool: list[str], street: str | None) -> str:
        """A template from the pool; one that names a street only where a street is near."""
        usable = pool if street else [t for t in pool if "{street}" not in t] or pool
        return self.rng.choice(usable)

    def language(self) -> str:
        return self.rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]

    def statement(
        self,
        theme_slug: str,
        language: str,
        *,
        place: str,
        street: str | None,
    ) -> str:
        """One input text about a theme at a place (the nearest place and street, if one is
        near); sometimes with a greeting or a closing line."""
        m = self.material
        names = {"place": place, "street": street or f"veien ved {place}"}
        if language != "nb":
            return self._pick(m["other_languages"][language], street).format(**names)
        pool = m["nb"].get(theme_slug) or m["nb"]["transport"]
        first = self._pick(pool, street).format(**names)
        text = self.rng.choice(m["openers"]) + first[0].upper() + first[1:]
        return text + self.rng.choice(m["closers"])

    def justification(self, outcome: str) -> str:
        m = self.material
        template = self.rng.choice(m["justifications"][outcome])
        return template.format(detail=self.rng.choice(m["justification_details"])).strip()

    def person(self) -> tuple[str, str, str]:
        m = self.material
        first, last = self.rng.choice(m["first_names"]), self.rng.choice(m["last_names"])
        email = f"{first}.{last}{self.rng.randint(1, 99)}@example.no".lower()
        phone = f"9{self.rng.randint(1000000, 9999999)}"
        return f"{first} {last}", email, phone

    def organisation(self) -> str:
        return self.rng.choice(self.material["organisations"])

    def authority(self) -> str:
        """A state or regional body that gives statements at hearings."""
        return self.rng.choice(self.material["authorities"])

    def authority_letter(self, sender: str, place: str, seed: int) -> AuthorityLetter | None:
        """What ``sender`` says at a hearing about ``place``, if it is an authority (else None).

        Chosen with a stream of its own (from the sender, place and seed), so the demo's other
        random draws stay as they were."""
        letters = self.material["authority_letters"].get(sender)
        if not letters:
            return None
        theme, template = random.Random(f"{sender}|{place}|{seed}").choice(letters)
        return AuthorityLetter(template.format(place=place), theme)
