"""Statements as arrays: one statement scored against all its candidates' members at once.

``best_match`` compares a statement with each member of each candidate argument in a Python
loop; a regrouping of a whole bank does that ~350 times per input, a million inputs at size
M (``_values`` was the largest part of ``match_arguments --all``: docs/arguments.md,
"Speed"). The sweep keeps its candidate statements here instead, one row each (point, token
ids, total token weight, street, theme bits, argument number), and asks ``best`` for the
argument a statement joins: the same sums as ``score._values`` in the same order, the same
mean of the LINK closest members, the same winner among equals. Plain Python and numpy, no
Django.

Exactness, since a regrouping must not change when it gets faster: token weights are 1 and
1.5, so their sums are exact in any order; products, square roots and divisions are IEEE
operations in numpy as in Python; additions are made in ``_values``'s order. The one
difference is the distance: numpy's ``hypot`` and Python's ``math.hypot`` disagree in the
last bit for about one pair in 200, so distances where the score depends on them (from the
NEAR_M to the FADE_M radius, and at FAR_M) are measured again with ``math.hypot``.
"""

from __future__ import annotations

import math

import numpy as np

from inputbank.matching.score import (
    _CONCEPTS,
    CONCEPT_WEIGHT,
    FADE_M,
    FAR_M,
    FAR_PENALTY,
    LINK,
    NEAR_M,
    PLACE_WEIGHT,
    STREET_WEIGHT,
    THEME_WEIGHT,
    THRESHOLD,
    Match,
    Statement,
    _total_weight,
    _with_score,
    score,
)

# Distances within this of a place where the score changes how it depends on them are
# measured again with math.hypot (numpy's differs by at most a unit in the last place).
_SLACK = 1e-6
_START = 1_024


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The positions starts[i] .. starts[i] + lens[i] - 1 for every i, one after another."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lens)
    return np.repeat(starts - (ends - lens), lens) + np.arange(total)


