"""The extractive summary per theme: a few sentences residents wrote, each with its sources.

Nothing is generated. Per theme, the arguments with the most voices are taken in turn and
from each one sentence is chosen out of its inputs' public (redacted) texts: the sentence that
says most of what the argument's other wordings say (``matching.text_score`` of the
concept tokens, the same text rule the matcher uses). Each sentence carries the public ids of
the inputs it is quoted from (every input whose text holds the same sentence), its argument
and that argument's voices, so a reader can always go back to what was said
(docs/arguments.md).

Privacy: the sentences come only from the inputs the caller's role already sees (the
arguments' ``input_ids``, built from the caller's visible inputs by ``arguments_for``) and
only from ``public_text``, the text redaction has cleaned (inputbank.redaction); the original
text is never read here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from inputbank.matching import tokens
from inputbank.matching.score import text_score
from inputbank.reads.arguments import arguments_by_theme

# A few sentences per theme; the candidates are the theme's first arguments by voices.
SENTENCES_PER_THEME = 4
ARGUMENTS_TRIED = 6
# Wordings compared per argument (the oldest first): enough to find the common sentence.
MEMBERS_READ = 12
# Sentences shorter than this many concept tokens say too little ("Takk!"), longer than
# MAX_CHARS are a letter, not a sentence.
MIN_TOKENS = 2
MAX_CHARS = 280
# Two sentences with this much of their concept tokens in common say the same: keep one.
DUPLICATE = 0.7
# A sentence with a redaction mark ("[navn fjernet]") is shown only when nothing else is left.
_REDACTED = re.compile(r"\[[^\]]* fjernet\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_NOT_WORD = re.compile(r"[\W_]+")


def sentences_of(text: str) -> list[str]:
    """The text's sentences, whitespace tidied (a line break ends one too)."""
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(text or ""))
    return [p for p in parts if p]


def _key(sentence: str) -> str:
    """The sentence without case, punctuation and spacing: the same sentence typed twice."""
    return _NOT_WORD.sub(" ", sentence.casefold()).strip()


def representative(argument: dict, texts: Mapping[str, str | None]) -> dict | None:
    """The sentence of the argument's wordings that says most of what the others say.

    Returns ``{"text", "input_ids"}`` (the inputs it is quoted from) or None when no wording
    holds a sentence worth quoting.
    """
    members = tuple(
        (i, text) for i in argument["input_ids"][:MEMBERS_READ] if (text := texts.get(i))
    )
    found = _representative(members)
    return None if found is None else {"text": found[0], "input_ids": list(found[1])}


# The choice depends only on the wordings (ids and texts), and the same arguments come back
# in area after area: each worker remembers its last choices (about 40 ms of CPU per
# prior-input report at size M, measured). A changed text is a new key.
@lru_cache(maxsize=1024)
def _representative(members: tuple[tuple[str, str], ...]) -> tuple[str, tuple[str, ...]] | None:
    wordings = {i: tokens(text) for i, text in members}
    best: tuple[float, int, str] | None = None
    for public_id, text in members:
        others = [w for i, w in wordings.items() if i != public_id]
        for position, sentence in enumerate(sentences_of(text)):
            words = tokens(sentence)
            if len(words) < MIN_TOKENS or len(sentence) > MAX_CHARS:
                continue
            # Alone, an argument's first sentence is its point; with company, the sentence
            # closest to the other wordings is.
            centre = sum(text_score(words, w) for w in others) / len(others) if others else 0
            if _REDACTED.search(sentence):
                centre -= 1.0
            # Ties: the shorter sentence with company, the earlier one alone.
            candidate = (centre, -len(sentence) if others else -position, sentence)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        return None
    sentence = best[2]
    key = _key(sentence)
    sources = tuple(i for i, text in members if any(_key(s) == key for s in sentences_of(text)))
    return sentence, sources


def theme_summaries(arguments: Sequence[dict], texts: Mapping[str, str | None]) -> list[dict]:
    """Per theme (most voices first): up to SENTENCES_PER_THEME quoted sentences.

    ``texts``: the public texts of at least the first MEMBERS_READ inputs of each argument,
    by public id (``arguments_json_sql(quote_members=MEMBERS_READ)`` reads them).
    ``[{"theme": slug, "sentences": [{"text", "input_ids", "argument", "voices"}]}]``; an
    input without a theme is under "-". Every sentence has at least one source.
    """
    by_theme = arguments_by_theme(arguments)
    tried = {a["id"]: a for items in by_theme.values() for a in items[:ARGUMENTS_TRIED]}
    chosen: dict[int, dict | None] = {k: representative(a, texts) for k, a in tried.items()}
    out = []
    for slug, items in by_theme.items():
        sentences: list[dict] = []
        for argument in items[:ARGUMENTS_TRIED]:
            found = chosen[argument["id"]]
            if found is None or len(sentences) >= SENTENCES_PER_THEME:
                continue
            words = tokens(found["text"])
            twin = next(
                (s for s in sentences if _overlap(words, tokens(s["text"])) >= DUPLICATE), None
            )
            if twin is not None:
                if _key(twin["text"]) == _key(found["text"]):
                    twin["input_ids"] += [
                        i for i in found["input_ids"] if i not in twin["input_ids"]
                    ]
                continue
            sentences.append(
                {
                    "text": found["text"],
                    "input_ids": list(found["input_ids"]),
                    "argument": argument["id"],
                    "voices": argument["voices"],
                }
            )
        if sentences:
            out.append({"theme": slug, "sentences": sentences})
    return out


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
