"""Score a statement against earlier ones and group statements into arguments.

The rule, in words a planner can check: two statements say the same when their words (after
folding, variants, stemming, compound splitting and synonyms) overlap enough; being close
(within about 75 m, fading out at 400 m), on the same street and under the same theme each
add a little; being far apart (over 1.5 km) takes some away, because the same words about
two places are two arguments (the school crossing in Kongens gate is not the one at
Halmstad). Weights and thresholds are set on the labelled set (B9, docs/arguments.md).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from inputbank.matching.lexicon import SYNONYMS

TEXT_THRESHOLD = 0.35  # text alone
THRESHOLD = 0.45  # text + place + theme
NEAR_M, FADE_M, FAR_M = 75.0, 400.0, 1500.0
PLACE_WEIGHT, STREET_WEIGHT, THEME_WEIGHT, FAR_PENALTY = 0.2, 0.05, 0.08, 0.25
# Planning-domain concepts weigh more than other words: they carry the concern.
CONCEPT_WEIGHT = 1.5
# An argument's score is the mean of its LINK closest members.
LINK = 3
_CONCEPTS = frozenset(SYNONYMS)
# The most a statement sharing no word can score: why best_match may skip such arguments.
NO_WORDS_MAX = PLACE_WEIGHT + STREET_WEIGHT + THEME_WEIGHT
assert NO_WORDS_MAX < TEXT_THRESHOLD <= THRESHOLD


@dataclass(frozen=True)
class Statement:
    """What the matcher knows of one input: its tokens, its point (metres), themes, street."""

    key: object
    tokens: frozenset[str]
    x: float | None = None
    y: float | None = None
    themes: frozenset[object] = frozenset()  # theme keys with their parents' (ids or slugs)
    street: str = ""


@dataclass(frozen=True)
class Match:
    """How well two statements match, and why (the parts a reason is written from)."""

    score: float
    text: float
    shared: tuple[str, ...] = ()
    distance_m: float | None = None
    same_theme: bool = False
    same_street: bool = False


@dataclass
class Candidate:
    """An argument as the matcher sees it: its members' statements."""

    key: object
    members: list[Statement] = field(default_factory=list)


def _weight(token: str) -> float:
    return CONCEPT_WEIGHT if token in _CONCEPTS else 1.0


# A statement is compared with hundreds of neighbours, and a neighbour with every newcomer
# near it: its tokens' total weight is worked out once (frozensets keep their hash).
@lru_cache(maxsize=50_000)
def _total_weight(tokens: frozenset[str]) -> float:
    return sum(_weight(t) for t in tokens)