class Pool:
    """Statements with a point, each with its argument's number (``group``), as rows of
    arrays; ``add`` returns the row, ``best`` scores a statement against rows, ``keep``
    forgets the rest (and says where the kept rows went)."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []
        self._vocab: dict[str, int] = {"": 0}  # token -> id; 0 is never a token
        self._streets: dict[str, int] = {"": 0}  # street -> id; 0 is "no street"
        self._theme_bits: dict[object, int] = {}  # theme key -> bit (in words of 63)
        self._weights = np.zeros(_START)  # the statement being scored: its token ids' weights
        self._n = 0
        self._floats = np.zeros((_START, 3))  # x, y, total token weight
        self._ints = np.zeros((_START, 4), dtype=np.int64)  # group, street, token start, count
        self._themes = np.zeros((_START, 1), dtype=np.int64)  # theme bits, 63 per column
        self._tokens = np.zeros(_START, dtype=np.int32)  # every row's token ids, in row order
        self._n_tokens = 0

    def __len__(self) -> int:
        return self._n

    def add(self, statement: Statement, group: int) -> int:
        """A row for a statement with a point, in argument ``group``; returns the row."""
        assert statement.x is not None and statement.y is not None
        row = self._n
        if row == len(self._floats):
            self._floats = _grown(self._floats)
            self._ints = _grown(self._ints)
            self._themes = _grown(self._themes)
        ids = [self._vocab.setdefault(t, len(self._vocab)) for t in statement.tokens]
        end = self._n_tokens + len(ids)
        while end > len(self._tokens):
            self._tokens = _grown(self._tokens)
        self._tokens[self._n_tokens : end] = ids
        self._floats[row] = (statement.x, statement.y, _total_weight(statement.tokens))
        street = self._streets.setdefault(statement.street, len(self._streets))
        self._ints[row] = (group, street, self._n_tokens, len(ids))
        self._themes[row] = self._theme_mask(statement.themes, grow=True)
        self._n_tokens = end
        self._n += 1
        self.statements.append(statement)
        return row

    def _theme_mask(self, themes: frozenset[object], *, grow: bool) -> np.ndarray:
        bits = self._theme_bits
        mask = np.zeros(self._themes.shape[1], dtype=np.int64)
        for key in themes:
            bit = bits.get(key)
            if bit is None:
                if not grow:
                    continue  # no row has it
                bit = bits[key] = len(bits)
                if bit // 63 >= self._themes.shape[1]:
                    self._themes = np.hstack([self._themes, np.zeros_like(self._themes[:, :1])])
                    mask = np.append(mask, 0)
            mask[bit // 63] |= 1 << (bit % 63)
        return mask

    def keep(self, rows: np.ndarray) -> np.ndarray:
        """Keep only these rows (in this order), forget the others; returns, for every old
        row, its new number (-1: forgotten)."""
        rows = np.asarray(rows, dtype=np.int64)
        moved = np.full(self._n, -1, dtype=np.int64)
        moved[rows] = np.arange(len(rows))
        starts, lens = self._ints[rows, 2], self._ints[rows, 3]
        tokens = self._tokens[_ranges(starts, lens)]
        size = max(_START, 2 * len(rows))
        self._floats = _sized(self._floats[rows], size)
        ints = self._ints[rows]
        ints[:, 2] = np.cumsum(lens) - lens
        self._ints = _sized(ints, size)
        self._themes = _sized(self._themes[rows], size)
        self._tokens = _sized(tokens, max(_START, 2 * len(tokens)))
        self._n_tokens = len(tokens)
        self._n = len(rows)
        self.statements = [self.statements[r] for r in rows.tolist()]
        return moved

    def best(self, statement: Statement, rows: np.ndarray) -> tuple[int, Match] | None:
        """The argument ``statement`` joins among the rows' (the candidates' members, in the
        order ``best_match`` would meet them: an argument's place is its first member's):
        its group and the match (the mean score, the closest member's reason), or None when
        none passes THRESHOLD. The answer of ``best_match`` with place, street and theme."""
        words = statement.tokens
        if not words or not len(rows):
            return None
        vocab = self._vocab
        ids = [vocab[t] for t in words if t in vocab]
        if not ids:
            return None  # no member shares a word: none can pass (NO_WORDS_MAX)
        n = len(rows)
        ints = self._ints[rows]
        floats = self._floats[rows]
        lens = ints[:, 3]
        # Text: the weight of the shared tokens per member (token ids looked up in a table
        # holding the statement's own weights, 0 elsewhere), then the weighted cosine.
        weights = self._weights
        if len(vocab) > len(weights):
            weights = self._weights = np.zeros(2 * len(vocab))
        weights[ids] = [CONCEPT_WEIGHT if t in _CONCEPTS else 1.0 for t in words if t in vocab]
        flat = weights[self._tokens[_ranges(ints[:, 2], lens)]]
        weights[ids] = 0.0
        shared = np.bincount(np.repeat(np.arange(n), lens), weights=flat, minlength=n)
        total = np.zeros(n)
        has = shared > 0
        total[has] = shared[has] / np.sqrt(_total_weight(words) * floats[has, 2])
        # Place: closeness, then the far penalty (as in _values).
        ax, ay = statement.x, statement.y
        if ax is not None and ay is not None:
            dx, dy = ax - floats[:, 0], ay - floats[:, 1]
            d = np.hypot(dx, dy)
            again = ((d >= NEAR_M - _SLACK) & (d <= FADE_M + _SLACK)) | (
                np.abs(d - FAR_M) <= _SLACK
            )
            if again.any():
                d[again] = list(map(math.hypot, dx[again].tolist(), dy[again].tolist()))
            closeness = np.where(
                d <= NEAR_M, 1.0, np.maximum(0.0, (FADE_M - d) / (FADE_M - NEAR_M))
            )
            total += PLACE_WEIGHT * closeness
            far = d > FAR_M
            total[far] -= FAR_PENALTY
        if statement.street:
            street = self._streets.get(statement.street)
            if street is not None:
                total[ints[:, 1] == street] += STREET_WEIGHT
        if statement.themes:
            mask = self._theme_mask(statement.themes, grow=False)
            if mask.any():
                total[(self._themes[rows] & mask).any(axis=1)] += THEME_WEIGHT
        found = _best_group(ints[:, 0], total)
        if found is None:
            return None
        group, position, mean = found
        member = self.statements[int(rows[position])]
        return group, _with_score(score(statement, member), mean)


def _best_group(groups: np.ndarray, values: np.ndarray) -> tuple[int, int, float] | None:
    """(group, position of its best value, mean of its LINK best values) of the first group
    (by first appearance) with the highest mean at or above THRESHOLD; as ``best_match``
    sums ``heapq.nlargest``: largest first, left to right."""
    n = len(values)
    found, first, inverse = np.unique(groups, return_index=True, return_inverse=True)
    rank = np.empty(len(found), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(found))
    group = rank[inverse]  # groups numbered by first appearance
    order = np.lexsort((np.arange(n), -values, group))  # per group: best first, then earliest
    counts = np.bincount(group, minlength=len(found))
    starts = np.cumsum(counts) - counts
    ranked = values[order]
    sums = ranked[starts].copy()
    for k in range(1, LINK):
        more = counts > k
        sums[more] += ranked[starts[more] + k]
    means = sums / np.minimum(counts, LINK)
    passing = means >= THRESHOLD
    if not passing.any():
        return None
    best = int(np.argmax(np.where(passing, means, -np.inf)))  # the first of equals
    winner = int(np.flatnonzero(rank == best)[0])
    return int(found[winner]), int(order[starts[best]]), float(means[best])


def _grown(array: np.ndarray) -> np.ndarray:
    return _sized(array, 2 * len(array))


def _sized(array: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    out[: len(array)] = array
    return out
