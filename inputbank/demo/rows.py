"""One chunk of demo input: its rows built from the plan (``inputbank.demo.inputs``) and
written with COPY (contributors, input, themes, responses).

A chunk is a run of consecutive rows in Z-order with its own seeded random streams, so the
data does not depend on how many processes write the chunks or in which order, and only one
chunk's rows are ever held in Python (bounded memory at ten million rows).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from inputbank.demo import details
from inputbank.demo.arguments import voice
from inputbank.demo.bulk import copy_rows
from inputbank.demo.places import lines_wkt, points_wkt, polygons_wkt, to_storage_transformer
from inputbank.demo.texts import LANGUAGE_WEIGHTS, STREET_NEAR_M, TextMaker, nearest_names
from inputbank.matching.text import token_key, tokens
from inputbank.models import Contributor, Input, Response
from inputbank.models.contributors import guess_sender_category
from inputbank.redaction import redact

if TYPE_CHECKING:
    from inputbank.demo.inputs import Plan

FREE_CHANNELS = {
    "web_map": 50,
    "si_fra": 20,
    "email": 10,
    "letter": 5,
    "phone": 5,
    "sms": 5,
    "qr_code": 5,
}
STAGE_BY_STATUS = {"evaluated": "final", "closed": "first_reading"}
LANGUAGES = list(LANGUAGE_WEIGHTS)
INPUT_COLUMNS = [
    "id", "public_id", "text", "public_text", "geom", "location_source",
    "location_description", "channel", "language", "received_at", "process_id", "case_year",
    "case_sequence", "case_document", "status", "rejection_reason", "moderated_at",
    "published_at", "contributor_id", "location_restricted", "source_group", "created_at",
    "updated_at", "reference_year", "reference_number", "argument_id", "match_tokens",
    "match_key",
]  # fmt: skip
CONTRIBUTOR_COLUMNS = [
    "id", "name", "email", "phone", "postal_address", "organisation", "wants_feedback",
    "preferred_language", "consent_publish_name", "created_at", "sender_category",
]  # fmt: skip
RESPONSE_COLUMNS = [
    "input_id", "outcome", "justification", "stage", "decided_at", "decision_reference",
    "created_at", "updated_at",
]  # fmt: skip


# The demo's texts repeat (templates, places, wordings): each distinct one is redacted once.
@functools.lru_cache(maxsize=500_000)
def redacted(text: str) -> str:
    return redact(text)


# The matcher's stored tokens, as argument_match writes them for a submitted input: a bank
# without them is tokenised at every submission's candidate read (not what a real bank does).
@functools.lru_cache(maxsize=500_000)
def match_columns(wording: str) -> tuple[list[str], uuid.UUID]:
    return sorted(tokens(wording)), token_key(wording)


class _Picker:
    """random.choices with the cumulative weights worked out once per list of choices."""

    def __init__(self, prng: random.Random):
        self.prng = prng
        self.cum: dict[tuple, list[float]] = {}

    def some(self, options: tuple, weight, k: int) -> list:
        cum = self.cum.get(options)
        if cum is None:
            cum = self.cum[options] = list(itertools.accumulate(weight(o) for o in options))
        return self.prng.choices(options, cum_weights=cum, k=k)

    def one(self, options: tuple, weight):
        return self.some(options, weight, 1)[0]


@dataclass
class ChunkResult:
    inputs: int = 0
    contributors: int = 0
    responses: int = 0
    # Per argument key, the member that opened it: (received, input id, public text).
    openers: dict[int, tuple[float, int, str]] = field(default_factory=dict)
    # CPU seconds so far of the writer process and of its database backend (bulk load only).
    cpu: tuple[int, float, float] | None = None


def own_concern_key(plan: Plan, slug: str, place: int, language: str) -> int:
    """The argument of a statement of its own: same theme, nearest place and language (what
    the matcher would put together at submission); voices use their argument's index."""
    key = (plan.theme_order[slug] * plan.places + place) * len(LANGUAGES)
    return len(plan.arguments) + key + LANGUAGES.index(language)


def _geoms(plan: Plan, rng: np.random.Generator, part: slice) -> list[str | None]:
    kinds, x, y = plan.kinds[part], plan.x[part], plan.y[part]
    geoms: list[str | None] = [None] * len(kinds)
    for kind, make in (("P", None), ("L", lines_wkt), ("A", polygons_wkt)):
        idx = np.flatnonzero(kinds == kind)
        made = points_wkt(x[idx], y[idx]) if make is None else make(rng, x[idx], y[idx])
        for j, g in zip(idx, made, strict=True):
            geoms[j] = g
    return geoms