def text_score(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted cosine of two token sets (fair to a short shout against a long letter)."""
    if not a or not b:
        return 0.0
    shared = a & b
    if not shared:
        return 0.0
    return sum(_weight(t) for t in shared) / math.sqrt(_total_weight(a) * _total_weight(b))


def text_similarity(a: frozenset[str], b: frozenset[str]) -> tuple[float, tuple[str, ...]]:
    """``text_score`` and the shared tokens, concepts first (for the match's stated reason)."""
    text = text_score(a, b)
    if not text:
        return 0.0, ()
    return text, tuple(sorted(a & b, key=lambda t: (-_weight(t), t)))


def score(a: Statement, b: Statement, *, use_place: bool = True) -> Match:
    text, shared = text_similarity(a.tokens, b.tokens)
    if not use_place:
        return Match(score=text, text=text, shared=shared)
    total = text
    distance = None
    if a.x is not None and b.x is not None:
        distance = math.hypot(a.x - b.x, a.y - b.y)  # type: ignore[operator]
        closeness = 1.0 if distance <= NEAR_M else max(0.0, (FADE_M - distance) / (FADE_M - NEAR_M))
        total += PLACE_WEIGHT * closeness
        if distance > FAR_M:
            total -= FAR_PENALTY
    same_street = bool(a.street) and a.street == b.street
    if same_street:
        total += STREET_WEIGHT
    same_theme = bool(a.themes & b.themes)
    if same_theme:
        total += THEME_WEIGHT
    return Match(
        score=total,
        text=text,
        shared=shared,
        distance_m=distance,
        same_theme=same_theme,
        same_street=same_street,
    )


def _values(a: Statement, members: Sequence[Statement], use_place: bool) -> list[float]:
    """``score(a, m).score`` for each member, without the explanation: the same sums in the
    same order (weights 1 and 1.5 add up exactly), ~5× faster, and ``a``'s side worked out
    once. Matching compares a statement with up to 600 neighbours (a regrouping: a million
    statements with theirs); only the winner's reason is written out (``score``)."""
    words = a.tokens
    wa = _total_weight(words)
    concepts = _CONCEPTS
    extra = CONCEPT_WEIGHT - 1.0
    sqrt, hypot = math.sqrt, math.hypot
    ax, ay, street, themes = a.x, a.y, a.street, a.themes
    out = []
    for b in members:
        shared = words & b.tokens
        if shared:
            ws = len(shared) + extra * len(shared & concepts)
            total = ws / sqrt(wa * _total_weight(b.tokens))
        else:
            total = 0.0
        if use_place:
            if ax is not None and b.x is not None:
                distance = hypot(ax - b.x, ay - b.y)  # type: ignore[operator]
                if distance <= NEAR_M:
                    total += PLACE_WEIGHT * 1.0
                else:
                    total += PLACE_WEIGHT * max(0.0, (FADE_M - distance) / (FADE_M - NEAR_M))
                if distance > FAR_M:
                    total -= FAR_PENALTY
            if street and street == b.street:
                total += STREET_WEIGHT
            if not themes.isdisjoint(b.themes):
                total += THEME_WEIGHT
        out.append(total)
    return out


def best_match(
    statement: Statement, candidates: Iterable[Candidate], *, use_place: bool = True
) -> tuple[Candidate | None, Match | None]:
    """Return the argument whose closest member matches best, if it passes the threshold."""
    threshold = THRESHOLD if use_place else TEXT_THRESHOLD
    best: Candidate | None = None
    best_mean, best_member = 0.0, statement
    words = statement.tokens
    if not words:
        return None, None  # without a word in common nothing passes (see below)
    for candidate in candidates:
        members = candidate.members
        # Place, street and theme add at most NO_WORDS_MAX < THRESHOLD: an argument none of
        # whose members shares a word with the statement cannot pass, so it is not scored
        # (the same answer, a fraction of the work in a dense spot).
        if all(words.isdisjoint(m.tokens) for m in members):
            continue
        values = _values(statement, members, use_place)
        top = heapq.nlargest(LINK, values)
        # The mean of the closest few members, not the closest one alone: one loose member
        # must not pull in everything that resembles it (no chaining).
        mean = sum(top) / len(top)
        if mean >= threshold and (best is None or mean > best_mean):
            # The reason is the closest member's (the first of equals, as a stable sort).
            best, best_mean, best_member = candidate, mean, members[values.index(top[0])]
    if best is None:
        return None, None
    return best, _with_score(score(statement, best_member, use_place=use_place), best_mean)


def _with_score(match: Match, value: float) -> Match:
    return Match(
        score=value,
        text=match.text,
        shared=match.shared,
        distance_m=match.distance_m,
        same_theme=match.same_theme,
        same_street=match.same_street,
    )


def group(statements: Sequence[Statement], *, use_place: bool = True) -> list[list[object]]:
    """Group statements in order, as submission would: each joins its best argument or opens one."""
    arguments: list[Candidate] = []
    for statement in statements:
        found, _match = best_match(statement, arguments, use_place=use_place)
        if found is None:
            arguments.append(Candidate(key=len(arguments), members=[statement]))
        else:
            found.members.append(statement)
    return [[m.key for m in a.members] for a in arguments]
