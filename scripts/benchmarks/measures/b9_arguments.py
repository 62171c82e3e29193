"""B9: grouping quality on the labelled set (fixtures/arguments), and matching time.

Pairwise precision, recall and F1 against the labels (two statements grouped together
"agree" when they carry the same argument label) for
(a) today's trigram grouping (inputbank.reads.similar, its default threshold) as the baseline,
(b) the argument matcher on the text alone, and
(c) the argument matcher with place and theme (what submission runs).
Then the matcher's time per submission at this size: the candidate query (the inputs within
1 km, at most 300) and the scoring, for a labelled statement dropped at each drawn area.

The quality rows need no benchmark data; tests/inputbank/test_matching.py asserts (c) on the
same functions.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

from inputbank.matching import Statement, group, tokens
from scripts.benchmarks.results import Row, pct, summary
from scripts.benchmarks.sizes import SIZES

ID = "B9"
TITLE = "Argument grouping: pairwise F1 on the labelled set; matching time per submission"
ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "fixtures" / "arguments" / "statements.json"
THEMES = ROOT / "fixtures" / "themes.json"


def load_labelled() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["statements"]


def statements(labelled: Sequence[dict]) -> list[Statement]:
    """The labelled statements as the matcher sees inputs: tokens, metres, theme + parent."""
    from pyproj import Transformer

    from geo.crs import STORAGE_SRID, WEB_SRID

    parents = {
        t["slug"]: t.get("parent", t["slug"])
        for t in json.loads(THEMES.read_text(encoding="utf-8"))["themes"]
    }
    to_metres = Transformer.from_crs(WEB_SRID, STORAGE_SRID, always_xy=True)
    out = []
    for s in labelled:
        x, y = to_metres.transform(s["lon"], s["lat"])
        themes = frozenset({s["theme"], parents.get(s["theme"], s["theme"])})
        out.append(Statement(key=s["id"], tokens=tokens(s["text"]), x=x, y=y, themes=themes))
    return out


def pairwise(labelled: Sequence[dict], groups: Sequence[Sequence[object]]) -> dict:
    """Pairwise precision, recall and F1 of a grouping against the labels."""
    label = {s["id"]: s["argument"] for s in labelled}
    found = {key: n for n, members in enumerate(groups) for key in members}
    tp = fp = fn = 0
    for a, b in itertools.combinations(label, 2):
        same, together = label[a] == label[b], found.get(a, -a) == found.get(b, -b)
        tp += same and together
        fp += together and not same
        fn += same and not together
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def text_only(labelled: Sequence[dict]) -> dict:
    return pairwise(labelled, group(statements(labelled), use_place=False))


def with_place_and_theme(labelled: Sequence[dict]) -> dict:
    return pairwise(labelled, group(statements(labelled)))


def trigram_baseline(labelled: Sequence[dict]) -> dict:
    """Today's "said by many" grouping on the same texts, stored as inputs and rolled back."""
    from django.db import transaction

    from inputbank.models import Input
    from inputbank.reads.similar import similar_statements

    class Rollback(Exception):
        pass

    result: dict = {}
    try:
        with transaction.atomic():
            rows = Input.objects.bulk_create(
                [
                    Input(text=s["text"], public_text=s["text"], location_source="none")
                    for s in labelled
                ]
            )
            key = {row.pk: s["id"] for row, s in zip(rows, labelled, strict=True)}
            grouping = similar_statements(list(key), min_voices=1)
            groups = [[key[i] for i in g.input_ids] for g in grouping.groups]
            result = pairwise(labelled, groups)
            raise Rollback
    except Rollback:
        pass
    return result