def write_chunk(plan: Plan, k: int, cursor) -> ChunkResult:  # noqa: C901, PLR0915 (one row's story)
    """Build and COPY the rows of chunk ``k`` on ``cursor`` (a psycopg 3 cursor)."""
    start = k * plan.chunk
    part = slice(start, min(plan.n, start + plan.chunk))
    prng = random.Random(plan.seed * 1_000_003 + k)
    rng = np.random.default_rng([plan.seed, k])
    texts = TextMaker(prng)
    material = texts.material
    geoms = _geoms(plan, rng, part)
    transformer = to_storage_transformer()
    x, y = plan.x[part], plan.y[part]
    street_names, street_at, street_m = nearest_names(material["streets"], x, y, transformer)
    place_names, place_at, _place_m = nearest_names(material["places"], x, y, transformer)
    all_slugs = list(plan.theme_ids)
    pick = _Picker(prng)
    out = ChunkResult()
    contributor_rows, input_rows, theme_rows, response_rows = [], [], [], []
    for i, j in enumerate(range(part.start, part.stop)):
        pi = int(plan.proc_idx[j])
        dp = plan.processes[pi] if pi >= 0 else None
        spec = dp.spec if dp else None
        if spec:
            channels = spec["channels"]
            channel = pick.one(tuple(channels), lambda c: 3 if c == "web_map" else 1)
            weights = spec["themes"] or dict.fromkeys(all_slugs, 1)
        else:
            channel = pick.one(tuple(FREE_CHANNELS), FREE_CHANNELS.__getitem__)
            weights = dict.fromkeys(all_slugs, 1)
        received = dt.datetime.fromtimestamp(float(plan.received[j]), dt.UTC)
        said_index = int(plan.voices[j])
        said = plan.arguments[said_index] if said_index >= 0 else None
        if said is not None:
            text, language = voice(said, prng, material["openers"], material["closers"])
            slugs = [details.voice_theme(prng, said, plan.theme_ids)]
            key = said_index
        else:
            slugs = list(
                dict.fromkeys(
                    pick.some(tuple(weights), weights.__getitem__, prng.choice((1, 1, 2)))
                )
            )
            language = texts.language()
            text = texts.statement(
                slugs[0],
                language,
                place=place_names[place_at[i]],
                street=street_names[street_at[i]] if street_m[i] < STREET_NEAR_M else None,
            )
            key = own_concern_key(plan, slugs[0], int(place_at[i]), language)
        status = details.status(prng, spec["status"] if spec else None)
        personal = status == "pending" and prng.random() < 0.25 or prng.random() < 0.01
        if personal:
            text += prng.choice(material["personal_data_snippets"])
        geom = geoms[i]
        source = details.location_source(prng, channel)
        if channel not in ("web_map", "qr_code", "barnetrakk") and prng.random() < 0.02:
            geom, source = None, "none"
        contributor_id = None
        if prng.random() < 0.4:
            contributor_id = plan.first_contributor + j
            name, email, phone = texts.person()
            org = texts.organisation() if prng.random() < 0.1 else ""
            contributor_rows.append(
                (
                    contributor_id, name, email, phone if prng.random() < 0.5 else "", "", org,
                    prng.random() < 0.6, language, prng.random() < 0.3, received,
                    # Nobody said: the demo infers the category from the name.
                    guess_sender_category(org),
                )
            )  # fmt: skip
        published_at = (
            received + dt.timedelta(days=prng.randint(0, 6)) if status == "published" else None
        )
        moderated_at = published_at or (
            received + dt.timedelta(days=2) if status == "rejected" else None
        )
        input_id = plan.first_input + j
        # Drawn here, in the order it always was, so the random streams after it are unchanged.
        org = details.org_or_blank(prng, texts, channel)
        letter = texts.authority_letter(org, place_names[place_at[i]], input_id)
        if letter:
            # A state or regional body writes as one (the merknadsbehandling's first group), in
            # bokmål, on its own theme: not as a voice of a residents' argument.
            text, slugs, language, said = letter.text, [letter.theme], "nb", None
            key = own_concern_key(plan, letter.theme, int(place_at[i]), language)
        public_text = redacted(text)
        argument_id = None
        if plan.first_argument is not None and status != "rejected":
            argument_id = plan.first_argument + key
            seen = out.openers.get(key)
            stamp = float(plan.received[j])
            if seen is None or (stamp, input_id) < seen[:2]:
                out.openers[key] = (stamp, input_id, public_text)
        input_rows.append(
            (
                input_id, uuid.UUID(int=prng.getrandbits(128), version=4), text, public_text,
                geom, source, "", channel, language, received, dp.process.id if dp else None,
                None, None, None, status,
                "Personopplysninger og usaklig innhold" if status == "rejected" else "",
                moderated_at, published_at, contributor_id, channel == "barnetrakk",
                org, received, plan.now,
                int(plan.ref_year[j]), int(plan.ref_number[j]), argument_id,
                *match_columns(public_text or text),
            )
        )  # fmt: skip
        for slug in slugs:
            theme_rows.append((input_id, plan.theme_ids[slug]))
        once = plan.answers[said_index] if said is not None else None
        if status == "published" and once and received < once[3]:
            # The argument's one answer, given to every input in it (argument_answer); a
            # voice received after it joins an answered argument ("besvart 2022: ...").
            outcome, justification, reference, decided = once
            stage = "final"
        elif status == "published" and details.answered(prng, spec, received, plan.today):
            outcome = prng.choices(list(details.OUTCOMES), weights=list(details.OUTCOMES.values()))[
                0
            ]
            justification, reference = texts.justification(outcome), details.decision_ref(dp)
            decided = (
                dt.datetime.combine(dp.process.closes_on, dt.time(12), tzinfo=dt.UTC)
                if dp
                else received
            ) + dt.timedelta(days=prng.randint(14, 120))
            stage = STAGE_BY_STATUS.get(spec["status"], "other") if spec else "other"
        else:
            decided = None
        if decided is not None:
            response_rows.append(
                (input_id, outcome, justification, stage, decided, reference, decided, decided)
            )
    out.contributors = copy_rows(cursor, Contributor, CONTRIBUTOR_COLUMNS, contributor_rows)
    out.inputs = copy_rows(cursor, Input, INPUT_COLUMNS, input_rows)
    copy_rows(cursor, Input.themes.through, ["input_id", "theme_id"], theme_rows)
    out.responses = copy_rows(cursor, Response, RESPONSE_COLUMNS, response_rows)
    return out
