"""Generate demo input rows and write them with COPY (with contributors, themes, responses).

About half the input near one of the demo's recurring concerns is a voice of it (its wording,
at its spot, across processes and years; ``inputbank.demo.arguments``); the rest says
something of its own about the street and place it is at (``inputbank.demo.texts``). A third
of the concerns were answered once, after a process closed: every voice received before that
carries the same outcome, justification, decision reference and date, as when an officer
answers an argument; later voices join an answered argument.

Input rows are generated with numpy/random from a fixed seed, sorted along a Z-order curve
so that the table is physically clustered by place (~1.7x on area queries,
docs/measurements.md), and written with COPY — the ORM would take hours at 1 000 000 rows.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils import timezone

from inputbank.demo import details
from inputbank.demo.arguments import choose_voices, load_arguments, voice
from inputbank.demo.bulk import (
    copy_rows,
    drop_secondary_indexes,
    move_sequence,
    reserve_ids,
    zorder,
)
from inputbank.demo.places import (
    Sampler,
    lines_wkt,
    moss_boundary,
    points_wkt,
    polygons_wkt,
    to_storage_transformer,
)
from inputbank.demo.texts import STREET_NEAR_M, TextMaker, nearest_names
from inputbank.models import Contributor, Input, Process, Response, Theme
from inputbank.models.contributors import guess_sender_category
from inputbank.redaction import redact

DEFAULT_SEED = 20_261_125
FREE_CHANNELS = {
    "web_map": 50,
    "si_fra": 20,
    "email": 10,
    "letter": 5,
    "phone": 5,
    "sms": 5,
    "qr_code": 5,
}
# From this many rows on, secondary indexes are dropped during COPY and built afterwards.
BULK_INDEX_THRESHOLD = 100_000
STAGE_BY_STATUS = {"evaluated": "final", "closed": "first_reading"}


# ---- themes and users ----------------------------------------------------------------------


@dataclass
class DemoProcess:
    process: Process
    spec: dict
    area: object  # shapely, EPSG:25832


# ---- input ---------------------------------------------------------------------------------
@dataclass
class InputCounts:
    points: int
    lines: int = 0
    polygons: int = 0

    @classmethod
    def split(cls, total: int) -> InputCounts:
        lines = polygons = total // 10
        return cls(total - lines - polygons, lines, polygons)

    @property
    def total(self) -> int:
        return self.points + self.lines + self.polygons


def generate_inputs(
    *,
    counts: InputCounts,
    processes: list[DemoProcess],
    themes: dict[str, Theme],
    today: dt.date,
    seed: int = DEFAULT_SEED,
    extras: bool = True,
    log: Callable[[str], None] = lambda _msg: None,
) -> int:
    """Generate and COPY ``counts`` inputs with contributors, themes and responses."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    texts = TextMaker(prng)
    boundary = moss_boundary()
    sampler = Sampler(rng, boundary)
    n = counts.total
    kinds = np.array(["P"] * counts.points + ["L"] * counts.lines + ["A"] * counts.polygons)
    rng.shuffle(kinds)

    # Which process each input belongs to (-1: none, e.g. a 'Si fra' report or a general pin).
    active = [i for i, p in enumerate(processes) if p.spec["share"] > 0]
    shares = np.array([processes[i].spec["share"] for i in active])
    proc_idx = np.where(
        rng.random(n) < 0.7,
        np.array(active)[rng.choice(len(active), n, p=shares / shares.sum())],
        -1,
    )

    x = np.empty(n)
    y = np.empty(n)
    for i in [-1, *active]:
        mask = proc_idx == i
        if mask.any():
            x[mask], y[mask] = sampler.points(int(mask.sum()), None if i < 0 else processes[i].area)
    arguments = load_arguments()
    parents = {slug: t.parent.slug if t.parent_id else None for slug, t in themes.items()}
    voices = choose_voices(
        rng,
        x,
        y,
        proc_idx,
        arguments=arguments,
        specs=[p.spec for p in processes],
        areas=[p.area for p in processes],
        allowed=sampler.allowed,
        parents=parents,
    )
    order = np.argsort(zorder(x, y), kind="stable")
    kinds, proc_idx, x, y = kinds[order], proc_idx[order], x[order], y[order]
    voices = voices[order]
    log(f"  positions for {n} inputs drawn, {int((voices >= 0).sum())} of them voices of "
        f"{len(arguments)} recurring concerns")  # fmt: skip
    transformer = to_storage_transformer()
    street_names, street_at, street_m = nearest_names(texts.material["streets"], x, y, transformer)
    place_names, place_at, _place_m = nearest_names(texts.material["places"], x, y, transformer)
    answers = details.argument_answers(prng, texts, arguments, processes)

    geoms: list[str | None] = [None] * n
    for kind, make in (("P", None), ("L", lines_wkt), ("A", polygons_wkt)):
        idx = np.flatnonzero(kinds == kind)
        made = points_wkt(x[idx], y[idx]) if make is None else make(rng, x[idx], y[idx])
        for j, g in zip(idx, made, strict=True):
            geoms[j] = g

    theme_ids = {slug: t.id for slug, t in themes.items()}
    all_slugs = list(theme_ids)
    now = timezone.now()
    start_free = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    end_today = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg 3 cursor: COPY support
        first_input = reserve_ids(cursor, Input, n)
        contributor_rows, input_rows, theme_rows, response_rows = [], [], [], []
        first_contributor = None
        contributor_count = 0
        for j in range(n):
            pi = int(proc_idx[j])
            dp = processes[pi] if pi >= 0 else None
            spec = dp.spec if dp else None
            if spec:
                opens = dt.datetime.combine(dp.process.opens_on, dt.time(8), tzinfo=dt.UTC)
                closes = dt.datetime.combine(
                    min(dp.process.closes_on, today), dt.time(20), tzinfo=dt.UTC
                )
                channels = spec["channels"]
                channel = prng.choices(
                    channels, weights=[3 if c == "web_map" else 1 for c in channels]
                )[0]
                weights = spec["themes"] or dict.fromkeys(all_slugs, 1)
            else:
                opens, closes = start_free, end_today
                channel = prng.choices(list(FREE_CHANNELS), weights=list(FREE_CHANNELS.values()))[0]
                weights = dict.fromkeys(all_slugs, 1)
            received = opens + (closes - opens) * prng.random()
            said = arguments[voices[j]] if voices[j] >= 0 else None
            if said is not None:
                text, language = voice(
                    said, prng, texts.material["openers"], texts.material["closers"]
                )
                slugs = [details.voice_theme(prng, said, theme_ids)]
            else:
                slugs = list(
                    dict.fromkeys(
                        prng.choices(
                            list(weights), weights=list(weights.values()), k=prng.choice((1, 1, 2))
                        )
                    )
                )
                language = texts.language()
                text = texts.statement(
                    slugs[0],
                    language,
                    place=place_names[place_at[j]],
                    street=street_names[street_at[j]] if street_m[j] < STREET_NEAR_M else None,
                )
            status = details.status(prng, spec["status"] if spec else None)
            personal = status == "pending" and prng.random() < 0.25 or prng.random() < 0.01
            if personal:
                text += prng.choice(texts.material["personal_data_snippets"])
            geom = geoms[j]
            source = details.location_source(prng, channel)
            if channel not in ("web_map", "qr_code", "barnetrakk") and prng.random() < 0.02:
                geom, source = None, "none"
            contributor_id = None
            if prng.random() < 0.4:
                if first_contributor is None:
                    first_contributor = reserve_ids(cursor, Contributor, 0)
                contributor_id = first_contributor + contributor_count
                contributor_count += 1
                name, email, phone = texts.person()
                org = texts.organisation() if prng.random() < 0.1 else ""
                contributor_rows.append(
                    (
                        contributor_id,
                        name,
                        email,
                        phone if prng.random() < 0.5 else "",
                        "",
                        org,
                        prng.random() < 0.6,
                        language,
                        prng.random() < 0.3,
                        received,
                        # Nobody said: the demo infers the category from the name.
                        guess_sender_category(org),
                    )
                )
            published_at = (
                received + dt.timedelta(days=prng.randint(0, 6)) if status == "published" else None
            )
            moderated_at = published_at or (
                received + dt.timedelta(days=2) if status == "rejected" else None
            )
            input_id = first_input + j
            input_rows.append(
                (
                    input_id,
                    uuid.UUID(int=prng.getrandbits(128), version=4),
                    text,
                    redact(text),
                    geom,
                    source,
                    "",
                    channel,
                    language,
                    received,
                    dp.process.id if dp else None,
                    None,
                    None,
                    None,
                    status,
                    "Personopplysninger og usaklig innhold" if status == "rejected" else "",
                    moderated_at,
                    published_at,
                    contributor_id,
                    channel == "barnetrakk",
                    details.org_or_blank(prng, texts, channel),
                    received,
                    now,
                )
            )
            for slug in slugs:
                theme_rows.append((input_id, theme_ids[slug]))
            once = answers[voices[j]] if said is not None else None
            if status == "published" and once and received < once[3]:
                # The argument's one answer, given to every input in it (argument_answer); a
                # voice received after it joins an answered argument ("besvart 2022: ...").
                outcome, justification, reference, decided = once
                stage = "final"
            elif status == "published" and details.answered(prng, spec, received, today):
                outcome = prng.choices(
                    list(details.OUTCOMES), weights=list(details.OUTCOMES.values())
                )[0]
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
                    (
                        input_id,
                        outcome,
                        justification,
                        stage,
                        decided,
                        reference,
                        decided,
                        decided,
                    )
                )
        if contributor_count:
            move_sequence(cursor, Contributor, first_contributor + contributor_count - 1)
        log(f"  rows built; writing {len(input_rows)} inputs with COPY")
        bulk = n >= BULK_INDEX_THRESHOLD
        dropped = drop_secondary_indexes(cursor, Input) if bulk else []
        copy_rows(
            cursor,
            Contributor,
            [
                "id",
                "name",
                "email",
                "phone",
                "postal_address",
                "organisation",
                "wants_feedback",
                "preferred_language",
                "consent_publish_name",
                "created_at",
                "sender_category",
            ],
            contributor_rows,
        )
        copy_rows(
            cursor,
            Input,
            [
                "id",
                "public_id",
                "text",
                "public_text",
                "geom",
                "location_source",
                "location_description",
                "channel",
                "language",
                "received_at",
                "process_id",
                "case_year",
                "case_sequence",
                "case_document",
                "status",
                "rejection_reason",
                "moderated_at",
                "published_at",
                "contributor_id",
                "location_restricted",
                "source_group",
                "created_at",
                "updated_at",
            ],
            input_rows,
        )
        copy_rows(cursor, Input.themes.through, ["input_id", "theme_id"], theme_rows)
        copy_rows(
            cursor,
            Response,
            [
                "input_id",
                "outcome",
                "justification",
                "stage",
                "decided_at",
                "decision_reference",
                "created_at",
                "updated_at",
            ],
            response_rows,
        )
        if dropped:
            log(f"  re-creating {len(dropped)} indexes")
            # Django's foreign keys are deferred; check them now so indexes can be built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for definition in dropped:
                cursor.execute(definition)
    log(f"  {len(contributor_rows)} contributors, {len(response_rows)} responses")
    if extras:
        details.supports_and_comments(prng, first_input, n)
    return n
