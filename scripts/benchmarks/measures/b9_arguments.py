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
import time
from collections.abc import Sequence
from pathlib import Path

from inputbank.matching import Statement, group, tokens
from scripts.benchmarks.results import Row, pct

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


def _timing_row(ctx) -> Row:
    """Candidate query + scoring per submission, at the drawn areas' centres."""
    from django.contrib.gis.geos import GEOSGeometry

    from geo.crs import STORAGE_SRID
    from inputbank.matching import Candidate, best_match
    from inputbank.models import Input
    from inputbank.reads.arguments import MAX_CANDIDATES, nearest_statements, statement_of

    labelled = load_labelled()
    samples = []
    # The benchmark data is loaded in bulk without arguments: the candidates are the nearest
    # inputs themselves (the same queries and scoring as argument_match).
    for n, area in enumerate(ctx.drawn_areas):
        centre = GEOSGeometry(json.dumps(area.geojson)).centroid
        centre = centre.transform(STORAGE_SRID, clone=True)
        probe = Input(pk=0, text=labelled[n % len(labelled)]["text"], geom=centre)
        probe.public_text = probe.text
        started = time.perf_counter()
        near = nearest_statements(centre, with_argument=False)
        candidates = [Candidate(key=statement.key, members=[statement]) for _a, statement in near]
        best_match(statement_of(probe, []), candidates)
        samples.append(time.perf_counter() - started)
    p95 = round(pct(samples, 95) * 1000, 3)
    return Row(
        "B9.submit",
        f"argument matching per submission, {len(samples)} places "
        f"(≤ {MAX_CANDIDATES} nearest candidates)",
        p95,
        None,
        None,
        "≤ 50 ms p95",
        p95 <= 50,
        unit="ms p95",
        detail={"p50_ms": round(pct(samples, 50) * 1000, 3), "n": len(samples)},
    )


def run(ctx) -> list[Row]:
    return [*_quality_rows(load_labelled()), _timing_row(ctx)]
