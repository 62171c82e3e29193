"""The demo's recurring concerns: each said at its place, again and again, in other words.

A real bank hears the same concern for years, across processes and channels: the crossing by
the school in Kongens gate in the 2021 town-centre plan, again in the 2025 traffic-safety plan,
again by 'Si fra'. The demo does the same. Its concerns are the 43 arguments of the labelled
set behind B9 (``fixtures/arguments/statements.json``): each with its spot in Moss, its theme
and five to eight wordings written by hand the way residents write (bokmål, nynorsk, dialect,
English). A demo input near a spot, in a process whose themes fit, becomes a voice of that
argument: placed around the spot (most within some 40 m, some a block away), with one of the
wordings as written or as residents also send it (wrapped in a greeting, mistyped, without
capitals and punctuation), and the argument's theme (sometimes a neighbouring one).

Mind: the matcher's weights were fitted on these very wordings (docs/arguments.md), so the
demo's arguments come out about as well grouped as B9's fitted figures say, a little better
than a new bank's would.

Vectorised with numpy like ``places``: a million demo inputs choose their argument in seconds.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

import numpy as np
import shapely

from inputbank.demo.places import FIXTURES, to_storage_transformer

# An input this close to an argument's spot may be one of its voices; this share of them are.
VOICE_RADIUS_M = 600.0
VOICE_SHARE = 0.8
# Voices land around the spot: most within ~40 m, some a block away (as in the labelled set).
NEAR_SD_M, FAR_SD_M, NEAR_SHARE = 40.0, 150.0, 0.8
# Some concerns are raised far more often than others (1 / rank ** POPULARITY).
POPULARITY = 0.8
# The argument's own theme most of the time, otherwise one residents also pick for it.
OWN_THEME_SHARE = 0.8
_CHUNK = 100_000

_ENGLISH = re.compile(r"\b(the|please|there|not|street|with|too)\b", re.IGNORECASE)
_NYNORSK = re.compile(
    r"\b(ikkje|eg|eit|ein|heile|kvar|skulen|vere|korleis|treng|berre|frå|meir|mykje|dei|"
    r"vegen|farleg|kjem|gjer|dårleg|ungane|heim|sjå|skule|gong|utanfor|nokon|noko)\b",
    re.IGNORECASE,
)
_TYPO_KEYS = {"æ": "ae", "ø": "o", "å": "aa"}


@dataclass(frozen=True)
class DemoArgument:
    key: str
    theme: str
    themes_also: tuple[str, ...]
    x: float  # EPSG:25832 metres
    y: float
    wordings: tuple[str, ...]


def language_of(wording: str) -> str:
    """The language a hand-written wording is in (nb, nn or en), for the input's language."""
    if _ENGLISH.search(wording):
        return "en"
    return "nn" if _NYNORSK.search(wording) else "nb"


def load_arguments() -> list[DemoArgument]:
    """The labelled set's arguments with their hand-written wordings, spots in EPSG:25832."""
    data = json.loads((FIXTURES / "arguments" / "statements.json").read_text(encoding="utf-8"))
    transformer = to_storage_transformer()
    out = []
    for spec in data["arguments"]:
        said = [s for s in data["statements"] if s["argument"] == spec["key"]]
        x, y = transformer.transform(spec["lon"], spec["lat"])
        also = sorted({s["theme"] for s in said} - {spec["theme"]})
        wordings = tuple(s["text"] for s in said if s["made"] == "hand")
        out.append(DemoArgument(spec["key"], spec["theme"], tuple(also), x, y, wordings))
    return out


def _eligible(arguments: list[DemoArgument], specs: list[dict | None], parents: dict) -> np.ndarray:
    """Row 0: input without a process (anything); row i + 1: process i, whose themes fit."""
    rows = np.ones((len(specs) + 1, len(arguments)), dtype=bool)
    for i, spec in enumerate(specs, start=1):
        wanted = set((spec or {}).get("themes") or ())
        if not wanted:
            continue
        for k, a in enumerate(arguments):
            mine = {a.theme, *a.themes_also}
            rows[i, k] = bool(wanted & (mine | {parents.get(t) for t in mine}))
    return rows


