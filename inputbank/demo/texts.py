"""Plausible statements, responses and contributors from fixtures/demo/texts.json."""

from __future__ import annotations

import json
import random
from functools import cached_property
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "demo"

# Share of input per language: mostly bokmål; the languages spoken in Moss (docs/domain.md).
LANGUAGE_WEIGHTS = {"nb": 0.90, "en": 0.03, "pl": 0.02, "uk": 0.02, "ar": 0.02, "nn": 0.01}


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng

    @cached_property
    def material(self) -> dict:
        return json.loads((FIXTURES / "texts.json").read_text(encoding="utf-8"))

    def _fill(self, template: str) -> str:
        m = self.material
        return template.format(
            street=self.rng.choice(m["streets"]), place=self.rng.choice(m["places"])
        )

    def language(self) -> str:
        return self.rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]

    def statement(self, theme_slug: str, language: str, personal_data: bool = False) -> str:
        """One input text about a theme; sometimes two sentences, sometimes with a closer."""
        m = self.material
        if language != "nb":
            return self._fill(self.rng.choice(m["other_languages"][language]))
        pool = m["nb"].get(theme_slug) or m["nb"]["transport"]
        first = self._fill(self.rng.choice(pool))
        text = self.rng.choice(m["openers"]) + first
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.3:
            text += f" Det samme gjelder ved {self.rng.choice(m['places'])}."
        text += self.rng.choice(m["closers"])
        if personal_data:
            text += self.rng.choice(m["personal_data_snippets"])
        return text

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