def _quality_rows(labelled: Sequence[dict]) -> list[Row]:
    base = trigram_baseline(labelled)
    rows = []
    for id_, name, got, floor in (
        ("B9.text", "arguments, text only", text_only(labelled), 0.6),
        ("B9.all", "arguments, text + place + theme", with_place_and_theme(labelled), 0.8),
    ):
        rows.append(
            Row(
                id_,
                f"{name}: pairwise F1 on {len(labelled)} labelled statements "
                "(baseline: trigram grouping)",
                got["f1"],
                base["f1"],
                round(got["f1"] / base["f1"], 3) if base["f1"] else None,
                f"F1 ≥ {floor}",
                got["f1"] >= floor,
                unit="F1",
                detail={"ours": got, "trigram_baseline": base},
            )
        )
    return rows


def _regroup_row(ctx) -> Row:
    """``manage.py match_arguments --all`` on the whole bank: every machine placing taken back,
    then every input grouped again (the blocks sweep), as its own process: wall time and the
    process's peak memory."""
    from scripts.benchmarks.measures.common import MANAGE, cpu_seconds, manage_env, run_measured

    log = ctx.work / "match_arguments.log"
    seconds, peak = run_measured(
        [*MANAGE, "match_arguments", "--all"], log=log, env=manage_env(ctx.url)
    )
    from scripts.benchmarks.database import vacuum

    cpu = cpu_seconds(log)

    vacuum(ctx.url)  # two passes over every row: later measures meet a tidy table (untimed)
    lines = log.read_text(errors="replace").strip().splitlines()
    done = lines[-1] if lines else ""
    placed = int(m.group(1)) if (m := re.search(r"(\d+) inputs placed", done)) else 0
    kept = max((int(k) for k in re.findall(r"(\d+) kept", "\n".join(lines))), default=0)
    m_inputs = SIZES["M"].total
    scale = m_inputs / ctx.size.total
    minutes = seconds / 60
    return Row(
        "B9.regroup",
        f"argument grouping of the whole bank from scratch ({placed:,} inputs placed, "
        "match_arguments --all)",
        round(minutes, 2),
        None,
        None,
        "≤ 30 min at M",
        minutes * scale <= 30,
        unit="min",
        detail={
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak / 2**20, 1),
            "inputs_per_s": round(placed / seconds, 1) if seconds else None,
            "statements_kept_max": kept,
            # Linear in inputs: the per-input work is bounded (≤ 600 candidates) and at S the
            # town centre's candidate lists are already full; only memory grows with density.
            "extrapolated_to_M_min": round(minutes * scale, 1),
            # The command's own CPU time (not PostgreSQL's): what it needs of one core, which
            # a busy machine does not inflate as it does the wall time.
            "cpu_seconds": round(cpu, 1),
            "cpu_extrapolated_to_M_min": round(cpu * scale / 60, 1),
            "load_average": os.getloadavg()[0],
            "size": ctx.size.name,
            "last_line": done[-300:],
        },
        note="" if ctx.size.name == "M" else f"judged on the time × {scale:.1f} (size M)",
    )


def _match_row(ctx) -> Row:
    """The matcher alone, in this process: candidate query + scoring, at the drawn areas."""
    from django.contrib.gis.geos import GEOSGeometry

    from geo.crs import STORAGE_SRID
    from inputbank.matching import best_match
    from inputbank.models import Input
    from inputbank.reads.argument_statements import MAX_CANDIDATES, candidates_for, statement_of

    labelled = load_labelled()
    samples = []
    for n, area in enumerate(ctx.drawn_areas):
        centre = GEOSGeometry(json.dumps(area.geojson)).centroid
        centre = centre.transform(STORAGE_SRID, clone=True)
        probe = Input(pk=0, text=labelled[n % len(labelled)]["text"], geom=centre)
        probe.public_text = probe.text
        started = time.perf_counter()
        best_match(statement_of(probe), candidates_for(probe))
        samples.append(time.perf_counter() - started)
    p95 = round(pct(samples, 95) * 1000, 3)
    return Row(
        "B9.match",
        f"argument matcher per submission in-process (candidate query + scoring), "
        f"{len(samples)} places (≤ {MAX_CANDIDATES} nearest published and pending)",
        p95,
        None,
        None,
        "≤ 50 ms p95",
        p95 <= 50,
        unit="ms p95",
        detail={"p50_ms": round(pct(samples, 50) * 1000, 3), "n": len(samples)},
    )