def choose_voices(
    rng: np.random.Generator,
    x: np.ndarray,
    y: np.ndarray,
    proc_idx: np.ndarray,
    *,
    arguments: list[DemoArgument],
    specs: list[dict | None],
    areas: list,
    allowed,
    parents: dict[str, str | None],
) -> np.ndarray:
    """Pick the inputs that voice an argument; move them to its spot. Return each input's
    argument index (-1: its own concern). ``x`` and ``y`` are changed in place.

    Among the arguments near an input (within VOICE_RADIUS_M, of a theme its process asks
    about), the nearer and the more popular are likelier. A voice stays inside its process's
    area (``areas``; ``allowed`` for input without a process): if the spot's jitter would
    leave it, the input keeps its own place and concern.
    """
    n, count = len(x), len(arguments)
    ax = np.array([a.x for a in arguments])
    ay = np.array([a.y for a in arguments])
    popularity = 1.0 / (1 + rng.permutation(count)) ** POPULARITY
    eligible = _eligible(arguments, specs, parents)
    chosen = np.full(n, -1)
    for start in range(0, n, _CHUNK):
        part = slice(start, min(n, start + _CHUNK))
        d = np.hypot(x[part, None] - ax[None, :], y[part, None] - ay[None, :])
        weight = np.where(
            (d < VOICE_RADIUS_M) & eligible[proc_idx[part] + 1], popularity / (d + 150.0), 0.0
        )
        total = weight.sum(axis=1)
        draw = rng.random(len(total)) * total
        pick = (np.cumsum(weight, axis=1) < draw[:, None]).sum(axis=1)
        take = (total > 0) & (rng.random(len(total)) < VOICE_SHARE)
        chosen[part] = np.where(take, np.minimum(pick, count - 1), -1)
    voices = np.flatnonzero(chosen >= 0)
    sd = np.where(rng.random(len(voices)) < NEAR_SHARE, NEAR_SD_M, FAR_SD_M)
    nx = ax[chosen[voices]] + rng.normal(0, 1, len(voices)) * sd
    ny = ay[chosen[voices]] + rng.normal(0, 1, len(voices)) * sd
    inside = np.zeros(len(voices), dtype=bool)
    for i in np.unique(proc_idx[voices]):
        mine = proc_idx[voices] == i
        area = allowed if i < 0 else areas[i].intersection(allowed)
        inside[mine] = shapely.contains_xy(area, nx[mine], ny[mine])
    x[voices[inside]], y[voices[inside]] = nx[inside], ny[inside]
    chosen[voices[~inside]] = -1
    return chosen


def typo(text: str, rng: random.Random) -> str:
    """Type like a hurried resident: a swapped or dropped letter, æøå without the keys."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):
        i = rng.randrange(1, max(2, len(chars) - 2))
        if i + 1 < len(chars) and chars[i].isalpha() and chars[i + 1].isalpha():
            if rng.random() < 0.5:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                del chars[i]
    out = "".join(chars)
    if rng.random() < 0.4:
        out = "".join(_TYPO_KEYS.get(c, c) for c in out)
    return out


def sloppy(text: str) -> str:
    """No capitals, no punctuation: a quick message from a phone."""
    return "".join(c for c in text.lower() if c.isalnum() or c.isspace()).strip()


def voice(argument: DemoArgument, rng: random.Random, openers, closers) -> tuple[str, str]:
    """(text, language) of one voice: a wording as written, or as residents also send it."""
    wording = rng.choice(argument.wordings)
    language = language_of(wording)
    r = rng.random()
    if language == "en" or r < 0.55:
        return wording, language
    if r < 0.8:
        return (rng.choice(openers) + wording + rng.choice(closers)).strip(), language
    if r < 0.92:
        return typo(wording, rng), language
    return sloppy(wording), language
