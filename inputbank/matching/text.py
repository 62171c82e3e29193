"""Norwegian text → concept tokens: fold, variants, stemming, compounds, synonyms.

Plain Python (no Django): the matcher, the services and B9 share it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from functools import lru_cache
from pathlib import Path

from inputbank.matching.lexicon import COMPOUND_PARTS, STOPWORDS, SYNONYMS, VARIANTS, words

# What the tokens depend on: the lexicon and this module's rules. Stored tokens carry a key
# made from it and the wording (``token_key``), so tokens written before a lexicon change or
# an edit of the text are never used (the reads tokenise those afresh).
_HERE = Path(__file__)
FINGERPRINT = hashlib.sha256(
    _HERE.with_name("lexicon.json").read_bytes() + _HERE.read_bytes()
).hexdigest()[:16]

_WORD = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})
# Longest first: the stemmer strips one inflectional ending (bokmål and nynorsk).
_SUFFIXES = sorted(
    words(
        [
            "ene ane ende erte ede ert er ar en et a e s heten hetene ingen ingene ingar inga",
            "elser elsen else ast est",
        ]
    ),
    key=len,
    reverse=True,
)


def fold(text: str) -> str:
    """Lower case, æøå to ae/o/a (as residents without the keys type), accents stripped."""
    text = text.lower().replace("aa", "a").translate(_FOLD)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def stem(word: str) -> str:
    """Strip one ending, keeping a stem of at least three letters (short words stay whole)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# Each synonym is found as written and as stemmed ("skolen" → "skol" → skole).
_CONCEPT = {
    form: concept
    for concept, words in SYNONYMS.items()
    for word in words
    for form in (word, stem(word))
}


def _split(word: str) -> list[str]:
    """Split a compound into two lexicon parts, if it is one (linking s/e allowed)."""
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if head not in COMPOUND_PARTS:
            continue
        for rest in (tail, tail[1:] if tail[:1] in "se" else None):
            if rest and (rest in COMPOUND_PARTS or stem(rest) in COMPOUND_PARTS):
                return [head, stem(rest) if rest not in COMPOUND_PARTS else rest]
    return []


@lru_cache(maxsize=50_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    word = VARIANTS.get(word, word)
    if word in STOPWORDS or len(word) < 2:
        return ()
    stemmed = VARIANTS.get(stem(word), stem(word))
    out = {_CONCEPT.get(word, _CONCEPT.get(stemmed, stemmed))}
    for part in _split(stemmed) or _split(word):
        out.add(_CONCEPT.get(part, part))
    return tuple(sorted(out - STOPWORDS))


# The same nearby inputs are candidates for submission after submission: a worker keeps
# their tokens (folding a text costs ~0.1 ms; a submission compares up to 600).
@lru_cache(maxsize=20_000)
def tokens(text: str) -> frozenset[str]:
    """Return the concept tokens of a statement (a set: repetition adds no weight)."""
    out: set[str] = set()
    for word in _WORD.findall(fold(text)):
        out.update(_word_tokens(word))
    return frozenset(out)


def token_key(text: str) -> uuid.UUID:
    """The key stored with a wording's tokens: md5 of FINGERPRINT and the wording, which SQL
    computes as ``md5(FINGERPRINT || wording)::uuid`` to check it
    (``reads.argument_statements``). A change detector, not security: md5 because SQL has it."""
    digest = hashlib.md5((FINGERPRINT + text).encode("utf-8"), usedforsecurity=False)
    return uuid.UUID(digest.hexdigest())