SUBMIT_ADDED_MS = 50.0


def _submit_row(ctx) -> Row:
    """p95 of anonymous ``POST /api/v1/inputs/`` with matching at submission against the same
    server with it switched off (ARGUMENTS_MATCH_AT_SUBMISSION=false), one request at a time,
    the two interleaved; the difference is the figure. Labelled statements at the drawn areas'
    centres (where the bank is dense), so candidate lists are full."""
    from django.contrib.gis.geos import GEOSGeometry

    from scripts.benchmarks.measures.x_requests import _Cleanup
    from scripts.benchmarks.server import Server

    labelled = load_labelled()
    points = [GEOSGeometry(json.dumps(a.geojson)).centroid.coords for a in ctx.drawn_areas]
    n = len(points) * 4
    items = [
        {
            "lon": points[i % len(points)][0] + 0.0001 * (i // len(points)),
            "lat": points[i % len(points)][1],
            "text": labelled[(7 * i) % len(labelled)]["text"],
            "theme": labelled[(7 * i) % len(labelled)]["theme"],
        }
        for i in range(n)
    ]
    on = ctx.server()
    off = Server(ctx.url, ctx.work, extra_env={"ARGUMENTS_MATCH_AT_SUBMISSION": "false"}).start()
    cleanup = _Cleanup(ctx.connect())
    timed: dict[str, list[float]] = {"on": [], "off": []}
    try:
        for server in (on, off):  # warm-up, discarded
            for item in items[:10]:
                _post(server, item)
        for i, item in enumerate(items):
            order = [("on", on), ("off", off)]
            if i % 2:
                order.reverse()
            for side, server in order:
                timed[side].append(_post(server, item))
    finally:
        off.stop()
        cleanup.run()
    on_p95, off_p95 = pct(timed["on"], 95) * 1000, pct(timed["off"], 95) * 1000
    added = on_p95 - off_p95
    return Row(
        "B9.submit",
        f"anonymous POST /api/v1/inputs/ with argument matching vs without, {n} places "
        "one at a time (p95)",
        round(on_p95, 3),
        round(off_p95, 3),
        round(on_p95 / off_p95, 3) if off_p95 else None,
        f"≤ +{SUBMIT_ADDED_MS:g} ms p95",
        added <= SUBMIT_ADDED_MS,
        unit="ms p95",
        detail={
            "added_p95_ms": round(added, 3),
            "added_p50_ms": round((pct(timed["on"], 50) - pct(timed["off"], 50)) * 1000, 3),
            "with_matching": summary(timed["on"]),
            "without_matching": summary(timed["off"]),
        },
        note=f"matching adds {added:.1f} ms at p95",
    )


def _post(server, item: dict) -> float:
    from inputbank import antibot
    from scripts.benchmarks.measures.x_requests import SUBMIT_PATH, _submit_body
    from scripts.benchmarks.server import request

    body = _submit_body(item, antibot.issue_form_token())
    headers = {"Content-Type": "application/json", "Origin": server.origin}
    status, answer, seconds = request(server.port, "POST", SUBMIT_PATH, body, headers)
    if status != 201:
        raise RuntimeError(f"POST {SUBMIT_PATH} answered {status}: {answer[:300]!r}")
    return seconds


def run(ctx) -> list[Row]:
    # The bench data is grouped into arguments when it is made (database.group_arguments):
    # submissions meet a grouped bank. The regrouping of the whole bank is B9R (its own id:
    # at M it takes many minutes, `--only B9` leaves it out).
    return [*_quality_rows(load_labelled()), _match_row(ctx), _submit_row(ctx)]


def run_regroup(ctx) -> list[Row]:
    return [_regroup_row(ctx)]
