"""Matching statements into arguments: the text, the place and the themes (docs/arguments.md).

Plain Python (no Django, no database): ``reads.arguments`` and ``services.arguments`` feed it
candidates from PostGIS; B9 feeds it the labelled set.
"""

from inputbank.matching.score import Candidate, Match, Statement, best_match, group, score
from inputbank.matching.text import fold, stem, tokens

__all__ = [
    "Candidate",
    "Match",
    "Statement",
    "best_match",
    "fold",
    "group",
    "score",
    "stem",
    "tokens",
]
