"""The small planning-domain lexicon the matcher normalises with (bokmål is the target form).

The words live in ``lexicon.json`` (data, not code; its comment says what each part is).
Extend it when a measured miss shows a missing word; every entry changes B9.
"""

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("lexicon.json")).read_text(encoding="utf-8"))


def words(lines: list[str]) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


# Nynorsk, dialect and English forms → the bokmål word (folded), before stemming.
VARIANTS: dict[str, str] = _DATA["variants"]
# Words that say nothing about the concern (bokmål, nynorsk, English; folded).
STOPWORDS = words(_DATA["stopwords"])
# Planning-domain synonyms → one concept (after variants and stemming).
SYNONYMS = {concept: frozenset(words.split()) for concept, words in _DATA["synonyms"].items()}
# Words compounds are split into: "fotgjengerovergangen" → fotgjenger, overgang.
COMPOUND_PARTS = words(_DATA["compound_parts"])
